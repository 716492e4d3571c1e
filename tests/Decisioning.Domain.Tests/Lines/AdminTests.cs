using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

public sealed class AdminTests
{
    [Fact]
    public void Freezing_a_line_is_journaled_with_its_reason_and_blocks_draws_and_holds()
    {
        var state = Opened().Then(Cmd.Draw(100_000)).Then(Cmd.Hold(50_000, Limits.MaxHoldTtlSeconds));
        var at = T0.AddHours(3);

        var applied = state.Approves(new FreezeLineCommand("freeze-1", "overdue at the credit bureau") { Actor = "risk-ops" }, at);

        Assert.Equal(LineStatus.Frozen, applied.State.Status);
        Assert.Equal(LineStatus.Frozen, applied.Result.Line.Status);
        Assert.Equal(100_000, applied.State.DrawnMinor);
        Assert.Equal(50_000, applied.State.HeldMinor);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(EntryKind.LineFrozen, entry.Kind);
        Assert.Equal(at, entry.At);
        Assert.Equal("freeze-1", entry.RequestId);
        Assert.Equal("risk-ops", entry.Actor);
        Assert.Equal("overdue at the credit bureau", entry.Note);
        Assert.Equal(0, entry.AmountMinor);
        Assert.Equal(LineStatus.Frozen, entry.StatusAfter);
        Assert.Equal(100_000, entry.DrawnAfterMinor);
        Assert.Equal(50_000, entry.HeldAfterMinor);

        applied.State.Declines(Cmd.Draw(1), at, DeclineReason.LineFrozen, EntryKind.DrawDeclined);
        applied.State.Declines(Cmd.Hold(1), at, DeclineReason.LineFrozen, EntryKind.HoldDeclined);
        Assert.False(applied.State.CheckLimit(1, at).Approved);
    }

    [Fact]
    public void Freezing_a_frozen_line_is_refused() =>
        Opened().Then(Cmd.Freeze()).AssertRefused(Cmd.Freeze(), T0, ErrorKind.FailedPrecondition, "LINE_ALREADY_FROZEN");

    [Fact]
    public void Freezing_a_closed_line_is_refused() =>
        Opened().Then(Cmd.Close()).AssertRefused(Cmd.Freeze(), T0, ErrorKind.FailedPrecondition, "LINE_CLOSED");

    [Fact]
    public void Unfreezing_a_frozen_line_lets_it_draw_again()
    {
        var frozen = Opened().Then(Cmd.Freeze());

        var applied = frozen.Approves(new UnfreezeLineCommand("unfreeze-1", "signal cleared") { Actor = "risk-ops" }, T0);

        Assert.Equal(LineStatus.Active, applied.State.Status);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(EntryKind.LineUnfrozen, entry.Kind);
        Assert.Equal("signal cleared", entry.Note);
        Assert.Equal("risk-ops", entry.Actor);
        Assert.Equal(0, entry.AmountMinor);
        Assert.Equal(LineStatus.Active, entry.StatusAfter);
        applied.State.Approves(Cmd.Draw(1), T0);
    }

    [Fact]
    public void Unfreezing_an_active_line_is_refused_and_names_its_status()
    {
        var error = Opened().Refuses(Cmd.Unfreeze(), T0);

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("LINE_NOT_FROZEN", error.Reason);
        Assert.Null(error.Field);
        Assert.Contains("ACTIVE", error.Message);
    }

    [Fact]
    public void Unfreezing_a_matured_line_is_refused_and_names_its_status() =>
        Assert.Contains("MATURED", Opened(termDays: 1).Refuses(Cmd.Unfreeze(), OnDay(1)).Message);

    [Fact]
    public void Unfreezing_a_closed_line_is_refused_and_names_its_status()
    {
        var closed = Opened().Then(Cmd.Close());

        closed.AssertRefused(Cmd.Unfreeze(), T0, ErrorKind.FailedPrecondition, "LINE_NOT_FROZEN");
        Assert.Contains("CLOSED", closed.Refuses(Cmd.Unfreeze(), T0).Message);
    }

