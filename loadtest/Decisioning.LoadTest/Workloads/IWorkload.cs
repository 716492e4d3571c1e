using Decisioning.Contracts.V1;
using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Keys;
using Decisioning.LoadTest.Ledger;
using Decisioning.LoadTest.Metrics;
using Grpc.Health.V1;

namespace Decisioning.LoadTest.Workloads;

/// <summary>
/// One kind of arrival. Implementations must not throw for an RPC failure (they record it) and
/// must take every random choice before their first await: in open loop one sender's Random is
/// shared by the arrivals it starts, which then complete concurrently on other threads.
/// </summary>
public interface IWorkload
{
    WorkloadKind Kind { get; }

    /// <summary>Whether it changes lines (and so turns the ledger check on by default).</summary>
    bool Mutates { get; }

    /// <summary>Whether it needs the run's lines opened before the load.</summary>
    bool NeedsLines { get; }

    /// <summary>Whether it needs the run's enterprise ids (without lines opened for them).</summary>
    bool NeedsEnterprises => NeedsLines;

    /// <summary>Whether each line needs an opening balance to work against (repayments).</summary>
    bool NeedsOpeningBalance { get; }

    /// <summary>Whether the run's enterprises need a consent recorded first (the service fetches external data only under one).</summary>
    bool NeedsConsents => false;

    Task RunAsync(RunContext context, Arrival arrival);
}

/// <summary>Where and when an arrival runs. Start is the intended send time in open loop, the actual one in closed loop.</summary>
public readonly record struct Arrival(int Connection, int Enterprise, long Start, bool Measured, Random Random);

/// <summary>What workloads share: the clients (one per connection), the key space, the ledger and the metrics.</summary>
public sealed class RunContext
{
    internal RunContext(
        CreditLineService.CreditLineServiceClient[] lines,
        DecisioningService.DecisioningServiceClient[] decisioning,
        Health.HealthClient[] health,
        KeySpace keys,
        LedgerBook ledger,
        MetricsHub metrics,
        AmountRange amounts,
        TimeSpan deadline)
    {
        Lines = lines;
        Decisioning = decisioning;
        Health = health;
        Keys = keys;
        Ledger = ledger;
        Metrics = metrics;
        Amounts = amounts;
        Deadline = deadline;
    }

    public CreditLineService.CreditLineServiceClient[] Lines { get; }

    public DecisioningService.DecisioningServiceClient[] Decisioning { get; }

    public Health.HealthClient[] Health { get; }

    public KeySpace Keys { get; }

    public LedgerBook Ledger { get; }

    internal MetricsHub Metrics { get; }

    public AmountRange Amounts { get; }

    public TimeSpan Deadline { get; }

    /// <summary>Holds outlive any run (at most an hour and its warm-up), so none expires before it is captured or checked.</summary>
    public const int HoldTtlSeconds = 3 * 3600;

    public DateTime NewDeadline() => DateTime.UtcNow + Deadline;
}

public static class Workloads
{
    public static IWorkload For(WorkloadKind kind) => kind switch
    {
        WorkloadKind.Noop => new NoopWorkload(),
        WorkloadKind.Check => new CheckWorkload(),
        WorkloadKind.Draw => new DrawWorkload(),
        WorkloadKind.Repay => new RepayWorkload(),
        WorkloadKind.Hold => new HoldWorkload(),
        WorkloadKind.Assess => new AssessWorkload(),
        _ => throw new NotSupportedException(WorkloadNames.Unavailable(kind) ?? $"no workload for {kind}"),
    };
}
