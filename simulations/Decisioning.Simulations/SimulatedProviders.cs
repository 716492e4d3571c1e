using Decisioning.Domain.Assessment;

namespace Decisioning.Simulations;

// The bank's external systems are not reachable from here: these stand in for them, answering
// from SimulatedEnterprise, deterministically (the same enterprise and day give the same answer).

/// <summary>A SIMULATION of the credit bureau: answers from <see cref="SimulatedEnterprise"/>.</summary>
public sealed class SimulatedCreditBureau(SimulatedOutages? outages = null) : ICreditBureau
{
    public ValueTask<ProviderResult<CreditBureauReport>> GetReportAsync(string enterpriseId, DateOnly asOf, CancellationToken cancellationToken) =>
        ValueTask.FromResult(outages?.Fails(ExternalProvider.CreditBureau, enterpriseId) is { } failure
            ? ProviderResult<CreditBureauReport>.Failed(failure)
            : ProviderResult<CreditBureauReport>.Ok(SimulatedEnterprise.CreditReport(enterpriseId)));
}

/// <summary>A SIMULATION of the tax bureau: answers from <see cref="SimulatedEnterprise"/>.</summary>
public sealed class SimulatedTaxBureau(SimulatedOutages? outages = null) : ITaxBureau
{
    public ValueTask<ProviderResult<TaxRecord>> GetRecordAsync(string enterpriseId, DateOnly asOf, CancellationToken cancellationToken) =>
        ValueTask.FromResult(outages?.Fails(ExternalProvider.TaxBureau, enterpriseId) is { } failure
            ? ProviderResult<TaxRecord>.Failed(failure)
            : ProviderResult<TaxRecord>.Ok(SimulatedEnterprise.TaxRecord(enterpriseId)));
}

/// <summary>A SIMULATION of the fund-flow platform: answers from <see cref="SimulatedEnterprise"/>.</summary>
public sealed class SimulatedFundFlowPlatform(SimulatedOutages? outages = null) : IFundFlowPlatform
{
    public ValueTask<ProviderResult<FundFlowStatement>> GetStatementAsync(string enterpriseId, DateOnly asOf, CancellationToken cancellationToken) =>
        ValueTask.FromResult(outages?.Fails(ExternalProvider.FundFlowPlatform, enterpriseId) is { } failure
            ? ProviderResult<FundFlowStatement>.Failed(failure)
            : ProviderResult<FundFlowStatement>.Ok(SimulatedEnterprise.FundFlow(enterpriseId, asOf)));
}

/// <summary>
/// Deterministic outages for the simulations: the listed enterprises always get a timeout from the
/// listed provider, so that a test or a demo can show the referral on missing data on demand.
/// </summary>
public sealed class SimulatedOutages(IEnumerable<(ExternalProvider Provider, string EnterpriseId)> failing)
{
    private readonly HashSet<(ExternalProvider, string)> _failing = [.. failing];

    public ProviderFailure? Fails(ExternalProvider provider, string enterpriseId) =>
        _failing.Contains((provider, enterpriseId)) ? new ProviderFailure(provider, ProviderFailureKind.Timeout, "simulated outage") : null;
}
