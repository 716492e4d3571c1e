using System.Text.Json;
using Decisioning.Testing;
using Xunit.Abstractions;

namespace Decisioning.LoadTest.Tests;

/// <summary>
/// The tool run in process, briefly, against the real service: its exit codes, its JSON, its HTML,
/// and its ledger check. No assertion is about speed; the machine may be busy.
/// </summary>
public sealed class LoadTestRunTests(ServiceFixture fixture, ITestOutputHelper log) : IClassFixture<ServiceFixture>, IDisposable
{
    private const string Mix = "check=40,draw=30,repay=15,hold=15";

    private readonly DirectoryInfo _reports = Directory.CreateTempSubdirectory("decisioning-load-test-");

    [Fact]
    public async Task A_closed_loop_mix_reports_every_operation_and_a_clean_ledger()
    {
        var (exit, json, html) = await RunAsync("--mix", Mix, "--mode", "closed", "--concurrency", "16", "--slo", "errors<=0");

        Assert.Equal(ExitCodes.Success, exit);
        var root = json.RootElement;
        Assert.Equal("decisioning-load/1", root.GetProperty("schema").GetString());
        Assert.Equal("passed", root.GetProperty("outcome").GetString());
        Assert.Equal("closed", root.GetProperty("parameters").GetProperty("mode").GetString());
        AssertCountsAndLatencies(root);
        foreach (var name in new[] { "check", "draw", "repay", "place_hold" })
        {
            Assert.True(Operation(root, name).GetProperty("requests").GetInt64() > 0, $"no {name} requests");
        }

        Assert.True(root.GetProperty("timeline").GetArrayLength() > 0);
        AssertCleanLedger(root);
        Assert.True(root.GetProperty("slos")[0].GetProperty("met").GetBoolean());
        AssertCharts(html);
    }

    [Fact]
    public async Task An_open_loop_mix_keeps_its_schedule_and_a_clean_ledger()
    {
        var (exit, json, html) = await RunAsync("--mix", Mix, "--mode", "open", "--rate", "300", "--senders", "2");

        Assert.Equal(ExitCodes.Success, exit);
        var root = json.RootElement;
        Assert.Equal("open", root.GetProperty("parameters").GetProperty("mode").GetString());
        var open = root.GetProperty("open_loop");
        Assert.Equal(300, open.GetProperty("target_rate").GetDouble());
        Assert.True(open.GetProperty("arrivals").GetInt64() > 0);
        Assert.True(open.GetProperty("send_lag_us").GetProperty("max").GetInt64() >= 0);
        AssertCountsAndLatencies(root);
        AssertCleanLedger(root);
        AssertCharts(html);
    }

    [Fact]
    public async Task Calls_past_their_deadline_are_resolved_from_the_journal_and_the_ledger_still_balances()
    {
        // Many draws queued on one line behind a 1 ms deadline: most calls give up while their draw
        // is still pending, so the outcome is unknown to the caller; some were applied, some not.
        var (exit, json, _) = await RunAsync("--scenario", "draw", "--deadline", "1ms", "--concurrency", "32", "--enterprises", "1");

        var root = json.RootElement;
        var ledger = root.GetProperty("ledger");
        var unknown = ledger.GetProperty("unknown_operations").GetInt64();
        Assert.True(unknown > 0, "no call exceeded its deadline");
        Assert.Equal(unknown, ledger.GetProperty("resolved_applied").GetInt64() + ledger.GetProperty("resolved_not_applied").GetInt64());
        AssertCleanLedger(root);
        Assert.Equal(ExitCodes.Success, exit);
    }

    [Fact]
    public async Task An_impossible_objective_gives_the_slo_exit_code_and_says_which()
    {
        var (exit, json, _) = await RunAsync("--scenario", "check", "--slo", "p99<1us", "--slo", "errors<0.1%");

        Assert.Equal(ExitCodes.SloMissed, exit);
        var root = json.RootElement;
        Assert.Equal("slo_missed", root.GetProperty("outcome").GetString());
        var slos = root.GetProperty("slos");
        Assert.False(slos[0].GetProperty("met").GetBoolean());
        Assert.True(slos[1].GetProperty("met").GetBoolean());
        Assert.False(root.GetProperty("ledger").GetProperty("checked").GetBoolean());
    }

