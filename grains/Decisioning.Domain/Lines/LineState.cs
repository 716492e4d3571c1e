using System.Collections.Immutable;

namespace Decisioning.Domain.Lines;

/// <summary>
/// The revolving credit line of one enterprise (随借随还、循环使用): an immutable value. Commands
/// applied to it give a new state and the journal entries that record the change; reads give a view
/// as of an instant. The clock is always passed in.
/// </summary>
public sealed record LineState
{
    /// <summary>Daily interest is drawn × rate / 10,000 / 360: this is the divisor of the numerator drawn × bps × days.</summary>
    internal const long InterestDivisor = 10_000L * 360;

    /// <summary>Daily penalty interest is drawn × rate × (10,000 + uplift) / 10,000 / 10,000 / 360.</summary>
    internal const long PenaltyDivisor = 10_000L * 10_000 * 360;

    public static LineState NotOpened { get; } = new();

    /// <summary>As stored: None, Active, Frozen or Closed. MATURED is derived from the date.</summary>
    public LineStatus Status { get; init; }

    public Product Product { get; init; }
    public long LimitMinor { get; init; }
    public long DrawnMinor { get; init; }
    public long AccruedInterestMinor { get; init; }

    /// <summary>Interest smaller than one fen, carried as the remainder of the numerator drawn × bps × days.</summary>
    public long InterestRemainder { get; init; }

    public int AnnualRateBps { get; init; }
    public DateOnly OpenedOn { get; init; }
    public DateOnly MaturesOn { get; init; }

    /// <summary>Interest is accrued for every day before this date.</summary>
    public DateOnly AccruedThrough { get; init; }

    public int RenewalCount { get; init; }

    /// <summary>The sequence of the newest journal entry; it also versions the stored state.</summary>
    public long Sequence { get; init; }

    public ImmutableArray<Hold> Holds { get; init; } = [];

    /// <summary>
    /// The newest holds that expired, at most <see cref="MaxLapsedHolds"/>, newest last: releasing or
    /// capturing one is refused as expired (HOLD_EXPIRED), whether the expiry was journaled by this
    /// command or earlier (by the hold's timer or the daily process).
    /// </summary>
    public ImmutableArray<Hold> LapsedHolds { get; init; } = [];

    public const int MaxLapsedHolds = 8;

    /// <summary>The fiscal interest subsidy (财政贴息) in basis points, never above the rate.</summary>
    public int SubsidyBps { get; init; }

    /// <summary>The newest credit decision recorded (empty for a line opened by staff).</summary>
    public string LastDecisionId { get; init; } = "";

    /// <summary>What the origination decision saw; renewal compares a fresh assessment against it.</summary>
    public long OriginationAverageMonthlyInflowMinor { get; init; }

    /// <summary>
    /// A freeze by staff, which staff lift at once. Any other freeze (a risk signal's, or one stored
    /// before freezes were told apart) is lifted only with four eyes.
    /// </summary>
    public bool FrozenByStaff { get; init; }

    /// <summary>
    /// The limit the newest credit decision granted: 0 when it was not an approval, or there is none
    /// (or it was recorded before this was kept). Staff raise the limit up to it at once; above it, with four eyes.
    /// </summary>
    public long GrantedLimitMinor { get; init; }

    /// <summary>Pending proposals (at most <see cref="Limits.MaxPendingProposals"/>) and the newest decided ones, oldest first.</summary>
    public ImmutableArray<Proposal> Proposals { get; init; } = [];

    /// <summary>Penalty interest (罚息) accrued on principal unpaid past maturity, unpaid.</summary>
    public long AccruedPenaltyMinor { get; init; }

    /// <summary>Penalty interest smaller than one fen, as the remainder of its numerator (<see cref="PenaltyDivisor"/>).</summary>
    public long PenaltyRemainder { get; init; }

