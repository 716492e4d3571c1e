using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Storage.V1;
using Google.Protobuf;

namespace Decisioning.Grains.Storage;

/// <summary>Domain values to and from their stored protobuf form.</summary>
internal static class LineCodec
{
    /// <summary>The state with its history (proposals, referrals, lapsed holds) in it.</summary>
    public static byte[] Encode(LineState s) => Encode(s, historySequence: 0);

    /// <summary>
    /// The state; its history in it when <paramref name="historySequence"/> is 0, otherwise only
    /// the sequence of the journal entry whose <see cref="EncodeHistory"/> holds it.
    /// </summary>
    public static byte[] Encode(LineState s, long historySequence)
    {
        var record = new LineRecord
        {
            Status = (int)s.Status,
            Product = (int)s.Product,
            LimitMinor = s.LimitMinor,
            DrawnMinor = s.DrawnMinor,
            AccruedInterestMinor = s.AccruedInterestMinor,
            InterestRemainder = s.InterestRemainder,
            AnnualRateBps = s.AnnualRateBps,
            OpenedDay = s.OpenedOn.DayNumber,
            MaturesDay = s.MaturesOn.DayNumber,
            AccruedThroughDay = s.AccruedThrough.DayNumber,
            RenewalCount = s.RenewalCount,
            Sequence = s.Sequence,
            Holds = { s.Holds.Select(Encode) },
            SubsidyBps = s.SubsidyBps,
            LastDecisionId = s.LastDecisionId,
            OriginationAverageMonthlyInflowMinor = s.OriginationAverageMonthlyInflowMinor,
            FrozenByStaff = s.FrozenByStaff,
            GrantedLimitMinor = s.GrantedLimitMinor,
            AccruedPenaltyMinor = s.AccruedPenaltyMinor,
            PenaltyRemainder = s.PenaltyRemainder,
            PenaltyUpliftBps = s.PenaltyUpliftBps,
            Classification = (int)s.Classification,
            ClassificationFloor = (int)s.ClassificationFloor,
            LastDailyRunDay = s.LastDailyRun.DayNumber,
            DaysPastDueAtLastRun = s.DaysPastDueAtLastRun,
            WrittenOffPrincipalMinor = s.WrittenOffPrincipalMinor,
            WrittenOffInterestMinor = s.WrittenOffInterestMinor,
            WrittenOffPenaltyMinor = s.WrittenOffPenaltyMinor,
            RecoveredMinor = s.RecoveredMinor,
            FirstLoan = s.FirstLoan,
            RelendingEligible = s.RelendingEligible,
            RelendingPeriod = s.RelendingPeriod,
            RelendingShareBps = s.RelendingShareBps,
            RelendingLeaseMinor = s.RelendingLeaseMinor,
            RelendingFundedMinor = s.RelendingFundedMinor,
            RelendingVersion = s.RelendingVersion,
            HistorySequence = historySequence,
        };
        if (historySequence == 0)
        {
            record.Proposals.Add(s.Proposals.Select(Encode));
            record.Referrals.Add(s.Referrals.Select(Encode));
            record.LapsedHolds.Add(s.LapsedHolds.Select(Encode));
        }

        return record.ToByteArray();
    }

    /// <summary>The line's proposals, referrals and lapsed holds, stored apart from its state.</summary>
    public static byte[] EncodeHistory(LineState s) => new LineHistoryRecord
    {
        Proposals = { s.Proposals.Select(Encode) },
        Referrals = { s.Referrals.Select(Encode) },
        LapsedHolds = { s.LapsedHolds.Select(Encode) },
    }.ToByteArray();

    public static LineState DecodeLine(ReadOnlySpan<byte> bytes) => DecodeLine(ParseLine(bytes), default);

    public static LineRecord ParseLine(ReadOnlySpan<byte> bytes) => LineRecord.Parser.ParseFrom(bytes);

