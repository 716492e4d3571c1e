using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>
/// Time moves the line (issue 11): the daily process, overdue and penalty interest, the five-tier
/// classification, the write-off with four eyes and the recoveries after it. A 30-day line of
/// 1,000,000 fen drawn in full on day 0 at 365 bps matures on day 30 and is overdue from day 31.
/// </summary>
public sealed class OverdueTests
{
    private const string Li = "officer-li";
    private const string Wang = "officer-wang";
    private const int MaturityDay = 30;

    private static LineState Drawn() => Opened(termDays: MaturityDay).Then(Cmd.Draw(Limit));

    private static RunDailyCommand Daily(int day) => RunDailyCommand.For(Day0.AddDays(day));

    /// <summary>The daily run of <paramref name="day"/> (10:00 in Beijing), whatever it journals (perhaps nothing).</summary>
    private static Applied RunOn(LineState state, int day, OverduePolicy? policy = null) =>
        Assert.IsType<Applied>(state.Apply(Daily(day), OnDay(day), FourEyesPolicy.Default, policy ?? OverduePolicy.Default));

    private static LineState RunThrough(LineState state, int lastDay, List<JournalEntry>? journal = null)
    {
        for (var day = 1; day <= lastDay; day++)
        {
            var applied = RunOn(state, day);
            journal?.AddRange(applied.Entries);
            state = applied.State;
        }

        return state;
    }

    [Fact]
    public void A_daily_run_that_finds_nothing_writes_nothing_and_leaves_the_state_as_it_was()
    {
        var state = Drawn();

        var applied = RunOn(state, 5);

        Assert.Empty(applied.Entries);
        Assert.Same(state, applied.State);
        Assert.Equal(state.Sequence, applied.Result.Sequence);
        Assert.Equal(LineStatus.Active, applied.Result.Line.Status);
    }

    [Fact]
    public void The_run_on_the_maturity_date_journals_the_maturity_and_the_line_is_due_not_overdue()
    {
        var applied = RunOn(Drawn(), MaturityDay);

        var entry = Assert.Single(applied.Entries);
        Assert.Equal((EntryKind.LineMatured, "system", "", Limit), (entry.Kind, entry.Actor, entry.RequestId, entry.AmountMinor));
        Assert.Equal(0, entry.DaysPastDue);
        Assert.Equal(LineStatus.Matured, entry.StatusAfter);
        Assert.Equal(Day0.AddDays(MaturityDay), applied.State.LastDailyRun);
        Assert.Equal(LoanClass.Normal, applied.Result.Line.Classification);
    }

    [Fact]
    public void The_run_the_day_after_maturity_makes_the_line_overdue_and_special_mention()
    {
        var matured = RunOn(Drawn(), MaturityDay).State;

        var applied = RunOn(matured, MaturityDay + 1);

        Assert.Equal([EntryKind.LineOverdue, EntryKind.ClassificationChanged], applied.Entries.Select(e => e.Kind));
        var overdue = applied.Entries[0];
        Assert.Equal((1, Limit, LineStatus.Overdue), (overdue.DaysPastDue, overdue.AmountMinor, overdue.StatusAfter));
        // One penalty day (the maturity date itself) at 365 bps + 50%: 1,000,000 × 365 × 15,000 / 36 × 10^9 = 152.
        Assert.Equal(152, overdue.AccruedPenaltyAfterMinor);
        Assert.Equal(3_041, overdue.AccruedInterestAfterMinor);
        var changed = applied.Entries[1];
        Assert.Equal((LoanClass.SpecialMention, "NORMAL -> SPECIAL_MENTION", "system"), (changed.Classification, changed.Note, changed.Actor));
        var line = applied.Result.Line;
        Assert.Equal((LineStatus.Overdue, 1, Limit, LoanClass.SpecialMention), (line.Status, line.DaysPastDue, line.OverduePrincipalMinor, line.Classification));
    }

