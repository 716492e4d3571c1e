using Decisioning.Contracts;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

/// <summary>Requests of the decisioning contract with <see cref="TestApplications.Sound"/>'s figures, dated today (Beijing).</summary>
internal static class Applications
{
    public static DateOnly Today => BusinessCalendar.DateOf(DateTimeOffset.UtcNow);

    /// <summary>Approved for the SRDI e-Loan at 10M CNY, 2.90%; its fund flow the 12 months before <paramref name="asOf"/>'s (today's) month.</summary>
    public static AssessEnterpriseRequest Sound(string enterpriseId, string requestId, DateOnly? asOf = null)
    {
        var a = Mapping.ToApplication(TestApplications.Sound(enterpriseId, asOf ?? Today));
        return new AssessEnterpriseRequest
        {
            EnterpriseId = enterpriseId,
            RequestId = requestId,
            Product = a.Product,
            Profile = a.Profile,
            Financials = a.Financials,
            Innovation = a.Innovation,
            Financing = a.Financing,
            Tax = a.Tax,
            FundFlow = a.FundFlow,
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
}
