using System.ComponentModel.DataAnnotations;

namespace Decisioning.Grains.Events;

/// <summary>The event streams (docs/events.md): how they are partitioned, read and trimmed.</summary>
public sealed class EventOptions
{
    public const string Section = "Decisioning:Events";

    /// <summary>
    /// Publish every journal entry to the event streams in its commit. Off only for a Redis Cluster
    /// that keeps <c>Decisioning:Redis:KeyPartitions=0</c>, where no fixed set of streams can share
    /// every line's slot.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Streams when <c>Decisioning:Redis:KeyPartitions</c> is 0; otherwise there is one stream per key
    /// partition, under its hash tag. Chosen once: changing it moves enterprises between streams.
    /// </summary>
    [Range(1, MaxPartitions)]
    public int Partitions { get; set; } = 16;

    /// <summary>
    /// Keep the service's projections of the streams (the portfolio, the risk funds) in this
    /// process. Off in a front door that leaves them to others: the projections stay exactly once
    /// however many processes keep them, but each that does reads every event.
    /// </summary>
    public bool Project { get; set; } = true;

    /// <summary>
    /// Enterprises a projector keeps in memory what it last wrote of (so that the next batch need
    /// not read it back), over all partitions; beyond it a partition's share starts again empty.
    /// </summary>
    [Range(0, 100_000_000)]
    public int ProjectionMemory { get; set; } = 100_000;

    /// <summary>How long Subscribe waits before asking Redis again when it found nothing new.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Stream entries (each the events of one commit) read from each stream per round trip, at most.</summary>
    [Range(1, 10_000)]
    public int ReadBatch { get; set; } = 256;

    /// <summary>How often the trimmer looks at each stream's consumer groups, and the lag gauge is refreshed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Events younger than this are kept even when every consumer group has acknowledged them, so that
    /// a subscriber (whose cursor holds nothing back) can resume after a disconnect this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan MinRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Stream entries (each the events of one commit) a stream keeps at most, acknowledged or not: a consumer group further behind loses the
    /// oldest (logged once, counted as <c>decisioning.events.cap_overruns</c>).
    /// </summary>
    [Range(1_000L, long.MaxValue)]
    public long MaxLength { get; set; } = 1_000_000;

    public const int MaxPartitions = 1024;
}