    /// <summary>A stored state, with the history its <see cref="LineRecord.HistorySequence"/> names when that is not 0.</summary>
    public static LineState DecodeLine(LineRecord r, ReadOnlySpan<byte> history)
    {
        var h = r.HistorySequence == 0 ? null : LineHistoryRecord.Parser.ParseFrom(history);
        var (proposals, referrals, lapsed) = h is null ? (r.Proposals, r.Referrals, r.LapsedHolds) : (h.Proposals, h.Referrals, h.LapsedHolds);
        return new LineState
        {
            Status = (LineStatus)r.Status,
            Product = (Product)r.Product,
            LimitMinor = r.LimitMinor,
            DrawnMinor = r.DrawnMinor,
            AccruedInterestMinor = r.AccruedInterestMinor,
            InterestRemainder = r.InterestRemainder,
            AnnualRateBps = r.AnnualRateBps,
            OpenedOn = DateOnly.FromDayNumber(r.OpenedDay),
            MaturesOn = DateOnly.FromDayNumber(r.MaturesDay),
            AccruedThrough = DateOnly.FromDayNumber(r.AccruedThroughDay),
            RenewalCount = r.RenewalCount,
            Sequence = r.Sequence,
            Holds = Decode(r.Holds),
            LapsedHolds = Decode(lapsed),
            SubsidyBps = r.SubsidyBps,
            LastDecisionId = r.LastDecisionId,
            OriginationAverageMonthlyInflowMinor = r.OriginationAverageMonthlyInflowMinor,
            FrozenByStaff = r.FrozenByStaff,
            GrantedLimitMinor = r.GrantedLimitMinor,
            Proposals = proposals.Count == 0 ? [] : [.. proposals.Select(Decode)],
            AccruedPenaltyMinor = r.AccruedPenaltyMinor,
            PenaltyRemainder = r.PenaltyRemainder,
            PenaltyUpliftBps = r.PenaltyUpliftBps,
            Classification = (LoanClass)r.Classification,
            ClassificationFloor = (LoanClass)r.ClassificationFloor,
            LastDailyRun = DateOnly.FromDayNumber(r.LastDailyRunDay),
            DaysPastDueAtLastRun = r.DaysPastDueAtLastRun,
            WrittenOffPrincipalMinor = r.WrittenOffPrincipalMinor,
            WrittenOffInterestMinor = r.WrittenOffInterestMinor,
            WrittenOffPenaltyMinor = r.WrittenOffPenaltyMinor,
            RecoveredMinor = r.RecoveredMinor,
            FirstLoan = r.FirstLoan,
            RelendingEligible = r.RelendingEligible,
            RelendingPeriod = r.RelendingPeriod,
            RelendingShareBps = r.RelendingShareBps,
            RelendingLeaseMinor = r.RelendingLeaseMinor,
            RelendingFundedMinor = r.RelendingFundedMinor,
            RelendingVersion = r.RelendingVersion,
            Referrals = referrals.Count == 0 ? [] : [.. referrals.Select(Decode)],
        };
    }

    public static byte[] Encode(JournalEntry e) => new JournalRecord
    {
        Sequence = e.Sequence,
        CreateUnixMs = e.At.ToUnixTimeMilliseconds(),
        Kind = (int)e.Kind,
        RequestId = e.RequestId,
        Actor = e.Actor,
        AmountMinor = e.AmountMinor,
        HoldId = e.HoldId,
        DeclineReason = (int)e.DeclineReason,
        InterestPaidMinor = e.InterestPaidMinor,
        PrincipalPaidMinor = e.PrincipalPaidMinor,
        LimitAfterMinor = e.LimitAfterMinor,
        DrawnAfterMinor = e.DrawnAfterMinor,
        HeldAfterMinor = e.HeldAfterMinor,
        AccruedInterestAfterMinor = e.AccruedInterestAfterMinor,
        StatusAfter = (int)e.StatusAfter,
        Note = e.Note,
        SubsidisedInterestMinor = e.SubsidisedInterestMinor,
        DecisionId = e.DecisionId,
        DecisionOutcome = (int)e.DecisionOutcome,
        SignalType = (int)e.SignalType,
        SignalSeverity = (int)e.SignalSeverity,
        SignalEffect = (int)e.SignalEffect,
        MaturesDayAfter = e.MaturesOnAfter?.DayNumber ?? 0,
        ProposalId = e.ProposalId,
        ProposalKind = (int)e.ProposalKind,
        ApprovedBy = e.ApprovedBy,
        PenaltyPaidMinor = e.PenaltyPaidMinor,
        AccruedPenaltyAfterMinor = e.AccruedPenaltyAfterMinor,
        DaysPastDue = e.DaysPastDue,
        Classification = (int)e.Classification,
        ClassificationFloor = (int)e.ClassificationFloor,
        WrittenOffPrincipalMinor = e.WrittenOffPrincipalMinor,
        WrittenOffInterestMinor = e.WrittenOffInterestMinor,
        WrittenOffPenaltyMinor = e.WrittenOffPenaltyMinor,
        RecoveredAfterMinor = e.RecoveredAfterMinor,
        RenewalCount = e.RenewalCount,
        Relending = (int)e.Relending,
        RelendingMinor = e.RelendingMinor,
    }.ToByteArray();

