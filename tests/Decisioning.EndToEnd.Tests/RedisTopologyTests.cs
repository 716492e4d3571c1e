using Decisioning.Contracts.V1;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// A standalone silo and a gRPC host as its Orleans client, joined through Orleans' Redis
/// clustering, over the Redis a bank would run: through sentinels, or a sharded Redis Cluster.
/// Both parse the one configuration string: the silo's storage, its membership and the host's
/// gateway list all go through it.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class RedisTopologyTests
{
    [Fact]
    public async Task A_silo_and_its_client_joined_through_Redis_clustering_over_sentinels_serve_a_line_confirmed_on_a_replica()
    {
        await using var redis = await SentinelRedis.StartAsync();

        var line = await ServeThroughRedisClusteringAsync(redis.Configuration, new() { ["Decisioning__Redis__MinReplicasAcked"] = "1" });

        Assert.Equal(1_234, line.DrawnMinor);
    }

    [Fact]
    public async Task A_silo_and_its_client_joined_through_Redis_clustering_over_a_Redis_Cluster_serve_a_line()
    {
        await using var redis = await RedisCluster.StartAsync();

        var line = await ServeThroughRedisClusteringAsync(redis.Configuration, new() { ["Decisioning__Redis__KeyPartitions"] = "16" });

        Assert.Equal(1_234, line.DrawnMinor);
    }

    private static async Task<Line> ServeThroughRedisClusteringAsync(string redisConfiguration, Dictionary<string, string> settings)
    {
        settings["Decisioning__Cluster__Clustering"] = "Redis";
        settings["Decisioning__Cluster__ClusterId"] = "e2e-" + Guid.NewGuid().ToString("N")[..12];
        await using var silo = await SiloProcess.StartAsync(redisConfiguration, settings);
        await using var host = await ServiceProcess.StartAsync(redisConfiguration, new Dictionary<string, string>(settings) { ["Decisioning__Grpc__Silo"] = "External" });
        return await StandaloneSiloTests.DrawOnAFreshLineAsync(host);
    }
}
