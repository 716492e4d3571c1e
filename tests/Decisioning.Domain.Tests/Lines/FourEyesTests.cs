using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>
/// The four-eyes rule (issue 7): opening a line by hand, raising a limit above what the last credit
/// decision granted and unfreezing a line a risk signal froze take effect only when a second staff
/// member approves; proposals expire, are bounded and are journaled with both names.
/// </summary>
public sealed class FourEyesTests
{
    private const string Li = "officer-li";
    private const string Wang = "officer-wang";
    private static readonly FourEyesPolicy Policy = FourEyesPolicy.Default;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(Limits.DefaultProposalTtlSeconds);

    private static T By<T>(T command, string actor)
        where T : LineCommand => command with { Actor = actor };

    private static ApproveProposalCommand Approve(string proposalId, string actor = Wang, string id = "approve") => new(id, proposalId) { Actor = actor };

    private static RejectProposalCommand Reject(string proposalId, string note = "not justified", string actor = Wang, string id = "reject") => new(id, proposalId, note) { Actor = actor };

    /// <summary>Applies a change by hand that must become a proposal: the line's balances and status stay, one entry records it.</summary>
    private static Applied Proposes(LineState state, LineCommand command, DateTimeOffset now, ProposalKind kind)
    {
        var before = state.ViewAt(now);
        var applied = state.Approves(command, now, Policy);

        var proposal = Assert.IsType<Proposal>(applied.Result.Proposal);
        var entry = applied.Entries[^1];
        Assert.Equal((EntryKind.ProposalRecorded, command.Actor, command.RequestId, kind), (entry.Kind, entry.Actor, entry.RequestId, entry.ProposalKind));
        Assert.Equal(($"P{entry.Sequence}", ProposalStatus.Pending, kind, command.Actor, command.RequestId), (proposal.Id, proposal.Status, proposal.Kind, proposal.ProposedBy, proposal.RequestId));
        Assert.Equal(proposal.Id, entry.ProposalId);
        Assert.Equal(now + Ttl, proposal.ExpiresAt);
        Assert.Equal("", entry.ApprovedBy);
        Assert.Contains(proposal, applied.State.Proposals);
        Assert.Equal(before.Status, applied.State.ViewAt(now).Status);
        AssertSameBalances(before, applied.Result.Line);
        return applied;
    }

    private static LineState DecidedLine(long granted = 2_000_000) => LineState.NotOpened.Then(
        new RecordDecisionCommand("assess", "D-1", "fp") { Actor = TestLine.Caller, Outcome = Outcome.Approve, Product = Product.SrdiELoan, LimitMinor = granted, AnnualRateBps = 345, TermMonths = 12 });

    private static ApplyRiskSignalCommand FreezeSignal() =>
        new("signal", RiskSignalType.Litigation, RiskSeverity.Severe, "") { Actor = TestLine.Caller, Effect = RiskEffect.Freeze, ReasonCode = "SEVERE_LITIGATION_REPORTED" };

    [Fact]
    public void An_opening_by_hand_is_a_proposal_that_opens_nothing()
    {
        var applied = Proposes(LineState.NotOpened, By(Cmd.Open(), Li), T0, ProposalKind.OpenLine);

        Assert.False(applied.State.Exists);
        var proposal = applied.Result.Proposal!;
        Assert.Equal((Limit, Rate, Term, Product.SrdiELoan), (proposal.LimitMinor, proposal.AnnualRateBps, proposal.TermDays, proposal.Product));
        Assert.Equal(Limit, applied.Entries[^1].AmountMinor);
        applied.State.AssertRefused(Cmd.Draw(1), T0, ErrorKind.NotFound, "LINE_NOT_FOUND", "enterprise_id", Policy);
    }

    [Fact]
    public void A_second_staff_member_approving_an_opening_opens_the_line_and_the_journal_names_both()
    {
        var proposed = Proposes(LineState.NotOpened, By(Cmd.Open(id: "open-7") with { SubsidyBps = 100 }, Li), T0, ProposalKind.OpenLine);

        var approved = proposed.State.Approves(Approve("P1"), T0.AddHours(1), Policy);

        var line = approved.Result.Line;
        Assert.Equal((LineStatus.Active, Limit, Rate, 100, Day0.AddDays(Term)), (line.Status, line.LimitMinor, line.AnnualRateBps, line.SubsidyBps, line.MaturesOn));
        var entry = Assert.Single(approved.Entries);
        Assert.Equal((EntryKind.LineOpened, Li, Wang, "open-7", "P1", ProposalKind.OpenLine), (entry.Kind, entry.Actor, entry.ApprovedBy, entry.RequestId, entry.ProposalId, entry.ProposalKind));
        var decided = Assert.Single(approved.State.Proposals);
        Assert.Equal((ProposalStatus.Approved, Wang, T0.AddHours(1)), (decided.Status, decided.DecidedBy, decided.DecidedAt));
        Assert.Equal(decided, approved.Result.Proposal);
    }

