using System.Globalization;
using System.Text;
using Decisioning.Domain;
using Decisioning.Grains.Abstractions;
using Decisioning.GrpcHost.Errors;
using Google.Protobuf.WellKnownTypes;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>Grain replies to the contract's messages. Domain enums share decisioning.v1's numbers.</summary>
internal static class Mapping
{
    public const string Currency = "CNY";
    private const string PageTokenPrefix = "before:";

    public static T WithBalances<T>(this T reply, LineSnapshot line)
        where T : V1.ILineBalances => reply.WithBalances(line.AvailableMinor, line.LimitMinor, line.DrawnMinor, line.HeldMinor);

    public static T WithBalances<T>(this T reply, long availableMinor, long limitMinor, long drawnMinor, long heldMinor)
        where T : V1.ILineBalances
    {
        (reply.AvailableMinor, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor) = (availableMinor, limitMinor, drawnMinor, heldMinor);
        return reply;
    }

    public static V1.Line ToLine(string enterpriseId, LineSnapshot line)
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
            OpenedDate = line.OpenedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            MaturityDate = line.MaturesOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            RenewalCount = line.RenewalCount,
            CurrencyCode = Currency,
            JournalSequence = line.Sequence,
            SubsidyBps = line.SubsidyBps,
            LastDecisionId = line.LastDecisionId,
        };
        foreach (var hold in line.Holds)
        {
            message.Holds.Add(new V1.Hold { HoldId = hold.HoldId, AmountMinor = hold.AmountMinor, ExpireTime = Timestamp.FromDateTimeOffset(hold.ExpiresAt) });
        }

        return message;
    }

    public static V1.Transaction ToTransaction(JournalEntrySnapshot e) => new()
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
        MaturityDateAfter = e.MaturesOnAfter is { } maturity ? maturity.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
        ProposalId = e.ProposalId,
        ProposalKind = (V1.ProposalKind)e.ProposalKind,
        ApprovedBy = e.ApprovedBy,
    };

    public static V1.Proposal? ToProposal(ProposalSnapshot? p) => p is null ? null : new()
    {
        ProposalId = p.ProposalId,
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
        DecideTime = p.DecidedAt is { } decided ? Timestamp.FromDateTimeOffset(decided) : null,
        DecisionReason = p.DecisionNote,
    };

    public static string PageToken(long beforeSequence) => beforeSequence == 0
        ? ""
        : Convert.ToBase64String(Encoding.ASCII.GetBytes(PageTokenPrefix + beforeSequence.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The sequence a page token continues before (0 for the newest page).</summary>
    public static long ParsePageToken(string token)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        var bytes = new byte[token.Length];
        if (token.Length <= 64
            && Convert.TryFromBase64String(token, bytes, out var written)
            && Encoding.ASCII.GetString(bytes, 0, written) is var text
            && text.StartsWith(PageTokenPrefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(PageTokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var before)
            && before > 0)
        {
            return before;
        }

        throw DecisioningException.From(DomainError.Invalid("page_token", ErrorReasons.PageTokenInvalid, "is not a token from a previous ListTransactions reply"));
    }
}
