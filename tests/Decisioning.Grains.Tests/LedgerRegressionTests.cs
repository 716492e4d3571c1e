using System.Diagnostics.Metrics;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Lines;
using Decisioning.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

/// <summary>
/// Storage found behind what the line acknowledged (issue 8's exact fence): storage is rewound as a
/// failover to a replica that missed the last writes would leave it, the journal's first entries put
/// back, the rest gone.
/// </summary>
public sealed class LedgerRegressionTests(SharedFaultyCluster shared) : IClassFixture<SharedFaultyCluster>
{
    private LineCluster Cluster => shared.Line;

    [Fact]
    public async Task A_line_whose_storage_fell_behind_its_acknowledged_draws_stops_serving_and_writes_nothing()
    {
        using var regressions = Regressions();
        await using var connection = await shared.Redis.ConnectAsync();
        var (id, line) = await OpenedAsync();
        for (var i = 1; i <= 6; i++)
        {
            Assert.True((await line.Draw($"d-{i}", 1_000, LineCluster.Caller)).Value!.Approved);
        }

        var lost = await RewindAsync(connection, id, 5);

        var draw = await line.Draw("d-7", 1_000, LineCluster.Caller);
        var later = new[] { await line.Draw("d-8", 1_000, LineCluster.Caller), await line.Draw("d-7", 1_000, LineCluster.Caller) };
        var read = await line.GetLine();
        var check = await line.CheckLimit(1);
        var journal = await line.ListTransactions(10, 0);

        Assert.Equal(("LEDGER_REGRESSION", ErrorKind.Unavailable), (draw.Error?.Reason, draw.Error?.Kind));
        Assert.All(later, r => Assert.Equal("LEDGER_REGRESSION", r.Error?.Reason));
        Assert.Equal(("LEDGER_REGRESSION", "LEDGER_REGRESSION", "LEDGER_REGRESSION"), (read.Error?.Reason, check.Error?.Reason, journal.Error?.Reason));
        Assert.Equal(["1-0", "2-0", "3-0", "4-0", "5-0"], (await connection.GetDatabase().StreamRangeAsync(JournalKey(id))).Select(e => e.Id.ToString()));
        Assert.False(await connection.GetDatabase().KeyExistsAsync($"dc:{{{id}}}:rq:{RequestKeys.Of("d-7", LineCluster.Caller)}"));
        Assert.Equal(1, regressions.GetMeasurementSnapshot().EvaluateAsCounter());

        // Storage that catches up (the lost entries put back) serves again, as acknowledged.
        foreach (var entry in lost)
        {
            await connection.GetDatabase().StreamAddAsync(JournalKey(id), entry.Values, entry.Id);
        }

        Assert.Equal((6_000L, 8L), ((await line.GetLine()).Value!.DrawnMinor, (await line.GetLine()).Value!.Sequence));
    }

    [Fact]
    public async Task A_line_loaded_again_after_a_failed_write_refuses_storage_that_lost_what_it_acknowledged()
    {
        using var regressions = Regressions();
        await using var connection = await shared.Redis.ConnectAsync();
        var (id, line) = await OpenedAsync();
        await line.Draw("d-1", 1_000, LineCluster.Caller);
        var gate = shared.Store.HoldNextCommit(id);
        var failed = line.Draw("d-2", 1_000, LineCluster.Caller).AsTask();
        await gate.Entered;
        gate.Fail();
        Assert.Equal("STORAGE_UNAVAILABLE", (await failed).Error?.Reason);

        // The failover happens while no pipeline holds the line: the load is what finds it.
        await RewindAsync(connection, id, 2);

        Assert.Equal("LEDGER_REGRESSION", (await line.GetLine()).Error?.Reason);
        Assert.Equal("LEDGER_REGRESSION", (await line.Draw("d-2", 1_000, LineCluster.Caller)).Error?.Reason);
        Assert.Equal(2, (await connection.GetDatabase().StreamLengthAsync(JournalKey(id))));
        Assert.Equal(1, regressions.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    private static string JournalKey(string id) => $"dc:{{{id}}}:journal";

    /// <summary>A new line, open (journal: its proposal and its opening).</summary>
    private async Task<(string Id, ICreditLineGrain Line)> OpenedAsync()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 100_000, 300, 30, Product.OperatingQuickLoan, "staff");
        return (id, line);
    }

    /// <summary>Keeps the journal's first <paramref name="kept"/> entries, as a lagging replica promoted would hold it; returns the others.</summary>
    private static async Task<StreamEntry[]> RewindAsync(ConnectionMultiplexer connection, string id, int kept)
    {
        var db = connection.GetDatabase();
        var entries = await db.StreamRangeAsync(JournalKey(id));
        await db.KeyDeleteAsync(JournalKey(id));
        foreach (var entry in entries[..kept])
        {
            await db.StreamAddAsync(JournalKey(id), entry.Values, entry.Id);
        }

        return entries[kept..];
    }

    private MetricCollector<long> Regressions() =>
        new(Cluster.SiloService<IMeterFactory>(), LedgerRegressions.MeterName, LedgerRegressions.CounterName);
}