    [Fact]
    public void A_second_run_on_the_same_day_changes_nothing()
    {
        var once = RunOn(RunOn(Drawn(), MaturityDay).State, MaturityDay + 1).State;

        var twice = RunOn(once, MaturityDay + 1);

        Assert.Empty(twice.Entries);
        Assert.Same(once, twice.State);
    }

    [Fact]
    public void A_run_on_an_earlier_day_than_the_last_changes_nothing()
    {
        var state = RunOn(Drawn(), MaturityDay + 1).State;

        // The clock cannot go back in production; a late retry of yesterday's run is still a no-op.
        Assert.Empty(Assert.IsType<Applied>(state.Apply(Daily(MaturityDay), OnDay(MaturityDay + 1), FourEyesPolicy.Default, OverduePolicy.Default)).Entries);
    }

    [Fact]
    public void Run_every_day_for_a_year_and_more_the_loan_moves_down_one_tier_at_each_bound()
    {
        var journal = new List<JournalEntry>();

        var state = RunThrough(Drawn(), MaturityDay + 361, journal);

        var changes = journal.Where(e => e.Kind == EntryKind.ClassificationChanged).Select(e => (e.At, e.DaysPastDue, e.Classification)).ToList();
        Assert.Equal(
            [
                (OnDay(MaturityDay + 1), 1, LoanClass.SpecialMention),
                (OnDay(MaturityDay + 91), 91, LoanClass.Substandard),
                (OnDay(MaturityDay + 271), 271, LoanClass.Doubtful),
                (OnDay(MaturityDay + 361), 361, LoanClass.Loss),
            ],
            changes);
        Assert.Equal([EntryKind.LineMatured, EntryKind.LineOverdue], journal.Where(e => e.Kind is EntryKind.LineMatured or EntryKind.LineOverdue).Select(e => e.Kind));
        Assert.Equal(6, journal.Count);

        // 361 penalty days at 547.5 bps: 1,000,000 × 365 × 15,000 × 361 / 36 × 10^9 = 54,902.08.
        var view = state.ViewAt(OnDay(MaturityDay + 361));
        Assert.Equal(54_902, view.AccruedPenaltyMinor);
        Assert.Equal(3_041, view.AccruedInterestMinor);
    }

    [Theory]
    [InlineData(0, LoanClass.Normal)]
    [InlineData(1, LoanClass.SpecialMention)]
    [InlineData(90, LoanClass.SpecialMention)]
    [InlineData(91, LoanClass.Substandard)]
    [InlineData(270, LoanClass.Substandard)]
    [InlineData(271, LoanClass.Doubtful)]
    [InlineData(360, LoanClass.Doubtful)]
    [InlineData(361, LoanClass.Loss)]
    [InlineData(int.MaxValue, LoanClass.Loss)]
    public void The_default_bounds_are_0_1_to_90_91_to_270_271_to_360_and_over_360(int daysPastDue, LoanClass expected) =>
        Assert.Equal(expected, OverduePolicy.Default.ClassFor(daysPastDue));

    [Fact]
    public void Configured_bounds_move_the_tiers()
    {
        var policy = new OverduePolicy(SpecialMentionFromDays: 5, SubstandardFromDays: 30, DoubtfulFromDays: 60, LossFromDays: 90);

        Assert.Equal(
            [LoanClass.Normal, LoanClass.SpecialMention, LoanClass.SpecialMention, LoanClass.Substandard, LoanClass.Doubtful, LoanClass.Loss],
            new[] { 4, 5, 29, 30, 60, 90 }.Select(policy.ClassFor));
        Assert.Null(policy.Problem());
    }

