using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>Referrals: a REFER decision opens one; reviewers claim and decide it, with four eyes above the limit.</summary>
public sealed class ReferralTests
{
    private static readonly ReferralPolicy Policy = new(CapMinor: 300_000_000, MinLimitMinor: 10_000_000, RateFloorBps: 270, TermMonths: 12);
    private const long FourEyesAbove = 200_000_000;

    private static RecordDecisionCommand Refer(string decisionId = "D-R1", string id = "assess-1") =>
        new(id, decisionId, "fp") { Actor = "channel", Outcome = Outcome.Refer, Product = Product.OperatingQuickLoan };

    private static DecideReferralCommand Decide(string reviewer, bool approve = true, long limit = 150_000_000, int rate = 400, string decisionId = "D-R1", string id = "decide-1", string reason = "CASH_FLOW_VERIFIED", string note = "bank statements checked") =>
        new(id, decisionId, approve, limit, rate, reason, note) { Actor = reviewer, Policy = Policy, SecondReviewAboveMinor = FourEyesAbove, AverageMonthlyInflowMinor = 42 };

    private static ClaimReferralCommand Claim(string reviewer, string decisionId = "D-R1") => new("claim-" + reviewer, decisionId) { Actor = reviewer };

    private static LineState Referred() => LineState.NotOpened.Then(Refer());

    [Fact]
    public void A_referred_decision_opens_a_pending_referral_in_the_same_change()
    {
        var applied = LineState.NotOpened.Approves(Refer(), T0);

        var referral = Assert.Single(applied.State.Referrals);
        Assert.Equal(("D-R1", ReferralStatus.Pending, Product.OperatingQuickLoan, "channel", T0), (referral.DecisionId, referral.Status, referral.Product, referral.ReferredBy, referral.ReferredAt));
        Assert.False(applied.State.Exists);
        Assert.Equal(EntryKind.DecisionRecorded, Assert.Single(applied.Entries).Kind);
    }

    [Fact]
    public void An_approval_within_the_policy_opens_the_line_as_an_automatic_approval_would_and_says_who()
    {
        var applied = Referred().Then(Claim("alice")).Approves(Decide("alice"), OnDay(1));

        var line = applied.Result.Line;
        Assert.Equal((LineStatus.Active, 150_000_000L, 400, "D-R1"), (line.Status, line.LimitMinor, line.AnnualRateBps, line.LastDecisionId));
        var entry = Assert.Single(applied.Entries);
        Assert.Equal((EntryKind.LineOpened, "alice", "D-R1", Outcome.Approve), (entry.Kind, entry.Actor, entry.DecisionId, entry.DecisionOutcome));
        Assert.Equal("CASH_FLOW_VERIFIED: bank statements checked", entry.Note);
        Assert.Equal((ReferralStatus.Approved, "alice"), (applied.Result.Referral!.Status, applied.Result.Referral.Reviewer));
        Assert.Equal(150_000_000, applied.State.GrantedLimitMinor);
    }

    [Theory]
    [InlineData(300_000_001, 400, "LIMIT_ABOVE_PRODUCT_CAP", "limit_minor")]
    [InlineData(9_999_999, 400, "LIMIT_BELOW_MINIMUM", "limit_minor")]
    [InlineData(150_000_000, 269, "RATE_BELOW_PRODUCT_FLOOR", "annual_rate_bps")]
    public void Terms_outside_the_policy_are_refused_naming_the_bound(long limit, int rate, string reason, string field) =>
        Referred().AssertRefused(Decide("alice", limit: limit, rate: rate), OnDay(1), ErrorKind.FailedPrecondition, reason, field);

    [Fact]
    public void The_cap_itself_is_allowed()
    {
        Assert.Equal(300_000_000, Referred().Approves(Decide("alice", limit: 300_000_000, rate: 270) with { SecondReviewAboveMinor = 300_000_000 }, OnDay(1)).Result.Line.LimitMinor);
    }

    [Fact]
    public void Above_the_four_eyes_limit_the_first_approval_waits_and_the_same_reviewer_cannot_complete_it()
    {
        var waiting = Referred().Approves(Decide("alice", limit: 250_000_000), OnDay(1));
        Assert.Equal(ReferralStatus.AwaitingSecondReview, waiting.Result.Referral!.Status);
        Assert.False(waiting.State.Exists);
        Assert.Equal(EntryKind.ReferralApprovalRecorded, waiting.Entries[^1].Kind);

        waiting.State.AssertRefused(Decide("alice", limit: 250_000_000, id: "decide-2"), OnDay(1), ErrorKind.PermissionDenied, "APPROVER_IS_PROPOSER", "decision_id");
        waiting.State.AssertRefused(Decide("bob", limit: 240_000_000, id: "decide-2"), OnDay(1), ErrorKind.FailedPrecondition, "REFERRAL_TERMS_DIFFER", "limit_minor");

        var done = waiting.State.Approves(Decide("bob", limit: 250_000_000, id: "decide-2"), OnDay(2));
        var entry = done.Entries[^1];
        Assert.Equal((EntryKind.LineOpened, "alice", "bob"), (entry.Kind, entry.Actor, entry.ApprovedBy));
        Assert.Equal((ReferralStatus.Approved, "alice", "bob"), (done.Result.Referral!.Status, done.Result.Referral.Reviewer, done.Result.Referral.SecondReviewer));
        Assert.Equal(250_000_000, done.Result.Line.LimitMinor);
    }