    [Fact]
    public void The_proposer_approving_their_own_proposal_is_refused_and_nothing_changes()
    {
        var proposed = Proposes(LineState.NotOpened, By(Cmd.Open(), Li), T0, ProposalKind.OpenLine).State;

        proposed.AssertRefused(Approve("P1", actor: Li), T0, ErrorKind.PermissionDenied, "APPROVER_IS_PROPOSER", "proposal_id", Policy);
        Assert.True(Assert.Single(proposed.Proposals).IsPending);
    }

    [Theory]
    [InlineData(Limit + 1)]
    [InlineData(Limits.MaxAmountMinor)]
    public void Without_a_credit_decision_any_raise_above_the_current_limit_is_a_proposal(long limitMinor)
    {
        var applied = Proposes(Opened(), By(Cmd.AdjustLimit(limitMinor, "seasonal peak"), Li), T0, ProposalKind.RaiseLimit);

        Assert.Equal(Limit, applied.State.LimitMinor);
        Assert.Equal((limitMinor, "seasonal peak"), (applied.Result.Proposal!.LimitMinor, applied.Result.Proposal.Note));
    }

    [Theory]
    [InlineData(Limit)]
    [InlineData(Limit - 1)]
    [InlineData(0)]
    public void Lowering_or_keeping_the_limit_applies_at_once(long limitMinor)
    {
        var applied = Opened().Approves(By(Cmd.AdjustLimit(limitMinor), Li), T0, Policy);

        Assert.Null(applied.Result.Proposal);
        Assert.Equal(limitMinor, applied.State.LimitMinor);
        Assert.Equal((EntryKind.LimitAdjusted, Li, ""), (applied.Entries[^1].Kind, applied.Entries[^1].Actor, applied.Entries[^1].ApprovedBy));
    }

    [Fact]
    public void Up_to_the_limit_the_last_decision_granted_a_raise_applies_at_once_and_one_fen_above_it_is_a_proposal()
    {
        var lowered = DecidedLine(granted: 2_000_000).Then(By(Cmd.AdjustLimit(500_000), Li));

        Assert.Equal(2_000_000, lowered.Then(By(Cmd.AdjustLimit(2_000_000), Li), T0).LimitMinor);
        Assert.Equal(2_000_000, lowered.Approves(By(Cmd.AdjustLimit(2_000_000), Li), T0, Policy).State.LimitMinor);
        Proposes(lowered, By(Cmd.AdjustLimit(2_000_001), Li), T0, ProposalKind.RaiseLimit);
    }

    [Theory]
    [InlineData(Outcome.Decline)]
    [InlineData(Outcome.Refer)]
    public void After_a_decision_that_grants_nothing_any_raise_is_a_proposal(Outcome outcome)
    {
        var state = DecidedLine(granted: 2_000_000)
            .Then(By(Cmd.AdjustLimit(500_000), Li))
            .Then(new RecordDecisionCommand("assess-2", "D-2", "fp2") { Actor = TestLine.Caller, Outcome = outcome });

        Assert.Equal(0, state.GrantedLimitMinor);
        Proposes(state, By(Cmd.AdjustLimit(500_001), Li), T0, ProposalKind.RaiseLimit);
    }

    [Fact]
    public void An_approved_raise_is_journaled_as_the_proposers_limit_change_with_the_approver()
    {
        var proposed = Proposes(Opened(), By(Cmd.AdjustLimit(3_000_000, "new contract", id: "raise-1"), Li), T0, ProposalKind.RaiseLimit);
        var id = proposed.Result.Proposal!.Id;

        var approved = proposed.State.Approves(Approve(id), T0.AddMinutes(5), Policy);

        Assert.Equal(3_000_000, approved.State.LimitMinor);
        var entry = Assert.Single(approved.Entries);
        Assert.Equal((EntryKind.LimitAdjusted, 3_000_000L, "new contract", Li, Wang, "raise-1", id), (entry.Kind, entry.AmountMinor, entry.Note, entry.Actor, entry.ApprovedBy, entry.RequestId, entry.ProposalId));
    }

