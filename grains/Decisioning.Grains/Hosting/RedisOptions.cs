using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Decisioning.Grains.Hosting;

public sealed class RedisOptions
{
    public const string Section = "Decisioning:Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>, or with an ACL user,
    /// its password and TLS: <c>redis.internal:6380,user=decisioning,password=…,ssl=true</c>.
    /// Holds a secret: only <see cref="Redacted"/> may appear in a log line or an error message.
    /// </summary>
    [Required]
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>The configuration without its password, for messages.</summary>
    public string Redacted() => ConfigurationOptions.Parse(Configuration).ToString(includePassword: false);

    /// <summary>
    /// Skip the check that Redis runs with AOF <c>appendfsync always</c> and no eviction. Only for a
    /// throwaway development instance: without them an acknowledged change can be lost.
    /// </summary>
    public bool AllowUnsafeDevInstance { get; set; }
}
