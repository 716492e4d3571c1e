using System.Globalization;
using System.Text;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace Decisioning.Failover.Tests;

/// <summary>
/// The cluster under load through one crash after another — a silo, a front door, the Redis primary —
/// and a rolling restart, checked afterwards from the clients' own record. Failure windows are measured
/// and printed (test output and failover-report.txt in the test's output folder), never asserted:
/// how long a window lasts depends on the machine.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Clients = 24;
    private const int EnterprisesPerClient = 10;

    [Fact]
    public async Task Through_crashes_of_a_silo_a_front_door_and_the_Redis_primary_and_a_rolling_restart_no_acknowledged_operation_is_lost_or_applied_twice()
    {
        var settings = new Dictionary<string, string>(TestTokens.Shared.ServiceSettings)
        {
            ["DECISIONING_RATE_LIMITS"] = "off",
            // Acknowledged means held by the replica too, so that a promoted replica has every
            // acknowledged write (ignored by a service that does not know the setting).
            ["Decisioning__Redis__MinReplicasAcked"] = "1",
        };
        await using var cluster = await LocalCluster.UpAsync(settings);
        var enterprises = await OpenLinesAsync(cluster.HostAddresses[0], Clients * EnterprisesPerClient);
        var load = new LoadClients(cluster.HostAddresses);
        var timeline = new List<(TimeSpan At, string Fault)>();
        var stops = new StringBuilder();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(enterprises.Chunk(EnterprisesPerClient).ToList(), stop.Token);

        async Task Phase(string fault, Func<Task> act, int settleSeconds)
        {
            timeline.Add((load.Elapsed, fault));
            await act();
            await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
        }

        try
        {
            await Phase("no fault (warm-up)", () => Task.CompletedTask, 5);
            await Phase("kill -9 silo-2", () => cluster.KillAsync("silo-2"), 12);
            await Phase("silo-2 started again", () => cluster.StartAsync("silo-2"), 5);
            await Phase("kill -9 host-1", () => cluster.KillAsync("host-1"), 4);
            await Phase("host-1 started again", () => cluster.StartAsync("host-1"), 4);
            await Phase("kill -9 redis-primary (sentinels promote the replica)", () => cluster.KillAsync("redis-primary"), 15);
            await Phase("old primary started again (rejoins as replica)", () => cluster.StartAsync("redis-primary"), 8);
            await Phase("rolling restart of silo-1..3 (SIGTERM, start, next)", RollingRestartAsync, 3);
            timeline.Add((load.Elapsed, "load stopped"));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        async Task RollingRestartAsync()
        {
            foreach (var silo in new[] { "silo-1", "silo-2", "silo-3" })
            {
                stops.Append(await cluster.StopAsync(silo));
                await cluster.StartAsync(silo);
                // Joined and taking calls before the next one goes.
                await Task.Delay(TimeSpan.FromSeconds(3));
            }
        }

        var report = Report(load, timeline) + stops + "\n" + await cluster.StatusAsync();
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "failover-report.txt"), report);

        var problems = await CheckAsync(cluster.HostAddresses[1], load.Operations, enterprises);
        AssertNone(problems, cluster, "silo-2", "host-1");
    }

    [Fact]
    public async Task On_a_Redis_Cluster_through_the_crash_of_a_primary_node_no_acknowledged_operation_is_lost_or_applied_twice()
    {
        var settings = new Dictionary<string, string>(TestTokens.Shared.ServiceSettings)
        {
            ["DECISIONING_RATE_LIMITS"] = "off",
            ["Decisioning__Redis__MinReplicasAcked"] = "1",
        };
        await using var cluster = await LocalCluster.UpAsync(settings, redisCluster: true);
        var enterprises = await OpenLinesAsync(cluster.HostAddresses[0], 8 * EnterprisesPerClient);
        var load = new LoadClients(cluster.HostAddresses);
        var timeline = new List<(TimeSpan At, string Fault)>();
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(enterprises.Chunk(EnterprisesPerClient).ToList(), stop.Token);
        try
        {
            timeline.Add((load.Elapsed, "no fault (warm-up)"));
            await Task.Delay(TimeSpan.FromSeconds(4));
            // redis-1 is a primary: `redis-cli --cluster create` makes the first three nodes primaries.
            timeline.Add((load.Elapsed, "kill -9 redis-1 (its replica takes over its slots)"));
            await cluster.KillAsync("redis-1");
            await Task.Delay(TimeSpan.FromSeconds(10));
            timeline.Add((load.Elapsed, "redis-1 started again (rejoins as a replica)"));
            await cluster.StartAsync("redis-1");
            await Task.Delay(TimeSpan.FromSeconds(6));
            timeline.Add((load.Elapsed, "load stopped"));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        var report = Report(load, timeline) + "\n" + await cluster.StatusAsync();
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "failover-redis-cluster-report.txt"), report);

        var problems = await CheckAsync(cluster.HostAddresses[1], load.Operations, enterprises);
        AssertNone(problems, cluster, "silo-1");
        Assert.Contains(load.Operations, o => o.Sequence is not null);
    }

    /// <summary>
    /// No problems; otherwise they go to the test's output as well as its message (a CI log may
    /// quote only the output), with the stale-line warnings of every process and the named logs' tails.
    /// </summary>
    private void AssertNone(List<string> problems, LocalCluster cluster, params string[] logs)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var text = $"{problems.Count} problems:\n{string.Join('\n', problems.Take(30))}\n\nstale-line warnings:\n{cluster.StaleLineWarnings()}";
        output.WriteLine(text);
        Assert.Fail(text + string.Concat(logs.Select(name => $"\n\n{name}:\n{cluster.LogTail(name)}")));
    }

    /// <summary>What the clients' record must show, line by line.</summary>
    private static async Task<List<string>> CheckAsync(string door, IReadOnlyCollection<Operation> operations, IReadOnlyList<string> enterprises)
    {
        var problems = new List<string>();
        foreach (var op in operations.Where(o => o.Failures.Any(f => !LoadClients.IsRetryable(f.Code, f.Transport))))
        {
            var failure = op.Failures.First(f => !LoadClients.IsRetryable(f.Code, f.Transport));
            problems.Add($"{op.RequestId} ({op.Kind} {op.AmountMinor} on {op.EnterpriseId}, through {failure.Door} at {failure.At.TotalSeconds:F1} s): " +
                $"failed with {failure.Code}, which a client may not retry: {failure.Detail}");
        }

        problems.AddRange(operations.Where(o => o.Sequence is null).Select(o => $"{o.RequestId}: still unknown after its retries ({o.Failures.Count} failed attempts)"));

        using var channel = BearerChannels.For(door, TestTokens.Shared.Staff);
        var lines = new CreditLineService.CreditLineServiceClient(channel);
        var byLine = operations.ToLookup(o => o.EnterpriseId);
        await Parallel.ForEachAsync(enterprises, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
        {
            var found = CheckLine(id, await ReadLineAsync(lines, id), byLine[id].ToList());
            lock (problems)
            {
                problems.AddRange(found);
            }
        });
        return problems;
    }

    private static IEnumerable<string> CheckLine(string id, (Line Line, List<Transaction> Journal) read, List<Operation> operations)
    {
        var (line, journal) = read;
        var sequences = journal.Select(t => t.Sequence).Order().ToList();
        if (!sequences.SequenceEqual(Enumerable.Range(1, (int)line.JournalSequence).Select(i => (long)i)))
        {
            yield return $"{id}: journal sequences are not exactly 1..{line.JournalSequence}: {string.Join(',', sequences)}";
        }

        if (line.DrawnMinor + line.HeldMinor > line.LimitMinor || journal.Any(t => t.DrawnAfterMinor + t.HeldAfterMinor > t.LimitAfterMinor))
        {
            yield return $"{id}: drawn + held exceeds the limit (drawn {line.DrawnMinor}, held {line.HeldMinor}, limit {line.LimitMinor})";
        }

        var entries = journal.GroupBy(t => t.RequestId).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var op in operations.Where(o => o.Sequence is not null))
        {
            var found = entries.GetValueOrDefault(op.RequestId) ?? [];
            if (found.Count != 1 || found[0].Sequence != op.Sequence)
            {
                yield return $"{id}: {op.RequestId} ({op.Kind} {op.AmountMinor}, acknowledged as entry {op.Sequence}) is in the journal {found.Count} times, at {string.Join(',', found.Select(t => t.Sequence))}";
            }
        }

        var recorded = operations.Select(o => o.RequestId).ToHashSet();
        foreach (var stray in entries.Keys.Where(r => r.StartsWith("client-", StringComparison.Ordinal) && !recorded.Contains(r)))
        {
            yield return $"{id}: the journal holds {stray}, which no client sent";
        }

        var drawn = operations.Where(o => o is { Kind: OperationKind.Draw, Approved: true }).Sum(o => o.AmountMinor)
            - operations.Where(o => o.Kind == OperationKind.Repay && o.Sequence is not null).Sum(o => o.PrincipalPaidMinor);
        var held = operations.Where(o => o is { Kind: OperationKind.PlaceHold, Approved: true }).Sum(o => o.AmountMinor);
        if ((line.DrawnMinor, line.HeldMinor) != (drawn, held))
        {
            yield return $"{id}: the line has drawn {line.DrawnMinor}, held {line.HeldMinor}; its clients' acknowledged operations make drawn {drawn}, held {held}";
        }
    }

    private static async Task<(Line, List<Transaction>)> ReadLineAsync(CreditLineService.CreditLineServiceClient lines, string id)
    {
        var line = (await Retrying(() => lines.GetLineAsync(new GetLineRequest { EnterpriseId = id }).ResponseAsync)).Line;
        var journal = new List<Transaction>();
        var token = "";
        do
        {
            var page = await Retrying(() => lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 500, PageToken = token }).ResponseAsync);
            journal.AddRange(page.Transactions);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return (line, journal);
    }

    /// <summary>Reads after the faults, retried while the cluster settles (a read changes nothing).</summary>
    private static async Task<T> Retrying<T>(Func<Task<T>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Lines with a limit of <see cref="LoadClients.LimitMinor"/> and no interest, opened by four eyes.</summary>
    private static async Task<List<string>> OpenLinesAsync(string door, int count)
    {
        using var staff = BearerChannels.For(door, TestTokens.Shared.Staff);
        using var approver = BearerChannels.For(door, TestTokens.Shared.Approver);
        var (proposer, approval) = (new LineAdminService.LineAdminServiceClient(staff), new LineAdminService.LineAdminServiceClient(approver));
        var ids = Enumerable.Range(0, count).Select(_ => TestEnterprises.Unique()).ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
        {
            var proposed = await Retrying(() => proposer.OpenLineAsync(new OpenLineRequest
            {
                EnterpriseId = id,
                RequestId = "open",
                LimitMinor = LoadClients.LimitMinor,
                AnnualRateBps = 300,
                TermDays = 365,
                Product = Product.OperatingQuickLoan,
            }).ResponseAsync);
            await Retrying(() => approval.ApproveProposalAsync(new ApproveProposalRequest { EnterpriseId = id, RequestId = "approve", ProposalId = proposed.Proposal.ProposalId }).ResponseAsync);
        });
        return ids;
    }

    /// <summary>Counts, and per fault the window from its first to its last failed call.</summary>
    private static string Report(LoadClients load, List<(TimeSpan At, string Fault)> timeline)
    {
        var operations = load.Operations;
        var failures = operations.SelectMany(o => o.Failures).OrderBy(f => f.At).ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"operations {operations.Count}, acknowledged {operations.Count(o => o.Sequence is not null)}, " +
            $"failed calls {failures.Count} (on {operations.Count(o => o.Failures.Count > 0)} operations, each settled by a retry with its request id), " +
            $"in {load.Elapsed.TotalSeconds:F0} s");
        text.AppendLine("fault                                                   at (s)  failed calls  window (first to last failure, after the fault)  statuses");
        for (var i = 0; i < timeline.Count - 1; i++)
        {
            var (from, to) = (timeline[i].At, timeline[i + 1].At);
            var inPhase = failures.Where(f => f.At >= from && f.At < to).ToList();
            var window = inPhase.Count == 0 ? "none" : $"{(inPhase[^1].At - inPhase[0].At).TotalSeconds:F1} s (+{(inPhase[0].At - from).TotalSeconds:F1} to +{(inPhase[^1].At - from).TotalSeconds:F1} s)";
            var statuses = string.Join(", ", inPhase.GroupBy(f => f.Transport ? $"{f.Code} (transport)" : f.Code.ToString()).Select(g => $"{g.Key} {g.Count()}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"{timeline[i].Fault,-55} {from.TotalSeconds,6:F1}  {inPhase.Count,12}  {window,-30}  {statuses}");
            foreach (var detail in inPhase.GroupBy(f => $"{f.Code} {f.Detail}").OrderByDescending(g => g.Count()).Take(3))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {detail.Count(),5} × {detail.Key[..Math.Min(detail.Key.Length, 160)]}");
            }
        }

        return text.ToString();
    }
}
