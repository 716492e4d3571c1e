using System.ComponentModel.DataAnnotations;

namespace Decisioning.Grains.Hosting;

public sealed class RedisOptions
{
    public const string Section = "Decisioning:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</summary>
    [Required]
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>
    /// Skip the check that Redis runs with AOF <c>appendfsync always</c> and no eviction. Only for a
    /// throwaway development instance: without them an acknowledged change can be lost.
    /// </summary>
    public bool AllowUnsafeDevInstance { get; set; }
}
