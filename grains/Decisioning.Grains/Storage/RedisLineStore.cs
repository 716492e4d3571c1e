using System.Globalization;
using Decisioning.Domain.Lines;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// Lines in Redis. Per enterprise, under one hash tag so that every key of a commit lives in one
/// cluster slot:
/// <list type="bullet">
/// <item><c>{prefix}:{id}:line</c>: hash with <c>s</c>, the state, and <c>v</c>, the journal sequence it is at.</item>
/// <item><c>{prefix}:{id}:journal</c>: stream of journal entries, entry id <c>&lt;sequence&gt;-0</c>; as
/// Redis refuses an id that is not above the newest, the stream is also the fencing token.</item>
/// <item><c>{prefix}:{id}:rq:{request id}</c>: what the request id answered, expiring after the retention window.</item>
/// <item><c>{prefix}:{id}:doc:{name}</c>: documents written with a commit (credit decisions).</item>
/// <item><c>{prefix}:{id}:unlined</c>: set of the document keys written while the enterprise had no line.</item>
/// </list>
/// An enterprise without a line (declined or referred) expires whole after
/// <see cref="LineStorageOptions.UnlinedDecisionRetention"/>: nothing refers to its records, and
/// anyone can ask for a decision on any valid code. When a line opens, its earlier records stay.
/// A commit checks the fencing token and the request ids, then appends and writes, atomically (see
/// <see cref="CommitWriter"/>, which sends the commits of many lines in one script). With AOF
/// <c>appendfsync always</c>, Redis replies only once the write is on disk.
/// </summary>
public sealed class RedisLineStore(IConnectionMultiplexer redis, IOptions<LineStorageOptions> options) : ILineStore
{
    private static readonly RedisValue StateField = "s";
    private static readonly RedisValue EntryField = "e";

    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly long _unlinedSeconds = (long)options.Value.UnlinedDecisionRetention.TotalSeconds;
    private readonly CommitWriter _writer = new(redis, options.Value);

    private IDatabase Db => redis.GetDatabase();

    public async Task<LineState> LoadAsync(string enterpriseId)
    {
        var bytes = await Db.HashGetAsync(LineKey(enterpriseId), StateField);
        return bytes.IsNull ? LineState.NotOpened : LineCodec.DecodeLine((byte[])bytes!);
    }

    public Task<CommitOutcome> CommitAsync(string enterpriseId, long expectedSequence, LineState after, IReadOnlyList<CommitItem> batch)
    {
        int entryCount = 0, attachmentCount = 0;
        foreach (var item in batch)
        {
            entryCount += item.Entries.Count;
            attachmentCount += item.Attachments?.Count ?? 0;
        }

        var keys = new RedisKey[LineCommit.FixedKeys + batch.Count + attachmentCount];
        keys[0] = LineKey(enterpriseId);
        keys[1] = JournalKey(enterpriseId);
        keys[2] = UnlinedKey(enterpriseId);
        // The journal's stream ids are the fencing token: the first new entry must directly follow
        // the sequence the writer's state is at, and Redis refuses it if the journal has moved on.
        if (batch[0].Entries[0].Sequence != expectedSequence + 1 || after.Sequence != expectedSequence + entryCount)
        {
            throw new InvalidOperationException($"A commit of {enterpriseId} after sequence {expectedSequence} must number its entries from {expectedSequence + 1}.");
        }

        var args = new RedisValue[LineCommit.HeaderLength + (2 * entryCount) + batch.Count + attachmentCount];
        args[0] = after.Sequence;
        args[1] = LineCodec.Encode(after);
        args[2] = entryCount;
        args[3] = batch.Count;
        args[4] = attachmentCount;
        args[5] = after.Exists ? 0 : _unlinedSeconds;
        int k = LineCommit.FixedKeys, a = LineCommit.HeaderLength;
        foreach (var item in batch)
        {
            keys[k++] = RequestKey(enterpriseId, item.RequestKey);
            foreach (var entry in item.Entries)
            {
                args[a++] = StreamId(entry.Sequence);
                args[a++] = LineCodec.Encode(entry);
            }
        }

        foreach (var item in batch)
        {
            args[a++] = LineCodec.Encode(item.Fingerprint, item.Result);
        }

        foreach (var attachment in batch.SelectMany(i => i.Attachments ?? []))
        {
            keys[k++] = AttachmentKey(enterpriseId, attachment.Name);
            args[a++] = attachment.Value;
        }

        var commit = new LineCommit(keys, args);
        _writer.Enqueue(commit);
        return commit.Outcome;
    }

    public async Task<byte[]?> ReadAttachmentAsync(string enterpriseId, string name)
    {
        var bytes = await Db.StringGetAsync(AttachmentKey(enterpriseId, name));
        return bytes.IsNull ? null : (byte[])bytes!;
    }

    public async Task<StoredRequest?> FindRequestAsync(string enterpriseId, string requestKey)
    {
        var bytes = await Db.StringGetAsync(RequestKey(enterpriseId, requestKey));
        return bytes.IsNull ? null : LineCodec.DecodeRequest((byte[])bytes!);
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(string enterpriseId, long beforeSequence, int count)
    {
        var entries = await Db.StreamRangeAsync(
            JournalKey(enterpriseId),
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

    private RedisKey LineKey(string id) => $"{_prefix}:{{{id}}}:line";

    private RedisKey JournalKey(string id) => $"{_prefix}:{{{id}}}:journal";

    private RedisKey UnlinedKey(string id) => $"{_prefix}:{{{id}}}:unlined";

    private RedisKey RequestKey(string id, string requestKey) => $"{_prefix}:{{{id}}}:rq:{requestKey}";

    private RedisKey AttachmentKey(string id, string name) => $"{_prefix}:{{{id}}}:doc:{name}";

    private static string StreamId(long sequence) => sequence.ToString(CultureInfo.InvariantCulture) + "-0";
}
