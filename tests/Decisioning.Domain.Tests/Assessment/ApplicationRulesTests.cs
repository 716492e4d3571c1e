using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Testing;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class ApplicationRulesTests
{
    private static readonly IReadOnlySet<string> NoLegacy = new HashSet<string>();

    [Fact]
    public void A_complete_application_is_valid() => Assert.Empty(ApplicationRules.Validate(Perfect(), AsOf, NoLegacy));

    [Fact]
    public void An_application_whose_external_parts_are_missing_is_still_valid_and_is_referred_instead() =>
        Assert.Empty(ApplicationRules.Validate(Perfect() with { Financing = null, Tax = null, FundFlow = null }, AsOf, NoLegacy));

    [Theory]
    [InlineData("91350211M0000XUF46")]
    [InlineData("91350203M0001FUE2P")]
    public void Xiamen_legacy_codes_are_valid_only_through_the_allow_list(string code)
    {
        var application = Perfect() with { EnterpriseId = code };
        Assert.Equal(Fields.EnterpriseId, Assert.Single(ApplicationRules.Validate(application, AsOf, NoLegacy)).Field);
        Assert.Empty(ApplicationRules.Validate(application, AsOf, Xiamen));
    }

    [Fact]
    public void A_typo_in_a_standard_code_is_rejected_with_the_field_named()
    {
        var code = TestEnterprises.Id(7);
        var typo = code[..10] + (code[10] == '1' ? '2' : '1') + code[11..];
        var error = Assert.Single(ApplicationRules.Validate(Perfect() with { EnterpriseId = typo }, AsOf, Xiamen));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith("enterprise_id fails its check character", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<CreditApplication, CreditApplication>> Violations => new()
    {
        { Fields.Product, a => a with { Product = (Product)9 } },
        { Fields.Profile, a => a with { Profile = null! } },
        { Fields.FoundedOn, a => a.WithProfile(p => p with { FoundedOn = AsOf.AddDays(1) }) },
        { Fields.FoundedOn, a => a.WithProfile(p => p with { FoundedOn = new DateOnly(1899, 12, 31) }) },
        { Fields.SrdiLevel, a => a.WithProfile(p => p with { SrdiLevel = SrdiLevel.Unspecified }) },
        { Fields.SrdiLevel, a => a.WithProfile(p => p with { SrdiLevel = (SrdiLevel)6 }) },
        { Fields.Employees, a => a.WithProfile(p => p with { Employees = -1 }) },
        { Fields.Employees, a => a.WithProfile(p => p with { Employees = AssessmentLimits.MaxEmployees + 1 }) },
        { Fields.IndustryCode, a => a.WithProfile(p => p with { IndustryCode = "" }) },
        { Fields.IndustryCode, a => a.WithProfile(p => p with { IndustryCode = "c3921" }) },
        { Fields.IndustryCode, a => a.WithProfile(p => p with { IndustryCode = "C39210000" }) },
        { Fields.RevenueThisYear, a => a.WithFinancials(f => f with { RevenueThisYearMinor = -1 }) },
        { Fields.RevenueLastYear, a => a.WithFinancials(f => f with { RevenueLastYearMinor = Limits.MaxAmountMinor + 1 }) },
        { Fields.NetProfit, a => a.WithFinancials(f => f with { NetProfitMinor = -Limits.MaxAmountMinor - 1 }) },
        { Fields.TotalAssets, a => a.WithFinancials(f => f with { TotalAssetsMinor = 0 }) },
        { Fields.TotalLiabilities, a => a.WithFinancials(f => f with { TotalLiabilitiesMinor = -5 }) },
        { Fields.DeclaredAnnualRevenue, a => a.WithFinancials(f => f with { DeclaredAnnualRevenueMinor = long.MaxValue }) },
        { Fields.InventionPatents, a => a.WithInnovation(i => i with { InventionPatents = -1 }) },
        { Fields.OtherPatents, a => a.WithInnovation(i => i with { OtherPatents = AssessmentLimits.MaxPatents + 1 }) },
        { Fields.RdSpend, a => a.WithInnovation(i => i with { RdSpendMinor = -1 }) },
        { Fields.TotalStaff, a => a.WithInnovation(i => i with { TotalStaff = 0, RdStaff = 0 }) },
        { Fields.RdStaff, a => a.WithInnovation(i => i with { RdStaff = 251 }) },
        { Fields.MaxOverdueDaysLast24Months, a => a.WithFinancing(f => f with { MaxOverdueDaysLast24Months = AssessmentLimits.MaxOverdueDaysLast24Months + 1 }) },
        { Fields.MaxOverdueDaysLast12Months, a => a.WithFinancing(f => f with { MaxOverdueDaysLast12Months = 5, MaxOverdueDaysLast24Months = 4 }) },
        { Fields.ExistingBankDebt, a => a.WithFinancing(f => f with { ExistingBankDebtMinor = -1 }) },
        { Fields.LendingBanks, a => a.WithFinancing(f => f with { LendingBanks = AssessmentLimits.MaxLendingBanks + 1 }) },
        { Fields.TaxPaidLast12Months, a => a.WithTax(t => t with { TaxPaidLast12MonthsMinor = -1 }) },
        { Fields.TaxedRevenueLast12Months, a => a.WithTax(t => t with { TaxedRevenueLast12MonthsMinor = Limits.MaxAmountMinor + 1 }) },
        { Fields.FundFlowMonths, a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.RemoveAt(0) } } },
        { Fields.FundFlowMonths, a => a with { FundFlow = new FundFlowStatement { Months = default } } },
        { "fund_flow.months[3].month", a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.SetItem(3, a.FundFlow.Months[3] with { Month = a.FundFlow.Months[3].Month.AddMonths(1) }) } } },
        { "fund_flow.months[3].month", a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.SetItem(3, a.FundFlow.Months[3] with { Month = a.FundFlow.Months[3].Month.AddDays(1) }) } } },
        { "fund_flow.months[2].inflow_minor", a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.SetItem(2, a.FundFlow.Months[2] with { InflowMinor = -1 }) } } },
        { "fund_flow.months[2].outflow_minor", a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.SetItem(2, a.FundFlow.Months[2] with { OutflowMinor = Limits.MaxAmountMinor + 1 }) } } },
        { "fund_flow.months[2].counterparties", a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.SetItem(2, a.FundFlow.Months[2] with { InflowMinor = 1_000 }) } } },
        { "fund_flow.months[0].counterparties[1].name", a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.SetItem(0, a.FundFlow.Months[0] with { Counterparties = [new() { Name = "A", InflowMinor = 1 }, new() { Name = "A", InflowMinor = 1 }] }) } } },
        { "fund_flow.months[0].counterparties[0].name", a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.SetItem(0, a.FundFlow.Months[0] with { Counterparties = [new() { Name = " ", InflowMinor = 1 }] }) } } },
        { "fund_flow.months[0].counterparties[0].inflow_minor", a => a with { FundFlow = new FundFlowStatement { Months = a.FundFlow!.Months.SetItem(0, a.FundFlow.Months[0] with { Counterparties = [new() { Name = "A", InflowMinor = 0 }] }) } } },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Each_invalid_field_is_rejected_with_its_contract_name(string field, Func<CreditApplication, CreditApplication> change)
    {
        var errors = ApplicationRules.Validate(change(Perfect()), AsOf, NoLegacy);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith(field + " ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fund_flow_month_that_is_not_yet_over_is_rejected()
    {
        var months = Perfect().FundFlow!.Months.Select(m => m with { Month = m.Month.AddMonths(1) }).ToArray();
        var error = Assert.Single(ApplicationRules.Validate(Perfect() with { FundFlow = new FundFlowStatement { Months = [.. months] } }, AsOf, NoLegacy));
        Assert.Equal("fund_flow.months[11].month", error.Field);
        Assert.Equal("FUND_FLOW_MONTH_NOT_COMPLETE", error.Reason);
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        var application = Perfect()
            .WithProfile(p => p with { FoundedOn = AsOf, Employees = AssessmentLimits.MaxEmployees, IndustryCode = "C3921000" })
            .WithFinancials(f => f with { RevenueThisYearMinor = 0, RevenueLastYearMinor = Limits.MaxAmountMinor, NetProfitMinor = -Limits.MaxAmountMinor, TotalAssetsMinor = 1 })
            .WithInnovation(i => i with { RdStaff = 1, TotalStaff = 1 })
            .WithFinancing(f => f with { MaxOverdueDaysLast24Months = AssessmentLimits.MaxOverdueDaysLast24Months, MaxOverdueDaysLast12Months = AssessmentLimits.MaxOverdueDaysLast12Months, LendingBanks = AssessmentLimits.MaxLendingBanks });
        Assert.Empty(ApplicationRules.Validate(application, AsOf, NoLegacy));
    }

    [Fact]
    public void Several_violations_are_all_reported_in_field_order()
    {
        var application = Perfect() with { EnterpriseId = "" };
        application = application.WithProfile(p => p with { Employees = -1 }).WithTax(t => t with { TaxPaidLast12MonthsMinor = -1 });
        Assert.Equal([Fields.EnterpriseId, Fields.Employees, Fields.TaxPaidLast12Months], ApplicationRules.Validate(application, AsOf, NoLegacy).Select(e => e.Field));
    }

    [Theory]
    [InlineData(null, "DECISION_ID_REQUIRED")]
    [InlineData("", "DECISION_ID_REQUIRED")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345", "DECISION_ID_TOO_LONG")]
    public void A_decision_id_must_be_given_and_short(string? id, string reason) => Assert.Equal(reason, ApplicationRules.DecisionId(id)?.Reason);

    [Fact]
    public void Assessing_an_application_that_was_not_validated_is_a_bug_and_throws() =>
        Assert.Throws<ArgumentException>(() => Assess(Perfect().WithProfile(p => p with { Employees = -1 })));
}
