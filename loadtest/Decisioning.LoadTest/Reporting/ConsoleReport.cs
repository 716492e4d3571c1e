using System.Globalization;
using System.Text;

namespace Decisioning.LoadTest.Reporting;

/// <summary>The end-of-run summary for people, and one key=value line for scripts.</summary>
internal static class ConsoleReport
{
    public static string Render(RunResult result, string? jsonPath, string? htmlPath)
    {
        var p = result.Parameters;
        var text = new StringBuilder();
        var load = p.Mode == "open" ? $"open loop at {p.TargetRate:N0}/s" : $"closed loop, {p.Concurrency} in flight";
        text.AppendLine(CultureInfo.InvariantCulture, $"decisioning-load · {p.Scenario} ({p.Mix}) · {load} · {p.Connections} connections · {p.Enterprises:N0} enterprises ({p.Distribution})");
        text.AppendLine(CultureInfo.InvariantCulture, $"measured {result.MeasuredSeconds:0.0} s after {p.WarmupSeconds:0.#} s warm-up · {result.Overall.Requests:N0} requests · {result.Overall.RatePerSecond:N1} req/s · {result.Overall.Errors:N0} errors ({result.Overall.ErrorRate * 100:0.###}%)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"operation",-14}{"requests",12}{"rate/s",12}{"declined",10}{"errors",9}{"p50",10}{"p90",10}{"p99",10}{"p99.9",10}{"max",10}  (ms)");
        foreach (var operation in result.Operations.Where(o => o.Requests > 0 || o.Skipped > 0).Append(result.Overall))
        {
            var l = operation.LatencyUs;
            text.AppendLine(CultureInfo.InvariantCulture, $"{operation.Name,-14}{operation.Requests,12:N0}{operation.RatePerSecond,12:N1}{operation.Declined,10:N0}{operation.Errors,9:N0}{Ms(l.P50),10}{Ms(l.P90),10}{Ms(l.P99),10}{Ms(l.P999),10}{Ms(l.Max),10}");
        }

        text.AppendLine();
        text.AppendLine(result.ErrorsByStatus.Count == 0
            ? "errors by status: none"
            : "errors by status: " + string.Join(", ", result.ErrorsByStatus.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value:N0}"))));
        var skipped = result.Operations.Sum(o => o.Skipped);
        if (skipped > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"repayments skipped (nothing known to be owed on the line): {skipped:N0}");
        }

        if (result.OpenLoop is { } open)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"open loop: target {open.TargetRate:N0} arrivals/s, achieved {open.AchievedRate:N1}/s; send lag p50 {Ms(open.SendLagUs.P50)} p99 {Ms(open.SendLagUs.P99)} max {Ms(open.SendLagUs.Max)} ms");
        }

        if (result.ServerCpu is { } server)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"server CPU: {server.CpuMicrosecondsPerCall:0.0} µs per call (pid {server.Pid}, {server.CpuSeconds:0.00} s)");
        }

        if (result.RedisCpu is { } redis)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Redis CPU: {redis.CpuMicrosecondsPerCall:0.0} µs per call (pid {redis.Pid}, {redis.CpuSeconds:0.00} s)");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"client CPU: {result.ClientCpu.CpuMicrosecondsPerCall:0.0} µs per call");
        var ledger = result.Ledger;
        text.AppendLine(ledger.Checked
            ? string.Create(CultureInfo.InvariantCulture, $"ledger: {ledger.Lines:N0} lines read back, {ledger.AcknowledgedOperations:N0} acknowledged operations, {ledger.UnknownOperations:N0} unknown ({ledger.ResolvedApplied:N0} applied, {ledger.ResolvedNotApplied:N0} not), {ledger.Lost:N0} lost, {ledger.DoubleApplied:N0} double-applied, {ledger.Unexpected:N0} unexpected, {ledger.BalanceMismatches:N0} balance mismatches, {ledger.Unverified:N0} unverified: {(ledger.Ok ? "OK" : "MISMATCH")}")
            : $"ledger: not checked ({ledger.SkippedReason})");
        foreach (var problem in ledger.Problems.Take(10))
        {
            text.AppendLine("  " + problem);
        }

        foreach (var slo in result.Slos)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"SLO {slo.Expression}: {(slo.Met ? "met" : "MISSED")} ({slo.ActualText})");
        }

        foreach (var warning in result.Warnings)
        {
            text.AppendLine("warning: " + warning);
        }

        if (htmlPath is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"report: {htmlPath}");
        }

        text.AppendLine(SummaryLine(result, jsonPath));
        return text.ToString();
    }

    /// <summary>
    /// One line, always the last, for scripts: <c>result key=value ...</c> with no spaces in values,
    /// latencies in microseconds, so that a benchmark script can build its table with awk.
    /// </summary>
    public static string SummaryLine(RunResult result, string? jsonPath)
    {
        var p = result.Parameters;
        var o = result.Overall;
        var fields = new List<(string, string)>
        {
            ("scenario", p.Scenario),
            ("mix", p.Mix),
            ("mode", p.Mode),
            ("concurrency", p.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "-"),
            ("target_rate", p.TargetRate?.ToString("0.#", CultureInfo.InvariantCulture) ?? "-"),
            ("enterprises", p.Enterprises.ToString(CultureInfo.InvariantCulture)),
            ("history", p.History.ToString(CultureInfo.InvariantCulture)),
            ("distribution", p.Distribution),
            ("seconds", result.MeasuredSeconds.ToString("0.###", CultureInfo.InvariantCulture)),
            ("requests", o.Requests.ToString(CultureInfo.InvariantCulture)),
            ("rate", o.RatePerSecond.ToString("0.#", CultureInfo.InvariantCulture)),
            ("errors", o.Errors.ToString(CultureInfo.InvariantCulture)),
            ("p50_us", o.LatencyUs.P50.ToString(CultureInfo.InvariantCulture)),
            ("p90_us", o.LatencyUs.P90.ToString(CultureInfo.InvariantCulture)),
            ("p99_us", o.LatencyUs.P99.ToString(CultureInfo.InvariantCulture)),
            ("p999_us", o.LatencyUs.P999.ToString(CultureInfo.InvariantCulture)),
            ("max_us", o.LatencyUs.Max.ToString(CultureInfo.InvariantCulture)),
            ("server_cpu_us_per_call", result.ServerCpu?.CpuMicrosecondsPerCall.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"),
            ("redis_cpu_us_per_call", result.RedisCpu?.CpuMicrosecondsPerCall.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"),
            ("client_cpu_us_per_call", result.ClientCpu.CpuMicrosecondsPerCall.ToString("0.0", CultureInfo.InvariantCulture)),
            ("slo", result.Slos.Count == 0 ? "none" : result.SlosMet ? "met" : "missed"),
            ("ledger", !result.Ledger.Checked ? "skipped" : result.Ledger.Ok ? "ok" : "mismatch"),
            ("lost", result.Ledger.Lost.ToString(CultureInfo.InvariantCulture)),
            ("double_applied", result.Ledger.DoubleApplied.ToString(CultureInfo.InvariantCulture)),
            ("exit", result.ExitCode.ToString(CultureInfo.InvariantCulture)),
            ("json", jsonPath ?? "-"),
        };
        return "result " + string.Join(' ', fields.Select(f => f.Item1 + "=" + f.Item2.Replace(' ', '_')));
    }

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
}
