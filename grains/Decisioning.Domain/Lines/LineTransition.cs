using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Lines;

/// <summary>
/// One command applied to a line: first the passage of time (interest to today, expired holds
/// journaled), then the command itself. Discarded whole when the command is rejected, so a refusal
/// changes nothing.
/// </summary>
internal sealed partial class LineTransition(LineState start, LineCommand command, DateTimeOffset now, FourEyesPolicy fourEyes, WorkingCalendar calendar)
{
    /// <summary>The actor of what time does by itself (expiries).</summary>
    public const string System = "system";

    private readonly DateOnly _today = BusinessCalendar.DateOf(now);
    private readonly FourEyesPolicy _fourEyes = fourEyes;
    private readonly List<JournalEntry> _entries = new(1);
    private LineState _state = start;
    private List<Hold>? _expiredHolds;

    public LineOutcome Run()
    {
        _state = _state.AccruedTo(_today);
        ExpireLapsed();

        return command switch
        {
            OpenLineCommand open => Open(open),
            DrawCommand draw => Draw(draw),
            RepayCommand repay => Repay(repay),
            PlaceHoldCommand hold => PlaceHold(hold),
            CaptureHoldCommand capture => Capture(capture),
            ReleaseHoldCommand release => Release(release),
            FreezeLineCommand freeze => Freeze(freeze),
            UnfreezeLineCommand unfreeze => Unfreeze(unfreeze),
            AdjustLimitCommand adjust => AdjustLimit(adjust),
            CloseLineCommand close => Close(close),
            RecordDecisionCommand decision => RecordDecision(decision),
            RenewLineCommand renew => Renew(renew),
            ApplyRiskSignalCommand signal => ApplySignal(signal),
            ApproveProposalCommand approve => Approve(approve),
            RejectProposalCommand reject => Reject(reject),
            ClaimReferralCommand claim => Claim(claim),
            DecideReferralCommand decide => DecideReferral(decide),
            _ => throw new InvalidOperationException($"No rule applies {command.GetType().Name}."),
        };
    }

    private LineStatus Status => _state.StatusOn(_today);

    private LineOutcome Open(OpenLineCommand open)
    {
        if (_state.Exists && _state.Status != LineStatus.Closed)
        {
            return Refuse(ErrorReasons.LineAlreadyOpen);
        }

        if (NeedsFourEyes)
        {
            return Propose(ProposalKind.OpenLine, open, open.LimitMinor);
        }

        _state = _state with
        {
            Status = LineStatus.Active,
            Product = open.Product,
            LimitMinor = open.LimitMinor,
            DrawnMinor = 0,
            AccruedInterestMinor = 0,
            InterestRemainder = 0,
            AnnualRateBps = open.AnnualRateBps,
            OpenedOn = _today,
            MaturesOn = MaturityOn(_today.AddDays(open.TermDays)),
            AccruedThrough = _today,
            RenewalCount = 0,
            Holds = [],
            SubsidyBps = open.SubsidyBps,
            OriginationAverageMonthlyInflowMinor = 0,
            FrozenByStaff = false,

            // An opening by hand grants no decision's limit, even when an earlier line had one.
            GrantedLimitMinor = 0,
        };
        return Done(Record(EntryKind.LineOpened, open.LimitMinor, extra: e => e with { MaturesOnAfter = _state.MaturesOn }));
    }

    private LineOutcome RecordDecision(RecordDecisionCommand decision)
    {
        // The newest decision is the one a reviewer must see: an older referral still open goes.
        SupersedeOpenReferrals();
        if (decision.Outcome != Outcome.Approve)
        {
            // The newest decision granted nothing: any raise by hand now needs four eyes.
            _state = _state with { LastDecisionId = decision.DecisionId, GrantedLimitMinor = 0 };
            if (decision.Outcome == Outcome.Refer)
            {
                Refer(decision);
            }

            return Done(Record(EntryKind.DecisionRecorded, 0, extra: e => e with { DecisionId = decision.DecisionId, DecisionOutcome = decision.Outcome }));
        }

        return Done(Grant(new GrantTerms(decision.DecisionId, decision.Product, decision.LimitMinor, decision.AnnualRateBps, decision.TermMonths, decision.SubsidyBps, decision.AverageMonthlyInflowMinor)));
    }

