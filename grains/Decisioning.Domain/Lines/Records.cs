using System.Collections.Immutable;
using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Lines;

/// <summary>A reservation of available credit. Its id is 'H' and the journal sequence that placed it.</summary>
public sealed record Hold(string Id, long AmountMinor, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Who placed it: only they capture or release it (hold ids are sequential and visible, so any
    /// other caller serving the enterprise could guess them). Empty for holds stored before owners were.
    /// </summary>
    public string Owner { get; init; } = "";

    public bool BelongsTo(string actor) => Owner.Length == 0 || Owner == actor;
}

/// <summary>
/// A change that raises the bank's risk, asked by one staff member and waiting for another
/// (four eyes). Its id is 'P' and the journal sequence that recorded it. It carries the change's
/// parameters; <see cref="Change"/> gives the command that approval applies.
/// </summary>
public sealed record Proposal
{
    public required string Id { get; init; }
    public required ProposalKind Kind { get; init; }
    public ProposalStatus Status { get; init; } = ProposalStatus.Pending;
    public required string ProposedBy { get; init; }

    /// <summary>The proposer's request id: the applied change is journaled under it.</summary>
    public required string RequestId { get; init; }

    public required DateTimeOffset ProposedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The limit of an opening or a raise.</summary>
    public long LimitMinor { get; init; }

    public int AnnualRateBps { get; init; }
    public int TermDays { get; init; }
    public Product Product { get; init; }
    public int SubsidyBps { get; init; }

    /// <summary>The proposer's reason (AdjustLimit, UnfreezeLine).</summary>
    public string Note { get; init; } = "";

    /// <summary>Who approved or rejected it ("system" for an expiry).</summary>
    public string DecidedBy { get; init; } = "";

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Why it was rejected.</summary>
    public string DecisionNote { get; init; } = "";

    public bool IsPending => Status == ProposalStatus.Pending;

    /// <summary>The change as the proposer asked it.</summary>
    public LineCommand Change => Kind switch
    {
        ProposalKind.OpenLine => new OpenLineCommand(RequestId, LimitMinor, AnnualRateBps, TermDays, Product) { SubsidyBps = SubsidyBps, Actor = ProposedBy },
        ProposalKind.RaiseLimit => new AdjustLimitCommand(RequestId, LimitMinor, Note) { Actor = ProposedBy },
        ProposalKind.UnfreezeLine => new UnfreezeLineCommand(RequestId, Note) { Actor = ProposedBy },
        ProposalKind.WriteOff => new WriteOffLineCommand(RequestId, Note) { Actor = ProposedBy },
        _ => throw new InvariantViolationException($"proposal {Id} has no kind of change"),
    };

    public Proposal Decided(ProposalStatus status, string by, DateTimeOffset at, string note = "") =>
        this with { Status = status, DecidedBy = by, DecidedAt = at, DecisionNote = note };
}

/// <summary>One immutable entry of an enterprise's journal, with the balances after it.</summary>
public sealed record JournalEntry
{
    public required long Sequence { get; init; }
    public required DateTimeOffset At { get; init; }
    public required EntryKind Kind { get; init; }
    public required string RequestId { get; init; }
    public required string Actor { get; init; }
    public long AmountMinor { get; init; }
    public string HoldId { get; init; } = "";
    public DeclineReason DeclineReason { get; init; }
    public long InterestPaidMinor { get; init; }
    public long PrincipalPaidMinor { get; init; }
    public required long LimitAfterMinor { get; init; }
    public required long DrawnAfterMinor { get; init; }
    public required long HeldAfterMinor { get; init; }
    public required long AccruedInterestAfterMinor { get; init; }
    public required LineStatus StatusAfter { get; init; }
    public string Note { get; init; } = "";

    /// <summary>The share of <see cref="InterestPaidMinor"/> the fiscal subsidy refunds.</summary>
    public long SubsidisedInterestMinor { get; init; }

    public string DecisionId { get; init; } = "";
    public Outcome DecisionOutcome { get; init; }
    public RiskSignalType SignalType { get; init; }
    public RiskSeverity SignalSeverity { get; init; }
    public RiskEffect SignalEffect { get; init; }

    /// <summary>Set when the entry moved the maturity (an opening, a renewal).</summary>
    public DateOnly? MaturesOnAfter { get; init; }

    /// <summary>The proposal this entry records, rejects, expires or applies.</summary>
    public string ProposalId { get; init; } = "";

    public ProposalKind ProposalKind { get; init; }

    /// <summary>
    /// For a change applied on approval: the second staff member. <see cref="Actor"/> is then the
    /// proposer and <see cref="RequestId"/> the proposer's request id.
    /// </summary>
    public string ApprovedBy { get; init; } = "";

    /// <summary>The part of a repayment (or recovery) that paid penalty interest.</summary>
    public long PenaltyPaidMinor { get; init; }

    public long AccruedPenaltyAfterMinor { get; init; }

    /// <summary>Days past due, on the entries of the daily process, a floor, a write-off and a recovery.</summary>
    public int DaysPastDue { get; init; }

    /// <summary>The classification after the entry (None on entries that do not concern it).</summary>
    public LoanClass Classification { get; init; }

    /// <summary>The floor a ClassificationFloorSet entry set.</summary>
    public LoanClass ClassificationFloor { get; init; }

    /// <summary>On a write-off: what it wrote off. On a recovery: what is written off in all.</summary>
    public long WrittenOffPrincipalMinor { get; init; }

    public long WrittenOffInterestMinor { get; init; }
    public long WrittenOffPenaltyMinor { get; init; }

    /// <summary>On a write-off and a recovery: recovered in all after the entry.</summary>
    public long RecoveredAfterMinor { get; init; }

    /// <summary>On a write-off and a recovery: how often the line was renewed (a claim on a fund asks for renewals).</summary>
    public int RenewalCount { get; init; }

    /// <summary>For a draw or capture of a line with the re-lending discount: funded by the quota, or not (the quota could not cover it).</summary>
    public RelendingFunding Relending { get; init; }

    /// <summary>
    /// Quota the entry moved: used by a funded draw (positive), given back by a repayment (negative),
    /// or, for <see cref="EntryKind.RelendingLeaseChanged"/>, the lease granted (positive) or given back (negative).
    /// </summary>
    public long RelendingMinor { get; init; }
}

/// <summary>What a caller sees of a line at one instant.</summary>
public sealed record LineView
{
    public required LineStatus Status { get; init; }
    public required Product Product { get; init; }
    public required long LimitMinor { get; init; }
    public required long DrawnMinor { get; init; }
    public required long HeldMinor { get; init; }
    public required long AccruedInterestMinor { get; init; }
    public required int AnnualRateBps { get; init; }
    public required DateOnly OpenedOn { get; init; }
    public required DateOnly MaturesOn { get; init; }
    public required int RenewalCount { get; init; }
    public required long Sequence { get; init; }
    public ImmutableArray<Hold> Holds { get; init; } = [];
    public int SubsidyBps { get; init; }
    public string LastDecisionId { get; init; } = "";
    public long OriginationAverageMonthlyInflowMinor { get; init; }
    public int DaysPastDue { get; init; }
    public long OverduePrincipalMinor { get; init; }
    public long AccruedPenaltyMinor { get; init; }
    public LoanClass Classification { get; init; }
    public LoanClass ClassificationFloor { get; init; }
    public long WrittenOffPrincipalMinor { get; init; }
    public long WrittenOffInterestMinor { get; init; }
    public long WrittenOffPenaltyMinor { get; init; }
    public long RecoveredMinor { get; init; }

    /// <summary>The newest approval was for the enterprise's first bank credit (首贷).</summary>
    public bool FirstLoan { get; init; }

    public long AvailableMinor => Math.Max(0, checked(LimitMinor - DrawnMinor - HeldMinor));
}

/// <summary>The answer to one command: approved or declined (with the reason), and the line after it.</summary>
public sealed record OperationResult
{
    public required LineView Line { get; init; }
    public bool Approved { get; init; } = true;
    public DeclineReason DeclineReason { get; init; }

    /// <summary>The journal entry that records this command.</summary>
    public long Sequence { get; init; }

    public string HoldId { get; init; } = "";
    public DateTimeOffset? HoldExpiresAt { get; init; }
    public long InterestPaidMinor { get; init; }
    public long PrincipalPaidMinor { get; init; }
    public long CapturedMinor { get; init; }
    public long ReleasedMinor { get; init; }
    public long SubsidisedInterestMinor { get; init; }
    public long PenaltyPaidMinor { get; init; }

    /// <summary>For a renewal not granted: the reasons, comma-separated; for a risk signal: its reason code.</summary>
    public string Note { get; init; } = "";

    public RiskEffect SignalEffect { get; init; }
    public int LowerByBps { get; init; }

    /// <summary>
    /// The proposal this command recorded (the line did not change: it waits for four eyes), or
    /// approved or rejected.
    /// </summary>
    public Proposal? Proposal { get; init; }

    /// <summary>The referral this command claimed or decided, as it is after it.</summary>
    public Referral? Referral { get; init; }

    /// <summary>
    /// The first answer to this request, given again to a retry: nothing was applied this time.
    /// Callers see the first answer exactly; the assessment then answers with the first decision.
    /// </summary>
    public bool Replayed { get; init; }
}

/// <summary>A page of the journal, newest first. <see cref="NextBefore"/> is 0 when there is nothing older.</summary>
public sealed record JournalPage(ImmutableArray<JournalEntry> Entries, long NextBefore);

/// <summary>The result of a limit check: nothing changes.</summary>
public sealed record LimitCheck(bool Approved, DeclineReason DeclineReason, LineView Line);

/// <summary>What applying a command gives: the new state with its journal entries, or a refusal.</summary>
public abstract record LineOutcome;

public sealed record Applied(LineState State, OperationResult Result, IReadOnlyList<JournalEntry> Entries) : LineOutcome;

public sealed record Rejected(DomainError Error) : LineOutcome;
