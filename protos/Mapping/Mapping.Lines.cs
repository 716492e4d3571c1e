using System.Globalization;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Google.Protobuf.WellKnownTypes;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.Contracts;

/// <summary>
/// The one mapping between decisioning.v1 and the domain, shared by the front door, the load tool
/// and the tests: requests to the domain's commands, the domain's results to responses. A field of
/// the contract is mapped here and nowhere else (MappingTests checks that none is forgotten).
/// Money is minor units (fen) on both sides; enums share decisioning.v1's numbers (ContractEnumTests);
/// instants are Timestamps and business dates YYYY-MM-DD.
/// </summary>
public static partial class Mapping
{
    public const string Currency = "CNY";
    private const string DateFormat = "yyyy-MM-dd";

    public static DrawCommand ToCommand(V1.DrawRequest r, string actor) => new(r.RequestId, r.AmountMinor) { Actor = actor };

    public static RepayCommand ToCommand(V1.RepayRequest r, string actor) => new(r.RequestId, r.AmountMinor) { Actor = actor };

    public static PlaceHoldCommand ToCommand(V1.PlaceHoldRequest r, string actor) => new(r.RequestId, r.AmountMinor, r.HoldTtlSeconds) { Actor = actor };

    public static CaptureHoldCommand ToCommand(V1.CaptureHoldRequest r, string actor) => new(r.RequestId, r.HoldId, r.AmountMinor) { Actor = actor };

    public static ReleaseHoldCommand ToCommand(V1.ReleaseHoldRequest r, string actor) => new(r.RequestId, r.HoldId) { Actor = actor };

    /// <param name="subsidyBps">The subsidy the programmes give (public money: never the caller's).</param>
    public static OpenLineCommand ToCommand(V1.OpenLineRequest r, string actor, int subsidyBps) =>
        new(r.RequestId, r.LimitMinor, r.AnnualRateBps, r.TermDays, (Product)r.Product) { Actor = actor, SubsidyBps = subsidyBps };

    public static FreezeLineCommand ToCommand(V1.FreezeLineRequest r, string actor) => new(r.RequestId, r.Reason) { Actor = actor };

    public static UnfreezeLineCommand ToCommand(V1.UnfreezeLineRequest r, string actor) => new(r.RequestId, r.Reason) { Actor = actor };

    public static AdjustLimitCommand ToCommand(V1.AdjustLimitRequest r, string actor) => new(r.RequestId, r.LimitMinor, r.Reason) { Actor = actor };

    public static CloseLineCommand ToCommand(V1.CloseLineRequest r, string actor) => new(r.RequestId, r.Reason) { Actor = actor };

    public static ApproveProposalCommand ToCommand(V1.ApproveProposalRequest r, string actor) => new(r.RequestId, r.ProposalId) { Actor = actor };

    public static RejectProposalCommand ToCommand(V1.RejectProposalRequest r, string actor) => new(r.RequestId, r.ProposalId, r.Reason) { Actor = actor };

    public static SetClassificationFloorCommand ToCommand(V1.SetClassificationFloorRequest r, string actor) => new(r.RequestId, (LoanClass)r.Floor, r.Reason) { Actor = actor };

    public static WriteOffLineCommand ToCommand(V1.WriteOffLineRequest r, string actor) => new(r.RequestId, r.Reason) { Actor = actor };

    public static ExclusionCommand ToCommand(V1.AddExclusionRequest r, string actor) => new(ExclusionChangeKind.Added, r.EnterpriseId, r.RequestId, r.Reason) { Actor = actor };

    public static ExclusionCommand ToCommand(V1.RemoveExclusionRequest r, string actor) => new(ExclusionChangeKind.Removed, r.EnterpriseId, r.RequestId, r.Reason) { Actor = actor };

    public static V1.CheckLimitResponse ToCheckLimitResponse(LimitCheck c) =>
        new V1.CheckLimitResponse { Approved = c.Approved, DeclineReason = (V1.DeclineReason)c.DeclineReason, Status = (V1.LineStatus)c.Line.Status }.WithBalances(c.Line);

    public static V1.DrawResponse ToDrawResponse(OperationResult r) =>
        new V1.DrawResponse { Approved = r.Approved, DeclineReason = (V1.DeclineReason)r.DeclineReason, TransactionSequence = r.Sequence }.WithBalances(r.Line);

    public static V1.RepayResponse ToRepayResponse(OperationResult r) => new V1.RepayResponse
    {
        InterestPaidMinor = r.InterestPaidMinor,
        PrincipalPaidMinor = r.PrincipalPaidMinor,
        AccruedInterestMinor = r.Line.AccruedInterestMinor,
        TransactionSequence = r.Sequence,
        PenaltyPaidMinor = r.PenaltyPaidMinor,
        SubsidisedInterestMinor = r.SubsidisedInterestMinor,
    }.WithBalances(r.Line);

