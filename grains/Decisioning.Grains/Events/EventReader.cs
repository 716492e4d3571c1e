using System.Globalization;
using Decisioning.Domain.Events;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>An event as read from its partition's stream, and the position just after it (inside its stream entry, unless it is the entry's last).</summary>
public readonly record struct StoredEvent(int Partition, EventPosition Position, LineEvent Event);

/// <summary>
/// Reads the event streams from a cursor. StackExchange.Redis multiplexes one connection, so it has
/// no blocking XREAD: callers poll. Each read asks every partition at once, one XREAD per hash slot
/// (a single one on a Redis without slots), all sent together: one round trip.
/// </summary>
public sealed class EventReader(IConnectionMultiplexer redis, EventStreams streams)
{
    private readonly Dictionary<RedisKey, int> _partitionOf = Enumerable.Range(0, streams.Count).ToDictionary(streams.Key);

    public EventStreams Streams => streams;

    /// <summary>Where every partition stands now (<paramref name="fromOldest"/>: before its oldest kept event).</summary>
    public async Task<EventCursor> StartAsync(bool fromOldest)
    {
        var infos = await Task.WhenAll(Enumerable.Range(0, streams.Count).Select(InfoAsync));
        return EventCursor.Of([.. infos.Select(i => fromOldest ? new EventPosition(0, 0, i.Added - i.Length) : EventPosition.At(i.LastId, i.Added))]);
    }

    /// <summary>The first of <paramref name="partitions"/> whose stream has dropped events the cursor has not had, or null.</summary>
    public async Task<int?> FirstTrimmedAsync(EventCursor cursor, IReadOnlyList<int> partitions)
    {
        var infos = await Task.WhenAll(partitions.Select(InfoAsync));
        for (var i = 0; i < partitions.Count; i++)
        {
            if (infos[i].Added - infos[i].Length > cursor[partitions[i]].Had)
            {
                return partitions[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Up to <paramref name="count"/> events of each of <paramref name="partitions"/> after the cursor,
    /// each partition's in order, and whether some partition may have more.
    /// </summary>
    public async Task<(List<StoredEvent> Events, bool More)> ReadAsync(EventCursor cursor, IReadOnlyList<int> partitions, int count)
    {
        var db = redis.GetDatabase();
        var reads = partitions
            .GroupBy(p => redis.HashSlot(streams.Key(p)))
            .Select(slot => db.StreamReadAsync([.. slot.Select(p => new StreamPosition(streams.Key(p), cursor[p].ReadAfter))], count))
            .ToArray();
        var events = new List<StoredEvent>();
        var more = false;
        foreach (var read in reads)
        {
            foreach (var stream in await read)
            {
                var partition = _partitionOf[stream.Key];
                var at = cursor[partition];
                var added = at.Had;
                foreach (var entry in stream.Entries)
                {
                    var position = EventPosition.At(entry.Id!, ++added);
                    var decoded = EventCodec.Decode(entry);
                    // The entry the cursor stands inside: the events it has had are not read again.
                    var first = at.Taken > 0 && position.Id == at.Id ? (int)at.Taken : 0;
                    for (var i = first; i < decoded.Length; i++)
                    {
                        events.Add(new(partition, i == decoded.Length - 1 ? position : position with { Taken = (uint)(i + 1) }, decoded[i]));
                    }
                }

                more |= stream.Entries.Length == count;
            }
        }

        return (events, more);
    }

    /// <summary>A stream's length, total events ever added and newest id (Redis 7's XINFO STREAM); a missing stream is empty.</summary>
    private async Task<(ulong Length, ulong Added, string LastId)> InfoAsync(int partition)
    {
        RedisResult reply;
        try
        {
            reply = await redis.GetDatabase().ExecuteAsync("XINFO", "STREAM", streams.Key(partition));
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return (0, 0, "0-0");
        }

        var fields = reply.ToDictionary();
        return (
            ulong.Parse((string)fields["length"]!, CultureInfo.InvariantCulture),
            ulong.Parse((string)fields["entries-added"]!, CultureInfo.InvariantCulture),
            (string)fields["last-generated-id"]!);
    }
}