    [Fact]
    public void An_approval_reaching_a_line_inside_its_renewal_window_is_refused_as_an_automatic_one_is()
    {
        // Issue 10, one door to a new term: a reviewer's approval may not start a new term either.
        // 90 days from Monday 2 March 2026 roll to Monday 1 June (day 91): a 60-day window opens on day 31.
        var referred = Opened(termDays: 90).Then(Refer(), OnDay(20)).Then(Claim("alice"), OnDay(20));
        var decide = Decide("alice") with { Policy = Policy with { RenewalWindowDays = 60 } };

        referred.AssertRefused(decide, OnDay(40), ErrorKind.FailedPrecondition, "LINE_DUE_FOR_RENEWAL");
        var applied = referred.Approves(decide, OnDay(30));
        Assert.Equal((150_000_000L, 400, Day0.AddDays(91)), (applied.Result.Line.LimitMinor, applied.Result.Line.AnnualRateBps, applied.Result.Line.MaturesOn));
    }

    [Fact]
    public void A_decline_leaves_no_line_and_the_referral_decided()
    {
        var applied = Referred().Approves(Decide("alice", approve: false, reason: "FUND_FLOW_UNEXPLAINED"), OnDay(1));

        Assert.False(applied.State.Exists);
        Assert.Equal((ReferralStatus.Declined, "FUND_FLOW_UNEXPLAINED"), (applied.Result.Referral!.Status, applied.Result.Referral.ReasonCode));
        Assert.Equal(EntryKind.ReferralDeclined, applied.Entries[^1].Kind);
        applied.State.AssertRefused(Decide("bob", id: "decide-2"), OnDay(1), ErrorKind.FailedPrecondition, "REFERRAL_ALREADY_DECIDED", "decision_id");
    }

    [Fact]
    public void A_claimed_referral_is_decided_only_by_its_reviewer()
    {
        var claimed = Referred().Then(Claim("alice"));

        Assert.Equal(("alice", ReferralStatus.Claimed), (claimed.Referrals[0].AssignedTo, claimed.Referrals[0].Status));
        claimed.AssertRefused(Decide("bob"), OnDay(1), ErrorKind.FailedPrecondition, "REFERRAL_CLAIMED_BY_ANOTHER", "decision_id");
        claimed.AssertRefused(Claim("bob"), OnDay(1), ErrorKind.FailedPrecondition, "REFERRAL_CLAIMED_BY_ANOTHER", "decision_id");
    }

    [Theory]
    [InlineData("", "note", "REASON_CODE_REQUIRED", "reason_code")]
    [InlineData("lower_case", "note", "REASON_CODE_MALFORMED", "reason_code")]
    [InlineData("CASH_FLOW_VERIFIED", " ", "NOTE_REQUIRED", "note")]
    public void A_decision_without_a_reason_code_or_a_note_is_invalid(string reason, string note, string code, string field) =>
        Referred().AssertRefused(Decide("alice", reason: reason, note: note), OnDay(1), ErrorKind.InvalidArgument, code, field);

    [Fact]
    public void An_unknown_referral_is_not_found_and_a_newer_decision_supersedes_an_open_one()
    {
        Referred().AssertRefused(Decide("alice", decisionId: "D-X"), OnDay(1), ErrorKind.NotFound, "REFERRAL_NOT_FOUND", "decision_id");

        var again = Referred().Then(Refer("D-R2", "assess-2"), OnDay(1));
        Assert.Equal([ReferralStatus.Superseded, ReferralStatus.Pending], again.Referrals.Select(r => r.Status));
        again.AssertRefused(Decide("alice"), OnDay(1), ErrorKind.FailedPrecondition, "REFERRAL_ALREADY_DECIDED", "decision_id");
    }

    [Fact]
    public void Ages_count_working_days_across_a_holiday_against_the_three_day_target()
    {
        // Referred on Tuesday 29 September 2026, two days before National Day (1-7 October off,
        // Saturday 10 October worked).
        var referral = new Referral { DecisionId = "D-1", ReferredAt = new DateTimeOffset(2026, 9, 29, 2, 0, 0, TimeSpan.Zero), Product = Product.OperatingQuickLoan };

        // Tuesday 29 September: due on Friday 9 October (30 September, 8 and 9 October).
        var onHoliday = referral.AgeOn(new DateOnly(2026, 10, 7), WorkingCalendar.China);
        Assert.Equal(new ReferralAge(1, new DateOnly(2026, 10, 9), Breached: false, AboutToBreach: false), onHoliday);
        Assert.Equal(new ReferralAge(2, new DateOnly(2026, 10, 9), false, true), referral.AgeOn(new DateOnly(2026, 10, 8), WorkingCalendar.China));
        Assert.Equal(new ReferralAge(4, new DateOnly(2026, 10, 9), true, true), referral.AgeOn(new DateOnly(2026, 10, 10), WorkingCalendar.China));
        Assert.False((referral with { Status = ReferralStatus.Approved }).AgeOn(new DateOnly(2026, 10, 12), WorkingCalendar.China).Breached);

        // Counted in calendar days the same referral would have breached on 2 October.
        Assert.True(referral.AgeOn(new DateOnly(2026, 10, 7), WorkingCalendar.WeekdaysOnly).Breached);
    }
}