    [Fact]
    public async Task Max_requests_ends_the_window_after_exactly_that_many_measured_arrivals()
    {
        var (exit, json, _) = await RunAsync("--scenario", "check", "--max-requests", "300", "--concurrency", "8");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(300, json.RootElement.GetProperty("overall").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task A_hot_run_opens_only_the_line_it_loads()
    {
        var (exit, json, _) = await RunAsync("--scenario", "draw", "--distribution", "hot", "--concurrency", "8");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(1, json.RootElement.GetProperty("parameters").GetProperty("enterprises").GetInt32());
        AssertCleanLedger(json.RootElement);
    }

    [Fact]
    public async Task The_assess_scenario_assesses_its_enterprises_without_errors()
    {
        var (exit, json, _) = await RunAsync("--scenario", "assess", "--enterprises", "20", "--max-requests", "100", "--concurrency", "8", "--slo", "errors<=0", "--duration", "2m");

        Assert.Equal(ExitCodes.Success, exit);
        var root = json.RootElement;
        Assert.Equal(100, Operation(root, "assess").GetProperty("requests").GetInt64());
        Assert.False(root.GetProperty("ledger").GetProperty("checked").GetBoolean());
    }

    [Fact]
    public async Task A_history_gives_each_line_that_many_entries_before_the_run_and_the_ledger_still_balances()
    {
        var (exit, json, _) = await RunAsync("--scenario", "draw", "--distribution", "hot", "--history", "300", "--concurrency", "8");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(300, json.RootElement.GetProperty("parameters").GetProperty("history").GetInt32());
        AssertCleanLedger(json.RootElement);
    }

    [Fact]
    public async Task The_noop_baseline_needs_no_lines()
    {
        var (exit, json, _) = await RunAsync("--scenario", "noop", "--concurrency", "8");

        Assert.Equal(ExitCodes.Success, exit);
        var root = json.RootElement;
        Assert.Equal(0, root.GetProperty("parameters").GetProperty("enterprises").GetInt32());
        Assert.True(Operation(root, "noop").GetProperty("requests").GetInt64() > 0);
    }

    [Fact]
    public async Task A_remote_target_is_refused_without_allow_remote()
    {
        // TEST-NET-1 (RFC 5737): nothing is sent, the tool refuses before connecting.
        var (exit, output) = await RunRawAsync("--target", "http://192.0.2.1:5080", "--out", _reports.FullName);

        Assert.Equal(ExitCodes.InvalidArguments, exit);
        Assert.Contains("--allow-remote", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_that_does_not_answer_is_a_setup_failure()
    {
        var (exit, output) = await RunRawAsync("--target", $"http://127.0.0.1:{Testing.RedisServer.FreePort()}", "--out", _reports.FullName);

        Assert.Equal(ExitCodes.SetupFailed, exit);
        Assert.Contains("setup failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_lines_without_a_second_staff_members_token_is_a_setup_failure_that_says_so()
    {
        var (exit, output) = await RunRawAsync("--scenario", "draw", "--enterprises", "2", "--target", fixture.Target, "--token", TestTokens.Shared.Staff, "--out", _reports.FullName);

        Assert.Equal(ExitCodes.SetupFailed, exit);
        Assert.Contains("--approver-token", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approving_with_the_proposers_own_token_is_a_setup_failure_that_says_so()
    {
        var (exit, output) = await RunRawAsync("--scenario", "draw", "--enterprises", "2", "--target", fixture.Target, "--token", TestTokens.Shared.Staff, "--approver-token", TestTokens.Shared.Staff, "--out", _reports.FullName);

        Assert.Equal(ExitCodes.SetupFailed, exit);
        Assert.Contains("must be another subject than --token", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--mode", "open")]
    [InlineData("--mix", "check=1,appraise=1")]
    [InlineData("--slo", "p99<5")]
    [InlineData("--duration", "2h")]
    [InlineData("--scenario", "draw", "--mix", "check=1")]
    [InlineData("--distribution", "zipf:0")]
    [InlineData("--server-pid", "0")]
    [InlineData("--redis-pid", "0")]
    [InlineData("--redis-pid", "redis")]
    public async Task Bad_arguments_give_the_usage_exit_code(params string[] args)
    {
        var (exit, output) = await RunRawAsync([.. args, "--target", fixture.Target, "--token", TestTokens.Shared.Staff, "--approver-token", TestTokens.Shared.Approver]);

        Assert.Equal(ExitCodes.InvalidArguments, exit);
        Assert.Contains("decisioning-load:", output, StringComparison.Ordinal);
    }

    public void Dispose() => _reports.Delete(recursive: true);

    private async Task<(int Exit, JsonDocument Json, string Html)> RunAsync(params string[] args)
    {
        var outDirectory = Path.Combine(_reports.FullName, Guid.NewGuid().ToString("N"));
        var (exit, output) = await RunRawAsync(
            [.. args, "--target", fixture.Target, "--token", TestTokens.Shared.Staff, "--approver-token", TestTokens.Shared.Approver, "--warmup", "500ms", "--out", outDirectory,
                .. args.Contains("--duration") ? Array.Empty<string>() : ["--duration", "2s"],
                .. args.Contains("--enterprises") ? Array.Empty<string>() : ["--enterprises", "20"]]);
        var jsonPath = Path.Combine(outDirectory, "result.json");
        Assert.True(File.Exists(jsonPath), $"no result.json; the tool said:\n{output}\nthe service said:\n{fixture.Service.Output}");
        var lastLine = output.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("result ", lastLine, StringComparison.Ordinal);
        Assert.Contains($"exit={exit}", lastLine, StringComparison.Ordinal);
        return (exit, JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath)), await File.ReadAllTextAsync(Path.Combine(outDirectory, "report.html")));
    }

    private async Task<(int Exit, string Output)> RunRawAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await LoadTestRunner.RunAsync(args, output);
        log.WriteLine($"decisioning-load {string.Join(' ', args)}\n{output}");
        return (exit, output.ToString());
    }

    private static JsonElement Operation(JsonElement root, string name) =>
        root.GetProperty("operations").EnumerateArray().Single(o => o.GetProperty("name").GetString() == name);

    private static void AssertCountsAndLatencies(JsonElement root)
    {
        var overall = root.GetProperty("overall");
        Assert.True(overall.GetProperty("requests").GetInt64() > 0);
        Assert.True(overall.GetProperty("rate_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("measured_seconds").GetDouble() > 0);
        var latency = overall.GetProperty("latency_us");
        var percentiles = new[] { "p50", "p90", "p99", "p999", "max" }.Select(p => latency.GetProperty(p).GetInt64()).ToArray();
        Assert.True(percentiles[0] > 0);
        Assert.Equal(percentiles.Order(), percentiles);
        Assert.True(overall.GetProperty("distribution").GetArrayLength() > 10);
        Assert.Equal(JsonValueKind.Object, root.GetProperty("errors_by_status").ValueKind);
        Assert.True(root.GetProperty("client_cpu").GetProperty("cpu_seconds").GetDouble() >= 0);
    }

    private static void AssertCleanLedger(JsonElement root)
    {
        var ledger = root.GetProperty("ledger");
        Assert.True(ledger.GetProperty("checked").GetBoolean());
        Assert.True(ledger.GetProperty("lines").GetInt32() > 0);
        Assert.True(ledger.GetProperty("acknowledged_operations").GetInt64() > 0);
        Assert.Equal(0, ledger.GetProperty("lost").GetInt64());
        Assert.Equal(0, ledger.GetProperty("double_applied").GetInt64());
        Assert.Equal(0, ledger.GetProperty("unexpected").GetInt64());
        Assert.Equal(0, ledger.GetProperty("balance_mismatches").GetInt32());
        Assert.Equal(0, ledger.GetProperty("unverified").GetInt32());
        Assert.True(ledger.GetProperty("ok").GetBoolean(), string.Join('\n', ledger.GetProperty("problems").EnumerateArray()));
    }

    private static void AssertCharts(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var chart in new[] { "latency-over-time", "throughput-over-time", "percentile-distribution" })
        {
            Assert.Contains($"<svg id=\"{chart}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<polyline", html, StringComparison.Ordinal);
        Assert.Contains("Ledger check", html, StringComparison.Ordinal);
        // Self-contained: nothing to fetch when opened offline.
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
    }
}
