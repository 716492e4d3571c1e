using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

public sealed class RepayTests
{
    // 1,000,000 fen at 365 bps for 30 days: 1,000,000 × 365 × 30 / (10,000 × 360) = 3,041.67 fen.
    private const long ThirtyDaysOfInterest = 3_041;

    private static LineState DrawnInFullThirtyDaysAgo() => Opened().Then(Cmd.Draw(Limit));

    [Fact]
    public void A_repayment_with_no_interest_due_pays_principal_and_is_journaled()
    {
        var state = Opened().Then(Cmd.Draw(400_000));
        var at = T0.AddHours(2);

        var applied = state.Approves(new RepayCommand("repay-9", 150_000) { Actor = "servicing" }, at);

        Assert.Equal(250_000, applied.State.DrawnMinor);
        Assert.Equal(750_000, applied.State.AvailableMinor);
        Assert.Equal(0, applied.Result.InterestPaidMinor);
        Assert.Equal(150_000, applied.Result.PrincipalPaidMinor);
        Assert.Equal(250_000, applied.Result.Line.DrawnMinor);
        Assert.Equal(750_000, applied.Result.Line.AvailableMinor);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(EntryKind.Repayment, entry.Kind);
        Assert.Equal(3, entry.Sequence);
        Assert.Equal(at, entry.At);
        Assert.Equal("repay-9", entry.RequestId);
        Assert.Equal("servicing", entry.Actor);
        Assert.Equal(150_000, entry.AmountMinor);
        Assert.Equal(0, entry.InterestPaidMinor);
        Assert.Equal(150_000, entry.PrincipalPaidMinor);
        Assert.Equal(250_000, entry.DrawnAfterMinor);
        Assert.Equal(0, entry.AccruedInterestAfterMinor);
        Assert.Equal(Limit, entry.LimitAfterMinor);
    }

    [Fact]
    public void A_repayment_pays_the_accrued_interest_before_any_principal()
    {
        var applied = DrawnInFullThirtyDaysAgo().Approves(Cmd.Repay(5_000), OnDay(30));

        Assert.Equal(ThirtyDaysOfInterest, applied.Result.InterestPaidMinor);
        Assert.Equal(5_000 - ThirtyDaysOfInterest, applied.Result.PrincipalPaidMinor);
        Assert.Equal(0, applied.State.AccruedInterestMinor);
        Assert.Equal(Limit - (5_000 - ThirtyDaysOfInterest), applied.State.DrawnMinor);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(ThirtyDaysOfInterest, entry.InterestPaidMinor);
        Assert.Equal(1_959, entry.PrincipalPaidMinor);
        Assert.Equal(0, entry.AccruedInterestAfterMinor);
        Assert.Equal(998_041, entry.DrawnAfterMinor);
    }

    [Fact]
    public void A_repayment_smaller_than_the_accrued_interest_pays_only_interest()
    {
        var applied = DrawnInFullThirtyDaysAgo().Approves(Cmd.Repay(1_000), OnDay(30));

        Assert.Equal(1_000, applied.Result.InterestPaidMinor);
        Assert.Equal(0, applied.Result.PrincipalPaidMinor);
        Assert.Equal(ThirtyDaysOfInterest - 1_000, applied.State.AccruedInterestMinor);
        Assert.Equal(Limit, applied.State.DrawnMinor);
        Assert.Equal(0, applied.State.AvailableMinor);
    }

    [Fact]
    public void Repaying_exactly_what_is_owed_clears_the_line()
    {
        var applied = DrawnInFullThirtyDaysAgo().Approves(Cmd.Repay(Limit + ThirtyDaysOfInterest), OnDay(30));

        Assert.Equal(ThirtyDaysOfInterest, applied.Result.InterestPaidMinor);
        Assert.Equal(Limit, applied.Result.PrincipalPaidMinor);
        Assert.Equal(0, applied.State.DrawnMinor);
        Assert.Equal(0, applied.State.AccruedInterestMinor);
        Assert.Equal(Limit, applied.Result.Line.AvailableMinor);
    }

    [Fact]
    public void Repaying_one_fen_more_than_is_owed_is_refused_and_says_what_is_owed()
    {
        var state = DrawnInFullThirtyDaysAgo();

        var error = state.Refuses(Cmd.Repay(Limit + ThirtyDaysOfInterest + 1), OnDay(30));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("REPAYMENT_EXCEEDS_OUTSTANDING", error.Reason);
        Assert.Equal("amount_minor", error.Field);
        Assert.Contains("1003041 fen (0 penalty interest, 3041 interest, 1000000 principal)", error.Message);
        // The refusal also discards the interest it computed on the way: nothing was persisted.
        Assert.Equal(0, state.AccruedInterestMinor);
        Assert.Equal(Day0, state.AccruedThrough);
    }

    [Fact]
    public void Repaying_a_line_that_owes_nothing_is_refused() =>
        Opened().AssertRefused(Cmd.Repay(1), T0, ErrorKind.FailedPrecondition, "REPAYMENT_EXCEEDS_OUTSTANDING", "amount_minor");

    [Fact]
    public void Repaid_principal_is_available_to_draw_again()
    {
        var state = Opened().Then(Cmd.Draw(Limit)).Then(Cmd.Repay(300_000));

        Assert.Equal(300_000, state.AvailableMinor);
        state.Declines(Cmd.Draw(300_001), T0, DeclineReason.ExceedsAvailableCredit, EntryKind.DrawDeclined);
        Assert.Equal(Limit, state.Approves(Cmd.Draw(300_000), T0).State.DrawnMinor);
    }

    [Fact]
    public void A_frozen_line_still_takes_repayments()
    {
        var applied = Opened().Then(Cmd.Draw(500_000)).Then(Cmd.Freeze()).Approves(Cmd.Repay(500_000), T0);

        Assert.Equal(0, applied.State.DrawnMinor);
        Assert.Equal(LineStatus.Frozen, applied.Entries[^1].StatusAfter);
    }

    [Fact]
    public void Repaying_a_closed_line_is_refused() =>
        Opened().Then(Cmd.Close()).AssertRefused(Cmd.Repay(1), T0, ErrorKind.FailedPrecondition, "LINE_CLOSED");

    [Theory]
    [InlineData(0, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(-1, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(long.MinValue, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(Limits.MaxAmountMinor + 1, "AMOUNT_TOO_LARGE")]
    [InlineData(long.MaxValue, "AMOUNT_TOO_LARGE")]
    public void A_repayment_of_a_malformed_amount_is_refused(long amountMinor, string reason) =>
        DrawnInFullThirtyDaysAgo().AssertRefused(Cmd.Repay(amountMinor), OnDay(30), ErrorKind.InvalidArgument, reason, "amount_minor");

    [Fact]
    public void The_largest_repayment_is_accepted()
    {
        var state = Opened(Limits.MaxAmountMinor).Then(Cmd.Draw(Limits.MaxAmountMinor));

        Assert.Equal(0, state.Approves(Cmd.Repay(Limits.MaxAmountMinor), T0).State.DrawnMinor);
    }
}
