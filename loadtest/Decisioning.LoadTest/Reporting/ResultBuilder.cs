using Decisioning.Contracts.V1;
using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Ledger;
using Decisioning.LoadTest.Metrics;
using HdrHistogram;

namespace Decisioning.LoadTest.Reporting;

/// <summary>Turns the measurements into a <see cref="RunResult"/>, SLO verdicts included.</summary>
internal static class ResultBuilder
{
    /// <summary>Where the percentile curve is sampled: even steps, then halving towards the tail.</summary>
    public static readonly double[] DistributionPercentiles =
        [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.975, 99.99, 99.995, 99.999, 100];

    public static OperationResult Operation(string name, HistogramBase latency, OperationCounts counts, double seconds)
    {
        var requests = counts.Requests;
        return new OperationResult(
            name,
            requests,
            counts.Ok,
            counts.Declined,
            counts.Errors,
            counts.UnknownOutcome,
            counts.Skipped,
            seconds > 0 ? requests / seconds : 0,
            requests > 0 ? (double)counts.Errors / requests : 0,
            Latency(latency),
            counts.ErrorsByStatus,
            counts.DeclinesByReason,
            latency.TotalCount == 0 ? [] : [.. DistributionPercentiles.Select(p => new PercentilePoint(p, p >= 100 ? latency.GetMaxValue() : latency.GetValueAtPercentile(p)))]);
    }

    public static LatencyResult Latency(HistogramBase h) => h.TotalCount == 0
        ? new LatencyResult(0, 0, 0, 0, 0, 0)
        : new LatencyResult(
            h.GetValueAtPercentile(50),
            h.GetValueAtPercentile(90),
            h.GetValueAtPercentile(99),
            h.GetValueAtPercentile(99.9),
            h.GetMaxValue(),
            Math.Round(h.GetMean(), 1));

    public static OperationCounts Counts(OperationStats stats) => new(
        stats.Completed,
        stats.Ok,
        stats.Declined,
        stats.Errors,
        stats.UnknownOutcome,
        stats.Skipped,
        StatusMap(stats.ErrorsByStatus),
        DeclineMap(stats.DeclinesByReason));

    public static SortedDictionary<string, long> StatusMap(long[] byStatus)
    {
        var map = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < byStatus.Length; i++)
        {
            if (byStatus[i] > 0)
            {
                map[Operations.StatusName((Grpc.Core.StatusCode)i)] = byStatus[i];
            }
        }

        return map;
    }

    private static SortedDictionary<string, long> DeclineMap(long[] byReason)
    {
        var map = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < byReason.Length; i++)
        {
            if (byReason[i] > 0)
            {
                // The contract's name without its enum prefix: TOO_MANY_OPEN_HOLDS, as the journal and the docs say it.
                var name = LineReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("DeclineReason").FindValueByNumber(i)?.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                map[name.Replace("DECLINE_REASON_", "", StringComparison.Ordinal)] = byReason[i];
            }
        }

        return map;
    }

    /// <summary>Each SLO against the overall result or its operation's; an SLO about an operation that did not run is missed.</summary>
    public static List<SloResult> Evaluate(IReadOnlyList<Slo> slos, OperationResult overall, IReadOnlyList<OperationResult> operations, HistogramBase overallLatency, Func<string, HistogramBase> latencyOf)
    {
        var results = new List<SloResult>();
        foreach (var slo in slos)
        {
            var subject = slo.Operation is null ? overall : operations.First(o => o.Name == slo.Operation);
            var latency = slo.Operation is null ? overallLatency : latencyOf(slo.Operation);
            if (subject.Requests == 0)
            {
                results.Add(new SloResult(slo.Expression, false, null, "no requests", $"no {slo.Operation ?? "request"} completed in the window"));
                continue;
            }

            double actual = slo.Metric switch
            {
                SloMetric.Latency => slo.Percentile >= 100 ? latency.GetMaxValue() : latency.GetValueAtPercentile(slo.Percentile),
                SloMetric.Mean => latency.GetMean(),
                SloMetric.ErrorRate => subject.ErrorRate,
                SloMetric.ErrorCount => subject.Errors,
                _ => subject.RatePerSecond,
            };
            results.Add(new SloResult(slo.Expression, slo.IsMet(actual), actual, slo.Describe(actual), null));
        }

        return results;
    }
}

/// <summary>The counters of one operation (or of all), frozen.</summary>
public sealed record OperationCounts(
    long Requests,
    long Ok,
    long Declined,
    long Errors,
    long UnknownOutcome,
    long Skipped,
    IReadOnlyDictionary<string, long> ErrorsByStatus,
    IReadOnlyDictionary<string, long> DeclinesByReason);
