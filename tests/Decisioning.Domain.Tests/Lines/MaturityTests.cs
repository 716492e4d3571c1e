using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>A line opened on day 0 for 30 days matures at the first instant of day 30 (Beijing time).</summary>
public sealed class MaturityTests
{
    private static readonly DateOnly MaturityDate = Day0.AddDays(30);
    private static readonly DateTimeOffset Maturity = BusinessCalendar.StartOf(MaturityDate);

    private static LineState ThirtyDayLine() => Opened(termDays: 30);

    [Fact]
    public void The_maturity_date_is_the_opening_date_plus_the_term()
    {
        var state = ThirtyDayLine();

        Assert.Equal(MaturityDate, state.MaturesOn);
        Assert.Equal(MaturityDate, state.ViewAt(T0).MaturesOn);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 16, 0, 0, TimeSpan.Zero), Maturity);
    }

    [Fact]
    public void A_line_is_active_until_the_last_instant_before_its_maturity_date()
    {
        var state = ThirtyDayLine();

        Assert.Equal(LineStatus.Active, state.ViewAt(Maturity.AddTicks(-1)).Status);
        var applied = state.Approves(Cmd.Draw(1), Maturity.AddTicks(-1));
        Assert.Equal(LineStatus.Active, applied.Entries[^1].StatusAfter);
    }

    [Fact]
    public void A_line_is_matured_from_the_first_instant_of_its_maturity_date()
    {
        var state = ThirtyDayLine();

        Assert.Equal(LineStatus.Matured, state.ViewAt(Maturity).Status);
        Assert.Equal(LineStatus.Matured, state.ViewAt(OnDay(400)).Status);
        Assert.Equal(LineStatus.Matured, state.StatusOn(MaturityDate));
        // Maturity is read from the date: the stored status stays what it was.
        Assert.Equal(LineStatus.Active, state.Status);
    }

    [Fact]
    public void A_one_day_line_matures_on_the_next_business_day()
    {
        var state = Opened(termDays: 1);

        state.Approves(Cmd.Draw(1), T0.AddHours(13));
        state.Declines(Cmd.Draw(1), T0.AddHours(14), DeclineReason.LineMatured, EntryKind.DrawDeclined);
    }

    [Fact]
    public void A_draw_on_a_matured_line_is_declined()
    {
        var applied = ThirtyDayLine().Declines(Cmd.Draw(1), Maturity, DeclineReason.LineMatured, EntryKind.DrawDeclined);

        Assert.Equal(LineStatus.Matured, applied.Entries[^1].StatusAfter);
        Assert.Equal(LineStatus.Matured, applied.Result.Line.Status);
    }

    [Fact]
    public void A_hold_on_a_matured_line_is_declined() =>
        ThirtyDayLine().Declines(Cmd.Hold(1), Maturity, DeclineReason.LineMatured, EntryKind.HoldDeclined);

    [Fact]
    public void A_limit_check_on_a_matured_line_is_declined()
    {
        var check = ThirtyDayLine().CheckLimit(1, Maturity);

        Assert.False(check.Approved);
        Assert.Equal(DeclineReason.LineMatured, check.DeclineReason);
    }

    [Fact]
    public void A_matured_line_still_takes_repayments()
    {
        var state = ThirtyDayLine().Then(Cmd.Draw(500_000));

        var applied = state.Approves(Cmd.Repay(100_000), Maturity);

        Assert.Equal(LineStatus.Matured, applied.Entries[^1].StatusAfter);
        Assert.Equal(100_000, applied.Result.InterestPaidMinor + applied.Result.PrincipalPaidMinor);
    }

    [Fact]
    public void A_hold_placed_before_maturity_can_still_be_captured_after_it()
    {
        var state = ThirtyDayLine().Then(Cmd.Hold(200_000, ttlSeconds: 900), Maturity.AddMinutes(-1));

        var applied = state.Approves(Cmd.Capture(state.Holds[0].Id), Maturity.AddMinutes(1));

        Assert.Equal(200_000, applied.State.DrawnMinor);
        Assert.Equal(LineStatus.Matured, applied.Entries[^1].StatusAfter);
    }

    [Fact]
    public void A_hold_placed_before_maturity_can_be_released_after_it()
    {
        var state = ThirtyDayLine().Then(Cmd.Hold(200_000, ttlSeconds: 900), Maturity.AddMinutes(-1));

        Assert.Equal(0, state.Approves(Cmd.Release(state.Holds[0].Id), Maturity.AddMinutes(1)).State.HeldMinor);
    }

    [Fact]
    public void A_frozen_line_past_maturity_reads_as_frozen_and_declines_captures()
    {
        var state = ThirtyDayLine()
            .Then(Cmd.Hold(200_000, ttlSeconds: 900), Maturity.AddMinutes(-1))
            .Then(Cmd.Freeze(), Maturity.AddMinutes(-1));

        Assert.Equal(LineStatus.Frozen, state.ViewAt(Maturity).Status);
        state.Declines(Cmd.Capture(state.Holds[0].Id), Maturity.AddMinutes(1), DeclineReason.LineFrozen, EntryKind.HoldCaptureDeclined);
        state.Declines(Cmd.Draw(1), Maturity, DeclineReason.LineFrozen, EntryKind.DrawDeclined);
    }

    [Fact]
    public void A_matured_line_can_be_frozen_and_unfreezing_returns_it_to_matured()
    {
        var frozen = ThirtyDayLine().Approves(Cmd.Freeze(), Maturity);
        Assert.Equal(LineStatus.Frozen, frozen.Entries[^1].StatusAfter);

        var unfrozen = frozen.State.Approves(Cmd.Unfreeze(), Maturity);

        Assert.Equal(LineStatus.Active, unfrozen.State.Status);
        Assert.Equal(LineStatus.Matured, unfrozen.Entries[^1].StatusAfter);
        Assert.Equal(LineStatus.Matured, unfrozen.Result.Line.Status);
    }

    [Fact]
    public void Raising_the_limit_of_a_matured_line_does_not_let_it_draw()
    {
        var raised = ThirtyDayLine().Then(Cmd.AdjustLimit(2_000_000), Maturity);

        raised.Declines(Cmd.Draw(1), Maturity, DeclineReason.LineMatured, EntryKind.DrawDeclined);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Limits.MaxTermDays)]
    public void A_term_may_be_from_one_day_to_the_longest_term(int termDays) =>
        Assert.Equal(Day0.AddDays(termDays), Opened(termDays: termDays).MaturesOn);
}