    [Fact]
    public void Raising_the_limit_makes_more_credit_available_and_is_journaled()
    {
        var state = Opened().Then(Cmd.Draw(Limit));

        var applied = state.Approves(new AdjustLimitCommand("limit-1", 3_000_000, "annual review") { Actor = "credit-ops" }, T0);

        Assert.Equal(3_000_000, applied.State.LimitMinor);
        Assert.Equal(2_000_000, applied.State.AvailableMinor);
        Assert.Equal(2_000_000, applied.Result.Line.AvailableMinor);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(EntryKind.LimitAdjusted, entry.Kind);
        Assert.Equal("limit-1", entry.RequestId);
        Assert.Equal("credit-ops", entry.Actor);
        Assert.Equal(3_000_000, entry.AmountMinor);
        Assert.Equal(3_000_000, entry.LimitAfterMinor);
        Assert.Equal(Limit, entry.DrawnAfterMinor);
        Assert.Equal("annual review", entry.Note);
    }

    [Fact]
    public void Lowering_the_limit_below_what_is_drawn_is_allowed_and_leaves_nothing_available()
    {
        var state = Opened().Then(Cmd.Draw(600_000)).Then(Cmd.Hold(100_000));

        var lowered = state.Approves(Cmd.AdjustLimit(400_000), T0);

        Assert.Equal(400_000, lowered.State.LimitMinor);
        Assert.Equal(0, lowered.State.AvailableMinor);
        Assert.Equal(0, lowered.Result.Line.AvailableMinor);
        Assert.Equal(600_000, lowered.State.DrawnMinor);
        lowered.State.Declines(Cmd.Draw(1), T0, DeclineReason.ExceedsAvailableCredit, EntryKind.DrawDeclined);
        lowered.State.Declines(Cmd.Hold(1), T0, DeclineReason.ExceedsAvailableCredit, EntryKind.HoldDeclined);
        Assert.Equal(DeclineReason.ExceedsAvailableCredit, lowered.State.CheckLimit(1, T0).DeclineReason);
    }

    [Fact]
    public void A_line_over_its_lowered_limit_has_credit_again_only_once_repaid_below_it()
    {
        var state = Opened().Then(Cmd.Draw(600_000)).Then(Cmd.AdjustLimit(400_000));

        var stillOver = state.Then(Cmd.Repay(200_000));
        Assert.Equal(0, stillOver.AvailableMinor);

        var under = stillOver.Then(Cmd.Repay(1));
        Assert.Equal(1, under.AvailableMinor);
        under.Approves(Cmd.Draw(1), T0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Limits.MaxAmountMinor)]
    public void The_limit_may_be_set_to_anything_from_zero_to_the_largest_amount(long limitMinor)
    {
        var state = Opened().Then(Cmd.AdjustLimit(limitMinor));

        Assert.Equal(limitMinor, state.LimitMinor);
        Assert.Equal(limitMinor, state.AvailableMinor);
    }

    [Theory]
    [InlineData(-1, "LIMIT_MUST_NOT_BE_NEGATIVE")]
    [InlineData(long.MinValue, "LIMIT_MUST_NOT_BE_NEGATIVE")]
    [InlineData(Limits.MaxAmountMinor + 1, "AMOUNT_TOO_LARGE")]
    [InlineData(long.MaxValue, "AMOUNT_TOO_LARGE")]
    public void A_limit_out_of_range_is_refused(long limitMinor, string reason) =>
        Opened().AssertRefused(Cmd.AdjustLimit(limitMinor), T0, ErrorKind.InvalidArgument, reason, "limit_minor");

    [Fact]
    public void The_limit_of_a_frozen_line_may_be_adjusted_and_it_stays_frozen()
    {
        var applied = Opened().Then(Cmd.Freeze()).Approves(Cmd.AdjustLimit(2_000_000), T0);

        Assert.Equal(LineStatus.Frozen, applied.State.Status);
        Assert.Equal(2_000_000, applied.State.LimitMinor);
    }

