using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>Renewal without principal repaid (无还本续贷), risk signals and the interest subsidy on the line.</summary>
public sealed class RenewalAndSignalTests
{
    private const int Window = 60;
    private const long FiveMillionCny = 500_000_000;

    /// <summary>A 91-day line, maturing on Monday 1 June 2026 (90 days end on a Sunday, which rolls to it): its renewal window opens on day 31.</summary>
    // 91 days from Monday 2 March 2026 is Monday 1 June (a working day): the 60-day window opens on day 31.
    private static LineState NinetyDayLine() => Opened(limitMinor: FiveMillionCny, termDays: 91).Then(Cmd.Draw(200_000_000));

    private static RenewLineCommand Renew(bool eligible = true, string id = "renew-1", params string[] reasons) =>
        new(id, "D-R", "fp") { Actor = TestLine.Caller, Eligible = eligible, Reasons = [.. reasons], WindowDays = Window, TermMonths = 12, Product = Product.SrdiELoan, LimitMinor = FiveMillionCny, AnnualRateBps = Rate };

    /// <summary>A renewal at the terms a fresh assessment gave (a renewal reprices).</summary>
    private static RenewLineCommand RenewAt(long limitMinor, int rateBps, Product product = Product.SrdiELoan, int subsidyBps = 0) =>
        Renew() with { LimitMinor = limitMinor, AnnualRateBps = rateBps, Product = product, SubsidyBps = subsidyBps };

    [Fact]
    public void A_renewal_takes_the_fresh_assessments_limit_rate_and_product()
    {
        // Issue 10: a renewal kept the old limit and rate whatever the fresh assessment said.
        var applied = NinetyDayLine().Approves(RenewAt(300_000_000, 450, Product.OperatingQuickLoan), OnDay(35));

        var line = applied.Result.Line;
        Assert.Equal((300_000_000L, 450, Product.OperatingQuickLoan), (line.LimitMinor, line.AnnualRateBps, line.Product));
        Assert.Equal((200_000_000L, 100_000_000L), (line.DrawnMinor, line.AvailableMinor));
        Assert.Equal("", applied.Result.Note);
        Assert.Equal(300_000_000, applied.Entries[^1].LimitAfterMinor);
    }

    [Fact]
    public void A_renewal_below_the_balance_is_granted_with_nothing_available_and_says_so()
    {
        // 2M CNY drawn, renewed at 1M CNY: the balance stays (no principal is repaid to renew).
        var applied = NinetyDayLine().Approves(RenewAt(100_000_000, 500), OnDay(35));

        var line = applied.Result.Line;
        Assert.True(applied.Result.Approved);
        Assert.Equal((100_000_000L, 200_000_000L, 0L, 1), (line.LimitMinor, line.DrawnMinor, line.AvailableMinor, line.RenewalCount));
        Assert.Equal(ReasonCodes.BalanceExceedsRenewedLimit, applied.Result.Note);
        Assert.Equal((EntryKind.LineRenewed, ReasonCodes.BalanceExceedsRenewedLimit), (applied.Entries[^1].Kind, applied.Entries[^1].Note));
        var draw = applied.State.Applies(Cmd.Draw(1), OnDay(36));
        Assert.Equal(DeclineReason.ExceedsAvailableCredit, draw.Result.DeclineReason);
    }

    [Fact]
    public void A_renewal_at_exactly_the_balance_is_granted_without_the_note() =>
        Assert.Equal("", NinetyDayLine().Approves(RenewAt(200_000_000, 500), OnDay(35)).Result.Note);

    [Fact]
    public void A_renewed_subsidy_never_exceeds_the_renewed_rate() =>
        Assert.Equal(300, NinetyDayLine().Approves(RenewAt(300_000_000, 300, subsidyBps: 300), OnDay(35)).State.SubsidyBps);

    [Fact]
    public void An_eligible_renewal_without_new_terms_is_a_bug_refused_as_invalid() =>
        NinetyDayLine().AssertRefused(Renew() with { LimitMinor = 0 }, OnDay(30), ErrorKind.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "limit_minor");

