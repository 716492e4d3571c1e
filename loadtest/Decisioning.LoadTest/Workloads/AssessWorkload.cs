using Decisioning.Contracts;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.LoadTest.Metrics;
using Decisioning.Simulations;
using Grpc.Core;

namespace Decisioning.LoadTest.Workloads;

/// <summary>
/// AssessEnterprise for the run's enterprises, each applying with its SIMULATED profile,
/// financials and innovation and asking the service to fetch the credit bureau, tax and fund-flow
/// parts, under the consent the set-up records for each (<see cref="Ledger.ConsentSetup"/>): the
/// first assessment of an enterprise queries the (simulated) providers, later ones find
/// their answers in the cache, as re-assessments within the cache lifetime do. Every arrival is a
/// new request id, so every one is a full assessment recorded on the line.
/// </summary>
internal sealed class AssessWorkload : IWorkload
{
    private AssessEnterpriseRequest?[]? _templates;
    private long _next;

    public WorkloadKind Kind => WorkloadKind.Assess;

    // Assessments open lines and set limits but never draw: the ledger (drawn and held) has nothing to check.
    public bool Mutates => false;

    public bool NeedsLines => false;

    public bool NeedsEnterprises => true;

    public bool NeedsOpeningBalance => false;

    public bool NeedsConsents => true;

    public async Task RunAsync(RunContext context, Arrival arrival)
    {
        var request = Template(context, arrival.Enterprise).Clone();
        request.RequestId = context.Keys.RequestId(arrival.Enterprise, Interlocked.Increment(ref _next));
        context.Metrics.CallStarted();
        try
        {
            await context.Decisioning[arrival.Connection].AssessEnterpriseAsync(request, deadline: context.NewDeadline());
            context.Metrics.Succeeded(Operation.Assess, arrival.Start, arrival.Measured);
        }
        catch (RpcException ex)
        {
            context.Metrics.Failed(Operation.Assess, arrival.Start, arrival.Measured, ex.StatusCode);
        }
    }

    /// <summary>Built once per enterprise: the simulation is deterministic and costs the load generator time.</summary>
    private AssessEnterpriseRequest Template(RunContext context, int enterprise)
    {
        var templates = LazyInitializer.EnsureInitialized(ref _templates, () => new AssessEnterpriseRequest?[Math.Max(1, context.Keys.Count)]);
        return templates[enterprise] ??= Build(context.Keys.Id(enterprise));
    }

    internal static AssessEnterpriseRequest Build(string enterpriseId)
    {
        var a = Mapping.ToApplication(SimulatedEnterprise.Application(enterpriseId, BusinessCalendar.DateOf(DateTimeOffset.UtcNow)));
        return new AssessEnterpriseRequest { EnterpriseId = enterpriseId, FetchExternalData = true, Profile = a.Profile, Financials = a.Financials, Innovation = a.Innovation };
    }
}
