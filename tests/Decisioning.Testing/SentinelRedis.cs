using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Decisioning.Testing;

/// <summary>
/// Redis with failover, as a bank would run it: a primary, its replicas and three Sentinels
/// watching them, each a real process on a free loopback port. The service connects through the
/// sentinels (<see cref="Configuration"/>); kill the primary (<see cref="RedisServer.KillAsync"/> on
/// the node <see cref="PrimaryAsync"/> names) and the sentinels promote a replica; start it again and
/// they make it a replica of the new primary.
/// </summary>
public sealed class SentinelRedis : IAsyncDisposable
{
    public const string ServiceName = "decisioning";

    private SentinelRedis(IReadOnlyList<RedisServer> nodes, IReadOnlyList<RedisServer> sentinels)
    {
        Nodes = nodes;
        Sentinels = sentinels;
    }

    /// <summary>The data nodes: the first was the primary at start, the others its replicas.</summary>
    public IReadOnlyList<RedisServer> Nodes { get; }

    public IReadOnlyList<RedisServer> Sentinels { get; }

    /// <summary>The StackExchange.Redis configuration string: the sentinels and the service name.</summary>
    public string Configuration => string.Join(",", Sentinels.Select(s => s.Configuration)) + ",serviceName=" + ServiceName;

    /// <param name="downAfter">How long the primary may be silent before a sentinel calls it down (Sentinel's down-after-milliseconds).</param>
    public static async Task<SentinelRedis> StartAsync(int replicas = 1, int sentinels = 3, TimeSpan? downAfter = null, TimeSpan? failoverTimeout = null)
    {
        var nodes = new List<RedisServer>();
        var watchers = new List<RedisServer>();
        try
        {
            var primary = await RedisServer.StartAsync();
            nodes.Add(primary);
            for (var i = 0; i < replicas; i++)
            {
                nodes.Add(await RedisServer.StartReplicaOfAsync(primary));
            }

            await primary.WaitForReplicasAsync(replicas);
            for (var i = 0; i < sentinels; i++)
            {
                watchers.Add(await RedisServer.StartSentinelAsync(
                    primary.Port, ServiceName, quorum: (sentinels / 2) + 1, downAfter ?? TimeSpan.FromSeconds(1), failoverTimeout ?? TimeSpan.FromSeconds(5)));
            }

            var group = new SentinelRedis(nodes, watchers);
            await group.WaitUntilWatchedAsync(primary.Port, replicas);
            return group;
        }
        catch
        {
            foreach (var server in nodes.Concat(watchers))
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The node the sentinels name as the primary now.</summary>
    public async Task<RedisServer> PrimaryAsync()
    {
        var port = await SentinelPrimaryPortAsync(Sentinels[0]);
        return Nodes.Single(n => n.Port == port);
    }

    /// <summary>
    /// Returns the new primary once every sentinel names a node other than <paramref name="old"/> and
    /// that node takes writes (after a kill of the old primary: a failover).
    /// </summary>
    public async Task<RedisServer> WaitForFailoverAsync(RedisServer old, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var ports = await Task.WhenAll(Sentinels.Select(SentinelPrimaryPortAsync));
            if (ports.All(p => p == ports[0] && p != old.Port))
            {
                var promoted = Nodes.Single(n => n.Port == ports[0]);
                if (await promoted.RoleAsync() == "master")
                {
                    return promoted;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the sentinels did not promote a replica of 127.0.0.1:{old.Port} within {timeout}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Sentinels.Concat(Nodes))
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Until every sentinel knows the primary, its replicas and the other sentinels: only then can they agree on a failover.</summary>
    private async Task WaitUntilWatchedAsync(int primaryPort, int replicas)
    {
        foreach (var sentinel in Sentinels)
        {
            await WithSentinelAsync(sentinel, async server =>
            {
                for (var attempt = 0; attempt < 300; attempt++)
                {
                    var master = (await server.SentinelMasterAsync(ServiceName)).ToDictionary(p => p.Key, p => p.Value);
                    if (master["port"] == primaryPort.ToString(CultureInfo.InvariantCulture)
                        && int.Parse(master["num-slaves"], CultureInfo.InvariantCulture) >= replicas
                        && int.Parse(master["num-other-sentinels"], CultureInfo.InvariantCulture) >= Sentinels.Count - 1)
                    {
                        return 0;
                    }

                    await Task.Delay(100);
                }

                throw new TimeoutException($"sentinel on {sentinel.Port} did not see the whole group within 30 s; see {sentinel.DataDirectory}/redis.log");
            });
        }
    }

    private static Task<int> SentinelPrimaryPortAsync(RedisServer sentinel) =>
        WithSentinelAsync(sentinel, async server => ((IPEndPoint)(await server.SentinelGetMasterAddressByNameAsync(ServiceName))!).Port);

    private static async Task<T> WithSentinelAsync<T>(RedisServer sentinel, Func<IServer, Task<T>> ask)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { sentinel.Configuration },
            CommandMap = CommandMap.Sentinel,
            AllowAdmin = true,
        });
        return await ask(connection.GetServer(connection.GetEndPoints()[0]));
    }
}
