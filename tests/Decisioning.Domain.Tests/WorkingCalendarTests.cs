using System.Text;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Tests.Lines;

namespace Decisioning.Domain.Tests;

/// <summary>The shipped calendar: the State Council's notice for 2026; 2027 is not announced in it, so weekdays only.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar China = WorkingCalendar.China;

    [Theory]
    [InlineData("2026-01-01", false)] // New Year's Day, a Thursday
    [InlineData("2026-01-04", true)] // Sunday worked in its place
    [InlineData("2026-02-14", true)] // Saturday worked before the Spring Festival
    [InlineData("2026-02-16", false)] // Spring Festival, a Monday
    [InlineData("2026-02-23", false)] // its last day, a Monday
    [InlineData("2026-02-24", true)]
    [InlineData("2026-02-28", true)] // Saturday worked after it
    [InlineData("2026-03-07", false)] // an ordinary Saturday
    [InlineData("2026-03-09", true)] // an ordinary Monday
    [InlineData("2026-04-06", false)] // Qingming, a Monday
    [InlineData("2026-05-05", false)] // Labour Day, a Tuesday
    [InlineData("2026-05-09", true)] // Saturday worked for it
    [InlineData("2026-06-19", false)] // Dragon Boat Festival, a Friday
    [InlineData("2026-09-20", true)] // Sunday worked before National Day
    [InlineData("2026-09-25", false)] // Mid-Autumn Festival, a Friday
    [InlineData("2026-10-07", false)] // National Day, a Wednesday
    [InlineData("2026-10-10", true)] // Saturday worked after it
    public void The_2026_notice_sets_the_working_days(string date, bool working) =>
        Assert.Equal(working, China.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_year_without_a_notice_counts_Monday_to_Friday()
    {
        Assert.Contains(2026, China.Years);
        Assert.Equal([2027], China.UncoveredYears(2026, 2027));
        Assert.True(China.IsWorkingDay(new DateOnly(2027, 1, 1))); // a Friday: no holiday known
        Assert.False(China.IsWorkingDay(new DateOnly(2027, 1, 2)));
        Assert.Contains(China.Sources, s => s.Contains("国务院办公厅关于2026年部分节假日安排的通知", StringComparison.Ordinal));
    }

    [Fact]
    public void The_next_working_day_on_or_after_skips_a_whole_holiday_and_its_weekends()
    {
        Assert.Equal(new DateOnly(2026, 10, 8), China.NextWorkingDayOnOrAfter(new DateOnly(2026, 10, 1)));
        Assert.Equal(new DateOnly(2026, 2, 24), China.NextWorkingDayOnOrAfter(new DateOnly(2026, 2, 15)));
        Assert.Equal(new DateOnly(2026, 3, 9), China.NextWorkingDayOnOrAfter(new DateOnly(2026, 3, 9)));
        Assert.Equal(new DateOnly(2026, 1, 4), China.NextWorkingDayOnOrAfter(new DateOnly(2026, 1, 1)));
    }

    [Fact]
    public void Working_days_between_two_dates_count_those_after_the_first_up_to_the_second()
    {
        // Friday 13 February to Tuesday 24 February: Saturday the 14th (worked) and the 24th.
        Assert.Equal(2, China.WorkingDaysBetween(new DateOnly(2026, 2, 13), new DateOnly(2026, 2, 24)));
        Assert.Equal(0, China.WorkingDaysBetween(new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 9)));
        Assert.Equal(0, China.WorkingDaysBetween(new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 2)));
        Assert.Equal(5, China.WorkingDaysBetween(new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 13)));
        // 8 and 9 October, then Saturday the 10th, worked in place of National Day.
        Assert.Equal(new DateOnly(2026, 10, 10), China.AddWorkingDays(new DateOnly(2026, 9, 30), 3));
    }

    [Fact]
    public void A_calendar_that_marks_a_weekday_as_worked_in_place_of_a_holiday_is_refused()
    {
        var json = """{"years":[{"year":2026,"holidays":[],"working_days":["2026-03-09"]}]}""";
        Assert.Throws<InvalidDataException>(() => WorkingCalendar.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void A_line_whose_term_ends_on_a_holiday_matures_on_the_next_working_day()
    {
        // Opened on 1 September 2026 for 30 days: 1 October is National Day, the first working day is 8 October.
        var opened = TestLine.Opened(termDays: 30, at: new DateTimeOffset(2026, 9, 1, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 10, 8), opened.MaturesOn);

        var weekdaysOnly = (Applied)LineState.NotOpened.Apply(
            new OpenLineCommand("open", 1_000, 0, 30, Product.OperatingQuickLoan) { Actor = TestLine.Caller },
            new DateTimeOffset(2026, 9, 1, 2, 0, 0, TimeSpan.Zero),
            FourEyesPolicy.None,
            OverduePolicy.Default,
            calendar: WorkingCalendar.WeekdaysOnly);
        Assert.Equal(new DateOnly(2026, 10, 1), weekdaysOnly.State.MaturesOn);
    }

    [Fact]
    public void A_renewal_whose_new_maturity_falls_on_a_holiday_rolls_to_the_next_working_day()
    {
        // Opened 1 October 2025 for 365 days: 1 October 2026 is National Day, it rolls to the 8th.
        var opened = TestLine.Opened(termDays: 365, at: new DateTimeOffset(2025, 10, 1, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 10, 8), opened.MaturesOn);

        // A line maturing 4 May 2026 (Labour Day) rolls to the 6th; renewed in its window for 12
        // months from there: 6 May 2027, a Thursday of a year without a notice.
        var line = TestLine.Opened(termDays: 365, at: new DateTimeOffset(2025, 5, 4, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 5, 6), line.MaturesOn);
        var renew = new RenewLineCommand("renew-1", "D-1", "fp") { Actor = TestLine.Caller, Eligible = true, WindowDays = 60, TermMonths = 12, Product = Product.OperatingQuickLoan, LimitMinor = TestLine.Limit, AnnualRateBps = TestLine.Rate };
        Assert.Equal(new DateOnly(2027, 5, 6), line.Approves(renew, new DateTimeOffset(2026, 4, 20, 2, 0, 0, TimeSpan.Zero)).State.MaturesOn);

        // Renewed from a maturity on a working day into the next National Day: 8 October 2025 + 12
        // months is 8 October 2026, after the holiday; 30 September 2025 + 12 months is a working day too;
        // 1 October 2025 + 12 months is the holiday, and rolls.
        var octoberLine = TestLine.Opened(termDays: 30, at: new DateTimeOffset(2025, 9, 1, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2025, 10, 1), octoberLine.MaturesOn); // 2025 has no notice in the shipped calendar
        Assert.Equal(new DateOnly(2026, 10, 8), octoberLine.Approves(renew, new DateTimeOffset(2025, 9, 20, 2, 0, 0, TimeSpan.Zero)).State.MaturesOn);
    }
}