    public static V1.PlaceHoldResponse ToPlaceHoldResponse(OperationResult r) => new V1.PlaceHoldResponse
    {
        Approved = r.Approved,
        DeclineReason = (V1.DeclineReason)r.DeclineReason,
        HoldId = r.HoldId,
        ExpireTime = Time(r.HoldExpiresAt),
        TransactionSequence = r.Sequence,
    }.WithBalances(r.Line);

    public static V1.CaptureHoldResponse ToCaptureHoldResponse(OperationResult r) => new V1.CaptureHoldResponse
    {
        Approved = r.Approved,
        DeclineReason = (V1.DeclineReason)r.DeclineReason,
        CapturedMinor = r.CapturedMinor,
        ReleasedMinor = r.ReleasedMinor,
        TransactionSequence = r.Sequence,
    }.WithBalances(r.Line);

    public static V1.ReleaseHoldResponse ToReleaseHoldResponse(OperationResult r) =>
        new V1.ReleaseHoldResponse { ReleasedMinor = r.ReleasedMinor, TransactionSequence = r.Sequence }.WithBalances(r.Line);

    // Staff's changes answer with the line after them (unset while a proposal waits to open one),
    // their journal entry and the proposal they recorded, approved or rejected, if any.
    public static V1.OpenLineResponse ToOpenLineResponse(string enterpriseId, OperationResult r) =>
        new() { Line = ToChangedLine(enterpriseId, r), TransactionSequence = r.Sequence, Proposal = ToProposal(r.Proposal) };

    public static V1.FreezeLineResponse ToFreezeLineResponse(string enterpriseId, OperationResult r) =>
        new() { Line = ToChangedLine(enterpriseId, r), TransactionSequence = r.Sequence };

    public static V1.UnfreezeLineResponse ToUnfreezeLineResponse(string enterpriseId, OperationResult r) =>
        new() { Line = ToChangedLine(enterpriseId, r), TransactionSequence = r.Sequence, Proposal = ToProposal(r.Proposal) };

    public static V1.AdjustLimitResponse ToAdjustLimitResponse(string enterpriseId, OperationResult r) =>
        new() { Line = ToChangedLine(enterpriseId, r), TransactionSequence = r.Sequence, Proposal = ToProposal(r.Proposal) };

    public static V1.CloseLineResponse ToCloseLineResponse(string enterpriseId, OperationResult r) =>
        new() { Line = ToChangedLine(enterpriseId, r), TransactionSequence = r.Sequence };

    public static V1.ApproveProposalResponse ToApproveProposalResponse(string enterpriseId, OperationResult r) =>
        new() { Line = ToChangedLine(enterpriseId, r), TransactionSequence = r.Sequence, Proposal = ToProposal(r.Proposal) };

    public static V1.RejectProposalResponse ToRejectProposalResponse(OperationResult r) =>
        new() { TransactionSequence = r.Sequence, Proposal = ToProposal(r.Proposal) };

    public static V1.SetClassificationFloorResponse ToSetClassificationFloorResponse(string enterpriseId, OperationResult r) =>
        new() { Line = ToChangedLine(enterpriseId, r), TransactionSequence = r.Sequence };

    public static V1.WriteOffLineResponse ToWriteOffLineResponse(string enterpriseId, OperationResult r) =>
        new() { Line = ToChangedLine(enterpriseId, r), TransactionSequence = r.Sequence, Proposal = ToProposal(r.Proposal) };

    public static V1.Line ToLine(string enterpriseId, LineView line)
    {
        var message = new V1.Line
        {
            EnterpriseId = enterpriseId,
            Status = (V1.LineStatus)line.Status,
            Product = (V1.Product)line.Product,
            LimitMinor = line.LimitMinor,
            DrawnMinor = line.DrawnMinor,
            HeldMinor = line.HeldMinor,
            AvailableMinor = line.AvailableMinor,
            AccruedInterestMinor = line.AccruedInterestMinor,
            AnnualRateBps = line.AnnualRateBps,
            OpenedDate = Date(line.OpenedOn),
            MaturityDate = Date(line.MaturesOn),
            RenewalCount = line.RenewalCount,
            CurrencyCode = Currency,
            JournalSequence = line.Sequence,
            SubsidyBps = line.SubsidyBps,
            LastDecisionId = line.LastDecisionId,
            DaysPastDue = line.DaysPastDue,
            OverduePrincipalMinor = line.OverduePrincipalMinor,
            AccruedPenaltyMinor = line.AccruedPenaltyMinor,
            Classification = (V1.LoanClassification)line.Classification,
            ClassificationFloor = (V1.LoanClassification)line.ClassificationFloor,
            WrittenOffPrincipalMinor = line.WrittenOffPrincipalMinor,
            WrittenOffInterestMinor = line.WrittenOffInterestMinor,
            WrittenOffPenaltyMinor = line.WrittenOffPenaltyMinor,
            RecoveredMinor = line.RecoveredMinor,
            FirstLoan = line.FirstLoan,
        };
        message.Holds.AddRange(line.Holds.Select(h => new V1.Hold { HoldId = h.Id, AmountMinor = h.AmountMinor, ExpireTime = Timestamp.FromDateTimeOffset(h.ExpiresAt) }));
        return message;
    }

