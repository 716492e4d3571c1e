using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Keys;
using Decisioning.LoadTest.Metrics;
using Decisioning.LoadTest.Workloads;

namespace Decisioning.LoadTest.Driving;

/// <summary>What every driver needs: the mix, the key sampler, the workloads, and the measured-request budget.</summary>
internal sealed class LoadPlan(RunContext context, Mix mix, IKeySampler sampler, long? maxMeasuredRequests)
{
    private readonly IWorkload[] _workloads = [.. Enum.GetValues<WorkloadKind>().Select(k => mix.Kinds.Contains(k) ? Workloads.Workloads.For(k) : null!)];
    private long _measuredStarted;

    public RunContext Context => context;

    public MetricsHub Metrics => context.Metrics;

    /// <summary>Set when --max-requests measured arrivals have started: the orchestrator ends the window.</summary>
    public CancellationTokenSource BudgetSpent { get; } = new();

    /// <summary>Claims one measured arrival from the budget; false when it is spent (send nothing).</summary>
    public bool TryClaimMeasured()
    {
        if (maxMeasuredRequests is not { } max)
        {
            return true;
        }

        if (Interlocked.Increment(ref _measuredStarted) <= max)
        {
            return true;
        }

        BudgetSpent.Cancel();
        return false;
    }

    /// <summary>
    /// Starts one arrival: the random choices are taken here, synchronously, on the caller's Random.
    /// False when the measured-request budget is spent: the caller sends nothing more.
    /// </summary>
    public bool TryStartArrival(Random random, int connection, long start, out Task arrival)
    {
        var measured = Metrics.IsMeasuring;
        if (measured)
        {
            if (!TryClaimMeasured())
            {
                arrival = Task.CompletedTask;
                return false;
            }

            Metrics.Arrived();
        }

        var workload = _workloads[(int)mix.Pick(random)];
        var enterprise = sampler.Next(random);
        arrival = workload.RunAsync(context, new Arrival(connection, enterprise, start, measured, random));
        return true;
    }
}
