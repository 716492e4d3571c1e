namespace Decisioning.Domain.Lines;

/// <summary>
/// The four-eyes rule (<see cref="FourEyesPolicy"/>): who needs a second staff member, how a
/// proposal is recorded, approved, rejected and expires. Approval runs the proposed change through
/// the same rule as a change by hand, against the line as it is then.
/// </summary>
internal sealed partial class LineTransition
{
    /// <summary>The proposal being approved by this command: its change is journaled with both names.</summary>
    private Proposal? _approval;

    private List<Proposal>? _expiredProposals;

    private bool NeedsFourEyes => _fourEyes.Required && _approval is null;

    /// <summary>A limit above both the current one and what the newest credit decision granted.</summary>
    private bool RaisesRisk(long limitMinor) => limitMinor > _state.LimitMinor && limitMinor > _state.GrantedLimitMinor;

    private LineOutcome Propose(ProposalKind kind, LineCommand change, long limitMinor, string note = "")
    {
        var pending = _state.PendingProposalCount;
        if (pending >= Limits.MaxPendingProposals)
        {
            return Refuse(ErrorReasons.TooManyPendingProposals, $"the line has {pending} proposals waiting for approval, the most it keeps: approve or reject one first");
        }

        var open = change as OpenLineCommand;
        var proposal = new Proposal
        {
            Id = $"P{_state.Sequence + 1}",
            Kind = kind,
            ProposedBy = change.Actor,
            RequestId = change.RequestId,

            // Whole milliseconds: the instants are stored and reported at that precision.
            ProposedAt = WholeMilliseconds(now),
            ExpiresAt = WholeMilliseconds(now + _fourEyes.ProposalTtl),
            LimitMinor = limitMinor,
            AnnualRateBps = open?.AnnualRateBps ?? 0,
            TermDays = open?.TermDays ?? 0,
            Product = open?.Product ?? Product.None,
            SubsidyBps = open?.SubsidyBps ?? 0,
            Note = note,
        };
        _state = _state with { Proposals = _state.Proposals.Add(proposal) };
        return Done(
            Record(EntryKind.ProposalRecorded, limitMinor, note: note, extra: e => e with { ProposalId = proposal.Id, ProposalKind = kind }),
            r => r with { Proposal = proposal });
    }

    private LineOutcome Approve(ApproveProposalCommand approve)
    {
        if (Undecidable(approve.ProposalId) is { } refusal)
        {
            return refusal;
        }

        var proposal = _state.Proposals.First(p => p.Id == approve.ProposalId);
        if (proposal.ProposedBy == approve.Actor)
        {
            return Refuse(ErrorReasons.ApproverIsProposer, $"proposal {proposal.Id} was proposed by the caller: another staff member must approve it", "proposal_id");
        }

        _approval = proposal.Decided(ProposalStatus.Approved, approve.Actor, WholeMilliseconds(now));
        _state = _state with { Proposals = WithDecided(proposal, _approval) };
        return _approval.Change switch
        {
            OpenLineCommand open => Open(open),
            AdjustLimitCommand adjust => AdjustLimit(adjust),
            UnfreezeLineCommand unfreeze => Unfreeze(unfreeze),
            WriteOffLineCommand writeOff => WriteOff(writeOff),
            var other => throw new InvariantViolationException($"proposal {proposal.Id} proposes {other.GetType().Name}, which needs no four eyes"),
        };
    }

    private LineOutcome Reject(RejectProposalCommand reject)
    {
        if (Undecidable(reject.ProposalId) is { } refusal)
        {
            return refusal;
        }

        var proposal = _state.Proposals.First(p => p.Id == reject.ProposalId);
        var rejected = proposal.Decided(ProposalStatus.Rejected, reject.Actor, WholeMilliseconds(now), reject.Note);
        _state = _state with { Proposals = WithDecided(proposal, rejected) };
        return Done(
            Record(EntryKind.ProposalRejected, proposal.LimitMinor, note: reject.Note, extra: e => e with { ProposalId = proposal.Id, ProposalKind = proposal.Kind }),
            r => r with { Proposal = rejected });
    }

    private void ExpireProposal(Proposal proposal)
    {
        _state = _state with { Proposals = WithDecided(proposal, proposal.Decided(ProposalStatus.Expired, System, proposal.ExpiresAt)) };
        Record(
            EntryKind.ProposalExpired,
            proposal.LimitMinor,
            at: proposal.ExpiresAt,
            actor: System,
            extra: e => e with { ProposalId = proposal.Id, ProposalKind = proposal.Kind });
    }

    /// <summary>Why the proposal cannot be approved or rejected any more; null while it is pending.</summary>
    private Rejected? Undecidable(string proposalId)
    {
        var proposal = _state.Proposals.FirstOrDefault(p => p.Id == proposalId);
        if (_expiredProposals?.Exists(p => p.Id == proposalId) == true || proposal?.Status == ProposalStatus.Expired)
        {
            return Refuse(ErrorReasons.ProposalExpired, $"proposal_id {proposalId} names a proposal that expired before anyone approved it: propose the change again", "proposal_id");
        }

        if (proposal is null)
        {
            return Refuse(ErrorReasons.ProposalNotFound, $"proposal_id {proposalId} names no proposal this line keeps", "proposal_id");
        }

        return proposal.IsPending
            ? null
            : Refuse(ErrorReasons.ProposalAlreadyDecided, $"proposal_id {proposalId} was already {proposal.Status.ToString().ToUpperInvariant()} by {proposal.DecidedBy}", "proposal_id");
    }

    /// <summary>The proposals with <paramref name="pending"/> decided, and only the newest decided ones kept.</summary>
    private System.Collections.Immutable.ImmutableArray<Proposal> WithDecided(Proposal pending, Proposal decided)
    {
        var proposals = _state.Proposals.Replace(pending, decided);
        while (proposals.Count(p => !p.IsPending) > Limits.MaxDecidedProposalsKept)
        {
            proposals = proposals.Remove(proposals.Where(p => !p.IsPending).MinBy(p => p.DecidedAt)!);
        }

        return proposals;
    }

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
