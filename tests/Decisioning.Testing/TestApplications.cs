using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Simulations;

namespace Decisioning.Testing;

/// <summary>
/// A sound SRDI applicant (provincial recognition, 45M CNY revenue, steady cash flow): approved by
/// the champion model for the SRDI e-Loan at its 10M CNY cap, 2.90% (score 803). The same figures
/// as the README's application, with the 12 fund-flow months before <c>asOf</c>'s month.
/// </summary>
public static class TestApplications
{
    public const long Cny = 100;
    public const long ApprovedLimitMinor = 10_000_000 * Cny;
    public const int ApprovedRateBps = 290;

    private static readonly long[] InflowsCny = [4_200_000, 3_900_000, 4_500_000, 4_100_000, 4_300_000, 3_800_000, 4_600_000, 4_400_000, 4_000_000, 4_700_000, 4_300_000, 4_500_000];

    public static CreditApplication Sound(string enterpriseId, DateOnly asOf) => new()
    {
        EnterpriseId = enterpriseId,
        Product = Product.SrdiELoan,
        Profile = new EnterpriseProfile
        {
            FoundedOn = new DateOnly(2016, 4, 18),
            SrdiLevel = SrdiLevel.Provincial,
            Employees = 120,
            IndustryCode = "C3921",
            StrategicEmergingIndustry = true,
        },
        Financials = new Financials
        {
            RevenueThisYearMinor = 45_000_000 * Cny,
            RevenueLastYearMinor = 39_000_000 * Cny,
            NetProfitMinor = 3_150_000 * Cny,
            TotalAssetsMinor = 38_000_000 * Cny,
            TotalLiabilitiesMinor = 24_700_000 * Cny,
            DeclaredAnnualRevenueMinor = 45_000_000 * Cny,
        },
        Innovation = new InnovationProfile { InventionPatents = 3, OtherPatents = 12, RdSpendMinor = 1_800_000 * Cny, RdStaff = 18, TotalStaff = 120 },
        Financing = new CreditBureauReport
        {
            CurrentlyOverdue = false,
            MaxOverdueDaysLast24Months = 0,
            MaxOverdueDaysLast12Months = 0,
            ExistingBankDebtMinor = 9_000_000 * Cny,
            LendingBanks = 2,
        },
        Tax = new TaxRecord { TaxPaidLast12MonthsMinor = 1_600_000 * Cny, TaxedRevenueLast12MonthsMinor = 44_000_000 * Cny },
        FundFlow = FundFlow(asOf),
    };

    /// <summary>
    /// The SIMULATED enterprise's own profile, financials and innovation, without the providers'
    /// parts: those are to be fetched (from the simulated providers, which agree with it).
    /// </summary>
    public static CreditApplication ToFetch(string enterpriseId, DateOnly asOf) =>
        SimulatedEnterprise.Application(enterpriseId, asOf, Product.None) with { Financing = null, Tax = null, FundFlow = null };

    public static FundFlowStatement FundFlow(DateOnly asOf)
    {
        var first = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-12);
        return new FundFlowStatement
        {
            Months =
            [
                .. InflowsCny.Select((cny, i) =>
                {
                    var inflow = cny * Cny;
                    return new MonthlyFundFlow
                    {
                        Month = first.AddMonths(i),
                        InflowMinor = inflow,
                        OutflowMinor = inflow * 88 / 100,
                        Counterparties =
                        [
                            new CounterpartyInflow { Name = "Xiamen Haicang Electronics Co.", InflowMinor = inflow * 30 / 100 },
                            new CounterpartyInflow { Name = "Fujian Minjiang Machinery Co.", InflowMinor = inflow * 25 / 100 },
                            new CounterpartyInflow { Name = "Ningbo Beilun Trading Co.", InflowMinor = inflow * 15 / 100 },
                        ],
                    };
                }),
            ],
        };
    }

    /// <summary>An enterprise id whose SIMULATED enterprise the champion approves (found by assessing candidates in turn).</summary>
    public static string SimulatedApprovedEnterprise(ScorecardModel champion, DateOnly asOf, long from)
    {
        for (var n = from; n < from + 10_000; n++)
        {
            var id = TestEnterprises.Id(n);
            if (Assessor.Assess(SimulatedEnterprise.Application(id, asOf), champion, asOf, "probe", withCounterfactuals: false).Outcome == Outcome.Approve)
            {
                return id;
            }
        }

        throw new InvalidOperationException("no simulated enterprise is approved in 10,000 candidates");
    }

}
