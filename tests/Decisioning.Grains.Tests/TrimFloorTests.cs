using Decisioning.Grains.Events;

namespace Decisioning.Grains.Tests;

/// <summary>The trimmer's floor: the lowest event some group has not acknowledged, and when the cap took one.</summary>
public sealed class TrimFloorTests
{
    [Fact]
    public void Without_groups_there_is_no_floor() => Assert.Null(TrimFloor.Of([]));

    [Fact]
    public void A_group_with_nothing_pending_keeps_what_follows_its_last_delivered_event() =>
        Assert.Equal("100-4", TrimFloor.Of([new("g", "100-3", 0, null)]));

    [Fact]
    public void A_group_with_pending_events_keeps_its_oldest_pending_one() =>
        Assert.Equal("90-0", TrimFloor.Of([new("g", "100-3", 2, "90-0")]));

    [Fact]
    public void A_group_that_was_delivered_nothing_keeps_everything() =>
        Assert.Equal("0-1", TrimFloor.Of([new("g", "0-0", 0, null)]));

    [Fact]
    public void The_floor_is_the_lowest_over_the_groups_compared_as_numbers_not_text() =>
        Assert.Equal("99-10", TrimFloor.Of([new("a", "1000-0", 0, null), new("b", "100-3", 1, "99-10"), new("c", "200-0", 0, null)]));

    [Fact]
    public void A_last_sequence_of_its_millisecond_is_followed_by_the_next_millisecond() =>
        Assert.Equal("101-0", TrimFloor.Of([new("g", $"100-{ulong.MaxValue}", 0, null)]));

    [Fact]
    public void The_cap_loses_a_groups_events_when_it_drops_a_pending_one_or_more_than_were_delivered()
    {
        ConsumerGroupState pending = new("g", "100-5", 1, "100-2", EntriesRead: 6);
        ConsumerGroupState caughtUp = new("g", "100-5", 0, null, EntriesRead: 6);

        Assert.True(TrimFloor.LostEvents(pending, removed: 3, firstKeptId: "100-3"));
        Assert.False(TrimFloor.LostEvents(pending, removed: 2, firstKeptId: "100-2"));
        Assert.False(TrimFloor.LostEvents(caughtUp, removed: 6, firstKeptId: "100-6"));
        Assert.True(TrimFloor.LostEvents(caughtUp, removed: 7, firstKeptId: "100-7"));
    }

    [Fact]
    public void Without_the_groups_read_count_the_cap_loses_events_when_it_dropped_beyond_the_last_delivered()
    {
        ConsumerGroupState group = new("g", "100-5", 0, null);

        Assert.False(TrimFloor.LostEvents(group, removed: 6, firstKeptId: "100-6"));
        Assert.True(TrimFloor.LostEvents(group, removed: 7, firstKeptId: "100-7"));
    }
}
