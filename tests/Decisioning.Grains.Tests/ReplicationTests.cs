using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Hosting;
using Decisioning.Testing;
using Orleans.Clustering.Redis;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

/// <summary>
/// Acknowledged means on two machines: a primary and a replica (and sentinels), each a real
/// redis-server process, with Decisioning:Redis:MinReplicasAcked=1.
/// </summary>
public sealed class ReplicationTests
{
    private static readonly Dictionary<string, string?> OneReplica = new()
    {
        [$"{RedisOptions.Section}:{nameof(RedisOptions.MinReplicasAcked)}"] = "1",
        [$"{RedisOptions.Section}:{nameof(RedisOptions.ReplicaAckTimeout)}"] = "00:00:00.500",
    };

    [Fact]
    public async Task A_draw_the_replica_cannot_confirm_is_unavailable_and_its_retry_is_applied_exactly_once()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartReplicaOfAsync(primary);
        await using var cluster = await LineCluster.StartAsync(primary, settings: OneReplica);
        var id = TestEnterprises.Unique();
        var line = cluster.Line(id);
        await line.OpenApproved("open", 1_000_000, 300, 365, Product.OperatingQuickLoan, "staff");
        var confirmed = await line.Draw("d-1", 1_000, "test");

        // A hung replica: the primary takes the script, no replica confirms it.
        await replica.PauseAsync();
        var unconfirmed = await line.Draw("d-2", 2_000, "test");
        await replica.ResumeAsync();
        var retry = await Eventually.SucceedsAsync(() => line.Draw("d-2", 2_000, "test").AsTask(), r => r.Error is null);

        Assert.True(confirmed.Value!.Approved);
        Assert.Equal(ErrorKind.Unavailable, unconfirmed.Error?.Kind);
        Assert.True(retry.Value!.Approved);
        Assert.Equal(3_000, (await line.GetLine()).Value!.DrawnMinor);
        var journal = (await line.ListTransactions(50, 0)).Value!.Entries;
        Assert.Single(journal, e => e.RequestId == "d-2");
        // Confirmed means the replica holds it: the same journal is there.
        await using var onReplica = await replica.ConnectAsync();
        Assert.Equal(journal.Length, await onReplica.GetDatabase().StreamLengthAsync($"dc:{{{id}}}:journal"));
    }

    [Fact]
    public async Task Through_sentinels_lines_and_Orleans_membership_follow_a_failover_and_no_acknowledged_draw_is_lost()
    {
        await using var redis = await SentinelRedis.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis.Configuration, settings: OneReplica);
        // Orleans' Redis membership parses the same configuration string and connects as we do.
        var (membership, _) = await RedisClusteringOptions.DefaultCreateMultiplexer(new() { ConfigurationOptions = ConfigurationOptions.Parse(redis.Configuration) });
        await using var _ = membership;
        await membership.GetDatabase().HashSetAsync("membership-probe", "before", "1");
        var lines = Enumerable.Range(0, 5).Select(_ => cluster.Line(TestEnterprises.Unique())).ToArray();
        foreach (var line in lines)
        {
            await line.OpenApproved("open", 1_000_000, 300, 365, Product.OperatingQuickLoan, "staff");
        }

        var acknowledged = new long[lines.Length];
        for (var i = 0; i < 10; i++)
        {
            for (var l = 0; l < lines.Length; l++)
            {
                acknowledged[l] += (await lines[l].Draw($"d-{i}", 1_000, "test")).Value?.Approved == true ? 1_000 : 0;
            }
        }

        var old = await redis.PrimaryAsync();
        await old.KillAsync();
        var promoted = await redis.WaitForFailoverAsync(old, TimeSpan.FromSeconds(30));
        // Back, the old primary is made a replica of the new one: the second copy MinReplicasAcked asks for.
        await old.StartAgainAsync();
        await promoted.WaitForReplicasAsync(1);
        var after = new List<Result<OperationResult>>();
        foreach (var line in lines)
        {
            after.Add(await Eventually.SucceedsAsync(() => line.Draw("after-failover", 500, "test").AsTask(), r => r.Error is null, seconds: 60));
        }

        await Eventually.SucceedsAsync(() => membership.GetDatabase().HashSetAsync("membership-probe", "after", "1"), _ => true);

        Assert.All(acknowledged, a => Assert.Equal(10_000, a));
        Assert.All(after, r => Assert.True(r.Value!.Approved));
        for (var l = 0; l < lines.Length; l++)
        {
            Assert.Equal(acknowledged[l] + 500, (await lines[l].GetLine()).Value!.DrawnMinor);
            var journal = (await lines[l].ListTransactions(50, 0)).Value!.Entries;
            Assert.All(Enumerable.Range(0, 10).Select(i => $"d-{i}").Append("after-failover"), r => Assert.Single(journal, e => e.RequestId == r));
            Assert.Equal(Enumerable.Range(1, journal.Length).Select(s => (long)s).Reverse(), journal.Select(e => e.Sequence));
        }

        await using var onPrimary = await promoted.ConnectAsync();
        Assert.Equal(["1", "1"], (await onPrimary.GetDatabase().HashValuesAsync("membership-probe")).Select(v => (string)v!));
    }
}