    [Fact]
    public void Adjusting_the_limit_of_a_closed_line_is_refused() =>
        Opened().Then(Cmd.Close()).AssertRefused(Cmd.AdjustLimit(1), T0, ErrorKind.FailedPrecondition, "LINE_CLOSED");

    [Fact]
    public void Closing_a_line_that_owes_nothing_closes_it_and_is_journaled()
    {
        var state = Opened().Then(Cmd.Draw(1_000)).Then(Cmd.Repay(1_000));
        var at = T0.AddHours(1);

        var applied = state.Approves(new CloseLineCommand("close-1", "customer request") { Actor = "credit-ops" }, at);

        Assert.Equal(LineStatus.Closed, applied.State.Status);
        Assert.Equal(LineStatus.Closed, applied.Result.Line.Status);
        Assert.Equal(LineStatus.Closed, applied.State.ViewAt(OnDay(400)).Status);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(EntryKind.LineClosed, entry.Kind);
        Assert.Equal(at, entry.At);
        Assert.Equal("close-1", entry.RequestId);
        Assert.Equal("credit-ops", entry.Actor);
        Assert.Equal("customer request", entry.Note);
        Assert.Equal(0, entry.AmountMinor);
        Assert.Equal(LineStatus.Closed, entry.StatusAfter);
    }

    [Fact]
    public void Closing_a_line_with_principal_drawn_is_refused()
    {
        var state = Opened().Then(Cmd.Draw(1));

        state.AssertRefused(Cmd.Close(), T0, ErrorKind.FailedPrecondition, "LINE_HAS_OUTSTANDING_BALANCE");
        Assert.Contains("1 fen principal, 0 fen interest and 0 fen penalty interest", state.Refuses(Cmd.Close(), T0).Message);
    }

    [Fact]
    public void Closing_a_line_with_principal_left_after_its_interest_was_paid_is_refused()
    {
        // Thirty days on 1,000,000 fen accrue 3,041 fen: repaying 1,000,000 pays that first and leaves 3,041 drawn.
        var state = Opened().Then(Cmd.Draw(Limit)).Then(Cmd.Repay(Limit), OnDay(30));

        Assert.Equal(3_041, state.DrawnMinor);
        state.AssertRefused(Cmd.Close(), OnDay(30), ErrorKind.FailedPrecondition, "LINE_HAS_OUTSTANDING_BALANCE");
    }

    [Fact]
    public void Closing_a_line_that_owes_only_interest_is_refused()
    {
        // Repayments pay interest first, so no command leaves interest without principal; a stored state can.
        var state = Opened() with { AccruedInterestMinor = 1 };

        state.AssertRefused(Cmd.Close(), T0, ErrorKind.FailedPrecondition, "LINE_HAS_OUTSTANDING_BALANCE");
        Assert.Contains("0 fen principal, 1 fen interest and 0 fen penalty interest", state.Refuses(Cmd.Close(), T0).Message);
    }

    [Fact]
    public void Closing_a_line_with_an_open_hold_is_refused()
    {
        var state = Opened().Then(Cmd.Hold(1, ttlSeconds: 60));

        state.AssertRefused(Cmd.Close(), T0, ErrorKind.FailedPrecondition, "LINE_HAS_OPEN_HOLDS");
        state.AssertRefused(Cmd.Close(), T0.AddSeconds(60).AddTicks(-1), ErrorKind.FailedPrecondition, "LINE_HAS_OPEN_HOLDS");
    }

    [Fact]
    public void An_expired_hold_does_not_keep_a_line_open()
    {
        var applied = Opened().Then(Cmd.Hold(1, ttlSeconds: 60)).Approves(Cmd.Close(), T0.AddSeconds(60));

        Assert.Equal([EntryKind.HoldExpired, EntryKind.LineClosed], applied.Entries.Select(e => e.Kind));
        Assert.Equal(LineStatus.Closed, applied.State.Status);
    }