    public static JournalEntry DecodeEntry(ReadOnlySpan<byte> bytes) => DecodeEntry(JournalRecord.Parser.ParseFrom(bytes));

    public static JournalEntry DecodeEntry(JournalRecord r)
    {
        return new JournalEntry
        {
            Sequence = r.Sequence,
            At = DateTimeOffset.FromUnixTimeMilliseconds(r.CreateUnixMs),
            Kind = (EntryKind)r.Kind,
            RequestId = r.RequestId,
            Actor = r.Actor,
            AmountMinor = r.AmountMinor,
            HoldId = r.HoldId,
            DeclineReason = (DeclineReason)r.DeclineReason,
            InterestPaidMinor = r.InterestPaidMinor,
            PrincipalPaidMinor = r.PrincipalPaidMinor,
            LimitAfterMinor = r.LimitAfterMinor,
            DrawnAfterMinor = r.DrawnAfterMinor,
            HeldAfterMinor = r.HeldAfterMinor,
            AccruedInterestAfterMinor = r.AccruedInterestAfterMinor,
            StatusAfter = (LineStatus)r.StatusAfter,
            Note = r.Note,
            SubsidisedInterestMinor = r.SubsidisedInterestMinor,
            DecisionId = r.DecisionId,
            DecisionOutcome = (Outcome)r.DecisionOutcome,
            SignalType = (RiskSignalType)r.SignalType,
            SignalSeverity = (RiskSeverity)r.SignalSeverity,
            SignalEffect = (RiskEffect)r.SignalEffect,
            MaturesOnAfter = r.MaturesDayAfter == 0 ? null : DateOnly.FromDayNumber(r.MaturesDayAfter),
            ProposalId = r.ProposalId,
            ProposalKind = (ProposalKind)r.ProposalKind,
            ApprovedBy = r.ApprovedBy,
            PenaltyPaidMinor = r.PenaltyPaidMinor,
            AccruedPenaltyAfterMinor = r.AccruedPenaltyAfterMinor,
            DaysPastDue = r.DaysPastDue,
            Classification = (LoanClass)r.Classification,
            ClassificationFloor = (LoanClass)r.ClassificationFloor,
            WrittenOffPrincipalMinor = r.WrittenOffPrincipalMinor,
            WrittenOffInterestMinor = r.WrittenOffInterestMinor,
            WrittenOffPenaltyMinor = r.WrittenOffPenaltyMinor,
            RecoveredAfterMinor = r.RecoveredAfterMinor,
            RenewalCount = r.RenewalCount,
            Relending = (RelendingFunding)r.Relending,
            RelendingMinor = r.RelendingMinor,
        };
    }

    public static byte[] Encode(string fingerprint, OperationResult result) => new RequestRecord
    {
        Fingerprint = fingerprint,
        Approved = result.Approved,
        DeclineReason = (int)result.DeclineReason,
        Sequence = result.Sequence,
        HoldId = result.HoldId,
        HoldExpireUnixMs = result.HoldExpiresAt?.ToUnixTimeMilliseconds() ?? 0,
        InterestPaidMinor = result.InterestPaidMinor,
        PrincipalPaidMinor = result.PrincipalPaidMinor,
        CapturedMinor = result.CapturedMinor,
        ReleasedMinor = result.ReleasedMinor,
        Line = Encode(result.Line),
        SubsidisedInterestMinor = result.SubsidisedInterestMinor,
        Note = result.Note,
        SignalEffect = (int)result.SignalEffect,
        LowerByBps = result.LowerByBps,
        Proposal = result.Proposal is null ? null : Encode(result.Proposal),
        PenaltyPaidMinor = result.PenaltyPaidMinor,
        Referral = result.Referral is null ? null : Encode(result.Referral),
    }.ToByteArray();

