using System.Diagnostics;
using System.Globalization;
using Decisioning.Grains.Diagnostics;
using Decisioning.Grains.Hosting;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// One line's commit, encoded: its keys (journal, unlined documents, event stream, referral index
/// and its expiry set, one per request, one per attachment) and arguments (<see cref="ScriptHeaderLength"/>
/// slots for the script's own header, then a header of <see cref="HeaderLength"/> values,
/// the journal entries as id/entry pairs, the state after them, the request records, the
/// attachments, the referral index's field/value pairs), as commit.lua reads them.
/// </summary>
internal sealed class LineCommit(RedisKey[] keys, RedisValue[] args)
{
    /// <summary>
    /// The script's header (request record ttl, number of lines), reserved at the start of every
    /// line's arguments: a script of one line sends that line's arrays without copying them.
    /// </summary>
    public const int ScriptHeaderLength = 2;

    /// <summary>Keys before the request keys: journal, unlined documents, event stream, referral index, referral expiry set.</summary>
    public const int FixedKeys = 5;

    /// <summary>
    /// Entry count, request count, attachment count, retention (s while unlined; -1 when the line
    /// opens; 0), the sequence the commit builds on, the enterprise (empty: no events), the product after,
    /// the number of referral index writes, and the events: the entries as one stream entry's
    /// <c>b</c> (<see cref="Events.EventCodec.EncodeBatch"/>; empty without events).
    /// </summary>
    public const int HeaderLength = 9;

    // Completed by the writer outside any lock: the line's pipeline continues inline.
    private readonly TaskCompletionSource<CommitOutcome> _outcome = new();

    public RedisKey[] Keys { get; } = keys;

    public RedisValue[] Args { get; } = args;

    public Task<CommitOutcome> Outcome => _outcome.Task;

    /// <summary>The trace of the call that made the commit, for the span of the script that carries it.</summary>
    public ActivityContext Trace { get; set; }

    public void Complete(CommitOutcome outcome) => _outcome.TrySetResult(outcome);

    public void Fail(Exception exception) => _outcome.TrySetException(exception);
}

/// <summary>
/// Group commit across lines. Each grain has at most one commit in flight (its own group commit),
/// so a burst over many enterprises would cost one script call, one reply and one Redis dispatch per
/// line; instead commits queue here and leave together, up to <see cref="LineStorageOptions.MaxLinesPerWrite"/>
/// lines per script and <see cref="LineStorageOptions.MaxWritesInFlight"/> scripts in flight. A lone
/// commit leaves at once: nothing waits for a batch to fill. Each line's fencing token and request ids
/// are checked, and its writes applied, on their own: one line's conflict does not refuse another's.
/// On a Redis Cluster a script may only touch one hash slot, so commits queue by slot and a script
/// carries the lines of one slot (one queue on a single Redis, where there are no slots); the slots
/// take turns. With <see cref="RedisOptions.MinReplicasAcked"/> each script is confirmed on the
/// replicas (<see cref="AcknowledgedScript"/>) before its lines are answered.
/// </summary>
internal sealed class CommitWriter(IConnectionMultiplexer redis, LineStorageOptions options, RedisOptions redisOptions)
{
    private readonly AcknowledgedScript _script = new(redis, EmbeddedScripts.Read("commit.lua"), redisOptions);
    private readonly Lock _gate = new();

    // Waiting commits by hash slot, and the slots that have some, oldest first, each once.
    private readonly Dictionary<int, Queue<LineCommit>> _waiting = [];
    private readonly Queue<int> _turns = new();
    private readonly RedisValue _retentionSeconds = (long)options.RequestIdRetention.TotalSeconds;
    private int _inFlight;
    private long _scripts;
    private long _lines;

    /// <summary>Scripts sent so far, and the line commits they carried (for tests and diagnostics).</summary>
    public (long Scripts, long Lines) Sent => (Interlocked.Read(ref _scripts), Interlocked.Read(ref _lines));

    public void Enqueue(LineCommit commit)
    {
        var slot = redis.HashSlot(commit.Keys[0]);
        commit.Trace = Activity.Current?.Context ?? default;
        List<LineCommit>? batch;
        lock (_gate)
        {
            if (!_waiting.TryGetValue(slot, out var queue))
            {
                _waiting[slot] = queue = new Queue<LineCommit>();
            }

            if (queue.Count == 0)
            {
                _turns.Enqueue(slot);
            }

            queue.Enqueue(commit);
            batch = TakeBatch();
        }

        if (batch is not null)
        {
            _ = WriteAsync(batch);
        }
    }