    [Fact]
    public void Closing_a_closed_line_is_refused() =>
        Opened().Then(Cmd.Close()).AssertRefused(Cmd.Close(), T0, ErrorKind.FailedPrecondition, "LINE_ALREADY_CLOSED");

    [Fact]
    public void A_frozen_line_that_owes_nothing_can_be_closed() =>
        Assert.Equal(LineStatus.Closed, Opened().Then(Cmd.Freeze()).Then(Cmd.Close()).Status);

    [Fact]
    public void A_matured_line_that_owes_nothing_can_be_closed() =>
        Assert.Equal(LineStatus.Closed, Opened(termDays: 1).Then(Cmd.Close(), OnDay(2)).Status);

    [Fact]
    public void Closing_forgives_interest_smaller_than_one_fen()
    {
        // One day on 1,000,000 fen: 101 fen, with 0.39 fen carried as the remainder 1,400,000.
        var repaid = Opened().Then(Cmd.Draw(Limit)).Then(Cmd.Repay(Limit + 101), OnDay(1));
        Assert.Equal(1_400_000, repaid.InterestRemainder);

        var closed = repaid.Then(Cmd.Close(), OnDay(1));

        Assert.Equal(0, closed.InterestRemainder);
        Assert.Equal(0, closed.AccruedInterestMinor);
    }

    [Fact]
    public void A_closed_line_declines_draws_and_holds_and_refuses_every_other_change()
    {
        var closed = Opened().Then(Cmd.Close());

        closed.Declines(Cmd.Draw(1), T0, DeclineReason.LineClosed, EntryKind.DrawDeclined);
        closed.Declines(Cmd.Hold(1), T0, DeclineReason.LineClosed, EntryKind.HoldDeclined);
        Assert.Equal(DeclineReason.LineClosed, closed.CheckLimit(1, T0).DeclineReason);
        closed.AssertRefused(Cmd.Repay(1), T0, ErrorKind.FailedPrecondition, "LINE_CLOSED");
        closed.AssertRefused(Cmd.AdjustLimit(1), T0, ErrorKind.FailedPrecondition, "LINE_CLOSED");
        closed.AssertRefused(Cmd.Freeze(), T0, ErrorKind.FailedPrecondition, "LINE_CLOSED");
        closed.AssertRefused(Cmd.Unfreeze(), T0, ErrorKind.FailedPrecondition, "LINE_NOT_FROZEN");
        closed.AssertRefused(Cmd.Capture("H2"), T0, ErrorKind.NotFound, "HOLD_NOT_FOUND", "hold_id");
        closed.AssertRefused(Cmd.Release("H2"), T0, ErrorKind.NotFound, "HOLD_NOT_FOUND", "hold_id");
        closed.AssertRefused(Cmd.Close(), T0, ErrorKind.FailedPrecondition, "LINE_ALREADY_CLOSED");
    }

    [Theory]
    [InlineData("freeze")]
    [InlineData("unfreeze")]
    [InlineData("adjust")]
    [InlineData("close")]
    public void An_admin_note_may_hold_up_to_the_longest_note_and_no_more(string name)
    {
        LineCommand WithNote(string note) => name switch
        {
            "freeze" => Cmd.Freeze(note),
            "unfreeze" => Cmd.Unfreeze(note),
            "adjust" => Cmd.AdjustLimit(Limit, note),
            "close" => Cmd.Close(note),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var state = name == "unfreeze" ? Opened().Then(Cmd.Freeze()) : Opened();
        var longest = new string('n', Limits.MaxNoteLength);

        Assert.Equal(longest, state.Approves(WithNote(longest), T0).Entries[^1].Note);
        state.AssertRefused(WithNote(longest + "n"), T0, ErrorKind.InvalidArgument, "TEXT_TOO_LONG", "reason");
    }
}