    [Theory]
    [InlineData(0, 1, 91, 271, 361)]
    [InlineData(30_001, 1, 91, 271, 361)]
    [InlineData(5_000, 0, 91, 271, 361)]
    [InlineData(5_000, 91, 91, 271, 361)]
    [InlineData(5_000, 1, 271, 271, 361)]
    [InlineData(5_000, 1, 91, 361, 361)]
    [InlineData(5_000, 1, 91, 271, 1_831)]
    public void A_policy_with_an_uplift_out_of_range_or_bounds_not_rising_is_unusable(int uplift, int special, int substandard, int doubtful, int loss) =>
        Assert.NotNull(new OverduePolicy(uplift, special, substandard, doubtful, loss).Problem());

    [Fact]
    public void The_penalty_uplift_is_fixed_when_the_line_opens()
    {
        // +100%: one penalty day at 730 bps on 1,000,000 = 202 fen (730,000,000 × 10,000... / 3.6 × 10^10).
        var opened = Assert.IsType<Applied>(LineState.NotOpened.Apply(Cmd.Open(termDays: MaturityDay), T0, FourEyesPolicy.None, new OverduePolicy(PenaltyUpliftBps: 10_000))).State;

        var state = opened.Then(Cmd.Draw(Limit));

        Assert.Equal(10_000, state.PenaltyUpliftBps);
        Assert.Equal(1_000_000L * 365 * 20_000 / 36_000_000_000, state.ViewAt(OnDay(MaturityDay + 1)).AccruedPenaltyMinor);
    }

    /// <summary>A line owing 3 fen penalty, 4 fen interest and 5 fen principal, past due: every repayment from 1 to 12 fen.</summary>
    [Theory]
    [InlineData(1, 1, 0, 0)]
    [InlineData(2, 2, 0, 0)]
    [InlineData(3, 3, 0, 0)]
    [InlineData(4, 3, 1, 0)]
    [InlineData(5, 3, 2, 0)]
    [InlineData(6, 3, 3, 0)]
    [InlineData(7, 3, 4, 0)]
    [InlineData(8, 3, 4, 1)]
    [InlineData(9, 3, 4, 2)]
    [InlineData(10, 3, 4, 3)]
    [InlineData(11, 3, 4, 4)]
    [InlineData(12, 3, 4, 5)]
    public void Repayments_pay_penalty_interest_then_interest_then_principal(long amount, long penalty, long interest, long principal)
    {
        var at = OnDay(MaturityDay + 2);
        var state = Drawn() with { DrawnMinor = 5, AccruedInterestMinor = 4, AccruedPenaltyMinor = 3, AccruedThrough = Day0.AddDays(MaturityDay + 2) };

        var applied = state.Approves(Cmd.Repay(amount), at);

        var entry = applied.Entries[^1];
        Assert.Equal((penalty, interest, principal), (entry.PenaltyPaidMinor, entry.InterestPaidMinor, entry.PrincipalPaidMinor));
        Assert.Equal((penalty, interest, principal), (applied.Result.PenaltyPaidMinor, applied.Result.InterestPaidMinor, applied.Result.PrincipalPaidMinor));
        Assert.Equal((3 - penalty, 4 - interest, 5 - principal), (applied.State.AccruedPenaltyMinor, applied.State.AccruedInterestMinor, applied.State.DrawnMinor));
        Assert.Equal(3 - penalty, entry.AccruedPenaltyAfterMinor);
        Assert.Equal(amount == 12 ? LineStatus.Matured : LineStatus.Overdue, applied.Result.Line.Status);
    }

    [Fact]
    public void Repaying_one_fen_more_than_principal_interest_and_penalty_is_refused()
    {
        var state = Drawn() with { DrawnMinor = 5, AccruedInterestMinor = 4, AccruedPenaltyMinor = 3, AccruedThrough = Day0.AddDays(MaturityDay + 2) };

        state.AssertRefused(Cmd.Repay(13), OnDay(MaturityDay + 2), ErrorKind.FailedPrecondition, "REPAYMENT_EXCEEDS_OUTSTANDING", "amount_minor");
    }