    /// <summary>The next script's lines, if one may leave now (under the lock).</summary>
    private List<LineCommit>? TakeBatch()
    {
        if (_inFlight >= options.MaxWritesInFlight || !_turns.TryDequeue(out var slot))
        {
            // A write in flight starts the next one when it completes.
            return null;
        }

        var queue = _waiting[slot];
        var batch = new List<LineCommit>(Math.Min(queue.Count, options.MaxLinesPerWrite));
        while (batch.Count < options.MaxLinesPerWrite && queue.TryDequeue(out var commit))
        {
            batch.Add(commit);
        }

        if (queue.Count > 0)
        {
            _turns.Enqueue(slot);
        }

        _inFlight++;
        return batch;
    }

    private async Task WriteAsync(List<LineCommit> batch)
    {
        RedisResult[]? replies = null;
        Exception? failure = null;
        var write = GrainTelemetry.StartCommit(batch);
        try
        {
            Interlocked.Increment(ref _scripts);
            Interlocked.Add(ref _lines, batch.Count);
            replies = await SendAsync(batch);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            // The commits that queued while this one was in flight leave now, before this batch's
            // lines are answered: Redis works on them meanwhile.
            List<LineCommit>? next;
            lock (_gate)
            {
                _inFlight--;
                next = TakeBatch();
            }

            if (next is not null)
            {
                _ = WriteAsync(next);
            }
        }

        write.End(failure);

        // Completed inline: each line's pipeline goes on, and answers its callers, on this thread.
        for (var i = 0; i < batch.Count; i++)
        {
            if (failure is not null)
            {
                // Unknown outcome for every line of the batch: each grain drops its memory and reloads.
                batch[i].Fail(failure);
                continue;
            }

            try
            {
                batch[i].Complete(Parse((RedisResult[])replies![i]!));
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidCastException)
            {
                batch[i].Fail(ex);
            }
        }
    }

    private async Task<RedisResult[]> SendAsync(List<LineCommit> batch)
    {
        if (batch.Count == 1)
        {
            // The line's own arrays, its reserved slots holding the script's header: nothing copied.
            var only = batch[0];
            only.Args[0] = _retentionSeconds;
            only.Args[1] = 1;
            return (RedisResult[])(await _script.EvaluateAsync(only.Keys, only.Args))!;
        }

        var keyCount = 0;
        var argCount = LineCommit.ScriptHeaderLength;
        foreach (var commit in batch)
        {
            keyCount += commit.Keys.Length;
            argCount += commit.Args.Length - LineCommit.ScriptHeaderLength;
        }

        var keys = new RedisKey[keyCount];
        var args = new RedisValue[argCount];
        args[0] = _retentionSeconds;
        args[1] = batch.Count;
        int k = 0, a = LineCommit.ScriptHeaderLength;
        foreach (var commit in batch)
        {
            commit.Keys.CopyTo(keys, k);
            commit.Args.AsSpan(LineCommit.ScriptHeaderLength).CopyTo(args.AsSpan(a));
            k += commit.Keys.Length;
            a += commit.Args.Length - LineCommit.ScriptHeaderLength;
        }

        return (RedisResult[])(await _script.EvaluateAsync(keys, args))!;
    }

    private static CommitOutcome Parse(RedisResult[] reply)
    {
        switch ((string?)reply[0])
        {
            case "OK":
                return CommitOutcome.Committed;
            case "STALE":
                return new StaleOutcome(long.Parse((string)reply[1]!, CultureInfo.InvariantCulture));
            case "DUP":
                var byIndex = new Dictionary<int, StoredRequest>();
                for (var i = 1; i < reply.Length; i += 2)
                {
                    byIndex[int.Parse((string)reply[i]!, CultureInfo.InvariantCulture)] = LineCodec.DecodeRequest((byte[])reply[i + 1]!);
                }

                return new DuplicatesOutcome(byIndex);
            case "FAILED":
                return new FailedOutcome((string)reply[1]!);
            default:
                throw new InvalidOperationException($"The commit script answered '{reply[0]}'.");
        }
    }
}
