using System.Diagnostics;
using System.Globalization;
using System.Text;
using Decisioning.Contracts.V1;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// ./run.sh as a person runs it in a terminal: its own session (a terminal's foreground process
/// group), SIGINT at its default, and Ctrl-C as SIGINT to the whole group. Alone, after the other
/// tests: run.sh builds the service first, which on a loaded machine takes long.
/// </summary>
[Collection(Name)]
public sealed class RunScriptTests
{
    public const string Name = "run.sh";

    [Fact]
    public async Task Ctrl_C_under_run_sh_stops_the_service_before_Redis_and_prints_no_error()
    {
        var root = RepositoryRoot();
        var (grpcPort, redisPort, metricsPort, dashboardPort) = (RedisServer.FreePort(), RedisServer.FreePort(), RedisServer.FreePort(), RedisServer.FreePort());
        var start = new ProcessStartInfo("setsid")
        {
            // A shell started in the background ignores SIGINT, and so would run.sh: a terminal's does not.
            ArgumentList = { "env", "--default-signal=INT", "bash", "./run.sh" },
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in new Dictionary<string, string>(TestTokens.Shared.ServiceSettings)
        {
            ["DECISIONING_GRPC_PORT"] = Text(grpcPort),
            ["DECISIONING_REDIS_PORT"] = Text(redisPort),
            ["DECISIONING_METRICS_PORT"] = Text(metricsPort),
            ["DECISIONING_DASHBOARD_PORT"] = Text(dashboardPort),
            ["Decisioning__Cluster__SiloPort"] = Text(RedisServer.FreePort()),
            ["Decisioning__Cluster__GatewayPort"] = Text(RedisServer.FreePort()),
        })
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var script = Process.Start(start)!;
        script.OutputDataReceived += (_, e) => Append(output, e.Data);
        script.ErrorDataReceived += (_, e) => Append(output, e.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        try
        {
            await WaitForAsync(output, "Application started", script);
            using var channel = BearerChannels.For($"http://127.0.0.1:{grpcPort}", TestTokens.Shared.Staff);
            using var approver = BearerChannels.For($"http://127.0.0.1:{grpcPort}", TestTokens.Shared.Approver);
            var id = TestEnterprises.Unique();
            var proposed = await new LineAdminService.LineAdminServiceClient(channel).OpenLineAsync(new OpenLineRequest { EnterpriseId = id, RequestId = "open", LimitMinor = 1_000_000, AnnualRateBps = 300, TermDays = 30, Product = Product.OperatingQuickLoan });
            await new LineAdminService.LineAdminServiceClient(approver).ApproveProposalAsync(new ApproveProposalRequest { EnterpriseId = id, RequestId = "approve", ProposalId = proposed.Proposal.ProposalId });
            Assert.True((await new CreditLineService.CreditLineServiceClient(channel).DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw", AmountMinor = 1_000 })).Approved);
            var drawsOk = new[] { ("http_route", "/decisioning.v1.CreditLineService/Draw"), ("rpc_grpc_status_code", "0") };
            var metrics = await ObservabilityTests.ScrapeOnceAsync(metricsPort, m => ObservabilityTests.Sum(m, "http_server_request_duration_seconds_count", drawsOk) > 0);
            Assert.Equal(1, ObservabilityTests.Sum(metrics, "http_server_request_duration_seconds_count", drawsOk));
            Assert.Equal(200, (await ServiceProcess.GetAsync(dashboardPort, "/")).Status);

            // Ctrl-C: the terminal signals its foreground process group, whose leader is the script.
            using (var interrupt = Process.Start("kill", ["-INT", "--", "-" + Text(script.Id)]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await script.WaitForExitAsync(stopping.Token);
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }

            ShutDownRedis(redisPort);
            if (Directory.Exists(Path.Combine(root, ".data", $"redis-{redisPort}")))
            {
                Directory.Delete(Path.Combine(root, ".data", $"redis-{redisPort}"), recursive: true);
            }
        }

        var lines = Lines(output);
        Assert.Contains("stopped", lines);
        var stop = lines.FindIndex(l => l.Contains("Application is shutting down", StringComparison.Ordinal));
        Assert.True(stop >= 0, string.Join('\n', lines));
        Assert.DoesNotContain(lines, l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
        Assert.DoesNotContain(lines[stop..], l => l.Contains(" warn: ", StringComparison.Ordinal));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static List<string> Lines(StringBuilder output)
    {
        lock (output)
        {
            return [.. output.ToString().Split('\n', StringSplitOptions.TrimEntries)];
        }
    }

    /// <summary>Waits until the script has written <paramref name="text"/> (its build included); fails after 240 s or when it exits.</summary>
    private static async Task WaitForAsync(StringBuilder output, string text, Process script)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(240); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (Lines(output).Exists(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            Assert.False(script.HasExited, string.Join('\n', Lines(output)));
        }

        Assert.Fail($"./run.sh never wrote '{text}':\n{string.Join('\n', Lines(output))}");
    }

    /// <summary>A Redis the script left behind (when the test failed before the script stopped it).</summary>
    private static void ShutDownRedis(int port)
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli") { ArgumentList = { "-p", Text(port), "shutdown", "nosave" }, RedirectStandardOutput = true, RedirectStandardError = true });
        cli?.WaitForExit(10_000);
    }

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "run.sh")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("cannot find run.sh above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(RunScriptTests.Name, DisableParallelization = true)]
public sealed class RunScriptCollection;