    /// <summary>The penalty rate's uplift over the contract rate, fixed when the line opens; 0 (stored before) is the default +50%.</summary>
    public int PenaltyUpliftBps { get; init; }

    /// <summary>As the daily process (or a floor, a risk signal) last set it; None (stored before) reads as NORMAL.</summary>
    public LoanClass Classification { get; init; }

    /// <summary>The tier a reviewer or a risk signal set: the classification is never better.</summary>
    public LoanClass ClassificationFloor { get; init; }

    /// <summary>The newest business day the daily process changed something on (it runs once per day).</summary>
    public DateOnly LastDailyRun { get; init; }

    /// <summary>Days past due when the daily process last changed something: an overdue is journaled once.</summary>
    public int DaysPastDueAtLastRun { get; init; }

    public long WrittenOffPrincipalMinor { get; init; }
    public long WrittenOffInterestMinor { get; init; }
    public long WrittenOffPenaltyMinor { get; init; }

    /// <summary>Repaid after the write-off, in all.</summary>
    public long RecoveredMinor { get; init; }

    public LoanClass EffectiveClassification => Classification == LoanClass.None ? LoanClass.Normal : Classification;

    /// <summary>What is owed: principal, interest and penalty interest; on a written-off line, what is left to recover.</summary>
    public long OwedMinor => Status == LineStatus.WrittenOff
        ? checked(WrittenOffPrincipalMinor + WrittenOffInterestMinor + WrittenOffPenaltyMinor - RecoveredMinor)
        : checked(DrawnMinor + AccruedInterestMinor + AccruedPenaltyMinor);

    /// <summary>Days since maturity while anything is owed on an open line (on the maturity date itself: 0, it is due).</summary>
    public int DaysPastDueOn(DateOnly today) =>
        Status is LineStatus.Active or LineStatus.Frozen && today > MaturesOn && OwedMinor > 0 ? today.DayNumber - MaturesOn.DayNumber : 0;

    /// <summary>The newest approval was for the enterprise's first bank credit (首贷), as the credit bureau reported its financing.</summary>
    public bool FirstLoan { get; init; }

    /// <summary>The line's rate carries the technology re-lending discount: its draws may be funded by the re-lending quota.</summary>
    public bool RelendingEligible { get; init; }

    /// <summary>The quota period the line's lease and funded principal belong to (empty: none yet).</summary>
    public string RelendingPeriod { get; init; } = "";

    /// <summary>The share of each draw the period funds.</summary>
    public int RelendingShareBps { get; init; }

    /// <summary>Quota reserved for this line and not yet used by a draw.</summary>
    public long RelendingLeaseMinor { get; init; }

    /// <summary>Quota used by the line's funded draws and not yet repaid.</summary>
    public long RelendingFundedMinor { get; init; }

    /// <summary>Moves on with each lease change the quota granted or was told of (<see cref="Programmes.QuotaBook"/>).</summary>
    public long RelendingVersion { get; init; }

    /// <summary>What the quota counts as this line's: its lease and its funded principal.</summary>
    public long RelendingHoldingMinor => checked(RelendingLeaseMinor + RelendingFundedMinor);

    /// <summary>Open referrals and the newest decided ones (at most <see cref="Limits.MaxDecidedReferralsKept"/>), oldest first.</summary>
    public ImmutableArray<Referral> Referrals { get; init; } = [];

    public bool Exists => Status != LineStatus.None;

    public int PendingProposalCount => Proposals.Count(p => p.IsPending);

    public long HeldMinor
    {
        get
        {
            long held = 0;
            foreach (var hold in Holds)
            {
                held = checked(held + hold.AmountMinor);
            }

            return held;
        }
    }

    public long AvailableMinor => Math.Max(0, checked(LimitMinor - DrawnMinor - HeldMinor));