    public static StoredRequest DecodeRequest(ReadOnlySpan<byte> bytes)
    {
        var r = RequestRecord.Parser.ParseFrom(bytes);
        var result = new OperationResult
        {
            Approved = r.Approved,
            DeclineReason = (DeclineReason)r.DeclineReason,
            Sequence = r.Sequence,
            HoldId = r.HoldId,
            HoldExpiresAt = r.HoldExpireUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.HoldExpireUnixMs),
            InterestPaidMinor = r.InterestPaidMinor,
            PrincipalPaidMinor = r.PrincipalPaidMinor,
            CapturedMinor = r.CapturedMinor,
            ReleasedMinor = r.ReleasedMinor,
            Line = Decode(r.Line),
            SubsidisedInterestMinor = r.SubsidisedInterestMinor,
            Note = r.Note,
            SignalEffect = (RiskEffect)r.SignalEffect,
            LowerByBps = r.LowerByBps,
            Proposal = r.Proposal is null ? null : Decode(r.Proposal),
            PenaltyPaidMinor = r.PenaltyPaidMinor,
            Referral = r.Referral is null ? null : Decode(r.Referral),
        };
        return new StoredRequest(r.Fingerprint, result);
    }

    private static LineViewRecord Encode(LineView v) => new()
    {
        Status = (int)v.Status,
        Product = (int)v.Product,
        LimitMinor = v.LimitMinor,
        DrawnMinor = v.DrawnMinor,
        HeldMinor = v.HeldMinor,
        AccruedInterestMinor = v.AccruedInterestMinor,
        AnnualRateBps = v.AnnualRateBps,
        OpenedDay = v.OpenedOn.DayNumber,
        MaturesDay = v.MaturesOn.DayNumber,
        RenewalCount = v.RenewalCount,
        Sequence = v.Sequence,
        Holds = { v.Holds.Select(Encode) },
        SubsidyBps = v.SubsidyBps,
        LastDecisionId = v.LastDecisionId,
        OriginationAverageMonthlyInflowMinor = v.OriginationAverageMonthlyInflowMinor,
        DaysPastDue = v.DaysPastDue,
        OverduePrincipalMinor = v.OverduePrincipalMinor,
        AccruedPenaltyMinor = v.AccruedPenaltyMinor,
        Classification = (int)v.Classification,
        ClassificationFloor = (int)v.ClassificationFloor,
        WrittenOffPrincipalMinor = v.WrittenOffPrincipalMinor,
        WrittenOffInterestMinor = v.WrittenOffInterestMinor,
        WrittenOffPenaltyMinor = v.WrittenOffPenaltyMinor,
        RecoveredMinor = v.RecoveredMinor,
        FirstLoan = v.FirstLoan,
    };

    private static LineView Decode(LineViewRecord r) => new()
    {
        Status = (LineStatus)r.Status,
        Product = (Product)r.Product,
        LimitMinor = r.LimitMinor,
        DrawnMinor = r.DrawnMinor,
        HeldMinor = r.HeldMinor,
        AccruedInterestMinor = r.AccruedInterestMinor,
        AnnualRateBps = r.AnnualRateBps,
        OpenedOn = DateOnly.FromDayNumber(r.OpenedDay),
        MaturesOn = DateOnly.FromDayNumber(r.MaturesDay),
        RenewalCount = r.RenewalCount,
        Sequence = r.Sequence,
        Holds = Decode(r.Holds),
        SubsidyBps = r.SubsidyBps,
        LastDecisionId = r.LastDecisionId,
        OriginationAverageMonthlyInflowMinor = r.OriginationAverageMonthlyInflowMinor,
        DaysPastDue = r.DaysPastDue,
        OverduePrincipalMinor = r.OverduePrincipalMinor,
        AccruedPenaltyMinor = r.AccruedPenaltyMinor,
        Classification = (LoanClass)r.Classification,
        ClassificationFloor = (LoanClass)r.ClassificationFloor,
        WrittenOffPrincipalMinor = r.WrittenOffPrincipalMinor,
        WrittenOffInterestMinor = r.WrittenOffInterestMinor,
        WrittenOffPenaltyMinor = r.WrittenOffPenaltyMinor,
        RecoveredMinor = r.RecoveredMinor,
        FirstLoan = r.FirstLoan,
    };

    private static ProposalRecord Encode(Proposal p) => new()
    {
        ProposalId = p.Id,
        Kind = (int)p.Kind,
        Status = (int)p.Status,
        ProposedBy = p.ProposedBy,
        RequestId = p.RequestId,
        ProposeUnixMs = p.ProposedAt.ToUnixTimeMilliseconds(),
        ExpireUnixMs = p.ExpiresAt.ToUnixTimeMilliseconds(),
        LimitMinor = p.LimitMinor,
        AnnualRateBps = p.AnnualRateBps,
        TermDays = p.TermDays,
        Product = (int)p.Product,
        SubsidyBps = p.SubsidyBps,
        Note = p.Note,
        DecidedBy = p.DecidedBy,
        DecideUnixMs = p.DecidedAt?.ToUnixTimeMilliseconds() ?? 0,
        DecisionNote = p.DecisionNote,
    };

    private static Proposal Decode(ProposalRecord r) => new()
    {
        Id = r.ProposalId,
        Kind = (ProposalKind)r.Kind,
        Status = (ProposalStatus)r.Status,
        ProposedBy = r.ProposedBy,
        RequestId = r.RequestId,
        ProposedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.ProposeUnixMs),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(r.ExpireUnixMs),
        LimitMinor = r.LimitMinor,
        AnnualRateBps = r.AnnualRateBps,
        TermDays = r.TermDays,
        Product = (Product)r.Product,
        SubsidyBps = r.SubsidyBps,
        Note = r.Note,
        DecidedBy = r.DecidedBy,
        DecidedAt = r.DecideUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.DecideUnixMs),
        DecisionNote = r.DecisionNote,
    };

    internal static ReferralRecord Encode(Referral r) => new()
    {
        DecisionId = r.DecisionId,
        ReferUnixMs = r.ReferredAt.ToUnixTimeMilliseconds(),
        Product = (int)r.Product,
        ReferredBy = r.ReferredBy,
        Status = (int)r.Status,
        AssignedTo = r.AssignedTo,
        Reviewer = r.Reviewer,
        SecondReviewer = r.SecondReviewer,
        LimitMinor = r.LimitMinor,
        AnnualRateBps = r.AnnualRateBps,
        ReasonCode = r.ReasonCode,
        Note = r.Note,
        DecideUnixMs = r.DecidedAt?.ToUnixTimeMilliseconds() ?? 0,
    };

    internal static Referral Decode(ReferralRecord r) => new()
    {
        DecisionId = r.DecisionId,
        ReferredAt = DateTimeOffset.FromUnixTimeMilliseconds(r.ReferUnixMs),
        Product = (Product)r.Product,
        ReferredBy = r.ReferredBy,
        Status = (ReferralStatus)r.Status,
        AssignedTo = r.AssignedTo,
        Reviewer = r.Reviewer,
        SecondReviewer = r.SecondReviewer,
        LimitMinor = r.LimitMinor,
        AnnualRateBps = r.AnnualRateBps,
        ReasonCode = r.ReasonCode,
        Note = r.Note,
        DecidedAt = r.DecideUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.DecideUnixMs),
    };

    private static HoldRecord Encode(Hold h) => new()
    {
        HoldId = h.Id,
        AmountMinor = h.AmountMinor,
        ExpireUnixMs = h.ExpiresAt.ToUnixTimeMilliseconds(),
        Owner = h.Owner,
    };

    private static ImmutableArray<Hold> Decode(IReadOnlyCollection<HoldRecord> holds) => holds.Count == 0
        ? []
        : [.. holds.Select(h => new Hold(h.HoldId, h.AmountMinor, DateTimeOffset.FromUnixTimeMilliseconds(h.ExpireUnixMs)) { Owner = h.Owner })];
}

/// <summary>What a request id answered the first time.</summary>
public sealed record StoredRequest(string Fingerprint, OperationResult Result)
{
    /// <summary>A retry with the same parameters gets the first answer; the id reused for anything else is ALREADY_EXISTS.</summary>
    public Domain.Result<OperationResult> AnswerTo(string fingerprint) => fingerprint == Fingerprint
        ? Result with { Replayed = true }
        : Domain.DomainError.RequestIdReused();
}
