using System.Globalization;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;

namespace Decisioning.Testing;

/// <summary>Two risk funds as a bank might configure them, for the tests of every layer.</summary>
public static class TestRiskFunds
{
    /// <summary>首贷续贷增信基金: first loans and renewals of SRDI e-Loans, municipal and above, 50% to 2,000,000 a loan, out of 5,000,000.</summary>
    public static readonly RiskFund Enhancement = new()
    {
        Id = "first-and-renewal",
        Name = "首贷续贷增信基金",
        Covers = FundCover.FirstLoans | FundCover.Renewals,
        Products = [Product.SrdiELoan],
        MinSrdiLevel = SrdiLevel.Municipal,
        ShareBps = 5_000,
        CapPerLoanMinor = 2_000_000,
        BalanceMinor = 5_000_000,
    };

    /// <summary>风险补偿资金: every loan of either product, any recognition, 30% to 1,000,000 a loan, out of 10,000,000.</summary>
    public static readonly RiskFund Compensation = new()
    {
        Id = "compensation",
        Name = "风险补偿资金",
        Covers = FundCover.FirstLoans | FundCover.Renewals | FundCover.OtherLoans,
        Products = [Product.SrdiELoan, Product.OperatingQuickLoan],
        MinSrdiLevel = SrdiLevel.None,
        ShareBps = 3_000,
        CapPerLoanMinor = 1_000_000,
        BalanceMinor = 10_000_000,
    };

    /// <summary>An approval stating <paramref name="level"/>, as the event stream summarises it.</summary>
    public static DecisionSummary Decision(SrdiLevel level) => new()
    {
        DecisionId = "D-1",
        Purpose = DecisionPurpose.Origination,
        Outcome = Outcome.Approve,
        Product = Product.SrdiELoan,
        LimitMinor = 10_000_000,
        AnnualRateBps = 345,
        SrdiLevel = level,
        LimitBasis = LimitBasis.Scorecard,
        FundFlowBased = false,
        Score = 700,
        ModelVersion = "test",
    };

    /// <summary>The funds as the service's environment variables (Decisioning:RiskFunds:Funds).</summary>
    public static Dictionary<string, string> Settings(params RiskFund[] funds)
    {
        var settings = new Dictionary<string, string>();
        for (var i = 0; i < funds.Length; i++)
        {
            var (f, at) = (funds[i], $"Decisioning__RiskFunds__Funds__{i}__");
            settings[at + "Id"] = f.Id;
            settings[at + "Name"] = f.Name;
            settings[at + "Covers"] = f.Covers.ToString();
            settings[at + "MinSrdiLevel"] = f.MinSrdiLevel.ToString();
            settings[at + "ShareBps"] = f.ShareBps.ToString(CultureInfo.InvariantCulture);
            settings[at + "CapPerLoanMinor"] = f.CapPerLoanMinor.ToString(CultureInfo.InvariantCulture);
            settings[at + "BalanceMinor"] = f.BalanceMinor.ToString(CultureInfo.InvariantCulture);
            for (var p = 0; p < f.Products.Length; p++)
            {
                settings[$"{at}Products__{p}"] = f.Products[p].ToString();
            }
        }

        return settings;
    }
}
