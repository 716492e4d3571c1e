using System.ComponentModel.DataAnnotations;

namespace Decisioning.Grains.Storage;

public sealed class LineStorageOptions
{
    public const string Section = "Decisioning:Storage";

    /// <summary>Prefix of every key, so that several services can share one Redis.</summary>
    [Required, RegularExpression("^[a-z][a-z0-9-]{0,15}$")]
    public string KeyPrefix { get; set; } = "dc";

    /// <summary>How long a request id is remembered: at least 24 hours, as callers are promised.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "30.00:00:00")]
    public TimeSpan RequestIdRetention { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Commits of different lines sent in one script, at most.</summary>
    [Range(1, 1024)]
    public int MaxLinesPerWrite { get; set; } = 128;

    /// <summary>Scripts in flight at once; commits arriving meanwhile wait and leave together.</summary>
    [Range(1, 64)]
    public int MaxWritesInFlight { get; set; } = 2;
}
