using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>Credit decisions recorded on the line: approvals open or update it, every decision is journaled.</summary>
public sealed class DecisionCommandTests
{
    private const long Granted = 500_000_000;

    private static RecordDecisionCommand Approve(long limit = Granted, int rate = 345, int months = 12, string decisionId = "D-1", string id = "assess-1", int subsidy = 0) =>
        new(id, decisionId, "fp") { Actor = TestLine.Caller, Outcome = Outcome.Approve, Product = Product.SrdiELoan, LimitMinor = limit, AnnualRateBps = rate, TermMonths = months, AverageMonthlyInflowMinor = 7_000_000, SubsidyBps = subsidy };

    private static RecordDecisionCommand Decline(string decisionId = "D-2", string id = "assess-2") =>
        new(id, decisionId, "fp") { Actor = TestLine.Caller, Outcome = Outcome.Decline };

    [Fact]
    public void An_approval_for_an_enterprise_without_a_line_opens_it_for_the_product_term()
    {
        var applied = LineState.NotOpened.Approves(Approve(), T0);

        var line = applied.Result.Line;
        Assert.Equal((LineStatus.Active, Product.SrdiELoan, Granted, 345), (line.Status, line.Product, line.LimitMinor, line.AnnualRateBps));
        Assert.Equal((Day0, Day0.AddMonths(12), "D-1"), (line.OpenedOn, line.MaturesOn, line.LastDecisionId));
        Assert.Equal(7_000_000, applied.State.OriginationAverageMonthlyInflowMinor);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal((EntryKind.LineOpened, "D-1", Outcome.Approve, Granted), (entry.Kind, entry.DecisionId, entry.DecisionOutcome, entry.AmountMinor));
        Assert.Equal(Day0.AddMonths(12), entry.MaturesOnAfter);
    }

    [Fact]
    public void A_decline_for_an_enterprise_without_a_line_is_journaled_and_opens_nothing()
    {
        var applied = LineState.NotOpened.Applies(Decline(), T0);

        Assert.False(applied.State.Exists);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal((EntryKind.DecisionRecorded, "D-2", Outcome.Decline, LineStatus.None), (entry.Kind, entry.DecisionId, entry.DecisionOutcome, entry.StatusAfter));
        applied.State.AssertRefused(Cmd.Draw(1), T0, ErrorKind.NotFound, "LINE_NOT_FOUND", "enterprise_id");
    }

    [Fact]
    public void A_referral_on_an_open_line_changes_nothing_but_the_journal()
    {
        var state = Opened().Then(Cmd.Draw(100_000));
        var referral = new RecordDecisionCommand("assess-3", "D-3", "fp") { Actor = TestLine.Caller, Outcome = Outcome.Refer };

        var applied = state.Applies(referral, T0);

        AssertSameBalances(state.ViewAt(T0), applied.Result.Line);
        Assert.Equal((EntryKind.DecisionRecorded, Outcome.Refer), (applied.Entries[0].Kind, applied.Entries[0].DecisionOutcome));
        Assert.Equal("D-3", applied.State.LastDecisionId);
    }

    [Fact]
    public void An_approval_on_an_open_line_sets_the_new_limit_and_rate_and_keeps_balance_and_maturity()
    {
        var state = Opened(termDays: 30).Then(Cmd.Draw(100_000));

        var applied = state.Approves(Approve(limit: 300_000_000, rate: 400), OnDay(3));

        var line = applied.Result.Line;
        Assert.Equal((300_000_000L, 400, 100_000L), (line.LimitMinor, line.AnnualRateBps, line.DrawnMinor));
        Assert.Equal((Day0, Day0.AddDays(30)), (line.OpenedOn, line.MaturesOn));
        Assert.Equal(EntryKind.LimitAdjusted, applied.Entries[0].Kind);
        Assert.Null(applied.Entries[0].MaturesOnAfter);
    }

    [Fact]
    public void An_approval_on_a_line_past_its_maturity_no_longer_starts_a_new_term()
    {
        // Issue 10: AssessEnterprise on a matured line started a new term around the renewal rules.
        var state = Opened(termDays: 30);

        state.AssertRefused(Approve(months: 6) with { RenewalWindowDays = 10 }, OnDay(40), ErrorKind.FailedPrecondition, "LINE_DUE_FOR_RENEWAL");
        state.AssertRefused(Approve(months: 6), OnDay(30), ErrorKind.FailedPrecondition, "LINE_DUE_FOR_RENEWAL"); // the maturity date itself
    }