    private static ApplyRiskSignalCommand Signal(RiskEffect effect, int lowerBy = 0, RiskSignalType type = RiskSignalType.Litigation, RiskSeverity severity = RiskSeverity.Moderate, string note = "", string id = "signal-1") =>
        new(id, type, severity, note) { Actor = TestLine.Caller, Effect = effect, LowerByBps = lowerBy, ReasonCode = "MODERATE_LITIGATION_REPORTED" };

    [Fact]
    public void A_renewal_within_the_window_extends_maturity_by_the_term_and_keeps_the_balance()
    {
        var state = NinetyDayLine();

        var applied = state.Approves(Renew(), OnDay(31));

        var line = applied.Result.Line;
        Assert.Equal(Day0.AddDays(91).AddMonths(12), line.MaturesOn);
        Assert.Equal((200_000_000L, 1, "D-R"), (line.DrawnMinor, line.RenewalCount, line.LastDecisionId));
        var entry = Assert.Single(applied.Entries);
        Assert.Equal((EntryKind.LineRenewed, "D-R", line.MaturesOn), (entry.Kind, entry.DecisionId, entry.MaturesOnAfter!.Value));
    }

    [Fact]
    public void A_renewal_the_day_before_the_window_opens_is_declined_and_journaled_with_its_reason()
    {
        var state = NinetyDayLine();

        var applied = state.Applies(Renew(), OnDay(30));

        Assert.False(applied.Result.Approved);
        Assert.Equal(ReasonCodes.RenewalWindowNotOpen, applied.Result.Note);
        Assert.Equal((EntryKind.RenewalDeclined, ReasonCodes.RenewalWindowNotOpen), (applied.Entries[^1].Kind, applied.Entries[^1].Note));
        AssertSameBalances(state.ViewAt(OnDay(30)), applied.Result.Line);
        Assert.Equal(state.MaturesOn, applied.State.MaturesOn);
    }

    [Fact]
    public void A_renewal_on_the_last_day_before_maturity_is_granted_and_on_the_maturity_date_is_not()
    {
        var state = NinetyDayLine();

        Assert.True(state.Applies(Renew(), OnDay(90)).Result.Approved);
        Assert.Equal(ReasonCodes.LinePastMaturity, state.Applies(Renew(), OnDay(91)).Result.Note);
    }

    [Fact]
    public void A_frozen_or_closed_line_is_not_renewed()
    {
        Assert.Equal(ReasonCodes.LineFrozen, NinetyDayLine().Then(Cmd.Freeze()).Applies(Renew(), OnDay(40)).Result.Note);
        Assert.Equal(ReasonCodes.LineClosed, Opened(termDays: 90).Then(Cmd.Close()).Applies(Renew(), OnDay(40)).Result.Note);
    }

    [Fact]
    public void A_renewal_the_assessment_found_not_eligible_is_declined_with_every_reason()
    {
        var applied = NinetyDayLine().Applies(Renew(false, "renew-1", ReasonCodes.OverdueInLast12Months, ReasonCodes.ScoreBelowRenewalThreshold), OnDay(40));

        Assert.False(applied.Result.Approved);
        Assert.Equal("OVERDUE_IN_LAST_12_MONTHS,SCORE_BELOW_RENEWAL_THRESHOLD", applied.Entries[^1].Note);
        Assert.Equal(0, applied.State.RenewalCount);
    }

    [Fact]
    public void A_renewal_of_an_enterprise_without_a_line_is_not_found() =>
        LineState.NotOpened.AssertRefused(Renew(), T0, ErrorKind.NotFound, "LINE_NOT_FOUND", "enterprise_id");

    [Fact]
    public void A_second_renewal_in_a_row_finds_the_window_closed_again()
    {
        var renewed = NinetyDayLine().Then(Renew(), OnDay(31));

        Assert.Equal(ReasonCodes.RenewalWindowNotOpen, renewed.Applies(Renew(id: "renew-2"), OnDay(32)).Result.Note);
    }

    [Fact]
    public void A_severe_signal_freezes_the_line_and_repayment_still_works()
    {
        var applied = NinetyDayLine().Approves(Signal(RiskEffect.Freeze, severity: RiskSeverity.Severe, note: "court filing 2026-114"), OnDay(1));

        Assert.Equal(LineStatus.Frozen, applied.Result.Line.Status);
        var entry = applied.Entries[^1];
        Assert.Equal((EntryKind.RiskSignalApplied, RiskSignalType.Litigation, RiskSeverity.Severe, RiskEffect.Freeze), (entry.Kind, entry.SignalType, entry.SignalSeverity, entry.SignalEffect));
        Assert.Equal("MODERATE_LITIGATION_REPORTED: court filing 2026-114", entry.Note);
        applied.State.Declines(Cmd.Draw(1), OnDay(1), DeclineReason.LineFrozen, EntryKind.DrawDeclined);
        applied.State.Approves(Cmd.Repay(1_000), OnDay(1));
    }

