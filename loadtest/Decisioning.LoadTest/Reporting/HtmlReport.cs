using System.Globalization;
using System.Text;
using static Decisioning.LoadTest.Reporting.SvgChart;

namespace Decisioning.LoadTest.Reporting;

/// <summary>One self-contained HTML file: inline CSS and SVG, nothing fetched, so it opens offline and can be attached to a ticket.</summary>
internal static class HtmlReport
{
    // The percentile chart's x axis: log10(1 / (1 - p)), the HdrHistogram plot, so the tail gets the room.
    private static readonly (double Value, string Label)[] PercentileTicks =
        [(0, "0%"), (1, "90%"), (2, "99%"), (3, "99.9%"), (4, "99.99%"), (5, "99.999%")];

    public static string Render(RunResult result)
    {
        var p = result.Parameters;
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            """);
        html.Append(CultureInfo.InvariantCulture, $"<title>decisioning-load · {Escape(p.Scenario)} · {result.StartedAt:yyyy-MM-dd HH:mm:ss}</title>");
        html.Append("""
            <style>
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:980px;color:#222;padding:0 12px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .muted{color:#666}.verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:600;color:#fff}
            .ok{background:#2e7d32}.bad{background:#c62828}.warn{background:#ef6c00}
            table{border-collapse:collapse;margin:6px 0;font-variant-numeric:tabular-nums}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}
            th:first-child,td:first-child{text-align:left}th{background:#f6f6f6}
            .met{color:#2e7d32;font-weight:600}.missed{color:#c62828;font-weight:600}
            .chart{width:100%;height:auto;margin:8px 0}.chart .grid{stroke:#eee}.chart .axis{stroke:#888}
            .chart .tick,.chart .legend{font-size:11px;fill:#555}.chart .label{font-size:12px;fill:#333}.chart .chart-title{font-size:13px;font-weight:600;fill:#222}
            .chart .chart-empty{fill:#999}dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:6px 0}dt{color:#666}dd{margin:0}
            ul.problems{font-family:ui-monospace,monospace;font-size:12px}
            </style></head><body>
            """);

        var verdictClass = result.ExitCode == 0 ? "ok" : result.Outcome == "interrupted" ? "warn" : "bad";
        html.Append(CultureInfo.InvariantCulture, $"""<h1>decisioning-load: {Escape(p.Scenario)} <span class="verdict {verdictClass}">{Escape(result.Outcome.Replace('_', ' '))}</span></h1>""");
        html.Append(CultureInfo.InvariantCulture, $"""<div class="muted">{Escape(p.Target)} · {result.StartedAt:yyyy-MM-dd HH:mm:ss zzz} · {result.MeasuredSeconds:0.0} s measured after {p.WarmupSeconds:0.#} s warm-up · exit code {result.ExitCode}</div>""");

        html.Append("<h2>Summary</h2><dl>");
        Definition(html, "Throughput", $"{result.Overall.RatePerSecond:N1} requests/s ({result.Overall.Requests:N0} requests)");
        Definition(html, "Latency", $"p50 {Ms(result.Overall.LatencyUs.P50)} · p90 {Ms(result.Overall.LatencyUs.P90)} · p99 {Ms(result.Overall.LatencyUs.P99)} · p99.9 {Ms(result.Overall.LatencyUs.P999)} · max {Ms(result.Overall.LatencyUs.Max)}");
        Definition(html, "Errors", $"{result.Overall.Errors:N0} ({result.Overall.ErrorRate * 100:0.###}%)");
        Definition(html, "Load", p.Mode == "open"
            ? $"open loop at {p.TargetRate:N0} arrivals/s ({p.Senders} senders), latency from the intended send time"
            : $"closed loop, {p.Concurrency} in flight");
        Definition(html, "Workload", $"{p.Scenario} ({p.Mix}) over {p.Enterprises:N0} enterprises, {p.Distribution}, amounts {p.Amounts} fen");
        Definition(html, "Connections", $"{p.Connections} HTTP/2");
        if (result.ServerCpu is { } server)
        {
            Definition(html, "Server CPU", $"{server.CpuMicrosecondsPerCall:0.0} µs per call (pid {server.Pid}, {server.CpuSeconds:0.00} s over {server.Calls:N0} calls)");
        }

        if (result.RedisCpu is { } redis)
        {
            Definition(html, "Redis CPU", $"{redis.CpuMicrosecondsPerCall:0.0} µs per call (pid {redis.Pid}, {redis.CpuSeconds:0.00} s over {redis.Calls:N0} calls)");
        }

        Definition(html, "Client CPU", $"{result.ClientCpu.CpuMicrosecondsPerCall:0.0} µs per call");
        if (result.OpenLoop is { } open)
        {
            Definition(html, "Send lag", $"p50 {Ms(open.SendLagUs.P50)} · p99 {Ms(open.SendLagUs.P99)} · max {Ms(open.SendLagUs.Max)} (the client's own lateness against the schedule)");
        }

        Definition(html, "Seed", $"{p.Seed} (run tag {p.RunTag})");
        html.Append("</dl>");
        foreach (var warning in result.Warnings)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="missed">{Escape(warning)}</p>""");
        }

        html.Append("<h2>Service-level objectives</h2>");
        if (result.Slos.Count == 0)
        {
            html.Append("""<p class="muted">None given (--slo).</p>""");
        }
        else
        {
            html.Append("<table><tr><th>objective</th><th>actual</th><th>verdict</th></tr>");
            foreach (var slo in result.Slos)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<tr><td>{Escape(slo.Expression)}</td><td>{Escape(slo.ActualText)}</td><td class="{(slo.Met ? "met" : "missed")}">{(slo.Met ? "met" : "missed")}</td></tr>""");
            }

            html.Append("</table>");
        }

        html.Append("<h2>Latency over time</h2>");
        // The drain's last fraction of a second has too few calls to say anything per second; it is in the totals and the JSON.
        var timeline = result.Timeline.Where(t => t.IntervalSeconds >= 0.25).ToList();
        html.Append(Line(
            "latency-over-time",
            "Latency per second (all operations)",
            "seconds into the measured window",
            "milliseconds",
            [
                new Series("p50", Palette[0], [.. timeline.Where(t => t.Requests > 0).Select(t => (t.Second, t.P50Us / 1000.0))]),
                new Series("p99", Palette[1], [.. timeline.Where(t => t.Requests > 0).Select(t => (t.Second, t.P99Us / 1000.0))]),
            ],
            y => y.ToString("0.###", CultureInfo.InvariantCulture),
            xStart: 0));
        html.Append(Line(
            "throughput-over-time",
            "Throughput per second",
            "seconds into the measured window",
            "requests per second",
            [
                new Series("rate", Palette[2], [.. timeline.Select(t => (t.Second, t.Requests / Math.Max(t.IntervalSeconds, 1e-6)))]),
                new Series("errors", Palette[1], [.. timeline.Select(t => (t.Second, t.Errors / Math.Max(t.IntervalSeconds, 1e-6)))], Dashed: true),
            ],
            y => y.ToString("N0", CultureInfo.InvariantCulture),
            xStart: 0));

        html.Append("<h2>Latency distribution</h2>");
        var distribution = new List<Series> { new("all", "#222", Curve(result.Overall), Width: 2.5) };
        var colour = 0;
        foreach (var operation in result.Operations.Where(o => o.Requests > 0))
        {
            distribution.Add(new Series(operation.Name, Palette[colour++ % Palette.Length], Curve(operation)));
        }

        html.Append(Line("percentile-distribution", "Latency by percentile", "percentile", "milliseconds", distribution, y => y.ToString("0.###", CultureInfo.InvariantCulture), PercentileTicks));

        html.Append("<h2>Operations</h2><table><tr><th>operation</th><th>requests</th><th>rate/s</th><th>declined</th><th>errors</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>mean ms</th></tr>");
        foreach (var operation in result.Operations.Where(o => o.Requests > 0 || o.Skipped > 0).Append(result.Overall))
        {
            var l = operation.LatencyUs;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Escape(operation.Name)}</td><td>{operation.Requests:N0}</td><td>{operation.RatePerSecond:N1}</td><td>{operation.Declined:N0}</td><td>{operation.Errors:N0}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{Number(l.P50)}</td><td>{Number(l.P90)}</td><td>{Number(l.P99)}</td><td>{Number(l.P999)}</td><td>{Number(l.Max)}</td><td>{Number((long)l.Mean)}</td></tr>");
        }

        html.Append("</table>");

        html.Append("<h2>Errors by status</h2>");
        if (result.ErrorsByStatus.Count == 0)
        {
            html.Append("<p>None.</p>");
        }
        else
        {
            html.Append("<table><tr><th>status</th><th>count</th></tr>");
            foreach (var (status, count) in result.ErrorsByStatus)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Escape(status)}</td><td>{count:N0}</td></tr>");
            }

            html.Append("</table>");
        }

        AppendLedger(html, result);
        html.Append(CultureInfo.InvariantCulture, $"""<p class="muted">decisioning-load {Escape(result.ToolVersion)} · the numbers are in result.json beside this file.</p></body></html>""");
        return html.ToString();
    }

