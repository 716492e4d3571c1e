using System.Globalization;
using Decisioning.Domain.Lines;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// Lines in Redis. Per enterprise, under one hash tag so that every key of a commit lives in one
/// cluster slot:
/// <list type="bullet">
/// <item><c>{prefix}:{id}:line</c>: hash with <c>v</c>, the journal sequence the state is at (the fencing token), and <c>s</c>, the state.</item>
/// <item><c>{prefix}:{id}:journal</c>: stream of journal entries, entry id <c>&lt;sequence&gt;-0</c>.</item>
/// <item><c>{prefix}:{id}:rq:{request id}</c>: what the request id answered, expiring after the retention window.</item>
/// </list>
/// A commit is one Lua script: it checks the fencing token and the request ids, then appends and
/// writes. With AOF <c>appendfsync always</c>, Redis replies only once the write is on disk.
/// </summary>
public sealed class RedisLineStore(IConnectionMultiplexer redis, IOptions<LineStorageOptions> options) : ILineStore
{
    private const string CommitScript = """
        #!lua
        -- KEYS: line hash, journal stream, then one request record per command.
        -- ARGV: expected sequence, new sequence, state, record ttl (s), entry count n,
        --       n pairs of (stream id, entry), then one request record per command.
        local stored = redis.call('HGET', KEYS[1], 'v') or '0'
        if stored ~= ARGV[1] then
          return {'STALE', stored}
        end
        local dups = {'DUP'}
        for k = 3, #KEYS do
          local previous = redis.call('GET', KEYS[k])
          if previous then
            dups[#dups + 1] = tostring(k - 3)
            dups[#dups + 1] = previous
          end
        end
        if #dups > 1 then
          return dups
        end
        local n = tonumber(ARGV[5])
        for i = 0, n - 1 do
          redis.call('XADD', KEYS[2], ARGV[6 + 2 * i], 'e', ARGV[7 + 2 * i])
        end
        local first = 6 + 2 * n
        for k = 3, #KEYS do
          redis.call('SET', KEYS[k], ARGV[first + k - 3], 'EX', ARGV[4])
        end
        redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
        return {'OK'}
        """;

    private static readonly RedisValue StateField = "s";
    private static readonly RedisValue EntryField = "e";

    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly RedisValue _retentionSeconds = (long)options.Value.RequestIdRetention.TotalSeconds;

    private IDatabase Db => redis.GetDatabase();

    public async Task<LineState> LoadAsync(string enterpriseId)
    {
        var bytes = await Db.HashGetAsync(LineKey(enterpriseId), StateField);
        return bytes.IsNull ? LineState.NotOpened : LineCodec.DecodeLine((byte[])bytes!);
    }

    public async Task<CommitOutcome> CommitAsync(string enterpriseId, long expectedSequence, LineState after, IReadOnlyList<CommitItem> batch)
    {
        var entryCount = 0;
        foreach (var item in batch)
        {
            entryCount += item.Entries.Count;
        }

        var keys = new RedisKey[2 + batch.Count];
        keys[0] = LineKey(enterpriseId);
        keys[1] = JournalKey(enterpriseId);
        var args = new RedisValue[5 + (2 * entryCount) + batch.Count];
        args[0] = expectedSequence;
        args[1] = after.Sequence;
        args[2] = LineCodec.Encode(after);
        args[3] = _retentionSeconds;
        args[4] = entryCount;
        var a = 5;
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            keys[2 + i] = RequestKey(enterpriseId, item.RequestId);
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

        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(CommitScript, keys, args))!;
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
            default:
                throw new InvalidOperationException($"The commit script answered '{reply[0]}'.");
        }
    }

    public async Task<StoredRequest?> FindRequestAsync(string enterpriseId, string requestId)
    {
        var bytes = await Db.StringGetAsync(RequestKey(enterpriseId, requestId));
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

    private RedisKey RequestKey(string id, string requestId) => $"{_prefix}:{{{id}}}:rq:{requestId}";

    private static string StreamId(long sequence) => sequence.ToString(CultureInfo.InvariantCulture) + "-0";
}