    [Fact]
    public void Repaid_in_full_the_overdue_ends_and_the_next_run_classifies_by_days_again()
    {
        var overdue = RunThrough(Drawn(), MaturityDay + 100);
        var owed = overdue.ViewAt(OnDay(MaturityDay + 100));
        Assert.Equal(LoanClass.Substandard, owed.Classification);

        var repaid = overdue.Then(Cmd.Repay(owed.DrawnMinor + owed.AccruedInterestMinor + owed.AccruedPenaltyMinor), OnDay(MaturityDay + 100));
        var applied = RunOn(repaid, MaturityDay + 101);

        Assert.Equal(LineStatus.Matured, applied.Result.Line.Status);
        Assert.Equal(0, applied.Result.Line.DaysPastDue);
        var changed = Assert.Single(applied.Entries);
        Assert.Equal((EntryKind.ClassificationChanged, LoanClass.Normal), (changed.Kind, changed.Classification));
    }

    [Fact]
    public void Draws_and_holds_on_an_overdue_line_are_declined_as_overdue()
    {
        var state = Opened(termDays: MaturityDay).Then(Cmd.Draw(1));

        state.Declines(Cmd.Draw(1), OnDay(MaturityDay + 1), DeclineReason.LineOverdue, EntryKind.DrawDeclined);
        state.Declines(Cmd.Hold(1), OnDay(MaturityDay + 1), DeclineReason.LineOverdue, EntryKind.HoldDeclined);
    }

    [Fact]
    public void A_reviewer_floor_makes_the_classification_no_better_and_is_journaled_with_the_reviewer()
    {
        var applied = Drawn().Approves(new SetClassificationFloorCommand("floor-1", LoanClass.Doubtful, "bankruptcy filing") { Actor = Li }, OnDay(3));

        var entry = Assert.Single(applied.Entries);
        Assert.Equal((EntryKind.ClassificationFloorSet, Li, "floor-1", "bankruptcy filing"), (entry.Kind, entry.Actor, entry.RequestId, entry.Note));
        Assert.Equal((LoanClass.Doubtful, LoanClass.Doubtful), (entry.Classification, entry.ClassificationFloor));
        Assert.Equal((LoanClass.Doubtful, LoanClass.Doubtful), (applied.Result.Line.Classification, applied.Result.Line.ClassificationFloor));

        // Days past due give SPECIAL_MENTION then SUBSTANDARD, both better than the floor: no change is journaled until LOSS.
        var journal = new List<JournalEntry>();
        RunThrough(applied.State, MaturityDay + 361, journal);
        var change = Assert.Single(journal, e => e.Kind == EntryKind.ClassificationChanged);
        Assert.Equal((361, LoanClass.Loss), (change.DaysPastDue, change.Classification));
    }

    [Fact]
    public void Lifting_the_floor_with_normal_classifies_by_days_past_due_again()
    {
        var floored = Drawn().Then(new SetClassificationFloorCommand("floor-1", LoanClass.Loss, "") { Actor = Li });

        var lifted = floored.Approves(new SetClassificationFloorCommand("floor-2", LoanClass.Normal, "cleared") { Actor = Wang }, OnDay(MaturityDay + 100));

        Assert.Equal(LoanClass.Substandard, lifted.Entries[^1].Classification);
        Assert.Equal(LoanClass.Normal, lifted.State.ClassificationFloor);
    }

    [Fact]
    public void A_floor_outside_the_five_tiers_is_refused_naming_the_field()
    {
        Drawn().AssertRefused(new SetClassificationFloorCommand("floor-1", LoanClass.None, "") { Actor = Li }, T0, ErrorKind.InvalidArgument, "CLASSIFICATION_REQUIRED", "floor");
        Drawn().AssertRefused(new SetClassificationFloorCommand("floor-1", (LoanClass)6, "") { Actor = Li }, T0, ErrorKind.InvalidArgument, "CLASSIFICATION_REQUIRED", "floor");
    }