    /// <summary>
    /// What an approval does, automatic or a reviewer's: opens the line (or a new term of one past
    /// its maturity) or changes its terms, and journals it with the decision.
    /// </summary>
    private JournalEntry Grant(GrantTerms grant, Func<JournalEntry, JournalEntry>? extra = null)
    {
        // A line never carries a subsidy above its rate: the subsidy refunds part of the interest.
        var subsidy = Math.Min(grant.SubsidyBps, grant.AnnualRateBps);
        var opens = !_state.Exists || _state.Status == LineStatus.Closed;
        var maturityBefore = _state.MaturesOn;
        if (opens)
        {
            _state = _state with
            {
                Status = LineStatus.Active,
                DrawnMinor = 0,
                AccruedInterestMinor = 0,
                InterestRemainder = 0,
                OpenedOn = _today,
                MaturesOn = MaturityOn(_today.AddMonths(grant.TermMonths)),
                AccruedThrough = _today,
                RenewalCount = 0,
                Holds = [],
                FrozenByStaff = false,
            };
        }
        else if (Status == LineStatus.Matured)
        {
            // A new approval of a line past its maturity starts a new term; within its term the
            // maturity stays (renewal is what extends it).
            _state = _state with { MaturesOn = MaturityOn(_today.AddMonths(grant.TermMonths)) };
        }

        var movedMaturity = opens || _state.MaturesOn != maturityBefore;
        _state = _state with
        {
            Product = grant.Product,
            LimitMinor = grant.LimitMinor,
            AnnualRateBps = grant.AnnualRateBps,
            SubsidyBps = subsidy,
            LastDecisionId = grant.DecisionId,
            OriginationAverageMonthlyInflowMinor = grant.AverageMonthlyInflowMinor,
            GrantedLimitMinor = grant.LimitMinor,
        };
        var kind = opens ? EntryKind.LineOpened : EntryKind.LimitAdjusted;
        return Record(kind, grant.LimitMinor, extra: e =>
        {
            var granted = e with
            {
                DecisionId = grant.DecisionId,
                DecisionOutcome = Outcome.Approve,
                MaturesOnAfter = movedMaturity ? _state.MaturesOn : null,
            };
            return extra is null ? granted : extra(granted);
        });
    }

    private LineOutcome Renew(RenewLineCommand renew)
    {
        var reasons = new List<string>(renew.Eligible ? [] : renew.Reasons);
        switch (Status)
        {
            case LineStatus.Closed:
                reasons.Add(ReasonCodes.LineClosed);
                break;
            case LineStatus.Frozen:
                reasons.Add(ReasonCodes.LineFrozen);
                break;
            case LineStatus.Matured:
                reasons.Add(ReasonCodes.LinePastMaturity);
                break;
            case LineStatus.Active when _today < _state.MaturesOn.AddDays(-renew.WindowDays):
                reasons.Add(ReasonCodes.RenewalWindowNotOpen);
                break;
        }

        if (!renew.Eligible && reasons.Count == 0)
        {
            throw new InvalidOperationException("a renewal found not eligible names at least one reason");
        }

        if (reasons.Count > 0)
        {
            var note = string.Join(",", reasons.Distinct());
            _state = _state with { LastDecisionId = renew.DecisionId };
            return Done(
                Record(EntryKind.RenewalDeclined, 0, note: note, extra: e => e with { DecisionId = renew.DecisionId }),
                r => r with { Approved = false, Note = note });
        }

        // The balance stays drawn: no principal is repaid to renew.
        _state = _state with
        {
            MaturesOn = MaturityOn(_state.MaturesOn.AddMonths(renew.TermMonths)),
            RenewalCount = checked(_state.RenewalCount + 1),
            LastDecisionId = renew.DecisionId,
        };
        return Done(Record(EntryKind.LineRenewed, 0, extra: e => e with { DecisionId = renew.DecisionId, MaturesOnAfter = _state.MaturesOn }));
    }