    private static void AppendLedger(StringBuilder html, RunResult result)
    {
        var ledger = result.Ledger;
        html.Append("<h2 id=\"ledger\">Ledger check</h2>");
        if (!ledger.Checked)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="muted">Not run: {Escape(ledger.SkippedReason ?? "")}.</p>""");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"""<p><span class="verdict {(ledger.Ok ? "ok" : "bad")}">{(ledger.Ok ? "consistent" : "MISMATCH")}</span> every line read back and held against what the service acknowledged.</p>""");
        html.Append("<table><tr><th>measure</th><th>count</th></tr>");
        foreach (var (name, value) in new (string, long)[]
        {
            ("lines read back", ledger.Lines),
            ("acknowledged operations", ledger.AcknowledgedOperations),
            ("operations with unknown outcome", ledger.UnknownOperations),
            ("… resolved from the journal as applied", ledger.ResolvedApplied),
            ("… resolved as not applied", ledger.ResolvedNotApplied),
            ("journals read (lines)", ledger.JournalsRead),
            ("journal entries read", ledger.JournalEntriesRead),
            ("lost", ledger.Lost),
            ("double-applied", ledger.DoubleApplied),
            ("unexpected journal entries", ledger.Unexpected),
            ("lines with a balance mismatch", ledger.BalanceMismatches),
            ("lines not verifiable", ledger.Unverified),
        })
        {
            var bad = name is "lost" or "double-applied" or "unexpected journal entries" or "lines with a balance mismatch" or "lines not verifiable" && value > 0;
            html.Append(CultureInfo.InvariantCulture, $"""<tr><td>{Escape(name)}</td><td{(bad ? " class=\"missed\"" : "")}>{value:N0}</td></tr>""");
        }

        html.Append("</table>");
        if (ledger.Problems.Count > 0)
        {
            html.Append("<ul class=\"problems\">");
            foreach (var problem in ledger.Problems)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Escape(problem)}</li>");
            }

            html.Append("</ul>");
        }
    }

    private static List<(double X, double Y)> Curve(OperationResult operation) =>
        [.. operation.Distribution.Where(d => d.Percentile < 100).Select(d => (Math.Min(5, Math.Log10(1 / (1 - (d.Percentile / 100)))), d.LatencyUs / 1000.0))];

    private static void Definition(StringBuilder html, string term, string text) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{Escape(term)}</dt><dd>{Escape(text)}</dd>");

    private static string Number(long microseconds) => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000.0:0.000}");

    private static string Ms(long microseconds) => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000.0:0.###} ms");
}