    [Fact]
    public void Unfreezing_a_staff_freeze_applies_at_once()
    {
        var applied = Opened().Then(By(Cmd.Freeze(), Li)).Approves(By(Cmd.Unfreeze(), Li), T0, Policy);

        Assert.Null(applied.Result.Proposal);
        Assert.Equal(LineStatus.Active, applied.State.Status);
    }

    [Fact]
    public void Unfreezing_a_line_a_risk_signal_froze_is_a_proposal_and_its_approval_unfreezes_it()
    {
        var frozen = Opened().Then(FreezeSignal());
        Assert.False(frozen.FrozenByStaff);

        var proposed = Proposes(frozen, By(Cmd.Unfreeze("litigation settled"), Li), T0, ProposalKind.UnfreezeLine);
        Assert.Equal(LineStatus.Frozen, proposed.State.Status);
        var approved = proposed.State.Approves(Approve(proposed.Result.Proposal!.Id), T0, Policy);

        Assert.Equal(LineStatus.Active, approved.State.Status);
        var entry = Assert.Single(approved.Entries);
        Assert.Equal((EntryKind.LineUnfrozen, Li, Wang, "litigation settled"), (entry.Kind, entry.Actor, entry.ApprovedBy, entry.Note));
    }

    [Fact]
    public void A_risk_signal_freezing_a_line_staff_froze_makes_its_unfreeze_need_four_eyes()
    {
        var state = Opened().Then(By(Cmd.Freeze(), Li)).Then(FreezeSignal());

        Proposes(state, By(Cmd.Unfreeze(), Li), T0, ProposalKind.UnfreezeLine);
    }

    [Fact]
    public void Freezing_and_closing_stay_immediate()
    {
        var frozen = Opened().Approves(By(Cmd.Freeze(), Li), T0, Policy);
        Assert.Equal((LineStatus.Frozen, true), (frozen.State.Status, frozen.State.FrozenByStaff));

        var closed = Opened().Approves(By(Cmd.Close(), Li), T0, Policy);
        Assert.Equal(LineStatus.Closed, closed.State.Status);
    }

    [Fact]
    public void A_change_the_line_would_refuse_is_refused_at_once_rather_than_proposed()
    {
        Opened().AssertRefused(By(Cmd.Open(), Li), T0, ErrorKind.FailedPrecondition, "LINE_ALREADY_OPEN", fourEyes: Policy);
        Opened().Then(Cmd.Close()).AssertRefused(By(Cmd.AdjustLimit(Limit + 1), Li), T0, ErrorKind.FailedPrecondition, "LINE_CLOSED", fourEyes: Policy);
        Opened().AssertRefused(By(Cmd.Unfreeze(), Li), T0, ErrorKind.FailedPrecondition, "LINE_NOT_FROZEN", fourEyes: Policy);
    }

    [Fact]
    public void A_proposal_is_approvable_until_the_millisecond_before_it_expires()
    {
        var proposed = Proposes(LineState.NotOpened, By(Cmd.Open(), Li), T0, ProposalKind.OpenLine).State;

        Assert.True(proposed.Approves(Approve("P1"), T0 + Ttl - TimeSpan.FromMilliseconds(1), Policy).State.Exists);
        proposed.AssertRefused(Approve("P1"), T0 + Ttl, ErrorKind.FailedPrecondition, "PROPOSAL_EXPIRED", "proposal_id", Policy);
        proposed.AssertRefused(Reject("P1"), T0 + Ttl, ErrorKind.FailedPrecondition, "PROPOSAL_EXPIRED", "proposal_id", Policy);
    }

    [Fact]
    public void An_expired_proposal_is_journaled_by_the_next_command_at_its_expiry_and_lists_as_expired()
    {
        var proposed = Proposes(Opened(), By(Cmd.AdjustLimit(Limit * 2), Li), T0, ProposalKind.RaiseLimit);
        var id = proposed.Result.Proposal!.Id;
        var later = T0 + Ttl + TimeSpan.FromHours(1);
        Assert.Equal(ProposalStatus.Expired, Assert.Single(proposed.State.ProposalsAt(later)).Status);
        Assert.Equal(ProposalStatus.Pending, Assert.Single(proposed.State.ProposalsAt(later - TimeSpan.FromHours(2))).Status);

        var drawn = proposed.State.Approves(Cmd.Draw(1), later, Policy);

        var expiry = drawn.Entries[0];
        Assert.Equal((EntryKind.ProposalExpired, "system", T0 + Ttl, id, ""), (expiry.Kind, expiry.Actor, expiry.At, expiry.ProposalId, expiry.RequestId));
        Assert.Equal(EntryKind.Draw, drawn.Entries[1].Kind);
        Assert.Equal((ProposalStatus.Expired, "system"), (drawn.State.Proposals[0].Status, drawn.State.Proposals[0].DecidedBy));
        Assert.Equal(Limit, drawn.State.LimitMinor);
        drawn.State.AssertRefused(Approve(id), later, ErrorKind.FailedPrecondition, "PROPOSAL_EXPIRED", "proposal_id", Policy);
    }