    [Fact]
    public void A_risk_signal_that_freezes_the_line_floors_its_classification_at_special_mention()
    {
        var signal = new ApplyRiskSignalCommand("signal-1", RiskSignalType.Litigation, RiskSeverity.Severe, "")
        {
            Actor = "risk-feed",
            Effect = RiskEffect.Freeze,
            ReasonCode = "LITIGATION_SEVERE",
        };

        var applied = Drawn().Approves(signal, OnDay(2));

        var entry = Assert.Single(applied.Entries);
        Assert.Equal((LoanClass.SpecialMention, LoanClass.SpecialMention), (entry.Classification, entry.ClassificationFloor));
        Assert.Equal(LoanClass.SpecialMention, applied.Result.Line.Classification);
        Assert.Empty(RunOn(applied.State, 3).Entries);
    }

    [Fact]
    public void A_write_off_of_a_loan_better_than_substandard_is_refused()
    {
        var state = RunThrough(Drawn(), MaturityDay + 90);

        state.AssertRefused(new WriteOffLineCommand("wo-1", "") { Actor = Li }, OnDay(MaturityDay + 90), ErrorKind.FailedPrecondition, "LINE_NOT_CLASSIFIED_FOR_WRITE_OFF", fourEyes: FourEyesPolicy.Default);
    }

    [Fact]
    public void A_write_off_is_a_proposal_that_another_staff_member_approves_and_it_closes_the_exposure()
    {
        var substandard = RunThrough(Drawn(), MaturityDay + 91);
        var at = OnDay(MaturityDay + 92);

        var proposed = substandard.Approves(new WriteOffLineCommand("wo-1", "no prospect of repayment") { Actor = Li }, at, FourEyesPolicy.Default);
        Assert.Equal(ProposalKind.WriteOff, proposed.Result.Proposal!.Kind);
        Assert.Equal(LineStatus.Overdue, proposed.Result.Line.Status);
        substandard.AssertRefused(new ApproveProposalCommand("ok-1", proposed.Result.Proposal.Id) { Actor = Li }, at, ErrorKind.NotFound, "PROPOSAL_NOT_FOUND", "proposal_id", FourEyesPolicy.Default);
        proposed.State.AssertRefused(new ApproveProposalCommand("ok-1", proposed.Result.Proposal.Id) { Actor = Li }, at, ErrorKind.PermissionDenied, "APPROVER_IS_PROPOSER", "proposal_id", FourEyesPolicy.Default);

        var approved = proposed.State.Approves(new ApproveProposalCommand("ok-1", proposed.Result.Proposal.Id) { Actor = Wang }, at, FourEyesPolicy.Default);

        // 92 penalty days: 1,000,000 × 365 × 15,000 × 92 / 36 × 10^9 = 13,991.
        var entry = Assert.Single(approved.Entries);
        Assert.Equal((EntryKind.LineWrittenOff, Li, Wang, "wo-1"), (entry.Kind, entry.Actor, entry.ApprovedBy, entry.RequestId));
        Assert.Equal((Limit, 3_041L, 13_991L), (entry.WrittenOffPrincipalMinor, entry.WrittenOffInterestMinor, entry.WrittenOffPenaltyMinor));
        Assert.Equal(Limit + 3_041 + 13_991, entry.AmountMinor);
        Assert.Equal((92, LoanClass.Substandard, 0L, 0), (entry.DaysPastDue, entry.Classification, entry.RecoveredAfterMinor, entry.RenewalCount));
        Assert.Equal((0L, 0L, 0L, 0L, LineStatus.WrittenOff), (entry.DrawnAfterMinor, entry.AccruedInterestAfterMinor, entry.AccruedPenaltyAfterMinor, entry.LimitAfterMinor, entry.StatusAfter));

        var line = approved.State.ViewAt(OnDay(MaturityDay + 200));
        Assert.Equal((LineStatus.WrittenOff, 0L, 0L, 0L, 0L, 0), (line.Status, line.AvailableMinor, line.DrawnMinor, line.AccruedInterestMinor, line.AccruedPenaltyMinor, line.DaysPastDue));
        approved.State.Declines(Cmd.Draw(1), at, DeclineReason.LineWrittenOff, EntryKind.DrawDeclined);
        approved.State.AssertRefused(Cmd.Close(), at, ErrorKind.FailedPrecondition, "LINE_WRITTEN_OFF");
        approved.State.AssertRefused(Cmd.Freeze(), at, ErrorKind.FailedPrecondition, "LINE_WRITTEN_OFF");
        approved.State.AssertRefused(Cmd.AdjustLimit(1), at, ErrorKind.FailedPrecondition, "LINE_WRITTEN_OFF");
        approved.State.AssertRefused(new WriteOffLineCommand("wo-2", "") { Actor = Li }, at, ErrorKind.FailedPrecondition, "LINE_WRITTEN_OFF", fourEyes: FourEyesPolicy.Default);
        Assert.Empty(RunOn(approved.State, MaturityDay + 400).Entries);
    }

