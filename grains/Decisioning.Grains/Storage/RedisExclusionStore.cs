using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// The exclusion list in Redis: entries in a hash (with a sorted set of their ids for paging), every
/// change in an append-only stream, both changed by one script with the request record. The keys
/// share a hash tag, so that the script's keys stay in one slot of a Redis cluster. A change is
/// confirmed on the replicas as a line's commit is (<see cref="RedisOptions.MinReplicasAcked"/>).
/// </summary>
public sealed class RedisExclusionStore(IConnectionMultiplexer redis, IOptions<LineStorageOptions> options, IOptions<RedisOptions> redisOptions)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _prefix = options.Value.KeyPrefix + ":{exclusions}:";
    private readonly long _retentionSeconds = (long)options.Value.RequestIdRetention.TotalSeconds;
    private readonly AcknowledgedScript _script = new(redis, EmbeddedScripts.Read("exclusion-change.lua"), redisOptions.Value);

    private RedisKey Entries => _prefix + "entries";

    private RedisKey Index => _prefix + "index";

    private RedisKey Journal => _prefix + "journal";

    public async Task<Result<ExclusionChanged>> ApplyAsync(ExclusionCommand command, DateTimeOffset at)
    {
        var entry = new Exclusion { EnterpriseId = command.EnterpriseId, Reason = command.Reason, AddedBy = command.Actor, AddedAt = at, RequestId = command.RequestId };
        var kind = command.Kind switch
        {
            ExclusionChangeKind.Added => "added",
            ExclusionChangeKind.Removed => "removed",
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.Kind, "an exclusion change adds or removes"),
        };
        // Request ids are the enterprise's, as on its line: staff may use "exclude-1" for each.
        RedisKey[] keys = [Entries, Index, Journal, _prefix + "request:" + command.EnterpriseId + ":" + command.RequestId];
        RedisValue[] args =
        [
            kind, command.EnterpriseId, Fingerprint(command), JsonSerializer.Serialize(entry, Json),
            command.Reason, command.Actor, at.ToUnixTimeMilliseconds(), command.RequestId, _retentionSeconds,
        ];
        var reply = (RedisResult[])(await _script.EvaluateAsync(keys, args))!;
        return (string)reply[0]! switch
        {
            "ok" => new ExclusionChanged(JsonSerializer.Deserialize<Exclusion>((string)reply[2]!, Json)!, (string)reply[1]!),
            "reused" => DomainError.RequestIdReused(),
            "already" => ExclusionRules.AlreadyExcluded(command.EnterpriseId),
            "absent" => ExclusionRules.NotExcluded(command.EnterpriseId),
            var other => throw new InvalidOperationException($"the exclusion script answered '{other}'"),
        };
    }

    public async Task<bool> IsExcludedAsync(string enterpriseId) => await redis.GetDatabase().HashExistsAsync(Entries, enterpriseId);

    public async Task<Page<Exclusion>> ListAsync(string afterEnterpriseId, int pageSize)
    {
        var database = redis.GetDatabase();
        // One more than asked, to tell whether another page follows.
        var ids = await database.SortedSetRangeByValueAsync(
            Index, afterEnterpriseId.Length == 0 ? default : afterEnterpriseId, default, afterEnterpriseId.Length == 0 ? Exclude.None : Exclude.Start, Order.Ascending, 0, pageSize + 1);
        var page = ids.Take(pageSize).ToArray();
        var values = page.Length == 0 ? [] : await database.HashGetAsync(Entries, page);
        // An entry removed between the two reads is left out.
        return new Page<Exclusion>(
            [.. values.Where(v => v.HasValue).Select(v => JsonSerializer.Deserialize<Exclusion>((string)v!, Json)!)],
            ids.Length > pageSize ? (string)page[^1]! : "");
    }

    public async Task<Page<ExclusionChange>> ListChangesAsync(string beforeChangeId, int pageSize)
    {
        // Inclusive of the token's own entry (skipped below): exclusive ranges need Redis 6.2.
        var entries = await redis.GetDatabase().StreamRangeAsync(
            Journal, "-", beforeChangeId.Length == 0 ? "+" : beforeChangeId, pageSize + 2, Order.Descending);
        var changes = entries.Where(e => e.Id != beforeChangeId).Take(pageSize + 1).Select(Change).ToList();
        var page = changes.Take(pageSize).ToArray();
        return new Page<ExclusionChange>([.. page], changes.Count > pageSize ? page[^1].ChangeId : "");
    }

    private static ExclusionChange Change(StreamEntry entry) => new()
    {
        ChangeId = entry.Id!,
        Kind = (string)entry["kind"]! == "added" ? ExclusionChangeKind.Added : ExclusionChangeKind.Removed,
        EnterpriseId = (string)entry["enterprise_id"]!,
        Reason = (string)entry["reason"]!,
        Actor = (string)entry["actor"]!,
        At = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)entry["at_ms"]!, CultureInfo.InvariantCulture)),
        RequestId = (string)entry["request_id"]!,
    };

    /// <summary>Hex, so that the script can split its record on newlines whatever the reason says.</summary>
    private static string Fingerprint(ExclusionCommand command) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command.Fingerprint)))[..32];
}
