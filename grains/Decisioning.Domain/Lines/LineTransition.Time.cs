namespace Decisioning.Domain.Lines;

/// <summary>
/// What time does to a line (issue 11): the daily process (maturity, overdue, classification by
/// days past due), the floor a reviewer or a risk signal puts under the classification, the
/// write-off with four eyes and the recoveries after it.
/// </summary>
internal sealed partial class LineTransition
{
    /// <summary>A line (re)opened now: the penalty uplift is fixed as a term of it, and it starts NORMAL.</summary>
    private LineState Fresh(LineState opened) => opened with
    {
        PenaltyUpliftBps = overdue.PenaltyUpliftBps,
        AccruedPenaltyMinor = 0,
        PenaltyRemainder = 0,
        Classification = LoanClass.Normal,
        ClassificationFloor = LoanClass.None,
        DaysPastDueAtLastRun = 0,
        WrittenOffPrincipalMinor = 0,
        WrittenOffInterestMinor = 0,
        WrittenOffPenaltyMinor = 0,
        RecoveredMinor = 0,
    };

    /// <summary>
    /// The daily process. Expired holds were journaled before (as for any command); then, once per
    /// business day, what the day found: the maturity, the overdue, a change of classification.
    /// A day that finds nothing writes nothing: the state is left as it was loaded.
    /// </summary>
    private LineOutcome RunDaily()
    {
        if (_today > _state.LastDailyRun && _state.Status is LineStatus.Active or LineStatus.Frozen)
        {
            var before = _entries.Count;
            var dpd = _state.DaysPastDueOn(_today);
            if (_state.LastDailyRun < _state.MaturesOn && _today >= _state.MaturesOn)
            {
                Record(EntryKind.LineMatured, _state.DrawnMinor, actor: System, extra: e => e with { DaysPastDue = dpd, MaturesOnAfter = _state.MaturesOn });
            }

            if (dpd > 0 && _state.DaysPastDueAtLastRun == 0)
            {
                Record(EntryKind.LineOverdue, _state.DrawnMinor, actor: System, extra: e => e with { DaysPastDue = dpd });
            }

            Reclassify(dpd);
            if (_entries.Count > before)
            {
                _state = _state with { LastDailyRun = _today, DaysPastDueAtLastRun = dpd };
            }
        }

        return _entries.Count == 0
            ? new Applied(_start, new OperationResult { Line = _start.AccruedTo(_today).ToView(_today), Sequence = _start.Sequence }, [])
            : Done(_entries[^1]);
    }

    private LineOutcome SetFloor(SetClassificationFloorCommand floor)
    {
        if (NotOpen("a classification floor") is { } refusal)
        {
            return refusal;
        }

        _state = _state with { ClassificationFloor = floor.Floor };
        var dpd = _state.DaysPastDueOn(_today);
        var classification = Tier(dpd);
        _state = _state with { Classification = classification };
        return Done(Record(EntryKind.ClassificationFloorSet, 0, note: floor.Note, extra: e => e with
        {
            DaysPastDue = dpd,
            Classification = classification,
            ClassificationFloor = floor.Floor,
        }));
    }

    private LineOutcome WriteOff(WriteOffLineCommand writeOff)
    {
        if (NotOpen("a write-off") is { } refusal)
        {
            return refusal;
        }

        if (_state.EffectiveClassification < LoanClass.Substandard)
        {
            return Refuse(ErrorReasons.LineNotClassifiedForWriteOff, $"the loan is classified {Name(_state.EffectiveClassification)}: only SUBSTANDARD or worse is written off");
        }

        if (_state.OwedMinor == 0)
        {
            return Refuse(ErrorReasons.NothingToWriteOff);
        }

        if (_state.Holds.Length > 0)
        {
            return Refuse(ErrorReasons.LineHasOpenHolds, $"the line has {_state.Holds.Length} open holds: they expire, or are released, before a write-off");
        }

        if (NeedsFourEyes)
        {
            return Propose(ProposalKind.WriteOff, writeOff, 0, writeOff.Note);
        }

        var dpd = _state.DaysPastDueOn(_today);
        var (principal, interest, penalty) = (_state.DrawnMinor, _state.AccruedInterestMinor, _state.AccruedPenaltyMinor);
        _state = _state with
        {
            Status = LineStatus.WrittenOff,
            LimitMinor = 0,
            DrawnMinor = 0,
            AccruedInterestMinor = 0,
            InterestRemainder = 0,
            AccruedPenaltyMinor = 0,
            PenaltyRemainder = 0,
            FrozenByStaff = false,
            WrittenOffPrincipalMinor = principal,
            WrittenOffInterestMinor = interest,
            WrittenOffPenaltyMinor = penalty,
            RecoveredMinor = 0,
        };
        return Done(Record(EntryKind.LineWrittenOff, checked(principal + interest + penalty), note: writeOff.Note, extra: e => WithLoss(e, dpd)));
    }

