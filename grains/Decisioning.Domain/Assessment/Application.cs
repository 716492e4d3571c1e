using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// Everything an assessment decides on. Profile, financials and innovation come from the
/// applicant; <see cref="Financing"/>, <see cref="Tax"/> and <see cref="FundFlow"/> come from the
/// credit bureau, the tax bureau and the fund-flow platform (or from the caller): null means that
/// provider did not answer, and the assessment then refers the case instead of approving it.
/// Amounts are fen (<c>_minor</c>); field names in messages are the snake_case names of the
/// contract (<see cref="Fields"/>).
/// </summary>
public sealed record CreditApplication
{
    public required string EnterpriseId { get; init; }

    /// <summary>The product asked for; <see cref="Product.None"/> asks for the best one the enterprise qualifies for.</summary>
    public Product Product { get; init; }

    public required EnterpriseProfile Profile { get; init; }
    public required Financials Financials { get; init; }
    public required InnovationProfile Innovation { get; init; }
    public CreditBureauReport? Financing { get; init; }
    public TaxRecord? Tax { get; init; }
    public FundFlowStatement? FundFlow { get; init; }

    /// <summary>On the bank's own exclusion list (the bank's data, never the applicant's).</summary>
    public bool OnExclusionList { get; init; }
}

public sealed record EnterpriseProfile
{
    public required DateOnly FoundedOn { get; init; }
    public required SrdiLevel SrdiLevel { get; init; }
    public required int Employees { get; init; }

    /// <summary>GB/T 4754 code, e.g. "C3921".</summary>
    public required string IndustryCode { get; init; }

    /// <summary>The industry is one of the strategic emerging industries (战略性新兴产业).</summary>
    public required bool StrategicEmergingIndustry { get; init; }
}

/// <summary>The last two annual statements, and the revenue the applicant declares.</summary>
public sealed record Financials
{
    public required long RevenueThisYearMinor { get; init; }
    public required long RevenueLastYearMinor { get; init; }

    /// <summary>Negative for a loss.</summary>
    public required long NetProfitMinor { get; init; }

    public required long TotalAssetsMinor { get; init; }
    public required long TotalLiabilitiesMinor { get; init; }
    public required long DeclaredAnnualRevenueMinor { get; init; }
}

public sealed record InnovationProfile
{
    public required int InventionPatents { get; init; }

    /// <summary>Utility-model and design patents.</summary>
    public required int OtherPatents { get; init; }

    /// <summary>R&amp;D spend over the year of <see cref="Financials.RevenueThisYearMinor"/>.</summary>
    public required long RdSpendMinor { get; init; }

    public required int RdStaff { get; init; }
    public required int TotalStaff { get; init; }

    /// <summary>Recognised as a high-tech enterprise (高新技术企业), the state's certificate of its R&amp;D and IP.</summary>
    public bool HighTechEnterprise { get; init; }

    /// <summary>Registered as a tech-based SME (科技型中小企业) in the national evaluation.</summary>
    public bool TechBasedSme { get; init; }
}

/// <summary>What the credit bureau reports (融资竞争力 and the overdue knock-out).</summary>
public sealed record CreditBureauReport
{
    public required bool CurrentlyOverdue { get; init; }
    // Pinned: the snake_case policy would write "last24_months"; the contract says "last_24_months".
    [JsonPropertyName("max_overdue_days_last_24_months")]
    public required int MaxOverdueDaysLast24Months { get; init; }

    /// <summary>0 when nothing was overdue in the last 12 months (a condition of renewal).</summary>
    [JsonPropertyName("max_overdue_days_last_12_months")]
    public required int MaxOverdueDaysLast12Months { get; init; }

    public required long ExistingBankDebtMinor { get; init; }
    public required int LendingBanks { get; init; }
}

/// <summary>What the tax bureau reports for the last 12 months.</summary>
public sealed record TaxRecord
{
    [JsonPropertyName("tax_paid_last_12_months_minor")]
    public required long TaxPaidLast12MonthsMinor { get; init; }

    [JsonPropertyName("taxed_revenue_last_12_months_minor")]
    public required long TaxedRevenueLast12MonthsMinor { get; init; }
}

/// <summary>12 consecutive monthly summaries, oldest first, as the fund-flow platform gives them.</summary>
public sealed record FundFlowStatement
{
    public required ImmutableArray<MonthlyFundFlow> Months { get; init; }
}

public sealed record MonthlyFundFlow
{
    /// <summary>The first day of the month.</summary>
    public required DateOnly Month { get; init; }

    public required long InflowMinor { get; init; }
    public required long OutflowMinor { get; init; }

    /// <summary>Who paid in that month and how much (the platform's largest payers; need not add up to the inflow).</summary>
    public required ImmutableArray<CounterpartyInflow> Counterparties { get; init; }
}

public sealed record CounterpartyInflow
{
    public required string Name { get; init; }
    public required long InflowMinor { get; init; }
}
