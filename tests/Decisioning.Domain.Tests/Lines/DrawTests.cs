using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

public sealed class DrawTests
{
    [Fact]
    public void A_draw_within_available_credit_is_approved_and_journaled()
    {
        var at = T0.AddHours(1);

        var applied = Opened().Approves(new DrawCommand("draw-42", 300_000) { Actor = "payments" }, at);

        Assert.Equal(300_000, applied.State.DrawnMinor);
        Assert.Equal(700_000, applied.State.AvailableMinor);
        Assert.Equal(2, applied.Result.Sequence);
        Assert.Equal(300_000, applied.Result.Line.DrawnMinor);
        Assert.Equal(0, applied.Result.Line.HeldMinor);
        Assert.Equal(Limit, applied.Result.Line.LimitMinor);
        Assert.Equal(700_000, applied.Result.Line.AvailableMinor);
        Assert.Equal(LineStatus.Active, applied.Result.Line.Status);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(2, entry.Sequence);
        Assert.Equal(at, entry.At);
        Assert.Equal(EntryKind.Draw, entry.Kind);
        Assert.Equal("draw-42", entry.RequestId);
        Assert.Equal("payments", entry.Actor);
        Assert.Equal(300_000, entry.AmountMinor);
        Assert.Equal(Limit, entry.LimitAfterMinor);
        Assert.Equal(300_000, entry.DrawnAfterMinor);
        Assert.Equal(0, entry.HeldAfterMinor);
        Assert.Equal(0, entry.AccruedInterestAfterMinor);
        Assert.Equal(LineStatus.Active, entry.StatusAfter);
    }

    [Fact]
    public void Successive_draws_add_up_and_their_sequences_increase_by_one()
    {
        var state = Opened();

        for (var i = 1; i <= 4; i++)
        {
            var applied = state.Approves(Cmd.Draw(250_000, $"draw-{i}"), T0.AddMinutes(i));
            Assert.Equal(1 + i, applied.Result.Sequence);
            Assert.Equal(250_000 * i, applied.State.DrawnMinor);
            state = applied.State;
        }

        Assert.Equal(0, state.AvailableMinor);
        state.Declines(Cmd.Draw(1), T0.AddMinutes(5), DeclineReason.ExceedsAvailableCredit, EntryKind.DrawDeclined);
    }

    [Fact]
    public void Drawing_exactly_the_available_credit_is_approved()
    {
        var state = Opened().Then(Cmd.Draw(200_000)).Then(Cmd.Hold(100_000));
        Assert.Equal(700_000, state.AvailableMinor);

        var applied = state.Approves(Cmd.Draw(700_000), T0);

        Assert.Equal(900_000, applied.State.DrawnMinor);
        Assert.Equal(0, applied.Result.Line.AvailableMinor);
        Assert.Equal(applied.State.LimitMinor, applied.State.DrawnMinor + applied.State.HeldMinor);
    }

    [Fact]
    public void Drawing_one_fen_more_than_the_available_credit_is_declined()
    {
        var state = Opened().Then(Cmd.Draw(200_000)).Then(Cmd.Hold(100_000));

        var applied = state.Declines(Cmd.Draw(700_001), T0, DeclineReason.ExceedsAvailableCredit, EntryKind.DrawDeclined);

        Assert.Equal(700_001, applied.Entries[^1].AmountMinor);
        Assert.Equal(700_000, applied.Result.Line.AvailableMinor);
    }

    [Fact]
    public void Draw_beyond_available_credit_is_declined() =>
        Opened().Declines(Cmd.Draw(Limit + 1), T0, DeclineReason.ExceedsAvailableCredit, EntryKind.DrawDeclined);

    [Fact]
    public void A_draw_of_one_fen_is_approved() =>
        Assert.Equal(1, Opened().Approves(Cmd.Draw(1), T0).State.DrawnMinor);

    [Fact]
    public void The_largest_draw_on_the_largest_line_is_approved()
    {
        var applied = Opened(Limits.MaxAmountMinor).Approves(Cmd.Draw(Limits.MaxAmountMinor), T0);

        Assert.Equal(Limits.MaxAmountMinor, applied.State.DrawnMinor);
        Assert.Equal(0, applied.State.AvailableMinor);
    }

    [Fact]
    public void A_declined_draw_changes_no_balance_but_stands_in_the_journal()
    {
        var state = Opened().Then(Cmd.Draw(600_000));

        var applied = state.Declines(new DrawCommand("too-much", 400_001) { Actor = "channel" }, T0, DeclineReason.ExceedsAvailableCredit, EntryKind.DrawDeclined);

        Assert.Equal(state with { Sequence = state.Sequence + 1 }, applied.State);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal("too-much", entry.RequestId);
        Assert.Equal("channel", entry.Actor);
        Assert.Equal(400_001, entry.AmountMinor);
        Assert.Equal(600_000, entry.DrawnAfterMinor);
    }

    [Fact]
    public void A_draw_on_a_frozen_line_is_declined() =>
        Opened().Then(Cmd.Freeze()).Declines(Cmd.Draw(1), T0, DeclineReason.LineFrozen, EntryKind.DrawDeclined);

    [Fact]
    public void A_frozen_line_declines_as_frozen_even_a_draw_beyond_available_credit() =>
        Opened().Then(Cmd.Freeze()).Declines(Cmd.Draw(Limit + 1), T0, DeclineReason.LineFrozen, EntryKind.DrawDeclined);

    [Fact]
    public void A_draw_on_a_closed_line_is_declined() =>
        Opened().Then(Cmd.Close()).Declines(Cmd.Draw(1), T0, DeclineReason.LineClosed, EntryKind.DrawDeclined);

    [Fact]
    public void A_draw_on_a_matured_line_is_declined() =>
        Opened(termDays: 30).Declines(Cmd.Draw(1), OnDay(30), DeclineReason.LineMatured, EntryKind.DrawDeclined);

    [Fact]
    public void Expired_holds_count_as_available_again_for_a_draw()
    {
        var state = Opened().Then(Cmd.Hold(Limit, ttlSeconds: 60));

        state.Declines(Cmd.Draw(1), T0.AddSeconds(59), DeclineReason.ExceedsAvailableCredit, EntryKind.DrawDeclined);
        var applied = state.Approves(Cmd.Draw(Limit), T0.AddSeconds(60));

        Assert.Equal([EntryKind.HoldExpired, EntryKind.Draw], applied.Entries.Select(e => e.Kind));
    }

    [Theory]
    [InlineData(0, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(-1, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(long.MinValue, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(Limits.MaxAmountMinor + 1, "AMOUNT_TOO_LARGE")]
    [InlineData(long.MaxValue, "AMOUNT_TOO_LARGE")]
    public void A_draw_of_a_malformed_amount_is_refused_even_on_a_line_that_would_decline_it(long amountMinor, string reason)
    {
        Opened().AssertRefused(Cmd.Draw(amountMinor), T0, ErrorKind.InvalidArgument, reason, "amount_minor");
        Opened().Then(Cmd.Freeze()).AssertRefused(Cmd.Draw(amountMinor), T0, ErrorKind.InvalidArgument, reason, "amount_minor");
    }
}