    private LineOutcome ApplySignal(ApplyRiskSignalCommand signal)
    {
        // A closed line has nothing to freeze or lower: the signal is still journaled.
        var effect = _state.Status == LineStatus.Closed ? RiskEffect.RecordOnly : signal.Effect;
        switch (effect)
        {
            case RiskEffect.Freeze:
                // Even a line staff froze is now the signal's to lift: with four eyes.
                _state = _state with { Status = LineStatus.Frozen, FrozenByStaff = false };
                break;
            case RiskEffect.LowerLimit:
                _state = _state with { LimitMinor = RiskSignals.Lowered(_state.LimitMinor, signal.LowerByBps) };
                break;
        }

        var lowerBy = effect == RiskEffect.LowerLimit ? signal.LowerByBps : 0;
        var note = signal.Note.Length == 0 ? signal.ReasonCode : signal.ReasonCode + ": " + signal.Note;
        return Done(
            Record(EntryKind.RiskSignalApplied, 0, note: note, extra: e => e with
            {
                SignalType = signal.SignalType,
                SignalSeverity = signal.Severity,
                SignalEffect = effect,
            }),
            r => r with { Note = signal.ReasonCode, SignalEffect = effect, LowerByBps = lowerBy });
    }

    private LineOutcome Draw(DrawCommand draw)
    {
        var decline = LineState.DrawDecline(Status, draw.AmountMinor, _state.AvailableMinor);
        if (decline != DeclineReason.None)
        {
            return Declined(Record(EntryKind.DrawDeclined, draw.AmountMinor, decline: decline), decline);
        }

        _state = _state with { DrawnMinor = checked(_state.DrawnMinor + draw.AmountMinor) };
        AssertWithinLimit();
        return Done(Record(EntryKind.Draw, draw.AmountMinor));
    }

    private LineOutcome Repay(RepayCommand repay)
    {
        if (_state.Status == LineStatus.Closed)
        {
            return Refuse(ErrorReasons.LineClosed, "the line is closed: nothing is owed on it");
        }

        var owed = checked(_state.AccruedInterestMinor + _state.DrawnMinor);
        if (repay.AmountMinor > owed)
        {
            return Refuse(
                ErrorReasons.RepaymentExceedsOutstanding,
                $"amount_minor {repay.AmountMinor} fen exceeds what is owed: {owed} fen ({_state.AccruedInterestMinor} interest, {_state.DrawnMinor} principal)",
                "amount_minor");
        }

        var interest = Math.Min(repay.AmountMinor, _state.AccruedInterestMinor);
        var principal = repay.AmountMinor - interest;
        var subsidised = InterestSubsidy.Split(interest, _state.AnnualRateBps, Math.Min(_state.SubsidyBps, _state.AnnualRateBps)).SubsidisedMinor;
        _state = _state with
        {
            AccruedInterestMinor = _state.AccruedInterestMinor - interest,
            DrawnMinor = _state.DrawnMinor - principal,
        };
        return Done(
            Record(EntryKind.Repayment, repay.AmountMinor, interestPaid: interest, principalPaid: principal, extra: e => e with { SubsidisedInterestMinor = subsidised }),
            r => r with { InterestPaidMinor = interest, PrincipalPaidMinor = principal, SubsidisedInterestMinor = subsidised });
    }

