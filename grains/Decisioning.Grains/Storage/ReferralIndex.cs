using Decisioning.Domain.Lines;
using Decisioning.Grains.Events;
using Decisioning.Grains.Hosting;
using Decisioning.Grains.Storage.V1;
using Google.Protobuf;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// The referrals of every enterprise, for ReviewService.ListReferrals without activating a line:
/// one hash per partition (the partitions of the event streams, <see cref="EventStreams"/>), field
/// the decision id, value the enterprise and the referral (<see cref="ReferralIndexRecord"/>).
/// commit.lua writes it in the commit that opens or changes a referral, so the index is never
/// behind or ahead of the lines: a projection of the event stream would be eventually consistent
/// (a reviewer could miss a referral just made, or decide one already decided) and would stop when
/// events are off. The hash lives beside its partition's stream, in the slot of every key of its
/// enterprises (<c>dc:{p7}:referrals</c> with key partitions; <c>dc:referrals:7</c> on a single Redis).
/// An enterprise without a line keeps its referrals as long as its other records: commit.lua scores
/// their fields in a sorted set beside the hash (<c>…:referrals:expiry</c>) with the instant they go,
/// drops a few past it with each index write, and readers skip the rest.
/// Where events are off (a Redis Cluster without key partitions, whose enterprises share no slot
/// with any fixed key) nothing is indexed and ListReferrals finds nothing.
/// </summary>
public sealed class ReferralIndex
{
    private readonly RedisKey[] _keys;
    private readonly RedisKey[] _expiry;
    private readonly bool _enabled;

    public ReferralIndex(LineStorageOptions storage, RedisOptions redis, EventOptions events)
    {
        var count = redis.KeyPartitions > 0 ? redis.KeyPartitions : events.Partitions;
        (_keys, _expiry) = (new RedisKey[count], new RedisKey[count]);
        for (var p = 0; p < count; p++)
        {
            _keys[p] = redis.KeyPartitions > 0 ? $"{storage.KeyPrefix}:{{p{p}}}:referrals" : $"{storage.KeyPrefix}:referrals:{p}";
            _expiry[p] = _keys[p].Append(":expiry");
        }

        _enabled = events.Enabled;
    }

    /// <summary>
    /// The index hash of the enterprise's partition and its expiry set; without an index, <paramref name="unused"/>
    /// twice (a key of the commit's own slot: a Redis Cluster refuses a script whose keys span slots).
    /// </summary>
    public (RedisKey Index, RedisKey Expiry) KeysOf(string enterpriseId, RedisKey unused)
    {
        if (!_enabled)
        {
            return (unused, unused);
        }

        var partition = LineKeys.Partition(enterpriseId, _keys.Length);
        return (_keys[partition], _expiry[partition]);
    }

    /// <summary>The referrals a commit from <paramref name="before"/> to <paramref name="after"/> opened or changed.</summary>
    public IReadOnlyList<Referral> Changed(LineState before, LineState after) =>
        !_enabled || after.Referrals == before.Referrals ? [] : [.. after.Referrals.Where(r => !before.Referrals.Contains(r))];

    public static byte[] Encode(string enterpriseId, Referral referral) =>
        new ReferralIndexRecord { EnterpriseId = enterpriseId, Referral = LineCodec.Encode(referral) }.ToBytes();

    /// <summary>Every indexed referral, with its enterprise: per partition the hash and the fields past their expiry, all at once.</summary>
    public async Task<IReadOnlyList<(string EnterpriseId, Referral Referral)>> ReadAllAsync(IDatabase db, DateTimeOffset now)
    {
        var hashes = Task.WhenAll(_keys.Select(k => db.HashGetAllAsync(k)));
        var gone = await Task.WhenAll(_expiry.Select(k => db.SortedSetRangeByScoreAsync(k, double.NegativeInfinity, now.ToUnixTimeMilliseconds())));
        var expired = gone.SelectMany(g => g).Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);
        var all = new List<(string, Referral)>();
        foreach (var field in (await hashes).SelectMany(h => h))
        {
            if (expired.Contains((string)field.Name!))
            {
                continue;
            }

            var record = ReferralIndexRecord.Parser.ParseFrom((byte[])field.Value!);
            all.Add((record.EnterpriseId, LineCodec.Decode(record.Referral)));
        }

        return all;
    }
}
