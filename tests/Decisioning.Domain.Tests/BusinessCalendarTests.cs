namespace Decisioning.Domain.Tests;

public sealed class BusinessCalendarTests
{
    [Fact]
    public void Business_days_are_calendar_days_in_China_standard_time()
    {
        Assert.Equal(TimeSpan.FromHours(8), BusinessCalendar.Offset);
        Assert.Equal(new DateOnly(2026, 3, 2), BusinessCalendar.DateOf(new DateTimeOffset(2026, 3, 2, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 3), BusinessCalendar.DateOf(new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_business_day_turns_at_16_00_UTC_to_the_tick()
    {
        var turn = new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 3, 2), BusinessCalendar.DateOf(turn.AddTicks(-1)));
        Assert.Equal(new DateOnly(2026, 3, 3), BusinessCalendar.DateOf(turn));
    }

    [Fact]
    public void The_offset_an_instant_is_written_in_does_not_change_its_business_date()
    {
        var instant = new DateTimeOffset(2026, 3, 2, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 3, 3), BusinessCalendar.DateOf(instant.ToOffset(TimeSpan.FromHours(-10))));
        Assert.Equal(new DateOnly(2026, 3, 3), BusinessCalendar.DateOf(instant.ToOffset(TimeSpan.FromHours(14))));
    }

    [Fact]
    public void A_business_date_starts_at_midnight_in_Beijing()
    {
        var start = BusinessCalendar.StartOf(new DateOnly(2026, 3, 3));

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(BusinessCalendar.Offset, start.Offset);
        Assert.Equal(new DateOnly(2026, 3, 3), BusinessCalendar.DateOf(start));
        Assert.Equal(new DateOnly(2026, 3, 2), BusinessCalendar.DateOf(start.AddTicks(-1)));
    }

    [Fact]
    public void Year_ends_and_leap_days_are_ordinary_business_days()
    {
        Assert.Equal(new DateOnly(2028, 2, 29), BusinessCalendar.DateOf(new DateTimeOffset(2028, 2, 28, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2027, 1, 1), BusinessCalendar.DateOf(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero)));
    }
}
