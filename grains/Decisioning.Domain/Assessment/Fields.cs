namespace Decisioning.Domain.Assessment;

/// <summary>
/// The names of application fields as the contract spells them, for error messages and
/// counterfactuals: a caller reading either can find the field it must change.
/// </summary>
public static class Fields
{
    public const string EnterpriseId = "enterprise_id";
    public const string Product = "product";
    public const string DecisionId = "decision_id";

    public const string Profile = "profile";
    public const string FoundedOn = "profile.founded_on";
    public const string SrdiLevel = "profile.srdi_level";
    public const string Employees = "profile.employees";
    public const string IndustryCode = "profile.industry_code";
    public const string StrategicEmergingIndustry = "profile.strategic_emerging_industry";

    public const string Financials = "financials";
    public const string RevenueThisYear = "financials.revenue_this_year_minor";
    public const string RevenueLastYear = "financials.revenue_last_year_minor";
    public const string NetProfit = "financials.net_profit_minor";
    public const string TotalAssets = "financials.total_assets_minor";
    public const string TotalLiabilities = "financials.total_liabilities_minor";
    public const string DeclaredAnnualRevenue = "financials.declared_annual_revenue_minor";

    public const string Innovation = "innovation";
    public const string InventionPatents = "innovation.invention_patents";
    public const string OtherPatents = "innovation.other_patents";
    public const string RdSpend = "innovation.rd_spend_minor";
    public const string RdStaff = "innovation.rd_staff";
    public const string TotalStaff = "innovation.total_staff";
    public const string HighTechEnterprise = "innovation.high_tech_enterprise";
    public const string TechBasedSme = "innovation.tech_based_sme";

    public const string Financing = "financing";
    public const string CurrentlyOverdue = "financing.currently_overdue";
    public const string MaxOverdueDaysLast24Months = "financing.max_overdue_days_last_24_months";
    public const string MaxOverdueDaysLast12Months = "financing.max_overdue_days_last_12_months";
    public const string ExistingBankDebt = "financing.existing_bank_debt_minor";
    public const string LendingBanks = "financing.lending_banks";

    public const string Tax = "tax";
    public const string TaxPaidLast12Months = "tax.tax_paid_last_12_months_minor";
    public const string TaxedRevenueLast12Months = "tax.taxed_revenue_last_12_months_minor";

    public const string FundFlow = "fund_flow";
    public const string FundFlowMonths = "fund_flow.months";

    public const string OnExclusionList = "on_exclusion_list";

    public static string Month(int index) => $"fund_flow.months[{index}]";

    public static string Counterparty(int month, int index) => $"fund_flow.months[{month}].counterparties[{index}]";
}
