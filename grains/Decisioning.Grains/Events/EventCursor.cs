using System.Buffers.Text;
using System.Globalization;
using Google.Protobuf;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>
/// Where a reader stands in one partition's stream: the id of the last stream entry it has read
/// from (0-0: none yet), how many entries the stream had received up to and including it, and,
/// when it has had only some of that entry's events (an entry holds the events of one commit),
/// how many (<paramref name="Taken"/>; 0: all of them). Streams are only ever trimmed from the
/// front, so a reader has lost events exactly when the stream has dropped more entries than it has
/// had whole (Redis 7's <c>entries-added</c> minus <c>length</c>, against <see cref="Had"/>).
/// </summary>
public readonly record struct EventPosition(ulong Milliseconds, ulong Sequence, ulong Added, uint Taken = 0)
{
    public RedisValue Id => Text(Milliseconds, Sequence);

    /// <summary>The id a read goes on after: the entry's own, or, when some of its events are still to come, the id just before it (so that the read returns it again).</summary>
    public RedisValue ReadAfter =>
        Taken == 0 || (Milliseconds == 0 && Sequence == 0) ? Id
        : Sequence > 0 ? Text(Milliseconds, Sequence - 1)
        : Text(Milliseconds - 1, ulong.MaxValue);

    /// <summary>The stream entries the reader has had whole.</summary>
    public ulong Had => Taken == 0 ? Added : Added - 1;

    /// <summary>The position of the stream entry with id <paramref name="id"/> (<c>ms-seq</c>), the <paramref name="added"/>th of its stream.</summary>
    public static EventPosition At(string id, ulong added)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return new(
            ulong.Parse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture),
            ulong.Parse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture),
            added);
    }

    private static string Text(ulong milliseconds, ulong sequence) =>
        milliseconds.ToString(CultureInfo.InvariantCulture) + "-" + sequence.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A subscriber's place in every partition: the opaque cursor of EventService/Subscribe. Encoded
/// as base64url of a version byte, the partition count and, per partition, the id's milliseconds
/// (as a zigzag difference from the partition before: the streams' clocks are close, so that most
/// take a byte or two), its sequence, the entries added up to it and (version 2, written only when
/// some partition stands inside an entry) the events of that entry taken, as protobuf varints.
/// </summary>
public sealed class EventCursor
{
    private const uint Whole = 1;
    private const uint Inside = 2;

    private readonly EventPosition[] _positions;

    private EventCursor(EventPosition[] positions) => _positions = positions;

    public int Partitions => _positions.Length;

    public EventPosition this[int partition] => _positions[partition];

    public static EventCursor Of(IReadOnlyList<EventPosition> positions) => new([.. positions]);

    /// <summary>Moves one partition on, after an event has been delivered.</summary>
    public void Advance(int partition, EventPosition position) => _positions[partition] = position;

    public string Encode()
    {
        var buffer = new byte[2 + (_positions.Length * PerPartition)];
        var output = new CodedOutputStream(buffer);
        var version = Array.Exists(_positions, p => p.Taken > 0) ? Inside : Whole;
        output.WriteUInt32(version);
        output.WriteUInt32((uint)_positions.Length);
        ulong previous = 0;
        foreach (var p in _positions)
        {
            output.WriteSInt64(unchecked((long)(p.Milliseconds - previous)));
            output.WriteUInt64(p.Sequence);
            output.WriteUInt64(p.Added);
            if (version == Inside)
            {
                output.WriteUInt32(p.Taken);
            }

            previous = p.Milliseconds;
        }

        return Base64Url.EncodeToString(buffer.AsSpan(0, (int)output.Position));
    }

    /// <summary>The cursor <paramref name="text"/> encodes, or null when it is not one this service made for <paramref name="partitions"/> partitions.</summary>
    public static EventCursor? Decode(string text, int partitions)
    {
        if (text.Length == 0 || text.Length > MaxLength(partitions) || !Base64Url.IsValid(text))
        {
            return null;
        }

        try
        {
            var input = new CodedInputStream(Base64Url.DecodeFromChars(text));
            var version = input.ReadUInt32();
            if (version is not (Whole or Inside) || input.ReadUInt32() != partitions)
            {
                return null;
            }

            var positions = new EventPosition[partitions];
            ulong previous = 0;
            for (var i = 0; i < partitions; i++)
            {
                var milliseconds = unchecked(previous + (ulong)input.ReadSInt64());
                positions[i] = new(milliseconds, input.ReadUInt64(), input.ReadUInt64(), version == Inside ? input.ReadUInt32() : 0);
                if (positions[i].Taken > 0 && positions[i].Added == 0)
                {
                    return null;
                }

                previous = milliseconds;
            }

            return input.IsAtEnd ? new(positions) : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The longest cursor of <paramref name="partitions"/> partitions, in characters.</summary>
    public static int MaxLength(int partitions) => ((2 + (partitions * PerPartition)) * 4 / 3) + 4;

    // Three 64-bit varints and a 32-bit one at most.
    private const int PerPartition = 35;
}
