using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>
/// Simple daily interest on drawn principal: drawn × annual_rate_bps / 10,000 / 360 per business
/// day, fractions of a fen carried as the remainder of drawn × bps × days over 3,600,000.
/// Every expected figure is worked out by hand in a comment.
/// </summary>
public sealed class InterestTests
{
    private const long Divisor = 10_000L * 360;

    /// <summary>Persists the interest due so far without changing any balance.</summary>
    private static LineState Touch(LineState state, DateTimeOffset now) => state.Then(Cmd.AdjustLimit(state.LimitMinor, id: "touch"), now);

    [Fact]
    public void Thirty_days_on_a_million_fen_at_365_bps_accrue_3041_fen_and_carry_the_fraction()
    {
        // 1,000,000 × 365 × 30 = 10,950,000,000; / 3,600,000 = 3,041 remainder 2,400,000 (0.67 fen).
        var drawn = Opened().Then(Cmd.Draw(1_000_000));

        Assert.Equal(3_041, drawn.ViewAt(OnDay(30)).AccruedInterestMinor);
        var state = Touch(drawn, OnDay(30));
        Assert.Equal(3_041, state.AccruedInterestMinor);
        Assert.Equal(2_400_000, state.InterestRemainder);
        Assert.Equal(Day0.AddDays(30), state.AccruedThrough);
    }

    [Fact]
    public void Accruing_day_by_day_loses_no_fraction_of_a_fen()
    {
        // One day: 365,000,000 / 3,600,000 = 101 remainder 1,400,000; two days: 730,000,000 = 202 r 2,800,000.
        var state = Opened().Then(Cmd.Draw(1_000_000));

        state = Touch(state, OnDay(1));
        Assert.Equal((101, 1_400_000), (state.AccruedInterestMinor, state.InterestRemainder));
        state = Touch(state, OnDay(2));
        Assert.Equal((202, 2_800_000), (state.AccruedInterestMinor, state.InterestRemainder));
        for (var day = 3; day <= 30; day++)
        {
            state = Touch(state, OnDay(day));
        }

        // Thirty single days carry exactly what one stretch of thirty days gives.
        Assert.Equal((3_041, 2_400_000), (state.AccruedInterestMinor, state.InterestRemainder));
    }

    [Fact]
    public void Interest_below_one_fen_a_day_adds_up_to_a_fen_after_360_days()
    {
        // 100 fen at 100 bps: 10,000 a day against a divisor of 3,600,000; 360 days make one fen.
        var state = Opened(limitMinor: 100, rateBps: 100, termDays: 400).Then(Cmd.Draw(100));

        for (var day = 1; day < 360; day++)
        {
            state = Touch(state, OnDay(day));
        }

        Assert.Equal((0, 3_590_000), (state.AccruedInterestMinor, state.InterestRemainder));
        state = Touch(state, OnDay(360));
        Assert.Equal((1, 0), (state.AccruedInterestMinor, state.InterestRemainder));
    }

    [Fact]
    public void A_draw_repaid_on_the_same_business_day_accrues_nothing()
    {
        // 10:00 and 23:59:59 in Beijing are the same business day.
        var endOfDay0 = new DateTimeOffset(2026, 3, 2, 15, 59, 59, TimeSpan.Zero);
        var state = Opened().Then(Cmd.Draw(500_000));

        var repaid = state.Approves(Cmd.Repay(500_000), endOfDay0);

        Assert.Equal(0, repaid.Result.InterestPaidMinor);
        Assert.Equal(500_000, repaid.Result.PrincipalPaidMinor);
        Assert.Equal(0, repaid.State.ViewAt(OnDay(100)).AccruedInterestMinor);
        Assert.Equal(0, Touch(repaid.State, OnDay(100)).InterestRemainder);
        Assert.Equal(LineStatus.Closed, repaid.State.Then(Cmd.Close(), OnDay(1)).Status);
    }

