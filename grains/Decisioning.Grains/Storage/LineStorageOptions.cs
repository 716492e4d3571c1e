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

    /// <summary>
    /// How long the records of an enterprise without a line (its declined and referred decisions,
    /// their journal) are kept: anyone may ask for a decision on any valid code, so they cannot stay
    /// for ever. Never shorter than the longest request-id retention, so a retry that storage still
    /// remembers also finds its decision.
    /// </summary>
    [Range(typeof(TimeSpan), "30.00:00:00", "3650.00:00:00")]
    public TimeSpan UnlinedDecisionRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Commits of different lines sent in one script, at most.</summary>
    [Range(1, 1024)]
    public int MaxLinesPerWrite { get; set; } = 128;

    /// <summary>
    /// How long a line waits for its commit before it takes the outcome as unknown: its callers get
    /// UNAVAILABLE (a retry with the same request id is exactly-once) and the line is loaded again.
    /// Longer than a Redis command's own timeout, so that this fires only when a commit is lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Scripts in flight at once; commits arriving meanwhile wait and leave together.</summary>
    [Range(1, 64)]
    public int MaxWritesInFlight { get; set; } = 2;
}