    /// <summary>A repayment after the write-off, split by the same waterfall over what was written off.</summary>
    private Applied Recover(long amountMinor)
    {
        var before = _state.RecoveredMinor;
        var after = checked(before + amountMinor);
        var (penaltyOff, interestOff) = (_state.WrittenOffPenaltyMinor, _state.WrittenOffInterestMinor);
        var penalty = Part(after, 0, penaltyOff) - Part(before, 0, penaltyOff);
        var interest = Part(after, penaltyOff, interestOff) - Part(before, penaltyOff, interestOff);
        var principal = amountMinor - penalty - interest;
        _state = _state with { RecoveredMinor = after };
        return Done(
            Record(EntryKind.Recovery, amountMinor, interestPaid: interest, principalPaid: principal, extra: e => WithLoss(e, 0) with { PenaltyPaidMinor = penalty }),
            r => r with { InterestPaidMinor = interest, PrincipalPaidMinor = principal, PenaltyPaidMinor = penalty });

        // How much of the slice [from, from + size) a cumulative amount covers.
        static long Part(long cumulative, long from, long size) => Math.Clamp(cumulative - from, 0, size);
    }

    /// <summary>What a claim on a risk-compensation fund reads off a write-off or a recovery.</summary>
    private JournalEntry WithLoss(JournalEntry entry, int dpd) => entry with
    {
        DaysPastDue = dpd,
        Classification = _state.EffectiveClassification,
        WrittenOffPrincipalMinor = _state.WrittenOffPrincipalMinor,
        WrittenOffInterestMinor = _state.WrittenOffInterestMinor,
        WrittenOffPenaltyMinor = _state.WrittenOffPenaltyMinor,
        RecoveredAfterMinor = _state.RecoveredMinor,
        RenewalCount = _state.RenewalCount,
    };

    /// <summary>A risk signal's floor: raised, never lowered; the signal's entry records the classification after it.</summary>
    private void RaiseFloor(LoanClass floor)
    {
        if (floor > _state.ClassificationFloor)
        {
            _state = _state with { ClassificationFloor = floor };
        }

        _state = _state with { Classification = Tier(_state.DaysPastDueOn(_today)) };
    }

    /// <summary>Journals a change of classification by <paramref name="dpd"/> and the floor.</summary>
    private void Reclassify(int dpd)
    {
        var from = _state.EffectiveClassification;
        var to = Tier(dpd);
        if (to == from)
        {
            return;
        }

        _state = _state with { Classification = to };
        Record(EntryKind.ClassificationChanged, 0, note: $"{Name(from)} -> {Name(to)}", actor: System, extra: e => e with { DaysPastDue = dpd, Classification = to });
    }

    /// <summary>The tier days past due give, never better than the floor.</summary>
    private LoanClass Tier(int dpd)
    {
        var byDays = overdue.ClassFor(dpd);
        return byDays > _state.ClassificationFloor ? byDays : _state.ClassificationFloor;
    }

    private Rejected? NotOpen(string what) => _state.Status switch
    {
        LineStatus.Closed => Refuse(ErrorReasons.LineClosed, $"a closed line takes no {what}"),
        LineStatus.WrittenOff => Refuse(ErrorReasons.LineWrittenOff, $"a written-off line takes no {what}"),
        _ => null,
    };

    private static string Name(LoanClass tier) => tier switch
    {
        LoanClass.SpecialMention => "SPECIAL_MENTION",
        _ => tier.ToString().ToUpperInvariant(),
    };
}
