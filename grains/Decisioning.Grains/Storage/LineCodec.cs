using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Storage.V1;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Decisioning.Grains.Storage;

/// <summary>Domain values to and from their stored protobuf form.</summary>
internal static class LineCodec
{
    // One record of each kind per thread, every field set each time: encoding is synchronous, and
    // a change allocates only its bytes (CodecTests: nothing carries over from the record before).
    [ThreadStatic]
    private static LineRecord? t_line;
    [ThreadStatic]
    private static JournalRecord? t_entry;
    [ThreadStatic]
    private static RequestRecord? t_request;
    [ThreadStatic]
    private static LineViewRecord? t_view;

    /// <summary>The state with its history (proposals, referrals, lapsed holds) in it.</summary>
    public static byte[] Encode(LineState s) => Encode(s, historySequence: 0);

    /// <summary>
    /// The state; its history in it when <paramref name="historySequence"/> is 0, otherwise only
    /// the sequence of the journal entry whose <see cref="EncodeHistory"/> holds it.
    /// </summary>
    public static byte[] Encode(LineState s, long historySequence)
    {
        var record = t_line ??= new LineRecord();
        record.Status = (int)s.Status;
        record.Product = (int)s.Product;
        record.LimitMinor = s.LimitMinor;
        record.DrawnMinor = s.DrawnMinor;
        record.AccruedInterestMinor = s.AccruedInterestMinor;
        record.InterestRemainder = s.InterestRemainder;
        record.AnnualRateBps = s.AnnualRateBps;
        record.OpenedDay = s.OpenedOn.DayNumber;
        record.MaturesDay = s.MaturesOn.DayNumber;
        record.AccruedThroughDay = s.AccruedThrough.DayNumber;
        record.RenewalCount = s.RenewalCount;
        record.Sequence = s.Sequence;
        record.SubsidyBps = s.SubsidyBps;
        record.LastDecisionId = s.LastDecisionId;
        record.OriginationAverageMonthlyInflowMinor = s.OriginationAverageMonthlyInflowMinor;
        record.FrozenByStaff = s.FrozenByStaff;
        record.GrantedLimitMinor = s.GrantedLimitMinor;
        record.AccruedPenaltyMinor = s.AccruedPenaltyMinor;
        record.PenaltyRemainder = s.PenaltyRemainder;
        record.PenaltyUpliftBps = s.PenaltyUpliftBps;
        record.Classification = (int)s.Classification;
        record.ClassificationFloor = (int)s.ClassificationFloor;
        record.LastDailyRunDay = s.LastDailyRun.DayNumber;
        record.DaysPastDueAtLastRun = s.DaysPastDueAtLastRun;
        record.WrittenOffPrincipalMinor = s.WrittenOffPrincipalMinor;
        record.WrittenOffInterestMinor = s.WrittenOffInterestMinor;
        record.WrittenOffPenaltyMinor = s.WrittenOffPenaltyMinor;
        record.RecoveredMinor = s.RecoveredMinor;
        record.FirstLoan = s.FirstLoan;
        record.RelendingEligible = s.RelendingEligible;
        record.RelendingPeriod = s.RelendingPeriod;
        record.RelendingShareBps = s.RelendingShareBps;
        record.RelendingLeaseMinor = s.RelendingLeaseMinor;
        record.RelendingFundedMinor = s.RelendingFundedMinor;
        record.RelendingVersion = s.RelendingVersion;
        record.HistorySequence = historySequence;
        Fill(record.Holds, s.Holds, Encode);
        Fill(record.Proposals, historySequence == 0 ? s.Proposals : [], Encode);
        Fill(record.Referrals, historySequence == 0 ? s.Referrals : [], Encode);
        Fill(record.LapsedHolds, historySequence == 0 ? s.LapsedHolds : [], Encode);
        return record.ToBytes();
    }

    /// <summary>The line's proposals, referrals and lapsed holds, stored apart from its state.</summary>
    public static byte[] EncodeHistory(LineState s) => new LineHistoryRecord
    {
        Proposals = { s.Proposals.Select(Encode) },
        Referrals = { s.Referrals.Select(Encode) },
        LapsedHolds = { s.LapsedHolds.Select(Encode) },
    }.ToBytes();

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

