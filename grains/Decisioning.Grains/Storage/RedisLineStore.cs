using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Events;
using Decisioning.Grains.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// Lines in Redis. Per enterprise, under one hash tag so that every key of a commit lives in one
/// cluster slot (<see cref="LineKeys"/>: the enterprise's own, <c>{id}</c>, shown here, or its partition's,
/// <c>{p7}:id</c>, with <see cref="RedisOptions.KeyPartitions"/>):
/// <list type="bullet">
/// <item><c>{prefix}:{id}:journal</c>: stream of journal entries, entry id <c>&lt;sequence&gt;-0</c>, field
/// <c>e</c> the entry; the last entry of each commit also holds <c>s</c>, the line's state after it, so that
/// the newest entry is the line and a change costs one write. What few changes touch (proposals,
/// referrals, lapsed holds) is not in <c>s</c> once the line has any: the commit that changes it writes it
/// as <c>h</c> beside its <c>s</c>, and each later state names that entry, so a draw rewrites none of it. Never trimmed: it holds entries 1..n, so
/// its length is the stored sequence, and that is the fencing token (an O(1) <c>XLEN</c>).</item>
/// <item><c>{prefix}:{id}:rq:{request id}</c>: what the request id answered, expiring after the retention window.</item>
/// <item><c>{prefix}:{id}:doc:{name}</c>: documents written with a commit (credit decisions).</item>
/// <item><c>{prefix}:{id}:unlined</c>: set of the document keys written while the enterprise had no line.</item>
/// <item>the enterprise's event stream (<see cref="EventStreams"/>): each journal entry again, with the
/// enterprise and the line's product, appended by the same script (docs/events.md).</item>
/// <item><c>{prefix}:{id}:daily</c>: an open line's mark that its daily reminder is registered, and for
/// which schedule (<see cref="Lines.DailyReminders"/>), so that its activations register nothing.</item>
/// <item><c>{prefix}:{id}:line</c>: read only, for lines stored before the state moved into the journal
/// (a hash whose field <c>s</c> is the state); their next commit puts the state in the journal.</item>
/// </list>
/// An enterprise without a line (declined or referred) expires whole after
/// <see cref="LineStorageOptions.UnlinedDecisionRetention"/>: nothing refers to its records, and
/// anyone can ask for a decision on any valid code. When a line opens, its earlier records stay.
/// A commit checks that the stored sequence is exactly the one it builds on (a journal ahead or
/// behind refuses it: <see cref="StaleOutcome"/>) and the request ids, then appends and writes,
/// atomically and all or nothing for each line (commit.lua; <see cref="CommitWriter"/> sends the
/// commits of many lines in one call). With AOF <c>appendfsync always</c>, Redis replies only once
/// the write is on disk. The fence holds on every layout: a line's journal has every entry from 1
/// (lines stored with the <c>:line</c> hash too), and an enterprise without a line loses its whole
/// journal at once when it expires, which loads as <see cref="LineState.NotOpened"/> at sequence 0.
/// </summary>
public sealed class RedisLineStore(
    IConnectionMultiplexer redis,
    IOptions<LineStorageOptions> options,
    IOptions<RedisOptions> redisOptions,
    IOptions<EventOptions> eventOptions) : ILineStore
{
    private static readonly RedisValue StateField = "s";
    private static readonly RedisValue EntryField = "e";
    private static readonly RedisValue HistoryField = "h";

    private readonly LineKeys _keys = new(options.Value.KeyPrefix, redisOptions.Value.KeyPartitions);
    private readonly EventStreams? _events = eventOptions.Value.Enabled ? new(options.Value, redisOptions.Value, eventOptions.Value) : null;
    private readonly long _unlinedSeconds = (long)options.Value.UnlinedDecisionRetention.TotalSeconds;
    private readonly CommitWriter _writer = new(redis, options.Value, redisOptions.Value);
    private readonly ReferralIndex _referrals = new(options.Value, redisOptions.Value, eventOptions.Value);

    // The journal entry holding each history (proposals, referrals, lapsed holds) this store loaded
    // or wrote, found by the identity of its arrays: the domain replaces an array only to change it,
    // so a state with the arrays of an entry here has that entry's history. One entry per change of
    // a line's history, gone with its arrays; a history not found here is written again.
    private readonly ConditionalWeakTable<object, StoredHistory> _histories = new();

    private IDatabase Db => redis.GetDatabase();

    public async Task<LineState> LoadAsync(string enterpriseId)
    {
        var newest = await Db.StreamRangeAsync(_keys.Journal(enterpriseId), count: 1, messageOrder: Order.Descending);
        if (newest.Length == 0)
        {
            return LineState.NotOpened;
        }

        var state = newest[0][StateField];
        if (state.IsNull)
        {
            // Stored before the state moved into the journal.
            return LineCodec.DecodeLine((byte[])(await Db.HashGetAsync(_keys.LegacyLine(enterpriseId), StateField))!);
        }

        var record = LineCodec.ParseLine((byte[])state!);
        if (record.HistorySequence == 0)
        {
            return LineCodec.DecodeLine(record, default);
        }

        // The history is beside the state when the newest commit changed it; otherwise one more read.
        var history = record.HistorySequence == record.Sequence
            ? newest[0][HistoryField]
            : (await Db.StreamRangeAsync(_keys.Journal(enterpriseId), StreamId(record.HistorySequence), StreamId(record.HistorySequence))).SingleOrDefault()[HistoryField];
        if (history.IsNull)
        {
            throw new InvalidDataException($"The state of {enterpriseId} at {record.Sequence} names the history of journal entry {record.HistorySequence}, which holds none.");
        }

        var line = LineCodec.DecodeLine(record, (byte[])history!);
        _histories.AddOrUpdate(HistoryKey(line)!, new(record.HistorySequence, line));
        return line;
    }

    public Task<CommitOutcome> CommitAsync(string enterpriseId, LineState before, LineState after, IReadOnlyList<CommitItem> batch)
    {
        // Indexed loops over the batch and its entries: a foreach over these interfaces would box an enumerator each.
        int entryCount = 0, attachmentCount = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            entryCount += batch[i].Entries.Count;
            attachmentCount += batch[i].Attachments?.Count ?? 0;
        }

        // The exact fence: the commit names the sequence it builds on, and its entries follow it.
        if (batch[0].Entries[0].Sequence != before.Sequence + 1 || after.Sequence != before.Sequence + entryCount)
        {
            throw new InvalidOperationException($"A commit of {enterpriseId} after sequence {before.Sequence} must number its entries from {before.Sequence + 1}.");
        }

        // The referrals the commit opened or changed go to the index in the same script.
        var referrals = _referrals.Changed(before, after);
        var named = _keys.For(enterpriseId);
        var keys = new RedisKey[LineCommit.FixedKeys + batch.Count + attachmentCount];
        var retention = after.Exists ? (before.Exists ? 0 : -1) : _unlinedSeconds;
        keys[0] = named.Journal;
        // The script touches the unlined set only when the retention is not 0: a draw does not name it.
        keys[1] = retention == 0 ? keys[0] : named.Unlined;
        // Without events the script publishes nothing and never touches the third key.
        keys[2] = _events?.KeyOf(enterpriseId) ?? named.Journal;
        // The index keys only when the commit writes the index: the script touches them then
        // alone, and finding a partition hashes the id (a draw would pay it for nothing).
        (keys[3], keys[4]) = referrals.Count == 0 ? (named.Journal, named.Journal) : _referrals.KeysOf(enterpriseId, named.Journal);
        // The script's own header first (CommitWriter fills it), then the line's.
        const int h = LineCommit.ScriptHeaderLength;
        var args = new RedisValue[h + LineCommit.HeaderLength + (2 * entryCount) + 2 + batch.Count + attachmentCount + (2 * referrals.Count)];
        args[h] = entryCount;
        args[h + 1] = batch.Count;
        args[h + 2] = attachmentCount;
        args[h + 3] = retention;
        args[h + 4] = before.Sequence;
        args[h + 5] = _events is null ? "" : enterpriseId;
        args[h + 6] = (int)(after.Exists ? after.Product : Product.None);
        args[h + 7] = referrals.Count;
        // The events: the entries' own bytes (encoded once, for the journal and the stream) with
        // the decisions they record, as one stream entry.
        var events = _events is null ? null : new EventCodec.Event[entryCount];
        int k = LineCommit.FixedKeys, a = h + LineCommit.HeaderLength, e = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            keys[k++] = named.Request(item.RequestKey);
            for (var j = 0; j < item.Entries.Count; j++)
            {
                var entry = item.Entries[j];
                var bytes = LineCodec.Encode(entry);
                args[a++] = StreamId(entry.Sequence);
                args[a++] = bytes;
                if (events is not null)
                {
                    events[e++] = new(bytes, Decision(item, entry) is { } decision ? EventCodec.Encode(decision) : null);
                }
            }
        }

        args[h + 8] = events is null ? RedisValue.EmptyString : EventCodec.EncodeBatch(events);

        var historyAt = HistoryAt(after);
        args[a++] = LineCodec.Encode(after, historyAt);
        args[a++] = historyAt == after.Sequence ? LineCodec.EncodeHistory(after) : RedisValue.EmptyString;
        for (var i = 0; i < batch.Count; i++)
        {
            args[a++] = LineCodec.Encode(batch[i].Fingerprint, batch[i].Result);
        }

        // Attachments only on decisions: a draw does not enter this loop.
        for (var i = 0; i < batch.Count && attachmentCount > 0; i++)
        {
            foreach (var attachment in batch[i].Attachments ?? [])
            {
                keys[k++] = named.Attachment(attachment.Name);
                args[a++] = attachment.Value;
            }
        }

        foreach (var referral in referrals)
        {
            args[a++] = referral.DecisionId;
            args[a++] = ReferralIndex.Encode(enterpriseId, referral);
        }

        var commit = new LineCommit(keys, args);
        _writer.Enqueue(commit);
        return commit.Outcome;
    }

    public async Task<byte[]?> ReadAttachmentAsync(string enterpriseId, string name)
    {
        var bytes = await Db.StringGetAsync(_keys.Attachment(enterpriseId, name));
        return bytes.IsNull ? null : (byte[])bytes!;
    }

    public async Task<StoredRequest?> FindRequestAsync(string enterpriseId, string requestKey) =>
        Request(await Db.StringGetAsync(_keys.Request(enterpriseId, requestKey)));

    public async Task<(StoredRequest? First, long StoredSequence)> FindRequestAndSequenceAsync(string enterpriseId, string requestKey)
    {
        // Both keys are in the line's slot; sent together, they cost one round trip.
        var db = Db;
        var sequence = db.StreamLengthAsync(_keys.Journal(enterpriseId));
        var first = Request(await db.StringGetAsync(_keys.Request(enterpriseId, requestKey)));
        return (first, await sequence);
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(string enterpriseId, long beforeSequence, int count)
    {
        var entries = await Db.StreamRangeAsync(
            _keys.Journal(enterpriseId),
            minId: "-",
            maxId: beforeSequence == 0 ? "+" : "(" + StreamId(beforeSequence),
            count: count,
            messageOrder: Order.Descending);
        var result = new JournalEntry[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            result[i] = LineCodec.DecodeEntry((byte[])entries[i][EntryField]!);
        }

        return result;
    }

    /// <summary>
    /// The journal entry that holds the history of <paramref name="after"/>: 0, none (being empty, it
    /// is in the state); the one of a history this store loaded or wrote when the commit keeps it;
    /// otherwise this commit's last, which writes it.
    /// </summary>
    private long HistoryAt(LineState after)
    {
        if (HistoryKey(after) is not { } key)
        {
            return 0;
        }

        if (_histories.TryGetValue(key, out var stored) && stored.Of(after))
        {
            return stored.At;
        }

        _histories.AddOrUpdate(key, new(after.Sequence, after));
        return after.Sequence;
    }

    /// <summary>The first of a line's history arrays that is not empty (every empty one is the same array); null when all are.</summary>
    private static object? HistoryKey(LineState s) =>
        !s.Proposals.IsEmpty ? ImmutableCollectionsMarshal.AsArray(s.Proposals)
        : !s.Referrals.IsEmpty ? ImmutableCollectionsMarshal.AsArray(s.Referrals)
        : ImmutableCollectionsMarshal.AsArray(s.LapsedHolds) is { Length: > 0 } lapsed ? lapsed : null;

    /// <summary>The summary of the decision an entry records, published with its event.</summary>
    private static DecisionSummary? Decision(CommitItem item, JournalEntry entry)
    {
        if (entry.DecisionId.Length == 0 || item.Attachments is not { } attachments)
        {
            return null;
        }

        foreach (var attachment in attachments)
        {
            if (attachment.Decision?.DecisionId == entry.DecisionId)
            {
                return attachment.Decision;
            }
        }

        return null;
    }

    /// <summary>A history stored beside journal entry <paramref name="At"/>, by its arrays.</summary>
    private sealed record StoredHistory(long At, ImmutableArray<Proposal> Proposals, ImmutableArray<Referral> Referrals, ImmutableArray<Hold> LapsedHolds)
    {
        public StoredHistory(long at, LineState s)
            : this(at, s.Proposals, s.Referrals, s.LapsedHolds)
        {
        }

        public bool Of(LineState s) => s.Proposals == Proposals && s.Referrals == Referrals && s.LapsedHolds == LapsedHolds;
    }

    /// <summary>A request record as stored, or null when there is none.</summary>
    private static StoredRequest? Request(RedisValue bytes) => bytes.IsNull ? null : LineCodec.DecodeRequest((byte[])bytes!);

    private static string StreamId(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{sequence}-0");
}