    /// <summary>The status a caller sees on a date: an active line is MATURED from its maturity date on.</summary>
    /// <summary>
    /// The status a caller sees on a date: an active line is MATURED from its maturity date on, and
    /// OVERDUE from the day after it while anything is still owed.
    /// </summary>
    public LineStatus StatusOn(DateOnly today) =>
        Status == LineStatus.Active && today >= MaturesOn
            ? DaysPastDueOn(today) > 0 ? LineStatus.Overdue : LineStatus.Matured
            : Status;

    /// <summary>The line as of <paramref name="now"/>: interest accrued to today, expired holds gone.</summary>
    public LineView ViewAt(DateTimeOffset now)
    {
        var today = BusinessCalendar.DateOf(now);
        return AccruedTo(today).WithoutHoldsExpiredAt(now).ToView(today);
    }

    /// <summary>Would a draw of <paramref name="amountMinor"/> be approved now? Changes nothing.</summary>
    public LimitCheck CheckLimit(long amountMinor, DateTimeOffset now)
    {
        var view = ViewAt(now);
        var decline = DrawDecline(view.Status, amountMinor, view.AvailableMinor);
        return new LimitCheck(decline == DeclineReason.None, decline, view);
    }

    /// <summary>What GetLine answers: the line as of <paramref name="now"/>, or NOT_FOUND.</summary>
    public Result<LineView> Read(DateTimeOffset now) => Exists ? ViewAt(now) : DomainError.LineNotFound();

    /// <summary>What CheckLimit answers: <see cref="CheckLimit"/>, or the amount's refusal, or NOT_FOUND.</summary>
    public Result<LimitCheck> Check(long amountMinor, DateTimeOffset now) =>
        LineRules.Amount(amountMinor) is { } invalid ? invalid
        : Exists ? CheckLimit(amountMinor, now)
        : DomainError.LineNotFound();

    /// <summary>
    /// The proposals as of <paramref name="now"/>: pending ones first (oldest first), then the decided
    /// ones kept, newest first. A pending proposal past its expiry shows as expired.
    /// </summary>
    public ImmutableArray<Proposal> ProposalsAt(DateTimeOffset now)
    {
        var asOfNow = Proposals.Select(p => p.IsPending && p.ExpiresAt <= now ? p.Decided(ProposalStatus.Expired, LineTransition.System, p.ExpiresAt) : p).ToList();
        return [.. asOfNow.Where(p => p.IsPending), .. asOfNow.Where(p => !p.IsPending).OrderByDescending(p => p.DecidedAt)];
    }

    /// <summary>Applies a command at <paramref name="now"/>, with four eyes on the changes that raise the bank's risk.</summary>
    public LineOutcome Apply(LineCommand command, DateTimeOffset now) => Apply(command, now, FourEyesPolicy.Default);

    /// <summary>Applies a command at <paramref name="now"/>. Business declines are approved = false; bad requests are rejected.</summary>
    public LineOutcome Apply(LineCommand command, DateTimeOffset now, FourEyesPolicy fourEyes) => Apply(command, now, fourEyes, OverduePolicy.Default);

    /// <summary>
    /// Applies a command at <paramref name="now"/>, with the bank's four-eyes and overdue policies.
    /// Maturities roll to the next working day of <paramref name="calendar"/> (the shipped one when null).
    /// </summary>
    /// <param name="products">The bounds on terms set by hand; null (code seeding lines below the service) for none.</param>
    public LineOutcome Apply(LineCommand command, DateTimeOffset now, FourEyesPolicy fourEyes, OverduePolicy overdue, ProductBounds? products = null, WorkingCalendar? calendar = null)
    {
        if (command.Validate() is { } invalid)
        {
            return new Rejected(invalid);
        }

        // A decision is recorded whether or not there is a line: a decline leaves a journal only.
        // So does a proposal: an opening waits for four eyes on an enterprise without a line; and
        // a referral, decided for an enterprise that has none yet.
        if (!Exists && command is not (OpenLineCommand or RecordDecisionCommand or ApproveProposalCommand or RejectProposalCommand or ClaimReferralCommand or DecideReferralCommand))
        {
            return new Rejected(DomainError.LineNotFound());
        }

        return new LineTransition(this, command, now, fourEyes, overdue, calendar ?? WorkingCalendar.China, products).Run();
    }

