using System.Text.Json;
using CsCheck;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Simulations;
using Decisioning.Testing;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class SimulationTests
{
    [Fact]
    public void The_same_enterprise_always_gets_the_same_data() =>
        Gen.Long[0, long.MaxValue / 2].Sample(
            n =>
            {
                var id = TestEnterprises.Id(n % 1_000_000_000);
                return JsonSerializer.Serialize(SimulatedEnterprise.Application(id, AsOf), Json) == JsonSerializer.Serialize(SimulatedEnterprise.Application(id, AsOf), Json);
            },
            iter: 200);

    [Fact]
    public async Task The_simulated_providers_serve_the_simulated_enterprise()
    {
        var id = TestEnterprises.Id(42);
        var application = SimulatedEnterprise.Application(id, AsOf);
        var bureau = await new SimulatedCreditBureau().GetReportAsync(id, AsOf, CancellationToken.None);
        var tax = await new SimulatedTaxBureau().GetRecordAsync(id, AsOf, CancellationToken.None);
        var flow = await new SimulatedFundFlowPlatform().GetStatementAsync(id, AsOf, CancellationToken.None);

        Assert.Equal(application.Financing, bureau.Value);
        Assert.Equal(application.Tax, tax.Value);
        Assert.Equal(JsonSerializer.Serialize(application.FundFlow, Json), JsonSerializer.Serialize(flow.Value, Json));
    }

    [Fact]
    public void A_month_of_fund_flow_is_the_same_whatever_the_date_it_is_asked_on()
    {
        var id = TestEnterprises.Id(7);
        var march = SimulatedEnterprise.FundFlow(id, new DateOnly(2026, 3, 31)).Months;
        var april = SimulatedEnterprise.FundFlow(id, new DateOnly(2026, 4, 2)).Months;
        Assert.Equal(JsonSerializer.Serialize(march.Skip(1), Json), JsonSerializer.Serialize(april.Take(11), Json));
    }

    [Fact]
    public async Task A_simulated_outage_fails_only_the_listed_provider_for_the_listed_enterprise()
    {
        var id = TestEnterprises.Id(3);
        var outages = new SimulatedOutages([(ExternalProvider.TaxBureau, id)]);
        var failed = await new SimulatedTaxBureau(outages).GetRecordAsync(id, AsOf, CancellationToken.None);
        var other = await new SimulatedTaxBureau(outages).GetRecordAsync(TestEnterprises.Id(4), AsOf, CancellationToken.None);
        var bureau = await new SimulatedCreditBureau(outages).GetReportAsync(id, AsOf, CancellationToken.None);

        Assert.False(failed.Succeeded);
        Assert.Equal(new ProviderFailure(ExternalProvider.TaxBureau, ProviderFailureKind.Timeout, "simulated outage"), failed.Failure);
        Assert.True(other.Succeeded);
        Assert.True(bureau.Succeeded);

        var decision = Assess(SimulatedEnterprise.Application(id, AsOf).WithExternalData(bureau, failed, ProviderResult<FundFlowStatement>.Ok(SimulatedEnterprise.FundFlow(id, AsOf))));
        Assert.NotEqual(Outcome.Approve, decision.Outcome);
        Assert.Contains("EXTERNAL_DATA_UNAVAILABLE_TAX_BUREAU", decision.ReasonCodes);
    }

    [Fact]
    public void A_spread_of_ids_gives_a_spread_of_decisions()
    {
        var decisions = Enumerable.Range(0, 400).Select(n => Assess(SimulatedEnterprise.Application(TestEnterprises.Id(n), AsOf))).ToList();
        var codes = decisions.SelectMany(d => d.ReasonCodes).ToHashSet();

        foreach (var outcome in new[] { Outcome.Approve, Outcome.Decline, Outcome.Refer })
        {
            Assert.InRange(decisions.Count(d => d.Outcome == outcome), 20, 300);
        }

        Assert.Contains(decisions, d => d.Outcome == Outcome.Approve && d.Product == Product.SrdiELoan);
        Assert.Contains(decisions, d => d.Outcome == Outcome.Approve && d.Product == Product.OperatingQuickLoan);
        Assert.Contains(decisions, d => d.Outcome == Outcome.Approve && d.LimitMinor == 1_000_000_000);
        Assert.Contains(decisions, d => d.Counterfactuals.Length > 0);
        Assert.Superset(new HashSet<string> { "CURRENTLY_OVERDUE_AT_CREDIT_BUREAU", "IN_OPERATION_UNDER_ONE_YEAR", "ON_BANK_EXCLUSION_LIST", "DECLARED_REVENUE_DISAGREES_WITH_TAX" }, codes);
    }
}