    [Fact]
    public void An_approval_inside_the_renewal_window_is_refused_and_the_day_before_it_reprices_the_line()
    {
        var state = Opened(termDays: 90);
        var approve = Approve(limit: 300_000_000, rate: 400) with { RenewalWindowDays = 60 };

        // 90 days from Monday 2 March 2026 is Sunday 31 May: the maturity rolls to Monday 1 June, day 91,
        // so the 60-day window opens on day 31.
        Assert.Equal(Day0.AddDays(91), state.MaturesOn);
        state.AssertRefused(approve, OnDay(31), ErrorKind.FailedPrecondition, "LINE_DUE_FOR_RENEWAL");
        var applied = state.Approves(approve, OnDay(30));
        Assert.Equal((300_000_000L, 400, Day0.AddDays(91)), (applied.Result.Line.LimitMinor, applied.Result.Line.AnnualRateBps, applied.Result.Line.MaturesOn));
    }

    [Fact]
    public void A_decline_is_still_recorded_on_a_line_due_for_renewal() =>
        Assert.True(Opened(termDays: 30).Applies(Decline(), OnDay(40)).Result.Approved);

    [Fact]
    public void An_approval_reopens_a_closed_line()
    {
        var closed = Opened().Then(Cmd.Close());

        var applied = closed.Approves(Approve(), OnDay(1));

        Assert.Equal((LineStatus.Active, Day0.AddDays(1)), (applied.Result.Line.Status, applied.Result.Line.OpenedOn));
        Assert.Equal(EntryKind.LineOpened, applied.Entries[0].Kind);
    }

    [Fact]
    public void An_approval_keeps_a_frozen_line_frozen()
    {
        var frozen = Opened().Then(Cmd.Freeze());

        var applied = frozen.Approves(Approve(), T0);

        Assert.Equal((LineStatus.Frozen, Granted), (applied.Result.Line.Status, applied.Result.Line.LimitMinor));
    }

    [Fact]
    public void A_subsidy_above_the_granted_rate_is_cut_to_the_rate()
    {
        var applied = LineState.NotOpened.Approves(Approve(rate: 300, subsidy: 500), T0);

        Assert.Equal(300, applied.State.SubsidyBps);
    }

    [Theory]
    [InlineData("", "assess", "decision_id", "DECISION_ID_REQUIRED")]
    [InlineData("D-1", "", "request_id", "REQUEST_ID_REQUIRED")]
    public void A_decision_without_its_ids_is_refused(string decisionId, string requestId, string field, string reason) =>
        LineState.NotOpened.AssertRefused(Approve(decisionId: decisionId, id: requestId), T0, ErrorKind.InvalidArgument, reason, field);

    [Fact]
    public void An_approval_without_a_limit_or_a_term_is_refused()
    {
        LineState.NotOpened.AssertRefused(Approve(limit: 0), T0, ErrorKind.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "limit_minor");
        LineState.NotOpened.AssertRefused(Approve(months: 0), T0, ErrorKind.InvalidArgument, "TERM_OUT_OF_RANGE", "term_months");
        LineState.NotOpened.AssertRefused(Approve(months: 61), T0, ErrorKind.InvalidArgument, "TERM_OUT_OF_RANGE", "term_months");
    }

    [Fact]
    public void A_decision_without_an_outcome_is_refused() =>
        LineState.NotOpened.AssertRefused(new RecordDecisionCommand("a", "D", "fp") { Actor = TestLine.Caller, Outcome = Outcome.None }, T0, ErrorKind.InvalidArgument, "OUTCOME_REQUIRED", "outcome");

    [Fact]
    public void A_decline_needs_no_limit_rate_or_term() => Assert.Null(Decline().Validate());

    [Fact]
    public void The_fingerprint_of_a_decision_is_the_request_it_answers_not_what_was_decided()
    {
        Assert.Equal(Approve().Fingerprint, Approve(limit: 1_000_000, rate: 500).Fingerprint);
        Assert.NotEqual(Approve().Fingerprint, (Approve() with { RequestFingerprint = "other" }).Fingerprint);
        Assert.NotEqual(Approve().Fingerprint, Approve(decisionId: "D-9").Fingerprint);
    }
}
