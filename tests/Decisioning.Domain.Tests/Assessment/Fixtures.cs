using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Testing;

namespace Decisioning.Domain.Tests.Assessment;

/// <summary>The models, a date, and a hand-built application whose every figure is easy to check by hand.</summary>
internal static class Fixtures
{
    public const long Cny = 100;

    public static readonly DateOnly AsOf = new(2026, 3, 31);
    public static readonly ScorecardModel Champion = ScorecardModel.LoadFile("models/scorecard-2026.1.json");
    public static readonly ScorecardModel Challenger = ScorecardModel.LoadFile("models/scorecard-2026.2-challenger.json");
    public static readonly IReadOnlySet<string> Xiamen = new HashSet<string>(TestEnterprises.XiamenLegacy);

    /// <summary>Snake_case JSON with enum names, as the model files and golden files are written.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>
    /// Every indicator in its best bin (score 1000); the limit is the SRDI e-Loan cap, 10M CNY:
    /// the scorecard allows 30% of 58M = 17.4M capped at 10M by the band; cash flow allows
    /// min(3 × 5.65M, 24 × 0.65M) = 15.6M.
    /// </summary>
    public static CreditApplication Perfect(long n = 1) => new()
    {
        EnterpriseId = TestEnterprises.Id(n),
        Product = Product.None,
        Profile = new EnterpriseProfile
        {
            FoundedOn = new DateOnly(2012, 5, 1),
            SrdiLevel = SrdiLevel.NationalLittleGiant,
            Employees = 250,
            IndustryCode = "C3921",
            StrategicEmergingIndustry = true,
        },
        Financials = new Financials
        {
            RevenueThisYearMinor = 60_000_000 * Cny,
            RevenueLastYearMinor = 48_000_000 * Cny,
            NetProfitMinor = 9_600_000 * Cny,
            TotalAssetsMinor = 50_000_000 * Cny,
            TotalLiabilitiesMinor = 20_000_000 * Cny,
            DeclaredAnnualRevenueMinor = 60_000_000 * Cny,
        },
        Innovation = new InnovationProfile
        {
            InventionPatents = 6,
            OtherPatents = 25,
            RdSpendMinor = 6_600_000 * Cny,
            RdStaff = 60,
            TotalStaff = 250,
            HighTechEnterprise = true,
        },
        Financing = new CreditBureauReport
        {
            CurrentlyOverdue = false,
            MaxOverdueDaysLast24Months = 0,
            MaxOverdueDaysLast12Months = 0,
            ExistingBankDebtMinor = 6_000_000 * Cny,
            LendingBanks = 2,
        },
        Tax = new TaxRecord { TaxPaidLast12MonthsMinor = 3_000_000 * Cny, TaxedRevenueLast12MonthsMinor = 58_000_000 * Cny },
        FundFlow = Steady(5_650_000 * Cny, 5_000_000 * Cny, ("Xiamen Haicang Electronics Co.", 1_500_000 * Cny), ("Fujian Minjiang Machinery Co.", 1_500_000 * Cny), ("Ningbo Beilun Trading Co.", 1_000_000 * Cny)),
        OnExclusionList = false,
    };

    /// <summary>12 identical months ending with the month before <see cref="AsOf"/>.</summary>
    public static FundFlowStatement Steady(long inflowMinor, long outflowMinor, params (string Name, long Minor)[] payers) =>
        Statement(Enumerable.Repeat(inflowMinor, 12).ToArray(), Enumerable.Repeat(outflowMinor, 12).ToArray(), _ => payers);

    public static FundFlowStatement Statement(long[] inflows, long[] outflows, Func<int, (string Name, long Minor)[]> payers)
    {
        var first = new DateOnly(AsOf.Year, AsOf.Month, 1).AddMonths(-12);
        return new FundFlowStatement
        {
            Months =
            [
                .. Enumerable.Range(0, 12).Select(i => new MonthlyFundFlow
                {
                    Month = first.AddMonths(i),
                    InflowMinor = inflows[i],
                    OutflowMinor = outflows[i],
                    Counterparties = [.. payers(i).Select(p => new CounterpartyInflow { Name = p.Name, InflowMinor = p.Minor })],
                }),
            ],
        };
    }

    /// <summary>The champion with one change, for boundary tests of a threshold or a table.</summary>
    public static ScorecardModel ChampionWith(Action<System.Text.Json.Nodes.JsonNode> change)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText("models/scorecard-2026.1.json"))!;
        change(json);
        return ScorecardModel.Load(json.ToJsonString());
    }

    public static Decision Assess(CreditApplication application, ScorecardModel? model = null) =>
        Assessor.Assess(application, model ?? Champion, AsOf, "decision-1");

    public static CreditApplication WithFinancials(this CreditApplication a, Func<Financials, Financials> change) => a with { Financials = change(a.Financials) };

    public static CreditApplication WithProfile(this CreditApplication a, Func<EnterpriseProfile, EnterpriseProfile> change) => a with { Profile = change(a.Profile) };

    public static CreditApplication WithInnovation(this CreditApplication a, Func<InnovationProfile, InnovationProfile> change) => a with { Innovation = change(a.Innovation) };

    public static CreditApplication WithFinancing(this CreditApplication a, Func<CreditBureauReport, CreditBureauReport> change) => a with { Financing = change(a.Financing!) };

    public static CreditApplication WithTax(this CreditApplication a, Func<TaxRecord, TaxRecord> change) => a with { Tax = change(a.Tax!) };

    /// <summary>
    /// Sets an application field by its contract name: the tests' own way of applying a
    /// counterfactual, independent of the assessor's.
    /// </summary>
    public static CreditApplication SetField(this CreditApplication a, string field, long value) => field switch
    {
        Fields.SrdiLevel => a.WithProfile(p => p with { SrdiLevel = (SrdiLevel)value }),
        Fields.HighTechEnterprise => a.WithInnovation(i => i with { HighTechEnterprise = value != 0 }),
        Fields.Employees => a.WithProfile(p => p with { Employees = checked((int)value) }),
        Fields.NetProfit => a.WithFinancials(f => f with { NetProfitMinor = value }),
        Fields.TotalLiabilities => a.WithFinancials(f => f with { TotalLiabilitiesMinor = value }),
        Fields.TaxPaidLast12Months => a.WithTax(t => t with { TaxPaidLast12MonthsMinor = value }),
        Fields.InventionPatents => a.WithInnovation(i => i with { InventionPatents = checked((int)value) }),
        Fields.OtherPatents => a.WithInnovation(i => i with { OtherPatents = checked((int)value) }),
        Fields.RdSpend => a.WithInnovation(i => i with { RdSpendMinor = value }),
        Fields.RdStaff => a.WithInnovation(i => i with { RdStaff = checked((int)value) }),
        Fields.ExistingBankDebt => a.WithFinancing(f => f with { ExistingBankDebtMinor = value }),
        Fields.LendingBanks => a.WithFinancing(f => f with { LendingBanks = checked((int)value) }),
        Fields.CurrentlyOverdue => a.WithFinancing(f => f with { CurrentlyOverdue = value != 0 }),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "no setter for this field"),
    };

    public static ImmutableArray<T> Arr<T>(params T[] items) => [.. items];
}
