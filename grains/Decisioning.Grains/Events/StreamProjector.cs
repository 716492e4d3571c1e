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
/// A projector remembers, per partition, the position it applied last and what it wrote of each
/// enterprise then (<see cref="Remember{T}"/>): valid exactly as long as the stored position is
/// that one, which the fence checks; a refused or failed batch forgets both, and they are read
/// again. A pass reads every partition at once (one round trip when nothing is new).
/// </summary>
public abstract class StreamProjector(IConnectionMultiplexer redis, EventStreams streams, IOptions<EventOptions> options, TimeProvider clock, ILogger logger)
    : BackgroundService
{
    private readonly Partition[] _partitions = [.. Enumerable.Range(0, streams.Count).Select(_ => new Partition())];
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
    public async Task<bool> ProjectAsync() =>
        (await Task.WhenAll(Enumerable.Range(0, streams.Count).Select(ProjectAsync))).Contains(true);

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

    /// <summary>
    /// What the projection remembers of each enterprise of <paramref name="events"/> (null: nothing
    /// yet): what this projector wrote of it last, while the partition is still where it left it,
    /// or else as stored in <paramref name="hash"/> under <paramref name="prefix"/> and the id.
    /// </summary>
    protected async Task<Dictionary<string, T?>> RememberedAsync<T>(IDatabase db, int partition, RedisKey hash, string prefix, IEnumerable<LineEvent> events, Func<string, T> decode)
        where T : class
    {
        var memory = _partitions[partition].Remembered;
        var known = new Dictionary<string, T?>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var e in events)
        {
            if (!known.ContainsKey(e.EnterpriseId))
            {
                known[e.EnterpriseId] = memory.TryGetValue(e.EnterpriseId, out var remembered) ? (T)remembered : null;
                if (remembered is null)
                {
                    unknown.Add(e.EnterpriseId);
                }
            }
        }

        if (unknown.Count > 0)
        {
            var stored = await db.HashGetAsync(hash, [.. unknown.Select(id => (RedisValue)(prefix + id))]);
            for (var i = 0; i < unknown.Count; i++)
            {
                known[unknown[i]] = stored[i].IsNull ? null : decode((string)stored[i]!);
            }
        }

        return known;
    }

    /// <summary>
    /// Keeps what a batch of <paramref name="partition"/> wrote of its enterprises, for the next
    /// batch: call it only once the batch is applied. At most <see cref="EventOptions.ProjectionMemory"/>
    /// enterprises are kept over all partitions; a partition over its share starts again empty.
    /// </summary>
    protected void Remember<T>(int partition, string enterpriseId, T written)
        where T : class
    {
        var (memory, share) = (_partitions[partition].Remembered, options.Value.ProjectionMemory / streams.Count);
        if (share == 0)
        {
            return;
        }

        if (memory.Count >= share && !memory.ContainsKey(enterpriseId))
        {
            memory.Clear();
        }

        memory[enterpriseId] = written;
    }

    /// <summary>Applies a batch of one partition; true when it had more, or lost a race and should be read again.</summary>
    internal async Task<bool> ProjectAsync(int partition)
    {
        var state = _partitions[partition];
        await state.Turn.WaitAsync();
        try
        {
            var db = redis.GetDatabase();
            var stream = streams.Key(partition);
            var at = state.At ??= await PositionAsync(db, partition);
            // A stream not created yet reads as empty.
            var batch = await db.StreamRangeAsync(stream, at.Length == 0 ? "-" : "(" + at, "+", options.Value.ReadBatch);
            if (batch.Length == 0)
            {
                return false;
            }

            // The consumer group is made sure of once, not every pass; again after a failure, in
            // case it was a Redis that lost it.
            if (!state.Grouped)
            {
                await EnsureGroupAsync(db, stream);
                state.Grouped = true;
            }

            if (!await ApplyAsync(db, partition, at, batch))
            {
                state.Forget();
                return true;
            }

            state.At = batch[^1].Id;
            return batch.Length == options.Value.ReadBatch;
        }
        catch
        {
            state.Forget();
            throw;
        }
        finally
        {
            state.Turn.Release();
        }
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

    /// <summary>What this projector knows of one partition; one pass at a time uses it.</summary>
    private sealed class Partition
    {
        public readonly SemaphoreSlim Turn = new(1, 1);

        /// <summary>The id of the last event applied, as this projector last read or applied it; null: read it again.</summary>
        public string? At;

        public bool Grouped;

        /// <summary>What the projection wrote of each enterprise of the partition, as of <see cref="At"/>.</summary>
        public readonly Dictionary<string, object> Remembered = new(StringComparer.Ordinal);

        public void Forget()
        {
            At = null;
            Grouped = false;
            Remembered.Clear();
        }
    }
}