    [Fact]
    public void Repayments_after_a_write_off_are_recoveries_split_by_the_same_waterfall()
    {
        var writtenOff = Drawn() with
        {
            Status = LineStatus.WrittenOff,
            LimitMinor = 0,
            DrawnMinor = 0,
            WrittenOffPrincipalMinor = 5,
            WrittenOffInterestMinor = 4,
            WrittenOffPenaltyMinor = 3,
            Classification = LoanClass.Loss,
        };

        var first = writtenOff.Approves(Cmd.Repay(2, "r-1"), OnDay(500));
        var second = first.State.Approves(Cmd.Repay(6, "r-2"), OnDay(501));

        var entry = Assert.Single(second.Entries);
        Assert.Equal((EntryKind.Recovery, 6L), (entry.Kind, entry.AmountMinor));
        Assert.Equal((1L, 4L, 1L), (entry.PenaltyPaidMinor, entry.InterestPaidMinor, entry.PrincipalPaidMinor));
        Assert.Equal((8L, 5L, 4L, 3L, LoanClass.Loss), (entry.RecoveredAfterMinor, entry.WrittenOffPrincipalMinor, entry.WrittenOffInterestMinor, entry.WrittenOffPenaltyMinor, entry.Classification));
        Assert.Equal(LineStatus.WrittenOff, entry.StatusAfter);
        Assert.Equal(8, second.Result.Line.RecoveredMinor);
        second.State.AssertRefused(Cmd.Repay(5, "r-3"), OnDay(502), ErrorKind.FailedPrecondition, "REPAYMENT_EXCEEDS_OUTSTANDING", "amount_minor");
        Assert.Equal(4, second.State.Approves(Cmd.Repay(4, "r-3"), OnDay(502)).Entries[^1].PrincipalPaidMinor);
    }

    [Fact]
    public void A_loan_that_owes_nothing_is_not_written_off()
    {
        var floored = Opened().Then(new SetClassificationFloorCommand("floor-1", LoanClass.Loss, "") { Actor = Li });

        floored.AssertRefused(new WriteOffLineCommand("wo-1", "") { Actor = Li }, T0, ErrorKind.FailedPrecondition, "NOTHING_TO_WRITE_OFF", fourEyes: FourEyesPolicy.Default);
    }

    [Fact]
    public void A_write_off_waits_for_open_holds()
    {
        var held = Opened().Then(Cmd.Draw(1)).Then(Cmd.Hold(1, Limits.MaxHoldTtlSeconds)).Then(new SetClassificationFloorCommand("floor-1", LoanClass.Loss, "") { Actor = Li });

        held.AssertRefused(new WriteOffLineCommand("wo-1", "") { Actor = Li }, T0, ErrorKind.FailedPrecondition, "LINE_HAS_OPEN_HOLDS", fourEyes: FourEyesPolicy.Default);
    }
}