    private LineOutcome PlaceHold(PlaceHoldCommand hold)
    {
        var decline = LineState.DrawDecline(Status, hold.AmountMinor, _state.AvailableMinor);
        if (decline == DeclineReason.None && _state.Holds.Length >= Limits.MaxOpenHolds)
        {
            decline = DeclineReason.TooManyOpenHolds;
        }

        if (decline != DeclineReason.None)
        {
            return Declined(Record(EntryKind.HoldDeclined, hold.AmountMinor, decline: decline), decline);
        }

        // Whole milliseconds: the expiry is stored and reported at that precision.
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(now.AddSeconds(hold.EffectiveTtlSeconds).ToUnixTimeMilliseconds());
        var placed = new Hold($"H{_state.Sequence + 1}", hold.AmountMinor, expiresAt) { Owner = hold.Actor };
        _state = _state with { Holds = _state.Holds.Add(placed) };
        AssertWithinLimit();
        return Done(
            Record(EntryKind.HoldPlaced, hold.AmountMinor, placed.Id),
            r => r with { HoldId = placed.Id, HoldExpiresAt = placed.ExpiresAt });
    }

    private LineOutcome Capture(CaptureHoldCommand capture)
    {
        if (JustExpired(capture.HoldId, capture.Actor) is { } gone)
        {
            var expired = Record(EntryKind.HoldCaptureDeclined, capture.AmountMinor == 0 ? gone.AmountMinor : capture.AmountMinor, gone.Id, DeclineReason.HoldExpired);
            return Declined(expired, DeclineReason.HoldExpired, r => r with { HoldId = capture.HoldId });
        }

        if (FindHold(capture.HoldId, capture.Actor) is not { } hold)
        {
            return HoldNotFound(capture.HoldId);
        }

        var amount = capture.AmountMinor == 0 ? hold.AmountMinor : capture.AmountMinor;
        if (amount > hold.AmountMinor)
        {
            return Refuse(
                ErrorReasons.CaptureExceedsHold,
                $"amount_minor {amount} fen is more than hold {hold.Id} reserves ({hold.AmountMinor} fen)",
                "amount_minor");
        }

        if (Status is LineStatus.Frozen)
        {
            var frozen = Record(EntryKind.HoldCaptureDeclined, amount, hold.Id, DeclineReason.LineFrozen);
            return Declined(frozen, DeclineReason.LineFrozen, r => r with { HoldId = hold.Id });
        }

        var exposureBefore = checked(_state.DrawnMinor + _state.HeldMinor);
        _state = _state with
        {
            DrawnMinor = checked(_state.DrawnMinor + amount),
            Holds = _state.Holds.Remove(hold),
        };
        if (checked(_state.DrawnMinor + _state.HeldMinor) > exposureBefore)
        {
            throw new InvariantViolationException($"capturing {hold.Id} raised drawn + held above what the hold reserved");
        }

        var released = hold.AmountMinor - amount;
        return Done(
            Record(EntryKind.HoldCaptured, amount, hold.Id),
            r => r with { HoldId = hold.Id, CapturedMinor = amount, ReleasedMinor = released });
    }

    private LineOutcome Release(ReleaseHoldCommand release)
    {
        if (JustExpired(release.HoldId, release.Actor) is not null)
        {
            return Refuse(ErrorReasons.HoldExpired, $"hold_id {release.HoldId} names a hold that has expired: its amount is available again", "hold_id");
        }

        if (FindHold(release.HoldId, release.Actor) is not { } hold)
        {
            return HoldNotFound(release.HoldId);
        }

        _state = _state with { Holds = _state.Holds.Remove(hold) };
        return Done(
            Record(EntryKind.HoldReleased, hold.AmountMinor, hold.Id),
            r => r with { HoldId = hold.Id, ReleasedMinor = hold.AmountMinor });
    }

    private LineOutcome Freeze(FreezeLineCommand freeze)
    {
        switch (Status)
        {
            case LineStatus.Closed:
                return Refuse(ErrorReasons.LineClosed, "a closed line cannot be frozen");
            case LineStatus.Frozen:
                return Refuse(ErrorReasons.LineAlreadyFrozen);
            default:
                _state = _state with { FrozenByStaff = true };
                return ChangeStatus(LineStatus.Frozen, EntryKind.LineFrozen, freeze.Note);
        }
    }