    public static V1.Transaction ToTransaction(JournalEntry e) => new()
    {
        Sequence = e.Sequence,
        CreateTime = Timestamp.FromDateTimeOffset(e.At),
        Type = (V1.TransactionType)e.Kind,
        RequestId = e.RequestId,
        AmountMinor = e.AmountMinor,
        HoldId = e.HoldId,
        DeclineReason = (V1.DeclineReason)e.DeclineReason,
        InterestPaidMinor = e.InterestPaidMinor,
        PrincipalPaidMinor = e.PrincipalPaidMinor,
        LimitAfterMinor = e.LimitAfterMinor,
        DrawnAfterMinor = e.DrawnAfterMinor,
        HeldAfterMinor = e.HeldAfterMinor,
        AccruedInterestAfterMinor = e.AccruedInterestAfterMinor,
        StatusAfter = (V1.LineStatus)e.StatusAfter,
        Actor = e.Actor,
        Note = e.Note,
        SubsidisedInterestMinor = e.SubsidisedInterestMinor,
        DecisionId = e.DecisionId,
        DecisionOutcome = (V1.Outcome)e.DecisionOutcome,
        SignalType = (V1.RiskSignalType)e.SignalType,
        SignalSeverity = (V1.RiskSeverity)e.SignalSeverity,
        SignalEffect = (V1.RiskEffect)e.SignalEffect,
        MaturityDateAfter = e.MaturesOnAfter is { } maturity ? Date(maturity) : "",
        ProposalId = e.ProposalId,
        ProposalKind = (V1.ProposalKind)e.ProposalKind,
        ApprovedBy = e.ApprovedBy,
        PenaltyPaidMinor = e.PenaltyPaidMinor,
        AccruedPenaltyAfterMinor = e.AccruedPenaltyAfterMinor,
        DaysPastDue = e.DaysPastDue,
        Classification = (V1.LoanClassification)e.Classification,
        ClassificationFloor = (V1.LoanClassification)e.ClassificationFloor,
        WrittenOffPrincipalMinor = e.WrittenOffPrincipalMinor,
        WrittenOffInterestMinor = e.WrittenOffInterestMinor,
        WrittenOffPenaltyMinor = e.WrittenOffPenaltyMinor,
        RecoveredAfterMinor = e.RecoveredAfterMinor,
        RenewalCount = e.RenewalCount,
        RelendingFunding = (V1.RelendingFunding)e.Relending,
        RelendingMinor = e.RelendingMinor,
    };

    public static V1.Proposal? ToProposal(Proposal? p) => p is null ? null : new()
    {
        ProposalId = p.Id,
        Kind = (V1.ProposalKind)p.Kind,
        Status = (V1.ProposalStatus)p.Status,
        ProposedBy = p.ProposedBy,
        RequestId = p.RequestId,
        CreateTime = Timestamp.FromDateTimeOffset(p.ProposedAt),
        ExpireTime = Timestamp.FromDateTimeOffset(p.ExpiresAt),
        LimitMinor = p.LimitMinor,
        AnnualRateBps = p.AnnualRateBps,
        TermDays = p.TermDays,
        Product = (V1.Product)p.Product,
        SubsidyBps = p.SubsidyBps,
        Reason = p.Note,
        DecidedBy = p.DecidedBy,
        DecideTime = Time(p.DecidedAt),
        DecisionReason = p.DecisionNote,
    };

    public static V1.Exclusion ToExclusion(Exclusion e) => new()
    {
        EnterpriseId = e.EnterpriseId,
        Reason = e.Reason,
        AddedBy = e.AddedBy,
        AddTime = Timestamp.FromDateTimeOffset(e.AddedAt),
        RequestId = e.RequestId,
    };

    public static V1.ExclusionChange ToExclusionChange(ExclusionChange c) => new()
    {
        ChangeId = c.ChangeId,
        ChangeType = (V1.ExclusionChangeType)c.Kind,
        EnterpriseId = c.EnterpriseId,
        Reason = c.Reason,
        Actor = c.Actor,
        ChangeTime = Timestamp.FromDateTimeOffset(c.At),
        RequestId = c.RequestId,
    };

    public static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static Timestamp? Time(DateTimeOffset? at) => at is { } instant ? Timestamp.FromDateTimeOffset(instant) : null;

    private static V1.Line? ToChangedLine(string enterpriseId, OperationResult r) =>
        r.Line.Status == LineStatus.None ? null : ToLine(enterpriseId, r.Line);

    private static T WithBalances<T>(this T reply, LineView line)
        where T : V1.ILineBalances
    {
        (reply.AvailableMinor, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor) = (line.AvailableMinor, line.LimitMinor, line.DrawnMinor, line.HeldMinor);
        return reply;
    }
}
