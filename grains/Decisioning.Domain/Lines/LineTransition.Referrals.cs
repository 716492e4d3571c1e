using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Lines;

/// <summary>
/// Referrals (<see cref="Referral"/>): a REFER decision opens one; a reviewer claims it and decides
/// it. An approval goes through <see cref="Grant"/>, as an automatic approval does; above the
/// four-eyes limit the first approval waits for a second reviewer, who may not be the first.
/// </summary>
internal sealed partial class LineTransition
{
    /// <summary>The terms an approval grants, automatic or a reviewer's.</summary>
    private sealed record GrantTerms(string DecisionId, Product Product, long LimitMinor, int AnnualRateBps, int TermMonths, int SubsidyBps, long AverageMonthlyInflowMinor, int RelendingDiscountBps = 0, bool FirstLoan = false);

    private void Refer(RecordDecisionCommand decision)
    {
        var referral = new Referral
        {
            DecisionId = decision.DecisionId,
            ReferredAt = WholeMilliseconds(now),
            Product = decision.Product,
            ReferredBy = decision.Actor,
        };
        _state = _state with { Referrals = _state.Referrals.Add(referral) };
    }

    private void SupersedeOpenReferrals()
    {
        foreach (var open in _state.Referrals.Where(r => r.IsOpen).ToList())
        {
            _state = _state with { Referrals = WithDecided(open, open with { Status = ReferralStatus.Superseded, DecidedAt = WholeMilliseconds(now) }) };
        }
    }

    private LineOutcome Claim(ClaimReferralCommand claim)
    {
        if (Undecidable(claim.DecisionId, claim.Actor) is { } refusal)
        {
            return refusal;
        }

        var referral = _state.Referrals.First(r => r.DecisionId == claim.DecisionId);
        var claimed = referral.Status == ReferralStatus.AwaitingSecondReview
            ? referral with { AssignedTo = claim.Actor }
            : referral with { Status = ReferralStatus.Claimed, AssignedTo = claim.Actor };
        if (referral.Status == ReferralStatus.AwaitingSecondReview && referral.Reviewer == claim.Actor)
        {
            return Refuse(ErrorReasons.ApproverIsProposer, $"referral {referral.DecisionId} was approved by the caller: another reviewer must take the second review", "decision_id");
        }

        _state = _state with { Referrals = _state.Referrals.Replace(referral, claimed) };
        return Done(
            Record(EntryKind.ReferralClaimed, 0, extra: e => e with { DecisionId = referral.DecisionId, DecisionOutcome = Outcome.Refer }),
            r => r with { Referral = claimed });
    }

    private LineOutcome DecideReferral(DecideReferralCommand decide)
    {
        if (Undecidable(decide.DecisionId, decide.Actor) is { } refusal)
        {
            return refusal;
        }

        var referral = _state.Referrals.First(r => r.DecisionId == decide.DecisionId);
        var second = referral.Status == ReferralStatus.AwaitingSecondReview;
        if (second && referral.Reviewer == decide.Actor)
        {
            return Refuse(ErrorReasons.ApproverIsProposer, $"referral {referral.DecisionId} was approved by the caller: another reviewer must approve it", "decision_id");
        }

        var note = decide.ReasonCode + ": " + decide.Note;
        if (!decide.Approve)
        {
            var declined = referral with
            {
                Status = ReferralStatus.Declined,
                Reviewer = second ? referral.Reviewer : decide.Actor,
                SecondReviewer = second ? decide.Actor : "",
                ReasonCode = decide.ReasonCode,
                Note = decide.Note,
                DecidedAt = WholeMilliseconds(now),
            };
            _state = _state with { Referrals = WithDecided(referral, declined) };
            return Done(
                Record(EntryKind.ReferralDeclined, 0, note: Clip(note), extra: e => e with { DecisionId = referral.DecisionId, DecisionOutcome = Outcome.Decline }),
                r => r with { Referral = declined });
        }

        if (OutsidePolicy(decide) is { } outside)
        {
            return outside;
        }

        if (DueForRenewal(decide.Policy!.RenewalWindowDays) is { } due)
        {
            return due;
        }

        if (second)
        {
            if (decide.LimitMinor != referral.LimitMinor || decide.AnnualRateBps != referral.AnnualRateBps)
            {
                return Refuse(
                    ErrorReasons.ReferralTermsDiffer,
                    $"{referral.Reviewer} approved {referral.LimitMinor} fen at {referral.AnnualRateBps} bps: approve those terms, or decline",
                    decide.LimitMinor != referral.LimitMinor ? "limit_minor" : "annual_rate_bps");
            }

            var approved = referral with { Status = ReferralStatus.Approved, SecondReviewer = decide.Actor, DecidedAt = WholeMilliseconds(now) };
            return Approved(referral, approved, decide, e => e with { Actor = referral.Reviewer, ApprovedBy = decide.Actor, Note = Clip(referral.ReasonCode + ": " + referral.Note) });
        }

        var terms = referral with
        {
            Reviewer = decide.Actor,
            LimitMinor = decide.LimitMinor,
            AnnualRateBps = decide.AnnualRateBps,
            ReasonCode = decide.ReasonCode,
            Note = decide.Note,
        };
        if (decide.LimitMinor > decide.SecondReviewAboveMinor)
        {
            var waiting = terms with { Status = ReferralStatus.AwaitingSecondReview, AssignedTo = "" };
            _state = _state with { Referrals = _state.Referrals.Replace(referral, waiting) };
            return Done(
                Record(EntryKind.ReferralApprovalRecorded, decide.LimitMinor, note: Clip(note), extra: e => e with { DecisionId = referral.DecisionId, DecisionOutcome = Outcome.Approve }),
                r => r with { Referral = waiting });
        }

        return Approved(referral, terms with { Status = ReferralStatus.Approved, DecidedAt = WholeMilliseconds(now) }, decide, e => e with { Note = Clip(note) });
    }