    private LineOutcome Unfreeze(UnfreezeLineCommand unfreeze)
    {
        if (Status != LineStatus.Frozen)
        {
            return Refuse(ErrorReasons.LineNotFrozen, $"only a frozen line can be unfrozen; this one is {Status.ToString().ToUpperInvariant()}");
        }

        if (!_state.FrozenByStaff && NeedsFourEyes)
        {
            return Propose(ProposalKind.UnfreezeLine, unfreeze, 0, unfreeze.Note);
        }

        _state = _state with { FrozenByStaff = false };
        return ChangeStatus(LineStatus.Active, EntryKind.LineUnfrozen, unfreeze.Note);
    }

    private LineOutcome AdjustLimit(AdjustLimitCommand adjust)
    {
        if (_state.Status == LineStatus.Closed)
        {
            return Refuse(ErrorReasons.LineClosed, "a closed line has no limit to adjust");
        }

        if (RaisesRisk(adjust.LimitMinor) && NeedsFourEyes)
        {
            return Propose(ProposalKind.RaiseLimit, adjust, adjust.LimitMinor, adjust.Note);
        }

        _state = _state with { LimitMinor = adjust.LimitMinor };
        return Done(Record(EntryKind.LimitAdjusted, adjust.LimitMinor, note: adjust.Note));
    }

    private LineOutcome Close(CloseLineCommand close)
    {
        if (_state.Status == LineStatus.Closed)
        {
            return Refuse(ErrorReasons.LineAlreadyClosed);
        }

        if (_state.DrawnMinor > 0 || _state.AccruedInterestMinor > 0)
        {
            return Refuse(
                ErrorReasons.LineHasOutstandingBalance,
                $"the line still owes {_state.DrawnMinor} fen principal and {_state.AccruedInterestMinor} fen interest");
        }

        if (_state.Holds.Length > 0)
        {
            return Refuse(ErrorReasons.LineHasOpenHolds, $"the line has {_state.Holds.Length} open holds: capture or release them first");
        }

        // Interest below one fen is never billed; a closed line owes nothing.
        _state = _state with { Status = LineStatus.Closed, InterestRemainder = 0 };
        return Done(Record(EntryKind.LineClosed, 0, note: close.Note));
    }

    /// <summary>A maturity that falls on a holiday or a weekend rolls to the next working day.</summary>
    private DateOnly MaturityOn(DateOnly date) => calendar.NextWorkingDayOnOrAfter(date);

    private LineOutcome ChangeStatus(LineStatus status, EntryKind kind, string note)
    {
        _state = _state with { Status = status };
        return Done(Record(kind, 0, note: note));
    }

    /// <summary>Journals the holds and proposals that expired since the last command, in the order they expired.</summary>
    private void ExpireLapsed()
    {
        var holds = _state.Holds.Any(h => h.ExpiresAt <= now);
        var proposals = _state.Proposals.Any(p => p.IsPending && p.ExpiresAt <= now);
        if (!holds && !proposals)
        {
            return;
        }

        // Holds are kept in the order they were placed, but a later hold with a shorter ttl expires
        // first: journal them in the order they expired, so that the journal stays in time order.
        _expiredHolds = [.. _state.Holds.Where(h => h.ExpiresAt <= now)];
        _expiredProposals = [.. _state.Proposals.Where(p => p.IsPending && p.ExpiresAt <= now)];
        var lapsed = _expiredHolds.Select(h => (At: h.ExpiresAt, Hold: (Hold?)h, Proposal: (Proposal?)null))
            .Concat(_expiredProposals.Select(p => (At: p.ExpiresAt, Hold: (Hold?)null, Proposal: (Proposal?)p)))
            .OrderBy(x => x.At);
        foreach (var (at, hold, proposal) in lapsed)
        {
            if (hold is not null)
            {
                _state = _state with { Holds = _state.Holds.Remove(hold) };
                Record(EntryKind.HoldExpired, hold.AmountMinor, hold.Id, at: at, actor: System);
            }
            else
            {
                ExpireProposal(proposal!);
            }
        }
    }

