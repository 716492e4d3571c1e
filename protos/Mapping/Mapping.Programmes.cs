using Decisioning.Domain.Programmes;
using Google.Protobuf.WellKnownTypes;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.Contracts;

public static partial class Mapping
{
    public static V1.ListRiskFundClaimsResponse ToListRiskFundClaimsResponse(RiskFundPage page) => new()
    {
        Funds = { page.Funds.Select(f => ToRiskFund(f.Fund, f.Totals)) },
        Claims = { page.Claims.Select(ToRiskFundClaim) },
        NextPageToken = page.Next,
    };

    public static V1.RiskFund ToRiskFund(RiskFund f, FundTotals t) => new()
    {
        FundId = f.Id,
        Name = f.Name,
        CoversFirstLoans = f.Covers.HasFlag(FundCover.FirstLoans),
        CoversRenewals = f.Covers.HasFlag(FundCover.Renewals),
        CoversOtherLoans = f.Covers.HasFlag(FundCover.OtherLoans),
        Products = { f.Products.Select(p => (V1.Product)p) },
        MinSrdiLevel = (V1.SrdiLevel)f.MinSrdiLevel,
        ShareBps = f.ShareBps,
        CapPerLoanMinor = f.CapPerLoanMinor,
        ConfiguredMinor = f.BalanceMinor,
        Claims = t.Claims,
        ClaimedMinor = t.ClaimedMinor,
        ReturnedMinor = t.ReturnedMinor,
        AvailableMinor = t.AvailableMinor(f),
    };

    public static V1.RiskFundClaim ToRiskFundClaim(RiskFundClaim c) => new()
    {
        EnterpriseId = c.EnterpriseId,
        FundId = c.FundId,
        WriteOffSequence = c.WriteOffSequence,
        WriteOffTime = Timestamp.FromDateTimeOffset(c.WrittenOffAt),
        Product = (V1.Product)c.Product,
        SrdiLevel = (V1.SrdiLevel)c.SrdiLevel,
        FirstLoan = c.FirstLoan,
        Renewal = c.Renewal,
        WrittenOffPrincipalMinor = c.WrittenOffPrincipalMinor,
        WrittenOffInterestMinor = c.WrittenOffInterestMinor,
        ShareBps = c.ShareBps,
        ClaimedMinor = c.ClaimedMinor,
        LimitedBy = (V1.ClaimLimit)c.LimitedBy,
        RecoveredMinor = c.RecoveredMinor,
        ReturnedMinor = c.ReturnedMinor,
        NetClaimMinor = c.NetClaimMinor,
        Recoveries = c.Recoveries,
        LastRecoveryTime = c.LastRecoveredAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };

    public static V1.GetRelendingQuotaResponse ToGetRelendingQuotaResponse(RelendingQuotaView q)
    {
        var message = new V1.GetRelendingQuotaResponse
        {
            Period = q.Period.Name,
            StartDate = Date(q.Period.From),
            EndDate = Date(q.Period.Until),
            ConfiguredMinor = q.ConfiguredMinor,
            UsedMinor = q.UsedMinor,
            AvailableMinor = q.AvailableMinor,
            ShareBps = q.Period.ShareBps,
            BankRateBps = q.Period.BankRateBps,
        };
        message.Months.AddRange(q.Months.Select(m => new V1.RelendingQuotaMonth { Month = m.Month, ChangeMinor = m.ChangeMinor, UsedMinor = m.UsedMinor }));
        return message;
    }
}
