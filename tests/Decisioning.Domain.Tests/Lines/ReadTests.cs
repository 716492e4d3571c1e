using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>CheckLimit and ViewAt: answers as of an instant that change nothing.</summary>
public sealed class ReadTests
{
    [Fact]
    public void A_limit_check_within_available_credit_is_approved_and_changes_nothing()
    {
        var state = Opened().Then(Cmd.Draw(400_000));
        var snapshot = state with { };

        var check = state.CheckLimit(600_000, T0);

        Assert.True(check.Approved);
        Assert.Equal(DeclineReason.None, check.DeclineReason);
        Assert.Equal(600_000, check.Line.AvailableMinor);
        Assert.Equal(400_000, check.Line.DrawnMinor);
        Assert.Equal(Limit, check.Line.LimitMinor);
        Assert.Equal(state.Sequence, check.Line.Sequence);
        Assert.Equal(snapshot, state);
    }

    [Fact]
    public void A_limit_check_one_fen_beyond_available_credit_is_declined() =>
        Assert.Equal(DeclineReason.ExceedsAvailableCredit, Opened().Then(Cmd.Draw(400_000)).CheckLimit(600_001, T0).DeclineReason);

    [Fact]
    public void A_limit_check_on_a_frozen_line_is_declined() =>
        Assert.Equal(DeclineReason.LineFrozen, Opened().Then(Cmd.Freeze()).CheckLimit(1, T0).DeclineReason);

    [Fact]
    public void A_limit_check_counts_expired_holds_as_available()
    {
        var state = Opened().Then(Cmd.Hold(Limit, ttlSeconds: 60));

        Assert.False(state.CheckLimit(1, T0.AddSeconds(59)).Approved);
        var check = state.CheckLimit(Limit, T0.AddSeconds(60));
        Assert.True(check.Approved);
        Assert.Empty(check.Line.Holds);
        Assert.Single(state.Holds);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(599_999)]
    [InlineData(600_000)]
    [InlineData(600_001)]
    [InlineData(Limits.MaxAmountMinor)]
    public void A_limit_check_answers_as_the_draw_would(long amountMinor)
    {
        var state = Opened().Then(Cmd.Draw(300_000)).Then(Cmd.Hold(100_000));

        var check = state.CheckLimit(amountMinor, T0);
        var draw = state.Applies(Cmd.Draw(amountMinor), T0);

        Assert.Equal(draw.Result.Approved, check.Approved);
        Assert.Equal(draw.Result.DeclineReason, check.DeclineReason);
    }

    [Fact]
    public void A_view_shows_the_whole_line_as_of_the_instant()
    {
        var state = Opened(limitMinor: 2_000_000, rateBps: 365, termDays: 90)
            .Then(Cmd.Draw(1_000_000))
            .Then(Cmd.Hold(300_000, ttlSeconds: Limits.MaxHoldTtlSeconds));

        var view = state.ViewAt(OnDay(1));

        Assert.Equal(LineStatus.Active, view.Status);
        Assert.Equal(Product.SrdiELoan, view.Product);
        Assert.Equal(2_000_000, view.LimitMinor);
        Assert.Equal(1_000_000, view.DrawnMinor);
        Assert.Equal(300_000, view.HeldMinor);
        Assert.Equal(700_000, view.AvailableMinor);
        Assert.Equal(101, view.AccruedInterestMinor);
        Assert.Equal(365, view.AnnualRateBps);
        Assert.Equal(Day0, view.OpenedOn);
        // 90 days from day 0 is Sunday 31 May 2026: the maturity rolls to Monday 1 June.
        Assert.Equal(Day0.AddDays(91), view.MaturesOn);
        Assert.Equal(0, view.RenewalCount);
        Assert.Equal(3, view.Sequence);
        Assert.Equal([new Hold("H3", 300_000, T0.AddSeconds(Limits.MaxHoldTtlSeconds)) { Owner = "anonymous" }], view.Holds.AsEnumerable());
    }

    [Fact]
    public void Available_credit_is_never_negative()
    {
        var state = Opened().Then(Cmd.Draw(Limit)).Then(Cmd.AdjustLimit(0));

        Assert.Equal(0, state.AvailableMinor);
        Assert.Equal(0, state.ViewAt(T0).AvailableMinor);
        Assert.Equal(0, state.CheckLimit(1, T0).Line.AvailableMinor);
    }

    [Fact]
    public void The_result_of_a_command_shows_the_line_as_a_later_view_at_the_same_instant_does()
    {
        var at = OnDay(3);
        var applied = Opened().Then(Cmd.Draw(500_000)).Then(Cmd.Hold(100_000, ttlSeconds: Limits.MaxHoldTtlSeconds)).Approves(Cmd.Repay(1_000), at);

        var view = applied.State.ViewAt(at);

        AssertSameBalances(view, applied.Result.Line);
        Assert.Equal(view.Sequence, applied.Result.Line.Sequence);
        Assert.Equal(view.MaturesOn, applied.Result.Line.MaturesOn);
    }
}