    internal static DeclineReason DrawDecline(LineStatus status, long amountMinor, long availableMinor) => status switch
    {
        LineStatus.Closed => DeclineReason.LineClosed,
        LineStatus.Frozen => DeclineReason.LineFrozen,
        LineStatus.Matured => DeclineReason.LineMatured,
        LineStatus.Overdue => DeclineReason.LineOverdue,
        LineStatus.WrittenOff => DeclineReason.LineWrittenOff,
        _ when amountMinor > availableMinor => DeclineReason.ExceedsAvailableCredit,
        _ => DeclineReason.None,
    };

    internal LineState AccruedTo(DateOnly today)
    {
        var days = today.DayNumber - AccruedThrough.DayNumber;
        if (days <= 0 || !Exists)
        {
            return this;
        }

        // From the maturity date on, unrenewed principal accrues penalty interest in place of the
        // contract interest: one penalty day per day past due.
        var normalDays = Math.Clamp(MaturesOn.DayNumber - AccruedThrough.DayNumber, 0, days);
        var penaltyDays = days - normalDays;
        var numerator = checked((Int128)DrawnMinor * AnnualRateBps * normalDays + InterestRemainder);
        var uplift = PenaltyUpliftBps == 0 ? OverduePolicy.DefaultPenaltyUpliftBps : PenaltyUpliftBps;
        var penalty = checked((Int128)DrawnMinor * AnnualRateBps * (10_000 + uplift) * penaltyDays + PenaltyRemainder);
        return this with
        {
            AccruedInterestMinor = checked(AccruedInterestMinor + (long)(numerator / InterestDivisor)),
            InterestRemainder = (long)(numerator % InterestDivisor),
            AccruedPenaltyMinor = checked(AccruedPenaltyMinor + (long)(penalty / PenaltyDivisor)),
            PenaltyRemainder = (long)(penalty % PenaltyDivisor),
            AccruedThrough = today,
        };
    }

    internal LineState WithoutHoldsExpiredAt(DateTimeOffset now)
    {
        foreach (var hold in Holds)
        {
            if (hold.ExpiresAt <= now)
            {
                return this with { Holds = Holds.RemoveAll(h => h.ExpiresAt <= now) };
            }
        }

        return this;
    }

    internal LineView ToView(DateOnly today) => new()
    {
        Status = StatusOn(today),
        Product = Product,
        LimitMinor = LimitMinor,
        DrawnMinor = DrawnMinor,
        HeldMinor = HeldMinor,
        AccruedInterestMinor = AccruedInterestMinor,
        AnnualRateBps = AnnualRateBps,
        OpenedOn = OpenedOn,
        MaturesOn = MaturesOn,
        RenewalCount = RenewalCount,
        Sequence = Sequence,
        Holds = Holds,
        SubsidyBps = SubsidyBps,
        LastDecisionId = LastDecisionId,
        OriginationAverageMonthlyInflowMinor = OriginationAverageMonthlyInflowMinor,
        DaysPastDue = DaysPastDueOn(today),
        OverduePrincipalMinor = DaysPastDueOn(today) > 0 ? DrawnMinor : 0,
        AccruedPenaltyMinor = AccruedPenaltyMinor,
        Classification = EffectiveClassification,
        ClassificationFloor = ClassificationFloor,
        WrittenOffPrincipalMinor = WrittenOffPrincipalMinor,
        WrittenOffInterestMinor = WrittenOffInterestMinor,
        WrittenOffPenaltyMinor = WrittenOffPenaltyMinor,
        RecoveredMinor = RecoveredMinor,
        FirstLoan = FirstLoan,
    };
}