    private Applied Approved(Referral before, Referral approved, DecideReferralCommand decide, Func<JournalEntry, JournalEntry> extra)
    {
        _state = _state with { Referrals = WithDecided(before, approved) };
        var grant = new GrantTerms(approved.DecisionId, approved.Product, approved.LimitMinor, approved.AnnualRateBps, decide.Policy!.TermMonths, decide.SubsidyBps, decide.AverageMonthlyInflowMinor);
        return Done(Grant(grant, extra), r => r with { Referral = approved });
    }

    /// <summary>Terms the policy does not allow: FAILED_PRECONDITION naming the bound.</summary>
    private static Rejected? OutsidePolicy(DecideReferralCommand decide)
    {
        var policy = decide.Policy ?? throw new InvariantViolationException($"the decision on referral {decide.DecisionId} reached the line without the product's policy");
        if (decide.LimitMinor > policy.CapMinor)
        {
            return Refuse(ErrorReasons.LimitAboveProductCap, $"limit_minor {decide.LimitMinor} fen is above the product cap of {policy.CapMinor} fen", "limit_minor");
        }

        if (decide.LimitMinor < policy.MinLimitMinor)
        {
            return Refuse(ErrorReasons.LimitBelowMinimum, $"limit_minor {decide.LimitMinor} fen is below the policy's minimum limit of {policy.MinLimitMinor} fen", "limit_minor");
        }

        return decide.AnnualRateBps < policy.RateFloorBps
            ? Refuse(ErrorReasons.RateBelowProductFloor, $"annual_rate_bps {decide.AnnualRateBps} is below the policy's rate floor of {policy.RateFloorBps} bps", "annual_rate_bps")
            : null;
    }

    /// <summary>Why the referral cannot be claimed or decided by <paramref name="actor"/>; null when it can.</summary>
    private Rejected? Undecidable(string decisionId, string actor)
    {
        var referral = _state.Referrals.FirstOrDefault(r => r.DecisionId == decisionId);
        if (referral is null)
        {
            return Refuse(ErrorReasons.ReferralNotFound, $"decision_id {decisionId} names no referral of this enterprise", "decision_id");
        }

        if (!referral.IsOpen)
        {
            return Refuse(ErrorReasons.ReferralAlreadyDecided, $"referral {decisionId} is already {referral.Status.ToString().ToUpperInvariant()}", "decision_id");
        }

        return referral.Status == ReferralStatus.Claimed && referral.AssignedTo != actor
            ? Refuse(ErrorReasons.ReferralClaimedByAnother, $"referral {decisionId} is claimed by {referral.AssignedTo}: only they decide it", "decision_id")
            : null;
    }

    /// <summary>The referrals with <paramref name="open"/> decided, and only the newest decided ones kept.</summary>
    private System.Collections.Immutable.ImmutableArray<Referral> WithDecided(Referral open, Referral decided)
    {
        var referrals = _state.Referrals.Replace(open, decided);
        while (referrals.Count(r => !r.IsOpen) > Limits.MaxDecidedReferralsKept)
        {
            referrals = referrals.Remove(referrals.Where(r => !r.IsOpen).MinBy(r => r.DecidedAt)!);
        }

        return referrals;
    }

    /// <summary>A journal note holds at most <see cref="Limits.MaxNoteLength"/> characters; the referral keeps the whole note.</summary>
    private static string Clip(string note) => note.Length <= Limits.MaxNoteLength ? note : note[..Limits.MaxNoteLength];
}
