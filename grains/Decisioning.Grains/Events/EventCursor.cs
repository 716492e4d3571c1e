using System.Buffers.Text;
using System.Globalization;
using Google.Protobuf;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>
/// Where a reader stands in one partition's stream: the id of the last event it has (0-0: none
/// yet) and how many events the stream had received up to and including it. Streams are only
/// ever trimmed from the front, so a reader has lost events exactly when the stream has dropped
/// more than <paramref name="Added"/> of them (Redis 7's <c>entries-added</c> minus <c>length</c>).
/// </summary>
public readonly record struct EventPosition(ulong Milliseconds, ulong Sequence, ulong Added)
{
    public RedisValue Id => Milliseconds.ToString(CultureInfo.InvariantCulture) + "-" + Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>The position of the event with stream id <paramref name="id"/> (<c>ms-seq</c>), the <paramref name="added"/>th of its stream.</summary>
    public static EventPosition At(string id, ulong added)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return new(
            ulong.Parse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture),
            ulong.Parse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture),
            added);
    }
}

/// <summary>
/// A subscriber's place in every partition: the opaque cursor of EventService/Subscribe. Encoded
/// as base64url of a version byte, the partition count and, per partition, the id's milliseconds
/// (as a zigzag difference from the partition before: the streams' clocks are close, so that most
/// take a byte or two), its sequence and the events added up to it, as protobuf varints.
/// </summary>
public sealed class EventCursor
{
    private const byte Version = 1;

    private readonly EventPosition[] _positions;

    private EventCursor(EventPosition[] positions) => _positions = positions;

    public int Partitions => _positions.Length;

    public EventPosition this[int partition] => _positions[partition];

    public static EventCursor Of(IReadOnlyList<EventPosition> positions) => new([.. positions]);

    /// <summary>Moves one partition on, after an event has been delivered.</summary>
    public void Advance(int partition, EventPosition position) => _positions[partition] = position;

    public string Encode()
    {
        var buffer = new byte[2 + (_positions.Length * 30)];
        var output = new CodedOutputStream(buffer);
        output.WriteUInt32(Version);
        output.WriteUInt32((uint)_positions.Length);
        ulong previous = 0;
        foreach (var p in _positions)
        {
            output.WriteSInt64(unchecked((long)(p.Milliseconds - previous)));
            output.WriteUInt64(p.Sequence);
            output.WriteUInt64(p.Added);
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
            if (input.ReadUInt32() != Version || input.ReadUInt32() != partitions)
            {
                return null;
            }

            var positions = new EventPosition[partitions];
            ulong previous = 0;
            for (var i = 0; i < partitions; i++)
            {
                var milliseconds = unchecked(previous + (ulong)input.ReadSInt64());
                positions[i] = new(milliseconds, input.ReadUInt64(), input.ReadUInt64());
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
    public static int MaxLength(int partitions) => ((2 + (partitions * 30)) * 4 / 3) + 4;
}
