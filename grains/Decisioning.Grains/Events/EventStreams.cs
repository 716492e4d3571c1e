using Decisioning.Grains.Hosting;
using Decisioning.Grains.Storage;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>
/// The event streams' names: a fixed number of partitions, each enterprise in one for good (the
/// same stable hash as the key partitions). With key partitions (<see cref="RedisOptions.KeyPartitions"/>
/// &gt; 0) each partition's stream carries its tag, <c>dc:{p7}:events</c>, in the slot of every key of its
/// enterprises, so that a commit stays in one slot; without, <see cref="EventOptions.Partitions"/>
/// streams <c>dc:events:7</c> (a single Redis or Sentinel: no slots).
/// </summary>
public sealed class EventStreams
{
    private readonly RedisKey[] _keys;

    public EventStreams(string prefix, int keyPartitions, int eventPartitions)
    {
        var count = keyPartitions > 0 ? keyPartitions : eventPartitions;
        _keys = new RedisKey[count];
        for (var p = 0; p < count; p++)
        {
            _keys[p] = keyPartitions > 0 ? $"{prefix}:{{p{p}}}:events" : $"{prefix}:events:{p}";
        }
    }

    public EventStreams(LineStorageOptions storage, RedisOptions redis, EventOptions events)
        : this(storage.KeyPrefix, redis.KeyPartitions, events.Partitions)
    {
    }

    public int Count => _keys.Length;

    public RedisKey Key(int partition) => _keys[partition];

    public int PartitionOf(string enterpriseId) => LineKeys.Partition(enterpriseId, _keys.Length);

    public RedisKey KeyOf(string enterpriseId) => _keys[PartitionOf(enterpriseId)];
}
