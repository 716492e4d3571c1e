using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Driving;
using Decisioning.LoadTest.Hosting;
using Decisioning.LoadTest.Keys;
using Decisioning.LoadTest.Ledger;
using Decisioning.LoadTest.Metrics;
using Decisioning.LoadTest.Reporting;
using Decisioning.LoadTest.Workloads;
using Grpc.Core;
using Grpc.Health.V1;
using Spectre.Console;

namespace Decisioning.LoadTest;

/// <summary>
/// One run, start to end: check the target, open the lines, warm up, measure, drain, check the
/// ledger, write result.json and report.html, print the summary, and choose the exit code.
/// </summary>
internal sealed class LoadTestRun(LoadTestSettings settings, TextWriter output, TextWriter error, bool interactive)
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    // Set-up and read-back are not measured: they get a deadline of their own, so that a tight
    // --deadline (which makes outcomes unknown on purpose) cannot fail them.
    private static readonly TimeSpan UnmeasuredDeadline = TimeSpan.FromSeconds(30);

    private readonly MetricsHub _metrics = new();
    private readonly HashSet<int> _gone = [];

    public async Task<int> RunAsync(CancellationToken interrupt)
    {
        var startedAt = DateTimeOffset.Now;
        try
        {
            return await RunCheckedAsync(startedAt, interrupt);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync("decisioning-load: " + ex.Message);
            return ExitCodes.InvalidArguments;
        }
        catch (Exception ex) when (interrupt.IsCancellationRequested && _metrics.Phase <= RunPhase.Setup && ex is OperationCanceledException or SetupException or RpcException)
        {
            await error.WriteLineAsync("decisioning-load: interrupted before the load started");
            return ExitCodes.Interrupted;
        }
        catch (SetupException ex)
        {
            await error.WriteLineAsync("decisioning-load: setup failed: " + ex.Message);
            return ExitCodes.SetupFailed;
        }
    }

    private async Task<int> RunCheckedAsync(DateTimeOffset startedAt, CancellationToken interrupt)
    {
        await Target.EnsureAllowedAsync(settings.Target, settings.AllowRemote, interrupt);
        if (settings.ServerPid is { } pid)
        {
            if (!await Target.IsLoopbackAsync(settings.Target, interrupt))
            {
                throw new UsageException("--server-pid measures a process on this machine; the target is not on it");
            }

            ProcessCpu.Read(pid);
        }

        if (settings.RedisPid is { } redisPid)
        {
            ProcessCpu.Read(redisPid);
        }

        var outputDirectory = Path.GetFullPath(settings.OutputDirectory);
        try
        {
            Directory.CreateDirectory(outputDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SetupException($"cannot create {outputDirectory}: {ex.Message}", ex);
        }

        var workloads = settings.Mix.Kinds.Select(Workloads.Workloads.For).ToList();
        var needsLines = workloads.Any(w => w.NeedsLines);
        // A hot run touches only the first enterprise: opening the others would only slow the set-up.
        var lines = !workloads.Any(w => w.NeedsEnterprises) ? 0 : settings.Distribution.Kind == KeyDistributionKind.Hot ? 1 : settings.Enterprises;
        var keys = new KeySpace(settings.Seed, lines);
        var ledger = new LedgerBook(keys.Count);
        using var connections = new Connections(settings.Target, settings.Connections, settings.Insecure, settings.Token);

        _metrics.Enter(RunPhase.Setup);
        await EnsureServingAsync(connections, interrupt);
        var setupClock = Stopwatch.StartNew();
        if (needsLines)
        {
            Progress($"opening {keys.Count:N0} lines (run tag {keys.Tag}) …");
            using var approver = new Connections(settings.Target, 1, settings.Insecure, settings.ApproverToken);
            await LineSetup.RunAsync(connections, settings.ApproverToken is null ? null : approver.Admin[0], keys, ledger, workloads.Any(w => w.NeedsOpeningBalance), settings.History, UnmeasuredDeadline, interrupt);
            Progress($"opened {keys.Count:N0} lines in {setupClock.Elapsed.TotalSeconds:0.0} s");
        }

        if (workloads.Any(w => w.NeedsConsents))
        {
            Progress($"recording {keys.Count:N0} consents …");
            await ConsentSetup.RunAsync(connections, keys, UnmeasuredDeadline, interrupt);
        }

        var setupSeconds = setupClock.Elapsed.TotalSeconds;
        var context = new RunContext(connections.Lines, connections.Decisioning, connections.Health, keys, ledger, _metrics, settings.Amounts, settings.Deadline);
        var plan = new LoadPlan(context, settings.Mix, settings.Distribution.CreateSampler(Math.Max(1, keys.Count)), settings.MaxRequests);
        var window = await MeasureAsync(plan, interrupt);

        LedgerReport ledgerReport;
        if (!settings.LedgerCheckEnabled)
        {
            ledgerReport = LedgerReport.Skipped(settings.Mutates ? "turned off with --ledger-check false" : "the scenario changes no line");
        }
        else
        {
            _metrics.Enter(RunPhase.LedgerCheck);
            Progress($"checking the ledger of {keys.Count:N0} lines …");
            ledgerReport = await LedgerChecker.CheckAsync(connections, keys, ledger, UnmeasuredDeadline, CancellationToken.None);
        }

        _metrics.Enter(RunPhase.Done);
        var result = BuildResult(startedAt, setupSeconds, keys, window, ledgerReport, interrupt.IsCancellationRequested);
        var jsonPath = Path.Combine(outputDirectory, "result.json");
        var htmlPath = Path.Combine(outputDirectory, "report.html");
        await File.WriteAllTextAsync(jsonPath, ResultJsonContext.Serialize(result), CancellationToken.None);
        await File.WriteAllTextAsync(htmlPath, HtmlReport.Render(result), CancellationToken.None);

        if (settings.Quiet)
        {
            await output.WriteLineAsync(ConsoleReport.SummaryLine(result, jsonPath));
        }
        else
        {
            await output.WriteAsync(ConsoleReport.Render(result, jsonPath, htmlPath));
        }

        await output.FlushAsync(CancellationToken.None);
        return result.ExitCode;
    }

    private async Task EnsureServingAsync(Connections connections, CancellationToken interrupt)
    {
        try
        {
            var reply = await connections.Health[0].CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: interrupt);
            if (reply.Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                throw new SetupException($"{settings.Target} answers but is {reply.Status}, not SERVING");
            }
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !interrupt.IsCancellationRequested)
        {
            throw new SetupException($"{settings.Target} does not answer grpc.health.v1.Health/Check: {ex.StatusCode} {ex.Status.Detail}", ex);
        }
    }

    /// <summary>Warm-up, the measured window, the drain. Live progress on a terminal meanwhile.</summary>
    private async Task<Window> MeasureAsync(LoadPlan plan, CancellationToken interrupt)
    {
        using var stopLoad = new CancellationTokenSource();
        using var stopTicker = new CancellationTokenSource();
        var load = Task.Run(() => MeasureCoreAsync(plan, stopLoad, interrupt), CancellationToken.None);
        var ticker = TickAsync(stopTicker.Token);
        if (interactive && !settings.Quiet)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Yes });
            await LiveProgress.RunAsync(console, _metrics, settings.Warmup, settings.Duration, load);
        }

        var window = await load;
        await stopTicker.CancelAsync();
        await ticker;
        _metrics.Tick();
        return window;
    }

    private async Task<Window> MeasureCoreAsync(LoadPlan plan, CancellationTokenSource stopLoad, CancellationToken interrupt)
    {
        // Arrivals started before the window opens are the warm-up's, never measured.
        _metrics.Enter(RunPhase.Warmup);
        Task driver = settings.Mode == LoadMode.Open
            ? new OpenLoopDriver(plan, settings.Rate!.Value, settings.Senders, settings.Connections, settings.MaxInFlight, settings.Seed).RunAsync(stopLoad.Token)
            : new ClosedLoopDriver(plan, settings.Concurrency, settings.Connections, settings.Seed).RunAsync(stopLoad.Token);

        if (settings.Warmup > TimeSpan.Zero)
        {
            await Wait(settings.Warmup, interrupt);
        }

        var serverCpuBefore = ProcessCpuOf(settings.ServerPid);
        var redisCpuBefore = ProcessCpuOf(settings.RedisPid);
        var clientCpuBefore = ClientCpu();
        var measured = false;
        if (!interrupt.IsCancellationRequested)
        {
            _metrics.Enter(RunPhase.Measuring);
            measured = true;
            using var either = CancellationTokenSource.CreateLinkedTokenSource(interrupt, plan.BudgetSpent.Token);
            await Wait(settings.Duration, either.Token);
        }

        var serverCpuAfter = ProcessCpuOf(settings.ServerPid);
        var redisCpuAfter = ProcessCpuOf(settings.RedisPid);
        var clientCpuAfter = ClientCpu();
        _metrics.Enter(RunPhase.Draining);
        await stopLoad.CancelAsync();
        await driver;
        return new Window(
            measured ? _metrics.Window.TotalSeconds : 0,
            serverCpuAfter - serverCpuBefore,
            redisCpuAfter - redisCpuBefore,
            clientCpuAfter - clientCpuBefore);
    }

    /// <summary>Null without the process id, or when the process is gone by now (the result then says so instead of failing).</summary>
    private TimeSpan? ProcessCpuOf(int? pid)
    {
        if (pid is not { } id)
        {
            return null;
        }

        try
        {
            return ProcessCpu.Read(id);
        }
        catch (SetupException)
        {
            _gone.Add(id);
            return null;
        }
    }

    private static TimeSpan ClientCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private async Task TickAsync(CancellationToken stop)
    {
        // Ticks fall on whole seconds of the window once it opens, so each point is one second.
        var anchor = Stopwatch.GetTimestamp();
        var anchoredToWindow = false;
        var k = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!anchoredToWindow && _metrics.WindowStart != 0)
            {
                (anchor, k, anchoredToWindow) = (_metrics.WindowStart, 0, true);
            }

            var due = anchor + ((k + 1) * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Wait(wait < TickInterval ? wait : TickInterval, stop);
            }

            if (Stopwatch.GetTimestamp() >= due)
            {
                _metrics.Tick();
                k++;
            }
        }
    }

    private static async Task Wait(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token);
        }
        catch (OperationCanceledException)
        {
            // Ending early is the point of the token.
        }
    }

    private void Progress(string message)
    {
        if (!settings.Quiet)
        {
            output.WriteLine(message);
        }
    }

    private RunResult BuildResult(DateTimeOffset startedAt, double setupSeconds, KeySpace keys, Window window, LedgerReport ledger, bool interrupted)
    {
        var seconds = window.Seconds;
        var operations = Operations.All
            .Select(op => ResultBuilder.Operation(Operations.Name(op), _metrics.Stats(op).Total, ResultBuilder.Counts(_metrics.Stats(op)), seconds))
            .ToList();
        var totals = new long[Histograms.StatusCodes];
        foreach (var op in Operations.All)
        {
            var byStatus = _metrics.Stats(op).ErrorsByStatus;
            for (var i = 0; i < byStatus.Length; i++)
            {
                totals[i] += byStatus[i];
            }
        }

        var overallCounts = new OperationCounts(
            operations.Sum(o => o.Requests),
            operations.Sum(o => o.Ok),
            operations.Sum(o => o.Declined),
            operations.Sum(o => o.Errors),
            operations.Sum(o => o.UnknownOutcome),
            operations.Sum(o => o.Skipped),
            ResultBuilder.StatusMap(totals),
            new SortedDictionary<string, long>(StringComparer.Ordinal));
        var overall = ResultBuilder.Operation("all", _metrics.Overall, overallCounts, seconds);
        var slos = ResultBuilder.Evaluate(settings.Slos, overall, operations, _metrics.Overall, name => _metrics.Stats(Operations.All[Array.IndexOf(Operations.Names, name)]).Total);
        var slosMet = slos.TrueForAll(s => s.Met);

        var (outcome, exitCode) = !ledger.Ok ? ("ledger_mismatch", ExitCodes.LedgerMismatch)
            : interrupted ? ("interrupted", ExitCodes.Interrupted)
            : !slosMet ? ("slo_missed", ExitCodes.SloMissed)
            : ("passed", ExitCodes.Success);

        OpenLoopResult? open = settings.Mode == LoadMode.Open
            ? new OpenLoopResult(
                settings.Rate!.Value,
                _metrics.MeasuredArrivals,
                seconds > 0 ? Math.Round(_metrics.MeasuredArrivals / seconds, 1) : 0,
                ResultBuilder.Latency(_metrics.SendLagTotal))
            : null;

        return new RunResult
        {
            ToolVersion = typeof(LoadTestRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev",
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.Now,
            Parameters = new RunParameters(
                settings.Target.ToString().TrimEnd('/'),
                settings.Scenario,
                settings.Mix.ToString(),
                settings.Mode == LoadMode.Open ? "open" : "closed",
                settings.Mode == LoadMode.Closed ? settings.Concurrency : null,
                settings.Rate,
                settings.Mode == LoadMode.Open ? settings.Senders : null,
                settings.Connections,
                keys.Count,
                settings.History,
                settings.Distribution.ToString(),
                settings.Amounts.ToString(),
                settings.Duration.TotalSeconds,
                settings.Warmup.TotalSeconds,
                settings.MaxRequests,
                settings.Deadline.TotalSeconds,
                settings.Seed.ToString(CultureInfo.InvariantCulture),
                keys.Tag,
                [.. settings.Slos.Select(s => s.Expression)]),
            Outcome = outcome,
            ExitCode = exitCode,
            SetupSeconds = Math.Round(setupSeconds, 3),
            MeasuredSeconds = Math.Round(seconds, 3),
            Overall = overall,
            Operations = operations,
            ErrorsByStatus = overall.ErrorsByStatus,
            Timeline = _metrics.Timeline,
            OpenLoop = open,
            Slos = slos,
            SlosMet = slosMet,
            Ledger = ledger,
            ServerCpu = window.ServerCpu is { } server ? Cpu(settings.ServerPid, server, overall.Requests) : null,
            RedisCpu = window.RedisCpu is { } redis ? Cpu(settings.RedisPid, redis, overall.Requests) : null,
            ClientCpu = Cpu(null, window.ClientCpu, overall.Requests),
            Warnings = [.. Warnings(overall, operations, open), .. _gone.Select(pid => $"process {pid} was gone before the window closed: no {(pid == settings.ServerPid ? "server" : "Redis")} CPU")],
        };
    }

    private static CpuResult Cpu(int? pid, TimeSpan cpu, long calls) =>
        new(pid, Math.Round(cpu.TotalSeconds, 3), calls, calls > 0 ? Math.Round(cpu.TotalMicroseconds / calls, 2) : 0);

    private static List<string> Warnings(OperationResult overall, List<OperationResult> operations, OpenLoopResult? open)
    {
        var warnings = new List<string>();
        if (overall.Requests == 0)
        {
            warnings.Add("no request completed in the measured window");
        }

        if (open is not null && open.AchievedRate < open.TargetRate * 0.95)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"the open loop achieved {open.AchievedRate:N0}/s of {open.TargetRate:N0}/s: the service (or this client) did not keep up, and the latencies show the queue"));
        }

        if (open is not null && open.SendLagUs.P99 > 1000)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"arrivals left late (send lag p99 {open.SendLagUs.P99 / 1000.0:0.###} ms): the senders waited for a --max-in-flight slot or for CPU; that wait is in the latencies"));
        }

        foreach (var operation in operations.Where(o => o.Requests > 0 && o.Declined > o.Requests / 100))
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{operation.Declined:N0} of {operation.Requests:N0} {operation.Name} requests were declined ({string.Join(", ", operation.DeclinesByReason.Keys)})"));
        }

        return warnings;
    }

    private sealed record Window(double Seconds, TimeSpan? ServerCpu, TimeSpan? RedisCpu, TimeSpan ClientCpu);
}
