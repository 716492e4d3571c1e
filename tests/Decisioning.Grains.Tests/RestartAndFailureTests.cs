using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>Each test owns its Redis and its silos: they restart and kill them.</summary>
public sealed class RestartAndFailureTests
{
    [Fact]
    public async Task State_journal_and_request_ids_survive_a_full_host_restart()
    {
        await using var redis = await RedisServer.StartAsync();
        var id = TestEnterprises.Unique();
        Result<OperationResult> draw;
        await using (var first = await LineCluster.StartAsync(redis))
        {
            var line = first.Line(id);
            await line.OpenApproved("open", 1_000_000, 300, 365, Product.OperatingQuickLoan, "staff");
            draw = await line.Draw("d-1", 250_000, "test");
            await line.PlaceHold("h-1", 100_000, 3600, "test");
        }

        await using var second = await LineCluster.StartAsync(redis);
        var again = second.Line(id);
        var state = (await again.GetLine()).Value!;
        var retry = await again.Draw("d-1", 250_000, "test");

        Assert.Equal((250_000L, 100_000L, 650_000L), (state.DrawnMinor, state.HeldMinor, state.AvailableMinor));
        LineCommands.AssertSameAnswer(draw, retry);
        Assert.Equal(4, (await again.ListTransactions(50, 0)).Value!.Entries.Length);
    }

    [Fact]
    public async Task State_survives_a_Redis_crash_because_every_acknowledged_change_was_fsynced()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var id = TestEnterprises.Unique();
        var line = cluster.Line(id);
        await line.OpenApproved("open", 1_000_000, 300, 365, Product.OperatingQuickLoan, "staff");
        var acknowledged = 0L;
        for (var i = 0; i < 50; i++)
        {
            acknowledged += (await line.Draw($"d-{i}", 1_000, "test")).Value?.Approved == true ? 1_000 : 0;
        }

        await redis.KillAsync();
        await redis.StartAgainAsync();
        await cluster.Cluster.DeactivateAsync(line);

        var state = (await Eventually.SucceedsAsync(() => cluster.Line(id).GetLine().AsTask(), r => r.Error is null)).Value!;
        Assert.Equal(acknowledged, state.DrawnMinor);
    }

    [Fact]
    public async Task Redis_down_gives_unavailable_acknowledges_nothing_and_the_line_recovers_when_Redis_returns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var line = cluster.Line(TestEnterprises.Unique());
        await line.OpenApproved("open", 1_000_000, 300, 365, Product.OperatingQuickLoan, "staff");
        await line.Draw("d-1", 1_000, "test");

        await redis.KillAsync();
        var whileDown = await line.Draw("d-2", 2_000, "test");
        var readWhileDown = await line.GetLine();
        await redis.StartAgainAsync();
        var afterRecovery = (await Eventually.SucceedsAsync(() => line.Draw("d-3", 4_000, "test").AsTask(), r => r.Error is null)).Value!;

        Assert.Equal(ErrorKind.Unavailable, whileDown.Error?.Kind);
        Assert.Equal(ErrorKind.Unavailable, readWhileDown.Error?.Kind);
        Assert.True(afterRecovery.Approved);
        Assert.Equal(5_000, afterRecovery.Line!.DrawnMinor);
        Assert.DoesNotContain((await line.ListTransactions(50, 0)).Value!.Entries, e => e.RequestId == "d-2");
    }
}
