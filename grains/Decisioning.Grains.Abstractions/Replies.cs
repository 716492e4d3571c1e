using System.Collections.Immutable;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Abstractions;

// What crosses the grain boundary. Literal aliases so a rename cannot break a mixed-version cluster;
// [Immutable] so that calls inside one process pass them without a copy.

[GenerateSerializer, Immutable, Alias("decisioning.line-error.v1")]
public sealed record LineError(
    [property: Id(0)] ErrorKind Kind,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Message,
    [property: Id(3)] string? Field)
{
    public static LineError From(DomainError error) => new(error.Kind, error.Reason, error.Message, error.Field);
}

[GenerateSerializer, Immutable, Alias("decisioning.hold.v1")]
public sealed record HoldSnapshot(
    [property: Id(0)] string HoldId,
    [property: Id(1)] long AmountMinor,
    [property: Id(2)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable, Alias("decisioning.line.v1")]
public sealed record LineSnapshot
{
    [Id(0)] public LineStatus Status { get; init; }
    [Id(1)] public Product Product { get; init; }
    [Id(2)] public long LimitMinor { get; init; }
    [Id(3)] public long DrawnMinor { get; init; }
    [Id(4)] public long HeldMinor { get; init; }
    [Id(5)] public long AccruedInterestMinor { get; init; }
    [Id(6)] public int AnnualRateBps { get; init; }
    [Id(7)] public DateOnly OpenedOn { get; init; }
    [Id(8)] public DateOnly MaturesOn { get; init; }
    [Id(9)] public int RenewalCount { get; init; }
    [Id(10)] public long Sequence { get; init; }
    [Id(11)] public ImmutableArray<HoldSnapshot> Holds { get; init; } = [];
    [Id(12)] public int SubsidyBps { get; init; }
    [Id(13)] public string LastDecisionId { get; init; } = "";
    [Id(14)] public long OriginationAverageMonthlyInflowMinor { get; init; }

    public long AvailableMinor => Math.Max(0, LimitMinor - DrawnMinor - HeldMinor);

    public static LineSnapshot From(LineView view) => new()
    {
        Status = view.Status,
        Product = view.Product,
        LimitMinor = view.LimitMinor,
        DrawnMinor = view.DrawnMinor,
        HeldMinor = view.HeldMinor,
        AccruedInterestMinor = view.AccruedInterestMinor,
        AnnualRateBps = view.AnnualRateBps,
        OpenedOn = view.OpenedOn,
        MaturesOn = view.MaturesOn,
        RenewalCount = view.RenewalCount,
        Sequence = view.Sequence,
        Holds = view.Holds.IsEmpty ? [] : [.. view.Holds.Select(h => new HoldSnapshot(h.Id, h.AmountMinor, h.ExpiresAt))],
        SubsidyBps = view.SubsidyBps,
        LastDecisionId = view.LastDecisionId,
        OriginationAverageMonthlyInflowMinor = view.OriginationAverageMonthlyInflowMinor,
    };
}

/// <summary>The reply to a change or a read of the line: an error, or the result and the line after it.</summary>
[GenerateSerializer, Immutable, Alias("decisioning.line-reply.v1")]
public sealed record LineReply
{
    [Id(0)] public LineError? Error { get; init; }
    [Id(1)] public bool Approved { get; init; }
    [Id(2)] public DeclineReason DeclineReason { get; init; }
    [Id(3)] public long Sequence { get; init; }
    [Id(4)] public string HoldId { get; init; } = "";
    [Id(5)] public DateTimeOffset? HoldExpiresAt { get; init; }
    [Id(6)] public long InterestPaidMinor { get; init; }
    [Id(7)] public long PrincipalPaidMinor { get; init; }
    [Id(8)] public long CapturedMinor { get; init; }
    [Id(9)] public long ReleasedMinor { get; init; }
    [Id(10)] public LineSnapshot? Line { get; init; }
    [Id(11)] public long SubsidisedInterestMinor { get; init; }

    /// <summary>Renewal not granted: the reasons, comma-separated; risk signal: its reason code.</summary>
    [Id(12)] public string Note { get; init; } = "";

    [Id(13)] public RiskEffect SignalEffect { get; init; }
    [Id(14)] public int LowerByBps { get; init; }

    /// <summary>
    /// The first answer to this request id, given again to a retry: nothing was applied this time.
    /// For the grains only (the assessment grain then answers with the first decision): a retry's
    /// reply is otherwise the first reply, exactly.
    /// </summary>
    [Id(15)] internal bool Replayed { get; init; }

    /// <summary>The proposal the command recorded (the line did not change), approved or rejected.</summary>
    [Id(16)] public ProposalSnapshot? Proposal { get; init; }

    public static LineReply Failed(DomainError error) => new() { Error = LineError.From(error) };

    public static LineReply Of(LineView view) => new() { Approved = true, Sequence = view.Sequence, Line = LineSnapshot.From(view) };

    /// <summary>The line as of <paramref name="now"/>, or NOT_FOUND.</summary>
    public static LineReply Read(LineState line, DateTimeOffset now) =>
        line.Exists ? Of(line.ViewAt(now)) : Failed(DomainError.LineNotFound());

    public static LineReply From(OperationResult result) => new()
    {
        Approved = result.Approved,
        DeclineReason = result.DeclineReason,
        Sequence = result.Sequence,
        HoldId = result.HoldId,
        HoldExpiresAt = result.HoldExpiresAt,
        InterestPaidMinor = result.InterestPaidMinor,
        PrincipalPaidMinor = result.PrincipalPaidMinor,
        CapturedMinor = result.CapturedMinor,
        ReleasedMinor = result.ReleasedMinor,
        Line = LineSnapshot.From(result.Line),
        SubsidisedInterestMinor = result.SubsidisedInterestMinor,
        Note = result.Note,
        SignalEffect = result.SignalEffect,
        LowerByBps = result.LowerByBps,
        Proposal = result.Proposal is null ? null : ProposalSnapshot.From(result.Proposal),
    };
}

/// <summary>The hot-path reply of CheckLimit: only balances, no holds.</summary>
[GenerateSerializer, Immutable, Alias("decisioning.limit-check-reply.v1")]
public sealed record LimitCheckReply
{
    [Id(0)] public LineError? Error { get; init; }
    [Id(1)] public bool Approved { get; init; }
    [Id(2)] public DeclineReason DeclineReason { get; init; }
    [Id(3)] public LineStatus Status { get; init; }
    [Id(4)] public long LimitMinor { get; init; }
    [Id(5)] public long DrawnMinor { get; init; }
    [Id(6)] public long HeldMinor { get; init; }

    public long AvailableMinor => Math.Max(0, LimitMinor - DrawnMinor - HeldMinor);

    public static LimitCheckReply Failed(DomainError error) => new() { Error = LineError.From(error) };

    /// <summary>Would a draw of <paramref name="amountMinor"/> be approved at <paramref name="now"/>? Or NOT_FOUND.</summary>
    public static LimitCheckReply Check(LineState line, long amountMinor, DateTimeOffset now)
    {
        if (!line.Exists)
        {
            return Failed(DomainError.LineNotFound());
        }

        var check = line.CheckLimit(amountMinor, now);
        return new()
        {
            Approved = check.Approved,
            DeclineReason = check.DeclineReason,
            Status = check.Line.Status,
            LimitMinor = check.Line.LimitMinor,
            DrawnMinor = check.Line.DrawnMinor,
            HeldMinor = check.Line.HeldMinor,
        };
    }
}

[GenerateSerializer, Immutable, Alias("decisioning.journal-entry.v1")]
public sealed record JournalEntrySnapshot
{
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public DateTimeOffset At { get; init; }
    [Id(2)] public EntryKind Kind { get; init; }
    [Id(3)] public string RequestId { get; init; } = "";
    [Id(4)] public string Actor { get; init; } = "";
    [Id(5)] public long AmountMinor { get; init; }
    [Id(6)] public string HoldId { get; init; } = "";
    [Id(7)] public DeclineReason DeclineReason { get; init; }
    [Id(8)] public long InterestPaidMinor { get; init; }
    [Id(9)] public long PrincipalPaidMinor { get; init; }
    [Id(10)] public long LimitAfterMinor { get; init; }
    [Id(11)] public long DrawnAfterMinor { get; init; }
    [Id(12)] public long HeldAfterMinor { get; init; }
    [Id(13)] public long AccruedInterestAfterMinor { get; init; }
    [Id(14)] public LineStatus StatusAfter { get; init; }
    [Id(15)] public string Note { get; init; } = "";
    [Id(16)] public long SubsidisedInterestMinor { get; init; }
    [Id(17)] public string DecisionId { get; init; } = "";
    [Id(18)] public Outcome DecisionOutcome { get; init; }
    [Id(19)] public RiskSignalType SignalType { get; init; }
    [Id(20)] public RiskSeverity SignalSeverity { get; init; }
    [Id(21)] public RiskEffect SignalEffect { get; init; }
    [Id(22)] public DateOnly? MaturesOnAfter { get; init; }
    [Id(23)] public string ProposalId { get; init; } = "";
    [Id(24)] public ProposalKind ProposalKind { get; init; }
    [Id(25)] public string ApprovedBy { get; init; } = "";

    public static JournalEntrySnapshot From(JournalEntry e) => new()
    {
        Sequence = e.Sequence,
        At = e.At,
        Kind = e.Kind,
        RequestId = e.RequestId,
        Actor = e.Actor,
        AmountMinor = e.AmountMinor,
        HoldId = e.HoldId,
        DeclineReason = e.DeclineReason,
        InterestPaidMinor = e.InterestPaidMinor,
        PrincipalPaidMinor = e.PrincipalPaidMinor,
        LimitAfterMinor = e.LimitAfterMinor,
        DrawnAfterMinor = e.DrawnAfterMinor,
        HeldAfterMinor = e.HeldAfterMinor,
        AccruedInterestAfterMinor = e.AccruedInterestAfterMinor,
        StatusAfter = e.StatusAfter,
        Note = e.Note,
        SubsidisedInterestMinor = e.SubsidisedInterestMinor,
        DecisionId = e.DecisionId,
        DecisionOutcome = e.DecisionOutcome,
        SignalType = e.SignalType,
        SignalSeverity = e.SignalSeverity,
        SignalEffect = e.SignalEffect,
        MaturesOnAfter = e.MaturesOnAfter,
        ProposalId = e.ProposalId,
        ProposalKind = e.ProposalKind,
        ApprovedBy = e.ApprovedBy,
    };
}

/// <summary>A page of the journal, newest first. <see cref="NextBefore"/> is 0 when there is nothing older.</summary>
[GenerateSerializer, Immutable, Alias("decisioning.journal-page.v1")]
public sealed record JournalPageReply
{
    [Id(0)] public LineError? Error { get; init; }
    [Id(1)] public ImmutableArray<JournalEntrySnapshot> Entries { get; init; } = [];
    [Id(2)] public long NextBefore { get; init; }
}

/// <summary>A change waiting for a second staff member, or decided (<see cref="Proposal"/>).</summary>
[GenerateSerializer, Immutable, Alias("decisioning.proposal.v1")]
public sealed record ProposalSnapshot
{
    [Id(0)] public string ProposalId { get; init; } = "";
    [Id(1)] public ProposalKind Kind { get; init; }
    [Id(2)] public ProposalStatus Status { get; init; }
    [Id(3)] public string ProposedBy { get; init; } = "";
    [Id(4)] public string RequestId { get; init; } = "";
    [Id(5)] public DateTimeOffset ProposedAt { get; init; }
    [Id(6)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(7)] public long LimitMinor { get; init; }
    [Id(8)] public int AnnualRateBps { get; init; }
    [Id(9)] public int TermDays { get; init; }
    [Id(10)] public Product Product { get; init; }
    [Id(11)] public int SubsidyBps { get; init; }
    [Id(12)] public string Note { get; init; } = "";
    [Id(13)] public string DecidedBy { get; init; } = "";
    [Id(14)] public DateTimeOffset? DecidedAt { get; init; }
    [Id(15)] public string DecisionNote { get; init; } = "";

    public static ProposalSnapshot From(Proposal p) => new()
    {
        ProposalId = p.Id,
        Kind = p.Kind,
        Status = p.Status,
        ProposedBy = p.ProposedBy,
        RequestId = p.RequestId,
        ProposedAt = p.ProposedAt,
        ExpiresAt = p.ExpiresAt,
        LimitMinor = p.LimitMinor,
        AnnualRateBps = p.AnnualRateBps,
        TermDays = p.TermDays,
        Product = p.Product,
        SubsidyBps = p.SubsidyBps,
        Note = p.Note,
        DecidedBy = p.DecidedBy,
        DecidedAt = p.DecidedAt,
        DecisionNote = p.DecisionNote,
    };
}

/// <summary>A line's proposals as of the read: pending first, then the newest decided.</summary>
[GenerateSerializer, Immutable, Alias("decisioning.proposals-reply.v1")]
public sealed record ProposalsReply
{
    [Id(0)] public LineError? Error { get; init; }
    [Id(1)] public ImmutableArray<ProposalSnapshot> Proposals { get; init; } = [];

    /// <summary>An enterprise without a line or a proposal has none: an empty list, not NOT_FOUND, since a proposal may open its line.</summary>
    public static ProposalsReply Read(LineState line, DateTimeOffset now) =>
        new() { Proposals = [.. line.ProposalsAt(now).Select(ProposalSnapshot.From)] };
}
