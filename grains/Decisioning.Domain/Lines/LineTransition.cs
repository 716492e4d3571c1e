using Decisioning.Domain.Assessment;
using Decisioning.Domain.Programmes;

namespace Decisioning.Domain.Lines;

/// <summary>
/// One command applied to a line: first the passage of time (interest to today, expired holds
/// journaled), then the command itself. Discarded whole when the command is rejected, so a refusal
/// changes nothing.
/// </summary>
internal sealed partial class LineTransition(LineState start, LineCommand command, DateTimeOffset now, FourEyesPolicy fourEyes, OverduePolicy overdue, WorkingCalendar calendar, ProductBounds? products = null)
{
    /// <summary>The actor of what time does by itself (expiries).</summary>
    public const string System = "system";

    private readonly DateOnly _today = BusinessCalendar.DateOf(now);
    private readonly FourEyesPolicy _fourEyes = fourEyes;
    private readonly List<JournalEntry> _entries = new(1);
    private readonly LineState _start = start;
    private LineState _state = start;

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
            RunDailyCommand => RunDaily(),
            SetClassificationFloorCommand floor => SetFloor(floor),
            WriteOffLineCommand writeOff => WriteOff(writeOff),
            RelendingLeaseCommand lease => ChangeLease(lease),
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

        // Checked when proposed and again when approved (the model may have changed in between).
        if ((products?.Limit(open.Product, open.LimitMinor) ?? products?.Rate(open.Product, open.AnnualRateBps)) is { } outOfBounds)
        {
            return new Rejected(outOfBounds);
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

            // Nor a re-lending discount, nor a first loan checked against the credit bureau.
            RelendingEligible = false,
            FirstLoan = false,
        };
        _state = Fresh(_state);
        return Done(Record(EntryKind.LineOpened, open.LimitMinor, extra: e => e with { MaturesOnAfter = _state.MaturesOn }));
    }

    private LineOutcome RecordDecision(RecordDecisionCommand decision)
    {
        // The newest decision is the one a reviewer must see: an older referral still open goes.
        SupersedeOpenReferrals();
        // A written-off loan is not reopened by a decision: the decision is journaled, nothing else.
        if (decision.Outcome != Outcome.Approve || _state.Status == LineStatus.WrittenOff)
        {
            // The newest decision granted nothing: any raise by hand now needs four eyes.
            _state = _state with { LastDecisionId = decision.DecisionId, GrantedLimitMinor = 0 };
            if (decision.Outcome == Outcome.Refer)
            {
                Refer(decision);
            }

            return Done(Record(EntryKind.DecisionRecorded, 0, extra: e => e with { DecisionId = decision.DecisionId, DecisionOutcome = decision.Outcome }));
        }

        if (DueForRenewal(decision.RenewalWindowDays) is { } due)
        {
            return due;
        }

        return Done(Grant(new GrantTerms(decision.DecisionId, decision.Product, decision.LimitMinor, decision.AnnualRateBps, decision.TermMonths, decision.SubsidyBps, decision.AverageMonthlyInflowMinor, decision.RelendingDiscountBps, decision.FirstLoan)));
    }

    /// <summary>
    /// One door to a new term: an approval, automatic or a reviewer's, that reaches a line inside its
    /// renewal window or past its maturity is refused; only RenewLine gives a new term. (An
    /// assessment that sees the line there declines before; this catches a day that changed between.)
    /// </summary>
    private LineOutcome? DueForRenewal(int windowDays) =>
        !Opens && Renewal.DueFor(_state.ToView(_today), windowDays, _today) is { } due
            ? Refuse(ErrorReasons.LineDueForRenewal, $"the line is {(due == ReasonCodes.LinePastMaturity ? "past its maturity" : "inside its renewal window")} ({_state.MaturesOn:yyyy-MM-dd}): a new term comes only through RenewLine")
            : null;

    /// <summary>An approval opens a line where there is none, or none open.</summary>
    private bool Opens => !_state.Exists || _state.Status == LineStatus.Closed;

    /// <summary>
    /// What an approval does, automatic or a reviewer's: opens the line or changes its terms (only
    /// RenewLine gives a new term), and journals it with the decision.
    /// </summary>
    private JournalEntry Grant(GrantTerms grant, Func<JournalEntry, JournalEntry>? extra = null)
    {
        // A line never carries a subsidy above its rate: the subsidy refunds part of the interest.
        var subsidy = Math.Min(grant.SubsidyBps, grant.AnnualRateBps);
        var opens = Opens;
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
            _state = Fresh(_state);
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
            RelendingEligible = grant.RelendingDiscountBps > 0,

            // A line is a first loan from the approval that opened it.
            FirstLoan = opens ? grant.FirstLoan : _state.FirstLoan,
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
            case LineStatus.Closed or LineStatus.WrittenOff:
                reasons.Add(ReasonCodes.LineClosed);
                break;
            case LineStatus.Frozen:
                reasons.Add(ReasonCodes.LineFrozen);
                break;
            case LineStatus.Matured or LineStatus.Overdue:
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

        // The balance stays drawn: no principal is repaid to renew. The terms are the fresh
        // assessment's; a balance above the new limit stays, with nothing available until repaid.
        _state = _state with
        {
            MaturesOn = MaturityOn(_state.MaturesOn.AddMonths(renew.TermMonths)),
            RenewalCount = checked(_state.RenewalCount + 1),
            LastDecisionId = renew.DecisionId,
            Product = renew.Product,
            LimitMinor = renew.LimitMinor,
            AnnualRateBps = renew.AnnualRateBps,
            SubsidyBps = Math.Min(renew.SubsidyBps, renew.AnnualRateBps),
            GrantedLimitMinor = renew.LimitMinor,
        };
        var over = checked(_state.DrawnMinor + _state.HeldMinor) > _state.LimitMinor ? ReasonCodes.BalanceExceedsRenewedLimit : "";
        return Done(
            Record(EntryKind.LineRenewed, 0, note: over, extra: e => e with { DecisionId = renew.DecisionId, MaturesOnAfter = _state.MaturesOn }),
            r => r with { Note = over });
    }

    private LineOutcome ApplySignal(ApplyRiskSignalCommand signal)
    {
        // A closed line has nothing to freeze or lower: the signal is still journaled.
        var effect = _state.Status is LineStatus.Closed or LineStatus.WrittenOff ? RiskEffect.RecordOnly : signal.Effect;
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
        // A signal that freezes the line also puts a floor under its classification; its entry
        // carries the classification after it.
        if (effect == RiskEffect.Freeze)
        {
            RaiseFloor(LoanClass.SpecialMention);
        }

        var recorded = Record(EntryKind.RiskSignalApplied, 0, note: note, extra: e => e with
        {
            SignalType = signal.SignalType,
            SignalSeverity = signal.Severity,
            SignalEffect = effect,
            Classification = effect == RiskEffect.Freeze ? _state.EffectiveClassification : LoanClass.None,
            ClassificationFloor = effect == RiskEffect.Freeze ? _state.ClassificationFloor : LoanClass.None,
        });

        return Done(recorded, r => r with { Note = signal.ReasonCode, SignalEffect = effect, LowerByBps = lowerBy });
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
        var (funding, funded) = Fund(draw.AmountMinor);
        return Done(Record(EntryKind.Draw, draw.AmountMinor, extra: funding == RelendingFunding.None ? null : e => e with { Relending = funding, RelendingMinor = funded }));
    }

    private LineOutcome Repay(RepayCommand repay)
    {
        if (_state.Status == LineStatus.Closed)
        {
            return Refuse(ErrorReasons.LineClosed, "the line is closed: nothing is owed on it");
        }

        var owed = _state.OwedMinor;
        if (repay.AmountMinor > owed)
        {
            return Refuse(
                ErrorReasons.RepaymentExceedsOutstanding,
                _state.Status == LineStatus.WrittenOff
                    ? $"amount_minor {repay.AmountMinor} fen exceeds what is left to recover of the written-off loan: {owed} fen"
                    : $"amount_minor {repay.AmountMinor} fen exceeds what is owed: {owed} fen ({_state.AccruedPenaltyMinor} penalty interest, {_state.AccruedInterestMinor} interest, {_state.DrawnMinor} principal)",
                "amount_minor");
        }

        if (_state.Status == LineStatus.WrittenOff)
        {
            return Recover(repay.AmountMinor);
        }

        // The waterfall: penalty interest first, then interest, then principal.
        var penalty = Math.Min(repay.AmountMinor, _state.AccruedPenaltyMinor);
        var interest = Math.Min(repay.AmountMinor - penalty, _state.AccruedInterestMinor);
        var principal = repay.AmountMinor - penalty - interest;
        var subsidised = InterestSubsidy.Split(interest, _state.AnnualRateBps, Math.Min(_state.SubsidyBps, _state.AnnualRateBps)).SubsidisedMinor;
        _state = _state with
        {
            AccruedPenaltyMinor = _state.AccruedPenaltyMinor - penalty,
            AccruedInterestMinor = _state.AccruedInterestMinor - interest,
            DrawnMinor = _state.DrawnMinor - principal,
        };
        var returned = Relending.Returned(principal, _state.DrawnMinor, _state.RelendingFundedMinor, _state.RelendingShareBps);
        if (returned > 0)
        {
            _state = _state with
            {
                RelendingFundedMinor = _state.RelendingFundedMinor - returned,
                RelendingLeaseMinor = checked(_state.RelendingLeaseMinor + returned),
            };
        }

        return Done(
            Record(EntryKind.Repayment, repay.AmountMinor, interestPaid: interest, principalPaid: principal, extra: e => e with { SubsidisedInterestMinor = subsidised, PenaltyPaidMinor = penalty, RelendingMinor = -returned }),
            r => r with { InterestPaidMinor = interest, PrincipalPaidMinor = principal, SubsidisedInterestMinor = subsidised, PenaltyPaidMinor = penalty });
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
        var (funding, funded) = Fund(amount);
        return Done(
            Record(EntryKind.HoldCaptured, amount, hold.Id, extra: funding == RelendingFunding.None ? null : e => e with { Relending = funding, RelendingMinor = funded }),
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
            case LineStatus.WrittenOff:
                return Refuse(ErrorReasons.LineWrittenOff, "a written-off line cannot be frozen");
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

        if (_state.Status == LineStatus.WrittenOff)
        {
            return Refuse(ErrorReasons.LineWrittenOff, "a written-off line has no limit to adjust");
        }

        if (products?.Limit(_state.Product, adjust.LimitMinor) is { } outOfBounds)
        {
            return new Rejected(outOfBounds);
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

        if (_state.Status == LineStatus.WrittenOff)
        {
            return Refuse(ErrorReasons.LineWrittenOff, "a written-off line stays written off: recoveries remain possible");
        }

        if (_state.OwedMinor > 0)
        {
            return Refuse(
                ErrorReasons.LineHasOutstandingBalance,
                $"the line still owes {_state.DrawnMinor} fen principal, {_state.AccruedInterestMinor} fen interest and {_state.AccruedPenaltyMinor} fen penalty interest");
        }

        if (_state.Holds.Length > 0)
        {
            return Refuse(ErrorReasons.LineHasOpenHolds, $"the line has {_state.Holds.Length} open holds: capture or release them first");
        }

        // Interest below one fen is never billed; a closed line owes nothing.
        _state = _state with { Status = LineStatus.Closed, InterestRemainder = 0, PenaltyRemainder = 0 };
        return Done(Record(EntryKind.LineClosed, 0, note: close.Note));
    }

    /// <summary>
    /// A draw of a line with the re-lending discount uses its lease for the funded share when the
    /// lease covers it; otherwise the draw stands, unfunded. A line without the discount: nothing.
    /// </summary>
    private (RelendingFunding Funding, long FundedMinor) Fund(long amountMinor)
    {
        if (!_state.RelendingEligible)
        {
            return (RelendingFunding.None, 0);
        }

        var need = Relending.Funded(amountMinor, _state.RelendingShareBps);
        if (_state.RelendingShareBps == 0 || need > _state.RelendingLeaseMinor)
        {
            return (RelendingFunding.Unfunded, 0);
        }

        _state = _state with
        {
            RelendingLeaseMinor = _state.RelendingLeaseMinor - need,
            RelendingFundedMinor = checked(_state.RelendingFundedMinor + need),
        };
        return (RelendingFunding.Funded, need);
    }

    private LineOutcome ChangeLease(RelendingLeaseCommand lease)
    {
        if (_state.RelendingVersion != lease.ExpectedVersion)
        {
            return Refuse(ErrorReasons.ConcurrentModification, $"the line's re-lending lease is at version {_state.RelendingVersion}, not {lease.ExpectedVersion}");
        }

        // A line's lease and funded principal belong to one period: it changes period only when it holds nothing.
        if (_state.RelendingPeriod != lease.Period && _state.RelendingHoldingMinor > 0)
        {
            return Refuse(ErrorReasons.ConcurrentModification, $"the line holds quota of period {_state.RelendingPeriod}, not {lease.Period}");
        }

        var leaseAfter = checked(_state.RelendingLeaseMinor + lease.ChangeMinor);
        if (leaseAfter < 0)
        {
            throw new InvariantViolationException($"giving back {-lease.ChangeMinor} fen of a lease of {_state.RelendingLeaseMinor}");
        }

        _state = _state with
        {
            RelendingPeriod = lease.Period,
            RelendingShareBps = lease.ShareBps,
            RelendingLeaseMinor = leaseAfter,
            RelendingVersion = lease.NewVersion,
        };
        return Done(Record(EntryKind.RelendingLeaseChanged, lease.ChangeMinor, note: lease.Period, extra: e => e with { RelendingMinor = lease.ChangeMinor }));
    }

    /// <summary>A maturity that falls on a holiday or a weekend rolls to the next working day.</summary>
    private DateOnly MaturityOn(DateOnly date) => calendar.NextWorkingDayOnOrAfter(date);

    private LineOutcome ChangeStatus(LineStatus status, EntryKind kind, string note)
    {
        _state = _state with { Status = status };
        return Done(Record(kind, 0, note: note));
    }

    /// <summary>Has a hold or a pending proposal of <paramref name="state"/> lapsed by <paramref name="at"/>? (Loops: asked on every command, it allocates nothing.)</summary>
    private static bool Lapses(LineState state, DateTimeOffset at)
    {
        foreach (var hold in state.Holds)
        {
            if (hold.ExpiresAt <= at)
            {
                return true;
            }
        }

        foreach (var proposal in state.Proposals)
        {
            if (proposal.IsPending && proposal.ExpiresAt <= at)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Journals the holds and proposals that expired since the last command, in the order they expired.</summary>
    private void ExpireLapsed()
    {
        if (!Lapses(_state, now))
        {
            return;
        }

        // Holds are kept in the order they were placed, but a later hold with a shorter ttl expires
        // first: journal them in the order they expired, so that the journal stays in time order.
        List<Hold> expiredHolds = [.. _state.Holds.Where(h => h.ExpiresAt <= now)];
        _expiredProposals = [.. _state.Proposals.Where(p => p.IsPending && p.ExpiresAt <= now)];
        var lapsed = expiredHolds.Select(h => (At: h.ExpiresAt, Hold: (Hold?)h, Proposal: (Proposal?)null))
            .Concat(_expiredProposals.Select(p => (At: p.ExpiresAt, Hold: (Hold?)null, Proposal: (Proposal?)p)))
            .OrderBy(x => x.At);
        foreach (var (at, hold, proposal) in lapsed)
        {
            if (hold is not null)
            {
                var remembered = _state.LapsedHolds.Add(hold);
                _state = _state with
                {
                    Holds = _state.Holds.Remove(hold),
                    LapsedHolds = remembered.Length > LineState.MaxLapsedHolds ? remembered.RemoveAt(0) : remembered,
                };
                Record(EntryKind.HoldExpired, hold.AmountMinor, hold.Id, at: at, actor: System);
            }
            else
            {
                ExpireProposal(proposal!);
            }
        }
    }

    /// <summary>The caller's hold, if it expired (found so by this very command or an earlier one).</summary>
    private Hold? JustExpired(string holdId, string actor) =>
        _state.LapsedHolds.FirstOrDefault(h => h.Id == holdId && h.BelongsTo(actor));

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
            AccruedPenaltyAfterMinor = _state.AccruedPenaltyMinor,
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