    [Fact]
    public void Holds_and_proposals_that_expired_are_journaled_in_the_order_they_expired()
    {
        var proposed = Proposes(Opened(), By(Cmd.AdjustLimit(Limit * 2), Li), T0, ProposalKind.RaiseLimit).State;
        var held = proposed.Then(Cmd.Hold(1, ttlSeconds: Limits.MaxHoldTtlSeconds), T0);

        var entries = held.Approves(Cmd.Draw(1), T0.AddDays(8), Policy).Entries;

        Assert.Equal([EntryKind.ProposalExpired, EntryKind.HoldExpired, EntryKind.Draw], entries.Select(e => e.Kind));
    }

    [Fact]
    public void Approval_checks_the_change_against_the_line_as_it_is_then()
    {
        var opening = Proposes(LineState.NotOpened, By(Cmd.Open(), Li), T0, ProposalKind.OpenLine).State;
        var openedByDecision = opening.Then(new RecordDecisionCommand("assess", "D-1", "fp") { Actor = TestLine.Caller, Outcome = Outcome.Approve, Product = Product.SrdiELoan, LimitMinor = 1, AnnualRateBps = 1, TermMonths = 1 });
        openedByDecision.AssertRefused(Approve("P1"), T0, ErrorKind.FailedPrecondition, "LINE_ALREADY_OPEN", fourEyes: Policy);

        var raise = Proposes(Opened(), By(Cmd.AdjustLimit(Limit * 2), Li), T0, ProposalKind.RaiseLimit);
        raise.State.Then(Cmd.Close()).AssertRefused(Approve(raise.Result.Proposal!.Id), T0, ErrorKind.FailedPrecondition, "LINE_CLOSED", fourEyes: Policy);

        var frozen = Opened().Then(FreezeSignal());
        var first = Proposes(frozen, By(Cmd.Unfreeze(id: "u-1"), Li), T0, ProposalKind.UnfreezeLine);
        var second = Proposes(first.State, By(Cmd.Unfreeze(id: "u-2"), Li), T0, ProposalKind.UnfreezeLine);
        var unfrozen = second.State.Then(Approve(first.Result.Proposal!.Id), T0);
        unfrozen.AssertRefused(Approve(second.Result.Proposal!.Id, id: "approve-2"), T0, ErrorKind.FailedPrecondition, "LINE_NOT_FROZEN", fourEyes: Policy);
        Assert.True(unfrozen.Proposals.Single(p => p.Id == second.Result.Proposal.Id).IsPending);
    }

    [Fact]
    public void A_rejected_proposal_changes_nothing_is_journaled_with_the_reason_and_cannot_be_approved()
    {
        var proposed = Proposes(Opened(), By(Cmd.AdjustLimit(Limit * 2), Li), T0, ProposalKind.RaiseLimit);
        var id = proposed.Result.Proposal!.Id;

        var rejected = proposed.State.Approves(Reject(id, "no new financials"), T0, Policy);

        Assert.Equal(Limit, rejected.State.LimitMinor);
        var entry = Assert.Single(rejected.Entries);
        Assert.Equal((EntryKind.ProposalRejected, Wang, "no new financials", id, ProposalKind.RaiseLimit), (entry.Kind, entry.Actor, entry.Note, entry.ProposalId, entry.ProposalKind));
        Assert.Equal((ProposalStatus.Rejected, Wang, "no new financials"), (rejected.Result.Proposal!.Status, rejected.Result.Proposal.DecidedBy, rejected.Result.Proposal.DecisionNote));
        rejected.State.AssertRefused(Approve(id), T0, ErrorKind.FailedPrecondition, "PROPOSAL_ALREADY_DECIDED", "proposal_id", Policy);
    }

    [Fact]
    public void The_proposer_may_withdraw_their_own_proposal()
    {
        var proposed = Proposes(Opened(), By(Cmd.AdjustLimit(Limit * 2), Li), T0, ProposalKind.RaiseLimit);

        var withdrawn = proposed.State.Approves(Reject(proposed.Result.Proposal!.Id, "typo", actor: Li), T0, Policy);

        Assert.Equal(ProposalStatus.Rejected, withdrawn.Result.Proposal!.Status);
    }

