using System.Globalization;
using Decisioning.LoadTest.Metrics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Decisioning.LoadTest.Reporting;

/// <summary>The live terminal view while the load runs: phase, elapsed, rate, errors, p99. Only on a terminal.</summary>
internal static class LiveProgress
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(IAnsiConsole console, MetricsHub metrics, TimeSpan warmup, TimeSpan duration, Task until)
    {
        await console.Live(Render(metrics.Snapshot(), warmup, duration, done: false))
            .AutoClear(false)
            .StartAsync(async context =>
            {
                while (!until.IsCompleted)
                {
                    await Task.WhenAny(until, Task.Delay(Refresh));
                    context.UpdateTarget(Render(metrics.Snapshot(), warmup, duration, until.IsCompleted));
                    context.Refresh();
                }
            });
    }

    private static IRenderable Render(LiveSnapshot s, TimeSpan warmup, TimeSpan duration, bool done)
    {
        var phase = done ? "load finished" : s.Phase switch
        {
            RunPhase.Warmup => $"warm-up {Seconds(s.SincePhaseStart)} / {Seconds(warmup)}",
            RunPhase.Measuring => $"measuring {Seconds(s.SincePhaseStart)} / {Seconds(duration)}",
            RunPhase.Draining => "draining in-flight calls",
            _ => s.Phase.ToString().ToLowerInvariant(),
        };
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().NoWrap());
        grid.AddRow(new Markup("[bold]decisioning-load[/]"), new Markup(Markup.Escape(phase)));
        grid.AddRow("rate (last second)", Number(s.RecentRate, "N0") + " req/s");
        grid.AddRow("measured requests", Number(s.MeasuredRequests, "N0"));
        grid.AddRow("in flight", Number(s.InFlight, "N0"));
        grid.AddRow(new Text("errors"), s.Errors == 0 ? new Text("0") : new Markup($"[red]{s.Errors:N0}[/]"));
        grid.AddRow("p99 so far / last second", $"{Ms(s.P99SoFarUs)} / {Ms(s.RecentP99Us)} ms");
        return new Panel(grid).Border(BoxBorder.Rounded);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
}
