using System.Globalization;
using Decisioning.Testing;
using Grpc.Health.V1;
using StackExchange.Redis;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Readiness means the service can acknowledge a change: NOT_SERVING while Redis does not answer,
/// is a replica, or has fewer replicas than Decisioning:Redis:MinReplicasAcked, and (as an Orleans
/// client) while no silo answers. Liveness stays SERVING throughout: the process is not the problem.
/// </summary>
public sealed class HealthTests
{
    private const string Ready = "decisioning.ready";
    private const string Live = "decisioning.live";

    [Fact]
    public async Task A_frozen_Redis_makes_the_service_not_ready_but_alive_and_ready_again_when_it_answers()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = await ServiceProcess.StartAsync(redis.Configuration);

        await ProcessSignals.PauseAsync(redis.Pid);
        try
        {
            await host.WaitForHealthAsync(ServingStatus.NotServing);
            var ready = await host.HealthAsync(Ready);
            var live = await host.HealthAsync(Live);
            var (readyz, why) = await host.ProbeAsync("/readyz");
            var (healthz, _) = await host.ProbeAsync("/healthz");

            Assert.Equal((ServingStatus.NotServing, ServingStatus.Serving), (ready, live));
            Assert.Equal((503, 200), (readyz, healthz));
            Assert.Contains("redis: Redis does not answer", why, StringComparison.Ordinal);
        }
        finally
        {
            await ProcessSignals.ResumeAsync(redis.Pid);
        }

        await host.WaitForHealthAsync(ServingStatus.Serving);
        Assert.Equal(200, (await host.ProbeAsync("/readyz")).Status);
    }

    [Fact]
    public async Task A_Redis_made_a_replica_makes_the_service_not_ready_until_it_is_a_primary_again()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var other = await RedisServer.StartAsync(durable: false);
        await using var host = await ServiceProcess.StartAsync(redis.Configuration);
        using var admin = await redis.ConnectAsync();
        var server = admin.GetServer(redis.Configuration);

        await server.ExecuteAsync("REPLICAOF", "127.0.0.1", other.Port.ToString(CultureInfo.InvariantCulture));
        await host.WaitForHealthAsync(ServingStatus.NotServing);
        var (_, why) = await host.ProbeAsync("/readyz");
        await server.ExecuteAsync("REPLICAOF", "NO", "ONE");
        await host.WaitForHealthAsync(ServingStatus.Serving);

        Assert.Contains("not a primary", why, StringComparison.Ordinal);
        Assert.Equal(ServingStatus.Serving, await host.HealthAsync(Live));
    }

    [Fact]
    public async Task Fewer_connected_replicas_than_MinReplicasAcked_make_the_service_not_ready()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync();
        using var replicaAdmin = await replica.ConnectAsync();
        var replicaServer = replicaAdmin.GetServer(replica.Configuration);
        await AttachAsync(replicaServer, redis);
        await using var host = await ServiceProcess.StartAsync(redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Redis__MinReplicasAcked"] = "1",
        });

        await replicaServer.ExecuteAsync("REPLICAOF", "NO", "ONE");
        await host.WaitForHealthAsync(ServingStatus.NotServing);
        var (_, why) = await host.ProbeAsync("/readyz");
        await AttachAsync(replicaServer, redis);
        await host.WaitForHealthAsync(ServingStatus.Serving);

        Assert.Contains("0 connected replicas, fewer than Decisioning:Redis:MinReplicasAcked (1)", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_whose_silo_is_gone_is_not_ready_but_alive()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var silo = await SiloProcess.StartAsync(redis.Configuration);
        await using var host = await ServiceProcess.StartAsync(redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Grpc__Silo"] = "External",
            ["Decisioning__Cluster__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
        });

        await silo.KillAsync();
        await host.WaitForHealthAsync(ServingStatus.NotServing);
        var (_, why) = await host.ProbeAsync("/readyz");

        Assert.Contains("silo: no silo answers", why, StringComparison.Ordinal);
        Assert.Equal(ServingStatus.Serving, await host.HealthAsync(Live));
    }

    /// <summary>Makes <paramref name="replica"/> a replica of <paramref name="primary"/> and waits until the primary counts it as connected.</summary>
    private static async Task AttachAsync(IServer replica, RedisServer primary)
    {
        await replica.ExecuteAsync("REPLICAOF", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture));
        using var admin = await primary.ConnectAsync();
        var server = admin.GetServer(primary.Configuration);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (await server.RoleAsync() is Role.Master { Replicas.Count: > 0 })
            {
                return;
            }
        }

        throw new TimeoutException($"the replica on port {replica.EndPoint} never connected to the primary");
    }
}
