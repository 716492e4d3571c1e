using Decisioning.Domain.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>
/// A projection of the event streams kept in Redis, exactly once however many front doors run it:
/// each pass reads, per partition, the events after the position the projection stored (the id of
/// the last event it applied) and hands them to <see cref="ApplyAsync"/>, which must write only
/// if the position is still the one the batch builds on (a script's fence), and move it to the
/// batch's last id. A projector that comes second writes nothing and reads again. The projection's
/// consumer group follows the applied position, so that retention keeps what is not applied.
/// </summary>
public abstract class StreamProjector(IConnectionMultiplexer redis, EventStreams streams, IOptions<EventOptions> options, TimeProvider clock, ILogger logger)
    : BackgroundService
{
    // Partitions whose consumer group this projector has made sure of: once each, not every pass
    // (forgotten after a Redis failure, in case it was a Redis that lost them).
    private readonly bool[] _grouped = new bool[streams.Count];
    private bool _failing;

    /// <summary>The consumer group that marks what the projection applied.</summary>
    protected abstract string Group { get; }

    /// <summary>What the projection keeps, for the log: "the portfolio".</summary>
    protected abstract string Name { get; }

    /// <summary>Whether the projection runs at all (a projection with nothing to keep need not).</summary>
    protected virtual bool Enabled => true;

    protected IConnectionMultiplexer Redis => redis;

    protected EventStreams Streams => streams;

    /// <summary>Applies what each partition has not applied yet, a batch at a time; true when some partition had more, or lost a race and should be read again.</summary>
    public async Task<bool> ProjectAsync()
    {
        var more = false;
        for (var p = 0; p < streams.Count; p++)
        {
            more |= await ProjectAsync(p);
        }

        return more;
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (options.Value.Project && Enabled && !stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                more = await ProjectAsync();
                _failing = false;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Array.Clear(_grouped);
                if (!_failing)
                {
                    logger.LogWarning("Projecting {Projection} failed ({Error}); retrying", Name, ex.Message);
                    _failing = true;
                }
            }

            if (!more)
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The id of the last event of <paramref name="partition"/> the projection applied; empty when none.</summary>
    protected abstract Task<string> PositionAsync(IDatabase db, int partition);

    /// <summary>
    /// Applies <paramref name="batch"/>, the events after <paramref name="at"/>, only if the
    /// projection is still at <paramref name="at"/>; false when it was not (nothing written).
    /// </summary>
    protected abstract Task<bool> ApplyAsync(IDatabase db, int partition, string at, StreamEntry[] batch);

    /// <summary>What the projection remembers of each enterprise of <paramref name="events"/>, stored in <paramref name="hash"/> under <paramref name="prefix"/> and the id (null: nothing yet).</summary>
    protected static async Task<Dictionary<string, T?>> RememberedAsync<T>(IDatabase db, RedisKey hash, string prefix, IEnumerable<LineEvent> events, Func<string, T> decode)
        where T : class
    {
        var ids = events.Select(e => e.EnterpriseId).Distinct(StringComparer.Ordinal).ToArray();
        var stored = await db.HashGetAsync(hash, [.. ids.Select(id => (RedisValue)(prefix + id))]);
        var known = new Dictionary<string, T?>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            known[ids[i]] = stored[i].IsNull ? null : decode((string)stored[i]!);
        }

        return known;
    }

    /// <summary>Applies a batch of one partition; true when it had more, or lost a race and should be read again.</summary>
    internal async Task<bool> ProjectAsync(int partition)
    {
        var db = redis.GetDatabase();
        var stream = streams.Key(partition);
        var at = await PositionAsync(db, partition);
        // A stream not created yet reads as empty.
        var batch = await db.StreamRangeAsync(stream, at.Length == 0 ? "-" : "(" + at, "+", options.Value.ReadBatch);
        if (batch.Length == 0)
        {
            return false;
        }

        if (!_grouped[partition])
        {
            await EnsureGroupAsync(db, stream);
            _grouped[partition] = true;
        }

        return !await ApplyAsync(db, partition, at, batch) || batch.Length == options.Value.ReadBatch;
    }

    private async Task EnsureGroupAsync(IDatabase db, RedisKey stream)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(stream, Group, "0-0");
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Created before.
        }
    }
}
