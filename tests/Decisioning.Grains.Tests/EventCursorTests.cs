using Decisioning.Grains.Events;

namespace Decisioning.Grains.Tests;

/// <summary>Subscribe's cursor: every position survives the trip, and nothing but a cursor this service made decodes.</summary>
public sealed class EventCursorTests
{
    private static readonly EventPosition[] Positions =
    [
        new(1_796_190_879_485, 0, 1),
        new(1_796_190_879_480, 7, 12),
        new(0, 0, 0),
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(1_796_190_879_999, 3, 4_000_000_000),
    ];

    [Fact]
    public void Every_position_comes_back_from_the_encoded_cursor()
    {
        var cursor = EventCursor.Of(Positions);

        var decoded = EventCursor.Decode(cursor.Encode(), Positions.Length);

        Assert.NotNull(decoded);
        Assert.Equal(Positions, Enumerable.Range(0, Positions.Length).Select(p => decoded[p]));
    }

    [Fact]
    public void A_position_inside_a_stream_entry_comes_back_with_the_events_taken()
    {
        EventPosition[] positions = [.. Positions.Take(2), new(1_796_190_879_490, 4, 13, 3), new(5, 0, 1, uint.MaxValue)];

        var decoded = EventCursor.Decode(EventCursor.Of(positions).Encode(), positions.Length);

        Assert.NotNull(decoded);
        Assert.Equal(positions, Enumerable.Range(0, positions.Length).Select(p => decoded[p]));
    }

    [Fact]
    public void A_cursor_with_every_entry_read_whole_is_written_as_before_stream_entries_held_several_events()
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(EventCursor.Of(Positions).Encode());

        Assert.Equal(1, bytes[0]);
    }

    [Fact]
    public void A_reader_inside_an_entry_reads_it_again_and_has_had_one_entry_fewer_whole()
    {
        var inside = new EventPosition(1_796_190_879_490, 4, 13, 2);
        var firstOfItsMillisecond = new EventPosition(1_796_190_879_490, 0, 9, 1);
        var whole = inside with { Taken = 0 };

        Assert.Equal("1796190879490-3", (string)inside.ReadAfter!);
        Assert.Equal("1796190879489-18446744073709551615", (string)firstOfItsMillisecond.ReadAfter!);
        Assert.Equal("1796190879490-4", (string)whole.ReadAfter!);
        Assert.Equal(12UL, inside.Had);
        Assert.Equal(13UL, whole.Had);
    }

    [Fact]
    public void Advancing_one_partition_changes_that_partition_only()
    {
        var cursor = EventCursor.Of(Positions);
        var moved = EventPosition.At("1796190880000-5", 13);

        cursor.Advance(1, moved);
        var decoded = EventCursor.Decode(cursor.Encode(), Positions.Length)!;

        Assert.Equal(moved, decoded[1]);
        Assert.Equal("1796190880000-5", (string)decoded[1].Id!);
        Assert.Equal(Positions[0], decoded[0]);
        Assert.Equal(Positions[2..], Enumerable.Range(2, Positions.Length - 2).Select(p => decoded[p]));
    }

    [Fact]
    public void A_cursor_of_sixteen_close_partitions_stays_short()
    {
        var cursor = EventCursor.Of([.. Enumerable.Range(0, 16).Select(p => new EventPosition(1_796_190_879_485 + (ulong)p, 2, 1_000 + (ulong)p))]);

        Assert.InRange(cursor.Encode().Length, 1, 120);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor!")]
    [InlineData("AQ")]
    [InlineData("////")]
    [InlineData("AQUA")]
    public void Text_that_is_not_a_cursor_does_not_decode(string text) => Assert.Null(EventCursor.Decode(text, Positions.Length));

    [Fact]
    public void A_cursor_for_another_number_of_partitions_does_not_decode()
    {
        var text = EventCursor.Of(Positions).Encode();

        Assert.Null(EventCursor.Decode(text, Positions.Length - 1));
        Assert.Null(EventCursor.Decode(text, Positions.Length + 1));
    }

    [Fact]
    public void A_truncated_or_extended_cursor_does_not_decode()
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(EventCursor.Of(Positions).Encode());

        Assert.Null(EventCursor.Decode(System.Buffers.Text.Base64Url.EncodeToString(bytes[..^1]), Positions.Length));
        Assert.Null(EventCursor.Decode(System.Buffers.Text.Base64Url.EncodeToString([.. bytes, 0]), Positions.Length));
    }

    [Fact]
    public void A_cursor_of_another_version_does_not_decode()
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(EventCursor.Of(Positions).Encode());
        bytes[0] = 3;

        Assert.Null(EventCursor.Decode(System.Buffers.Text.Base64Url.EncodeToString(bytes), Positions.Length));
    }
}