    [Fact]
    public void A_moderate_signal_lowers_the_limit_by_its_share_rounded_down_to_ten_thousand_cny()
    {
        var state = Opened(limitMinor: 555_555_555);

        var applied = state.Approves(Signal(RiskEffect.LowerLimit, lowerBy: 2000), T0);

        // 80% of 5,555,555.55 CNY is 4,444,444.44, rounded down to 4,440,000 CNY.
        Assert.Equal(444_000_000, applied.Result.Line.LimitMinor);
        Assert.Equal((RiskEffect.LowerLimit, 2000), (applied.Result.SignalEffect, applied.Result.LowerByBps));
    }

    [Fact]
    public void A_low_signal_is_only_recorded()
    {
        var state = NinetyDayLine();

        var applied = state.Approves(Signal(RiskEffect.RecordOnly, severity: RiskSeverity.Low), T0);

        AssertSameBalances(state.ViewAt(T0), applied.Result.Line);
        Assert.Equal(RiskEffect.RecordOnly, applied.Entries[^1].SignalEffect);
    }

    [Fact]
    public void A_signal_on_a_closed_line_is_recorded_without_effect()
    {
        var closed = Opened().Then(Cmd.Close());

        var applied = closed.Approves(Signal(RiskEffect.Freeze), T0);

        Assert.Equal((LineStatus.Closed, RiskEffect.RecordOnly), (applied.Result.Line.Status, applied.Entries[^1].SignalEffect));
    }

    [Fact]
    public void A_signal_without_a_type_or_severity_is_refused()
    {
        Opened().AssertRefused(Signal(RiskEffect.Freeze, type: RiskSignalType.None), T0, ErrorKind.InvalidArgument, "SIGNAL_TYPE_REQUIRED", "signal_type");
        Opened().AssertRefused(Signal(RiskEffect.Freeze, severity: RiskSeverity.None), T0, ErrorKind.InvalidArgument, "SEVERITY_REQUIRED", "severity");
        Opened().AssertRefused(Signal(RiskEffect.Freeze, note: new string('n', 257)), T0, ErrorKind.InvalidArgument, "TEXT_TOO_LONG", "note");
    }

    [Fact]
    public void A_repayment_records_the_subsidised_share_of_the_interest_paid()
    {
        var state = LineState.NotOpened.Then(Cmd.Open(rateBps: 365) with { SubsidyBps = 100 }).Then(Cmd.Draw(1_000_000));

        var applied = state.Approves(Cmd.Repay(5_000), OnDay(30));

        // 3,041 fen of interest; 100 of 365 bps is subsidised: ⌊3,041 × 100 / 365⌋ = 833 fen.
        Assert.Equal((3_041L, 833L), (applied.Result.InterestPaidMinor, applied.Result.SubsidisedInterestMinor));
        Assert.Equal(833, applied.Entries[^1].SubsidisedInterestMinor);
    }

    [Fact]
    public void A_repayment_of_principal_only_records_no_subsidy()
    {
        var state = LineState.NotOpened.Then(Cmd.Open(rateBps: 365) with { SubsidyBps = 100 }).Then(Cmd.Draw(1_000_000));

        Assert.Equal(0, state.Approves(Cmd.Repay(5_000), T0).Result.SubsidisedInterestMinor);
    }

    [Fact]
    public void An_opening_with_a_subsidy_above_its_rate_is_refused() =>
        LineState.NotOpened.AssertRefused(Cmd.Open(rateBps: 300) with { SubsidyBps = 301 }, T0, ErrorKind.InvalidArgument, "SUBSIDY_OUT_OF_RANGE", "subsidy_bps");

    [Fact]
    public void An_opening_without_a_subsidy_keeps_the_fingerprint_it_always_had() =>
        Assert.Equal("open:1000000:365:365:1", Cmd.Open().Fingerprint);
}