    /// <summary>The caller's hold, if this very command found it expired.</summary>
    private Hold? JustExpired(string holdId, string actor) => _expiredHolds?.Find(h => h.Id == holdId && h.BelongsTo(actor));

    /// <summary>The caller's open hold: another caller's reads as no hold at all.</summary>
    private Hold? FindHold(string holdId, string actor)
    {
        foreach (var hold in _state.Holds)
        {
            if (hold.Id == holdId && hold.BelongsTo(actor))
            {
                return hold;
            }
        }

        return null;
    }

    private void AssertWithinLimit()
    {
        if (checked(_state.DrawnMinor + _state.HeldMinor) > _state.LimitMinor)
        {
            throw new InvariantViolationException(
                $"drawn {_state.DrawnMinor} + held {_state.HeldMinor} exceeds limit {_state.LimitMinor} after {command.GetType().Name}");
        }
    }

    private JournalEntry Record(
        EntryKind kind,
        long amountMinor,
        string holdId = "",
        DeclineReason decline = DeclineReason.None,
        string note = "",
        DateTimeOffset? at = null,
        string? actor = null,
        long interestPaid = 0,
        long principalPaid = 0,
        Func<JournalEntry, JournalEntry>? extra = null)
    {
        _state = _state with { Sequence = _state.Sequence + 1 };
        var entry = new JournalEntry
        {
            Sequence = _state.Sequence,
            At = at ?? now,
            Kind = kind,
            RequestId = actor is null ? _approval?.RequestId ?? command.RequestId : "",
            Actor = actor ?? _approval?.ProposedBy ?? command.Actor,
            ApprovedBy = actor is null ? _approval?.DecidedBy ?? "" : "",
            ProposalId = actor is null ? _approval?.Id ?? "" : "",
            ProposalKind = actor is null ? _approval?.Kind ?? ProposalKind.None : ProposalKind.None,
            AmountMinor = amountMinor,
            HoldId = holdId,
            DeclineReason = decline,
            InterestPaidMinor = interestPaid,
            PrincipalPaidMinor = principalPaid,
            Note = note,
            LimitAfterMinor = _state.LimitMinor,
            DrawnAfterMinor = _state.DrawnMinor,
            HeldAfterMinor = _state.HeldMinor,
            AccruedInterestAfterMinor = _state.AccruedInterestMinor,
            StatusAfter = _state.StatusOn(_today),
        };
        if (extra is not null)
        {
            entry = extra(entry);
        }

        _entries.Add(entry);
        return entry;
    }

    private Applied Done(JournalEntry entry, Func<OperationResult, OperationResult>? details = null)
    {
        var result = new OperationResult { Line = _state.ToView(_today), Sequence = entry.Sequence, Proposal = _approval };
        return new Applied(_state, details is null ? result : details(result), _entries);
    }

    private Applied Declined(JournalEntry entry, DeclineReason reason, Func<OperationResult, OperationResult>? details = null) =>
        Done(entry, r => (details is null ? r : details(r)) with { Approved = false, DeclineReason = reason });

    private static Rejected Refuse(ErrorReason reason, string? message = null, string? field = null) => new(new DomainError(reason, message, field));

    private static Rejected HoldNotFound(string holdId) => Refuse(
        ErrorReasons.HoldNotFound,
        $"hold_id {holdId} names no open hold of this line placed by the caller: it was never placed (by this caller), or was captured, released or expired",
        "hold_id");
}

/// <summary>A rule that only a bug can break was broken: the command must not be applied.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);