    [Fact]
    public void An_approved_proposal_cannot_be_approved_again()
    {
        var approved = Proposes(LineState.NotOpened, By(Cmd.Open(), Li), T0, ProposalKind.OpenLine).State.Then(Approve("P1"), T0);

        approved.AssertRefused(Approve("P1", actor: "officer-zhao", id: "again"), T0, ErrorKind.FailedPrecondition, "PROPOSAL_ALREADY_DECIDED", "proposal_id", Policy);
    }

    [Fact]
    public void An_unknown_or_malformed_proposal_id_is_refused()
    {
        var state = Proposes(LineState.NotOpened, By(Cmd.Open(), Li), T0, ProposalKind.OpenLine).State;

        state.AssertRefused(Approve("P99"), T0, ErrorKind.NotFound, "PROPOSAL_NOT_FOUND", "proposal_id", Policy);
        state.AssertRefused(Reject("P99"), T0, ErrorKind.NotFound, "PROPOSAL_NOT_FOUND", "proposal_id", Policy);
        state.AssertRefused(Approve(""), T0, ErrorKind.InvalidArgument, "PROPOSAL_ID_REQUIRED", "proposal_id", Policy);
        state.AssertRefused(Approve("H1"), T0, ErrorKind.InvalidArgument, "PROPOSAL_ID_MALFORMED", "proposal_id", Policy);
        state.AssertRefused(Approve("P"), T0, ErrorKind.InvalidArgument, "PROPOSAL_ID_MALFORMED", "proposal_id", Policy);
        state.AssertRefused(Reject("P1", new string('x', Limits.MaxNoteLength + 1)), T0, ErrorKind.InvalidArgument, "TEXT_TOO_LONG", "reason", Policy);
    }

    [Fact]
    public void A_line_keeps_at_most_the_maximum_of_pending_proposals()
    {
        var state = Opened();
        for (var i = 1; i <= Limits.MaxPendingProposals; i++)
        {
            state = Proposes(state, By(Cmd.AdjustLimit(Limit + i, id: $"raise-{i}"), Li), T0, ProposalKind.RaiseLimit).State;
        }

        state.AssertRefused(By(Cmd.AdjustLimit(Limit * 9, id: "one-too-many"), Li), T0, ErrorKind.ResourceExhausted, "TOO_MANY_PENDING_PROPOSALS", fourEyes: Policy);
        var rejected = state.Then(Reject(state.Proposals[0].Id), T0);
        Proposes(rejected, By(Cmd.AdjustLimit(Limit * 9, id: "one-too-many"), Li), T0, ProposalKind.RaiseLimit);
    }

    [Fact]
    public void A_line_keeps_only_the_newest_decided_proposals()
    {
        var state = Opened();
        var ids = new List<string>();
        for (var i = 1; i <= Limits.MaxDecidedProposalsKept + 2; i++)
        {
            var proposed = Proposes(state, By(Cmd.AdjustLimit(Limit * 2, id: $"raise-{i}"), Li), T0, ProposalKind.RaiseLimit);
            ids.Add(proposed.Result.Proposal!.Id);
            state = proposed.State.Then(Reject(ids[^1], id: $"reject-{i}"), T0.AddMinutes(i));
        }

        Assert.Equal(ids.Skip(2), state.Proposals.Select(p => p.Id));
        Assert.Equal(ids.Skip(2).Reverse(), state.ProposalsAt(T0).Select(p => p.Id));
        state.AssertRefused(Approve(ids[0]), T0, ErrorKind.NotFound, "PROPOSAL_NOT_FOUND", "proposal_id", Policy);
    }

    [Fact]
    public void Without_four_eyes_a_change_by_hand_applies_at_once()
    {
        var applied = LineState.NotOpened.Approves(By(Cmd.Open(), Li), T0, FourEyesPolicy.None);

        Assert.Null(applied.Result.Proposal);
        Assert.Equal(LineStatus.Active, applied.State.Status);
    }

    [Fact]
    public void Approvals_and_rejections_are_fingerprinted_by_the_proposal_and_the_reason()
    {
        Assert.NotEqual(Approve("P1").Fingerprint, Approve("P2").Fingerprint);
        Assert.NotEqual(Reject("P1", "a").Fingerprint, Reject("P1", "b").Fingerprint);
        Assert.NotEqual(Approve("P1").Fingerprint, Reject("P1", "").Fingerprint);
    }
}
