using System.Globalization;
using Decisioning.Grains.Events;
using Decisioning.Grains.Hosting;
using Decisioning.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Decisioning.Grains.Tests;

/// <summary>The start-up check against real redis-server processes configured as the service must refuse them, or accept them.</summary>
public sealed class RedisSafetyCheckTests
{
    [Fact]
    public async Task A_Redis_that_acknowledges_without_fsync_during_an_AOF_rewrite_is_refused()
    {
        await using var redis = await RedisServer.StartAsync(true, "--no-appendfsync-on-rewrite", "yes");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => VerifyAsync(redis));

        Assert.Contains("no-appendfsync-on-rewrite is 'yes', not 'no'", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_replica_is_refused_even_as_a_development_instance()
    {
        // A replica of a primary that is gone: it answers, and takes no writes.
        await using var replica = await RedisServer.StartAsync(true, "--replicaof", "127.0.0.1", RedisServer.FreePort().ToString(CultureInfo.InvariantCulture));

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => VerifyAsync(replica, allowUnsafe: true));

        Assert.Contains("read-only replica (role must be master)", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fewer_replicas_than_MinReplicasAcked_is_a_warning_at_start_not_a_refusal()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();

        await VerifyAsync(redis, minReplicasAcked: 1);
        var findings = await RedisSafetyCheck.InspectAsync(connection, minReplicasAcked: 1);

        Assert.Equal(["0 connected, 1 required"], findings.ReplicaShortfall);
        Assert.Empty(findings.Unusable.Concat(findings.NotDurable));
    }

    [Fact]
    public async Task A_durable_Redis_7_primary_with_the_replicas_required_passes()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartReplicaOfAsync(primary);
        await primary.WaitForReplicasAsync(1);
        await using var connection = await primary.ConnectAsync();

        await VerifyAsync(primary, minReplicasAcked: 1);
        var findings = await RedisSafetyCheck.InspectAsync(connection, minReplicasAcked: 1);

        Assert.Empty(findings.Unusable.Concat(findings.NotDurable).Concat(findings.ReplicaShortfall));
    }

    private static async Task VerifyAsync(RedisServer redis, bool allowUnsafe = false, int minReplicasAcked = 0)
    {
        await using var connection = await redis.ConnectAsync();
        var options = new RedisOptions { Configuration = redis.Configuration, AllowUnsafeDevInstance = allowUnsafe, MinReplicasAcked = minReplicasAcked };
        await new RedisSafetyCheck(connection, Options.Create(options), Options.Create(new EventOptions()), NullLogger<RedisSafetyCheck>.Instance).VerifyAsync(CancellationToken.None);
    }
}