    public static byte[] Encode(JournalEntry e)
    {
        var r = t_entry ??= new();
        r.Sequence = e.Sequence;
        r.CreateUnixMs = e.At.ToUnixTimeMilliseconds();
        r.Kind = (int)e.Kind;
        r.RequestId = e.RequestId;
        r.Actor = e.Actor;
        r.AmountMinor = e.AmountMinor;
        r.HoldId = e.HoldId;
        r.DeclineReason = (int)e.DeclineReason;
        r.InterestPaidMinor = e.InterestPaidMinor;
        r.PrincipalPaidMinor = e.PrincipalPaidMinor;
        r.LimitAfterMinor = e.LimitAfterMinor;
        r.DrawnAfterMinor = e.DrawnAfterMinor;
        r.HeldAfterMinor = e.HeldAfterMinor;
        r.AccruedInterestAfterMinor = e.AccruedInterestAfterMinor;
        r.StatusAfter = (int)e.StatusAfter;
        r.Note = e.Note;
        r.SubsidisedInterestMinor = e.SubsidisedInterestMinor;
        r.DecisionId = e.DecisionId;
        r.DecisionOutcome = (int)e.DecisionOutcome;
        r.SignalType = (int)e.SignalType;
        r.SignalSeverity = (int)e.SignalSeverity;
        r.SignalEffect = (int)e.SignalEffect;
        r.MaturesDayAfter = e.MaturesOnAfter?.DayNumber ?? 0;
        r.ProposalId = e.ProposalId;
        r.ProposalKind = (int)e.ProposalKind;
        r.ApprovedBy = e.ApprovedBy;
        r.PenaltyPaidMinor = e.PenaltyPaidMinor;
        r.AccruedPenaltyAfterMinor = e.AccruedPenaltyAfterMinor;
        r.DaysPastDue = e.DaysPastDue;
        r.Classification = (int)e.Classification;
        r.ClassificationFloor = (int)e.ClassificationFloor;
        r.WrittenOffPrincipalMinor = e.WrittenOffPrincipalMinor;
        r.WrittenOffInterestMinor = e.WrittenOffInterestMinor;
        r.WrittenOffPenaltyMinor = e.WrittenOffPenaltyMinor;
        r.RecoveredAfterMinor = e.RecoveredAfterMinor;
        r.RenewalCount = e.RenewalCount;
        r.Relending = (int)e.Relending;
        r.RelendingMinor = e.RelendingMinor;
        return r.ToBytes();
    }

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

    public static byte[] Encode(string fingerprint, OperationResult result)
    {
        var r = t_request ??= new();
        r.Line = Set(t_view ??= new(), result.Line);
        r.Fingerprint = fingerprint;
        r.Approved = result.Approved;
        r.DeclineReason = (int)result.DeclineReason;
        r.Sequence = result.Sequence;
        r.HoldId = result.HoldId;
        r.HoldExpireUnixMs = result.HoldExpiresAt?.ToUnixTimeMilliseconds() ?? 0;
        r.InterestPaidMinor = result.InterestPaidMinor;
        r.PrincipalPaidMinor = result.PrincipalPaidMinor;
        r.CapturedMinor = result.CapturedMinor;
        r.ReleasedMinor = result.ReleasedMinor;
        r.SubsidisedInterestMinor = result.SubsidisedInterestMinor;
        r.Note = result.Note;
        r.SignalEffect = (int)result.SignalEffect;
        r.LowerByBps = result.LowerByBps;
        r.Proposal = result.Proposal is null ? null : Encode(result.Proposal);
        r.PenaltyPaidMinor = result.PenaltyPaidMinor;
        r.Referral = result.Referral is null ? null : Encode(result.Referral);
        return r.ToBytes();
    }

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

    private static LineViewRecord Set(LineViewRecord r, LineView v)
    {
        r.Status = (int)v.Status;
        r.Product = (int)v.Product;
        r.LimitMinor = v.LimitMinor;
        r.DrawnMinor = v.DrawnMinor;
        r.HeldMinor = v.HeldMinor;
        r.AccruedInterestMinor = v.AccruedInterestMinor;
        r.AnnualRateBps = v.AnnualRateBps;
        r.OpenedDay = v.OpenedOn.DayNumber;
        r.MaturesDay = v.MaturesOn.DayNumber;
        r.RenewalCount = v.RenewalCount;
        r.Sequence = v.Sequence;
        Fill(r.Holds, v.Holds, Encode);
        r.SubsidyBps = v.SubsidyBps;
        r.LastDecisionId = v.LastDecisionId;
        r.OriginationAverageMonthlyInflowMinor = v.OriginationAverageMonthlyInflowMinor;
        r.DaysPastDue = v.DaysPastDue;
        r.OverduePrincipalMinor = v.OverduePrincipalMinor;
        r.AccruedPenaltyMinor = v.AccruedPenaltyMinor;
        r.Classification = (int)v.Classification;
        r.ClassificationFloor = (int)v.ClassificationFloor;
        r.WrittenOffPrincipalMinor = v.WrittenOffPrincipalMinor;
        r.WrittenOffInterestMinor = v.WrittenOffInterestMinor;
        r.WrittenOffPenaltyMinor = v.WrittenOffPenaltyMinor;
        r.RecoveredMinor = v.RecoveredMinor;
        r.FirstLoan = v.FirstLoan;
        return r;
    }

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

    /// <summary>A reused record's list, holding exactly <paramref name="values"/>'s records.</summary>
    private static void Fill<TValue, TRecord>(RepeatedField<TRecord> records, ImmutableArray<TValue> values, Func<TValue, TRecord> encode)
    {
        records.Clear();
        foreach (var value in values)
        {
            records.Add(encode(value));
        }
    }

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
