using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Decisioning.Grains.Lines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>
/// Retention of the event streams. Every <see cref="EventOptions.TrimInterval"/>, each partition's
/// stream is trimmed below what every consumer group registered on it has acknowledged
/// (<see cref="TrimFloor"/>) and is older than <see cref="EventOptions.MinRetention"/>, and to <see cref="EventOptions.MaxLength"/> whatever the groups say: a
/// group that loses unacknowledged events to that cap is logged once (until it catches up) and
/// counted, <c>decisioning.events.cap_overruns</c>. Without a group only the cap trims. Every step is
/// idempotent and a floor only ever rises, so several front doors may trim the same streams: a
/// floor read a moment ago is at most lower than the current one. The gauge
/// <c>decisioning.events.lag</c> reports per group the events not yet acknowledged (not delivered,
/// plus delivered and pending), summed over the partitions, as of the last pass. Subscribe's
/// cursors are not groups: a subscriber further behind than the cap finds its cursor trimmed
/// (EVENTS_TRIMMED). Time here is the system clock's, whatever the rules run on: stream ids are
/// Redis' wall-clock milliseconds, and a simulated clock a year ahead would find every event older
/// than the minimum retention.
/// </summary>
public sealed class EventTrimmer : BackgroundService
{
    public const string LagGauge = "decisioning.events.lag";
    public const string OverrunCounter = "decisioning.events.cap_overruns";
    public const string TrimmedCounter = "decisioning.events.trimmed";

    private readonly IConnectionMultiplexer _redis;
    private readonly EventStreams _streams;
    private readonly EventOptions _options;
    private readonly ILogger<EventTrimmer> _logger;
    private readonly Counter<long> _overruns;
    private readonly Counter<long> _trimmed;
    private readonly ConcurrentDictionary<(int Partition, string Group), long> _lag = new();
    private readonly HashSet<(int Partition, string Group)> _behind = [];
    private bool _failing;

    public EventTrimmer(IConnectionMultiplexer redis, EventStreams streams, IOptions<EventOptions> options, IMeterFactory meters, ILogger<EventTrimmer> logger)
    {
        (_redis, _streams, _options, _logger) = (redis, streams, options.Value, logger);
        var meter = meters.Create(LedgerRegressions.MeterName);
        _overruns = meter.CreateCounter<long>(OverrunCounter, "{overrun}", "Times a consumer group lost unacknowledged events to the event streams' length cap");
        _trimmed = meter.CreateCounter<long>(TrimmedCounter, "{event}", "Events trimmed from the event streams");
        meter.CreateObservableGauge(LagGauge, ObserveLag, "{event}", "Events a consumer group has not acknowledged, over all partitions, as of the trimmer's last pass");
    }

    /// <summary>One pass over every partition (the background loop's step; tests call it directly).</summary>
    public async Task TrimAsync()
    {
        for (var p = 0; p < _streams.Count; p++)
        {
            await TrimAsync(p);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.TrimInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TrimAsync();
                _failing = false;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (!_failing)
                {
                    _logger.LogWarning("Trimming the event streams failed ({Error}); retrying every {Interval}", ex.Message, _options.TrimInterval);
                    _failing = true;
                }
            }
        }
    }

    private async Task TrimAsync(int partition)
    {
        var db = _redis.GetDatabase();
        var key = _streams.Key(partition);
        if (!await db.KeyExistsAsync(key))
        {
            return;
        }

        var groups = await GroupsAsync(db, key);
        var removed = 0L;
        if (TrimFloor.Of(groups, (DateTimeOffset.UtcNow - _options.MinRetention).ToUnixTimeMilliseconds()) is { } floor)
        {
            removed += (long)await db.ExecuteAsync("XTRIM", key, "MINID", floor);
        }

        var capped = await db.StreamTrimAsync(key, _options.MaxLength);
        removed += capped;
        if (removed > 0)
        {
            _trimmed.Add(removed);
        }

        var info = (await db.ExecuteAsync("XINFO", "STREAM", key)).ToDictionary();
        var dropped = (long)info["entries-added"] - (long)info["length"];
        var first = await db.StreamRangeAsync(key, "-", "+", 1);
        foreach (var group in groups)
        {
            var id = (partition, group.Name);
            _lag[id] = (group.Lag ?? (long)info["length"]) + group.Pending;
            var lost = capped > 0 && first.Length > 0 && TrimFloor.LostEvents(group, dropped, first[0].Id!);
            lock (_behind)
            {
                if (!lost)
                {
                    _behind.Remove(id);
                    continue;
                }

                if (!_behind.Add(id))
                {
                    continue;
                }
            }

            _overruns.Add(1, new KeyValuePair<string, object?>("group", group.Name));
            _logger.LogWarning(
                "Consumer group {Group} of event stream {Stream} fell behind its cap of {MaxLength} events and lost unacknowledged events",
                group.Name, (string)key!, _options.MaxLength);
        }

        foreach (var gone in _lag.Keys.Where(k => k.Partition == partition && !groups.Any(g => g.Name == k.Group)))
        {
            _lag.TryRemove(gone, out _);
        }
    }

    private static async Task<ConsumerGroupState[]> GroupsAsync(IDatabase db, RedisKey key)
    {
        var infos = await db.StreamGroupInfoAsync(key);
        var groups = new ConsumerGroupState[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            var g = infos[i];
            string? lowest = null;
            if (g.PendingMessageCount > 0)
            {
                lowest = (await db.StreamPendingAsync(key, g.Name)).LowestPendingMessageId;
            }

            groups[i] = new(g.Name, g.LastDeliveredId ?? "0-0", g.PendingMessageCount, lowest, g.EntriesRead, g.Lag);
        }

        return groups;
    }

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.GroupBy(e => e.Key.Group).Select(g => new Measurement<long>(g.Sum(e => e.Value), new KeyValuePair<string, object?>("group", g.Key)));
}