    [Fact]
    public void A_day_of_interest_is_due_at_the_first_instant_of_the_next_business_day()
    {
        var lastInstantOfDay0 = new DateTimeOffset(2026, 3, 2, 15, 59, 59, 999, TimeSpan.Zero).AddTicks(9_999);
        var firstInstantOfDay1 = new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.Zero);
        var state = Opened().Then(Cmd.Draw(1_000_000), lastInstantOfDay0);

        Assert.Equal(0, state.ViewAt(lastInstantOfDay0).AccruedInterestMinor);
        Assert.Equal(101, state.ViewAt(firstInstantOfDay1).AccruedInterestMinor);
    }

    [Fact]
    public void Interest_is_reckoned_on_the_business_calendar_whatever_offset_the_instant_carries()
    {
        var state = Opened().Then(Cmd.Draw(1_000_000));
        var day1InBeijing = new DateTimeOffset(2026, 3, 3, 0, 0, 0, BusinessCalendar.Offset);
        var sameInstantInNewYork = day1InBeijing.ToOffset(TimeSpan.FromHours(-5));

        Assert.Equal(101, state.ViewAt(day1InBeijing).AccruedInterestMinor);
        Assert.Equal(101, state.ViewAt(sameInstantInNewYork).AccruedInterestMinor);
        Assert.Equal(0, state.ViewAt(day1InBeijing.AddTicks(-1)).AccruedInterestMinor);
    }

    [Fact]
    public void Interest_follows_each_change_of_principal()
    {
        // 1,000,000 × 365 × 10 + 2,000,000 × 365 × 10 = 10,950,000,000 → 3,041 fen.
        var state = Opened(limitMinor: 2_000_000)
            .Then(Cmd.Draw(1_000_000))
            .Then(Cmd.Draw(1_000_000), OnDay(10));

        Assert.Equal(3_041, state.ViewAt(OnDay(20)).AccruedInterestMinor);
    }

    [Fact]
    public void Interest_accrues_on_drawn_principal_and_not_on_holds()
    {
        var state = Opened().Then(Cmd.Hold(Limit, ttlSeconds: Limits.MaxHoldTtlSeconds));

        Assert.Equal(0, state.ViewAt(OnDay(6)).AccruedInterestMinor);
        Assert.Equal(0, Touch(state, OnDay(6)).InterestRemainder);
    }

    [Fact]
    public void Interest_accrues_on_what_is_drawn_across_a_limit_change()
    {
        // Ten days on 600,000 at 365 bps: 2,190,000,000 → 608 r 1,200,000; twenty: 4,380,000,000 → 1,216 r 2,400,000.
        var state = Opened().Then(Cmd.Draw(600_000));

        var lowered = state.Approves(Cmd.AdjustLimit(400_000), OnDay(10));

        Assert.Equal(608, lowered.Entries[^1].AccruedInterestAfterMinor);
        Assert.Equal(1_200_000, lowered.State.InterestRemainder);
        Assert.Equal(0, lowered.Result.Line.AvailableMinor);
        var raised = Touch(lowered.State.Then(Cmd.AdjustLimit(5_000_000), OnDay(15)), OnDay(20));
        Assert.Equal((1_216, 2_400_000), (raised.AccruedInterestMinor, raised.InterestRemainder));
    }

    [Fact]
    public void Interest_accrued_before_a_repayment_is_paid_and_accrual_goes_on_from_the_new_principal()
    {
        // Day 30: 3,041 due (r 2,400,000); repaying 503,041 leaves 500,000 drawn.
        // Ten more days: 500,000 × 365 × 10 = 1,825,000,000 + 2,400,000 = 1,827,400,000 → 507 r 2,200,000.
        var state = Opened().Then(Cmd.Draw(1_000_000)).Then(Cmd.Repay(503_041), OnDay(30));
        Assert.Equal((500_000, 0), (state.DrawnMinor, state.AccruedInterestMinor));

        state = Touch(state, OnDay(40));

        Assert.Equal((507, 2_200_000), (state.AccruedInterestMinor, state.InterestRemainder));
    }

    [Fact]
    public void A_line_at_a_zero_rate_accrues_nothing()
    {
        var state = Opened(rateBps: 0).Then(Cmd.Draw(Limit));

        Assert.Equal(0, Touch(state, OnDay(1_000)).AccruedInterestMinor);
    }

    [Fact]
    public void Interest_keeps_accruing_on_a_frozen_line()
    {
        var state = Opened().Then(Cmd.Draw(1_000_000)).Then(Cmd.Freeze());

        Assert.Equal(3_041, state.ViewAt(OnDay(30)).AccruedInterestMinor);
    }

    [Fact]
    public void From_the_maturity_date_unpaid_principal_accrues_penalty_interest_in_place_of_interest()
    {
        // Thirty days at 365 bps on 1,000,000: 10,950,000,000 / 3,600,000 = 3,041 (remainder 2,400,000).
        // Then thirty penalty days at 365 bps + 50%: 1,000,000 × 365 × 15,000 × 30 / 36,000,000,000 = 4,562 (remainder 18,000,000,000).
        var state = Opened(termDays: 30).Then(Cmd.Draw(1_000_000));

        var view = state.ViewAt(OnDay(60));

        Assert.Equal(3_041, view.AccruedInterestMinor);
        Assert.Equal(4_562, view.AccruedPenaltyMinor);
        Assert.Equal(30, view.DaysPastDue);
        Assert.Equal(1_000_000, view.OverduePrincipalMinor);
        Assert.Equal(LineStatus.Overdue, view.Status);
    }

    [Fact]
    public void Interest_on_the_largest_balance_at_the_highest_rate_over_decades_does_not_overflow()
    {
        // 10^11 × 10^4 × 1,830 days: 508,333,333,333 fen remainder 1,200,000; then 8,170 penalty
        // days at the rate plus half: 10^11 × 10^4 × 15,000 × 8,170 / 3.6 × 10^10 = 3,404,166,666,666 fen.
        var state = Opened(Limits.MaxAmountMinor, Limits.MaxAnnualRateBps, Limits.MaxTermDays).Then(Cmd.Draw(Limits.MaxAmountMinor));

        var touched = Touch(state, OnDay(10_000));

        Assert.Equal(508_333_333_333, touched.AccruedInterestMinor);
        Assert.Equal(1_200_000, touched.InterestRemainder);
        Assert.Equal(3_404_166_666_666, touched.AccruedPenaltyMinor);
    }

    [Fact]
    public void Reading_a_line_shows_interest_to_the_instant_without_persisting_it()
    {
        var state = Opened().Then(Cmd.Draw(1_000_000));

        Assert.Equal(3_041, state.ViewAt(OnDay(30)).AccruedInterestMinor);
        Assert.Equal(3_041, state.CheckLimit(1, OnDay(30)).Line.AccruedInterestMinor);
        Assert.Equal(0, state.AccruedInterestMinor);
        Assert.Equal(Day0, state.AccruedThrough);
    }

    [Fact]
    public void An_instant_earlier_than_the_last_accrual_adds_no_interest()
    {
        // A clock that steps back (another silo's) must neither add nor take away interest.
        var state = Touch(Opened(limitMinor: 2_000_000).Then(Cmd.Draw(1_000_000)), OnDay(30));

        Assert.Equal(3_041, state.ViewAt(OnDay(29)).AccruedInterestMinor);
        Assert.Equal(3_041, state.Then(Cmd.Draw(1), OnDay(29)).AccruedInterestMinor);
    }

    [Fact]
    public void The_divisor_is_ten_thousand_basis_points_times_a_360_day_year()
    {
        // One day on 3,600,000 fen at 10,000 bps (100%) is exactly 1/360 of it: 10,000 fen.
        var state = Opened(limitMinor: 3_600_000, rateBps: 10_000).Then(Cmd.Draw(3_600_000));

        Assert.Equal(3_600_000L * 10_000 / Divisor, state.ViewAt(OnDay(1)).AccruedInterestMinor);
        Assert.Equal(10_000, state.ViewAt(OnDay(1)).AccruedInterestMinor);
    }
}
