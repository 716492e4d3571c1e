using System.Text.Json;
using System.Text.Json.Serialization;
using Decisioning.LoadTest.Ledger;
using Decisioning.LoadTest.Metrics;

namespace Decisioning.LoadTest.Reporting;

/// <summary>
/// Everything a run found, as result.json holds it (snake_case). The HTML report and the console
/// summary are rendered from this alone, so they can never disagree with the file a script reads.
/// Latencies are whole microseconds.
/// </summary>
public sealed record RunResult
{
    public const string SchemaName = "decisioning-load/1";

    public string Schema { get; init; } = SchemaName;

    public required string ToolVersion { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required RunParameters Parameters { get; init; }

    /// <summary>passed, slo_missed, ledger_mismatch or interrupted.</summary>
    public required string Outcome { get; init; }

    public required int ExitCode { get; init; }

    public required double SetupSeconds { get; init; }

    public required double MeasuredSeconds { get; init; }

    public required OperationResult Overall { get; init; }

    public required IReadOnlyList<OperationResult> Operations { get; init; }

    public required IReadOnlyDictionary<string, long> ErrorsByStatus { get; init; }

    public required IReadOnlyList<TimelinePoint> Timeline { get; init; }

    public OpenLoopResult? OpenLoop { get; init; }

    public required IReadOnlyList<SloResult> Slos { get; init; }

    public required bool SlosMet { get; init; }

    public required LedgerReport Ledger { get; init; }

    public CpuResult? ServerCpu { get; init; }

    public CpuResult? RedisCpu { get; init; }

    public required CpuResult ClientCpu { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];
}

public sealed record RunParameters(
    string Target,
    string Scenario,
    string Mix,
    string Mode,
    int? Concurrency,
    double? TargetRate,
    int? Senders,
    int Connections,
    int Enterprises,
    int History,
    string Distribution,
    string Amounts,
    double DurationSeconds,
    double WarmupSeconds,
    long? MaxRequests,
    double DeadlineSeconds,
    string Seed,
    string RunTag,
    IReadOnlyList<string> Slos);

public sealed record OperationResult(
    string Name,
    long Requests,
    long Ok,
    long Declined,
    long Errors,
    long UnknownOutcome,
    long Skipped,
    double RatePerSecond,
    double ErrorRate,
    LatencyResult LatencyUs,
    IReadOnlyDictionary<string, long> ErrorsByStatus,
    IReadOnlyDictionary<string, long> DeclinesByReason,
    IReadOnlyList<PercentilePoint> Distribution);

public sealed record LatencyResult(long P50, long P90, long P99, long P999, long Max, double Mean);

public sealed record PercentilePoint(double Percentile, long LatencyUs);

/// <summary>Rates here count arrivals (picks of the mix), not RPCs: a hold arrival makes two calls.</summary>
public sealed record OpenLoopResult(double TargetRate, long Arrivals, double AchievedRate, LatencyResult SendLagUs);

public sealed record SloResult(string Expression, bool Met, double? Actual, string ActualText, string? Note);

public sealed record CpuResult(int? Pid, double CpuSeconds, long Calls, double CpuMicrosecondsPerCall);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunResult))]
internal sealed partial class ResultJsonContext : JsonSerializerContext
{
    public static string Serialize(RunResult result) => JsonSerializer.Serialize(result, Default.RunResult);
}
