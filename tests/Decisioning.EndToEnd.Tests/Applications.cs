using System.Globalization;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Testing;
using D = Decisioning.Domain.Assessment;

namespace Decisioning.EndToEnd.Tests;

/// <summary>Requests of the decisioning contract with <see cref="TestApplications.Sound"/>'s figures, dated today (Beijing).</summary>
internal static class Applications
{
    public static DateOnly Today => BusinessCalendar.DateOf(DateTimeOffset.UtcNow);

    /// <summary>Approved for the SRDI e-Loan at 10M CNY, 2.90%.</summary>
    public static AssessEnterpriseRequest Sound(string enterpriseId, string requestId)
    {
        var a = TestApplications.Sound(enterpriseId, Today);
        return new AssessEnterpriseRequest
        {
            EnterpriseId = enterpriseId,
            RequestId = requestId,
            Product = Product.SrdiELoan,
            Profile = Profile(a.Profile),
            Financials = Financials(a.Financials),
            Innovation = Innovation(a.Innovation),
            Financing = new CreditBureauReport
            {
                CurrentlyOverdue = a.Financing!.CurrentlyOverdue,
                MaxOverdueDaysLast24Months = a.Financing.MaxOverdueDaysLast24Months,
                MaxOverdueDaysLast12Months = a.Financing.MaxOverdueDaysLast12Months,
                ExistingBankDebtMinor = a.Financing.ExistingBankDebtMinor,
                LendingBanks = a.Financing.LendingBanks,
            },
            Tax = new TaxRecord { TaxPaidLast12MonthsMinor = a.Tax!.TaxPaidLast12MonthsMinor, TaxedRevenueLast12MonthsMinor = a.Tax.TaxedRevenueLast12MonthsMinor },
            FundFlow = FundFlow(a.FundFlow!),
        };
    }

    /// <summary>The same application without the providers' parts, which the service is to fetch.</summary>
    public static AssessEnterpriseRequest Fetching(string enterpriseId, string requestId)
    {
        var request = Sound(enterpriseId, requestId);
        request.Financing = null;
        request.Tax = null;
        request.FundFlow = null;
        request.FetchExternalData = true;
        return request;
    }

    public static RenewLineRequest Renewal(string enterpriseId, string requestId)
    {
        var a = Sound(enterpriseId, requestId);
        return new RenewLineRequest
        {
            EnterpriseId = enterpriseId,
            RequestId = requestId,
            Profile = a.Profile,
            Financials = a.Financials,
            Innovation = a.Innovation,
            Financing = a.Financing,
            Tax = a.Tax,
            FundFlow = a.FundFlow,
        };
    }

    private static EnterpriseProfile Profile(D.EnterpriseProfile p) => new()
    {
        FoundedOn = p.FoundedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        SrdiLevel = (SrdiLevel)p.SrdiLevel,
        Employees = p.Employees,
        IndustryCode = p.IndustryCode,
        StrategicEmergingIndustry = p.StrategicEmergingIndustry,
    };

    private static Financials Financials(D.Financials f) => new()
    {
        RevenueThisYearMinor = f.RevenueThisYearMinor,
        RevenueLastYearMinor = f.RevenueLastYearMinor,
        NetProfitMinor = f.NetProfitMinor,
        TotalAssetsMinor = f.TotalAssetsMinor,
        TotalLiabilitiesMinor = f.TotalLiabilitiesMinor,
        DeclaredAnnualRevenueMinor = f.DeclaredAnnualRevenueMinor,
    };

    private static Innovation Innovation(D.InnovationProfile i) => new()
    {
        InventionPatents = i.InventionPatents,
        OtherPatents = i.OtherPatents,
        RdSpendMinor = i.RdSpendMinor,
        RdStaff = i.RdStaff,
        TotalStaff = i.TotalStaff,
    };

    private static FundFlowStatement FundFlow(D.FundFlowStatement statement)
    {
        var message = new FundFlowStatement();
        foreach (var m in statement.Months)
        {
            var month = new MonthlyFundFlow { Month = m.Month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), InflowMinor = m.InflowMinor, OutflowMinor = m.OutflowMinor };
            month.Counterparties.AddRange(m.Counterparties.Select(c => new CounterpartyInflow { Name = c.Name, InflowMinor = c.InflowMinor }));
            message.Months.Add(month);
        }

        return message;
    }
}
