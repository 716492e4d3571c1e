using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Decisioning.Testing;

/// <summary>
/// A sharded Redis Cluster on loopback: real redis-server processes with cluster mode on (durable,
/// as <see cref="RedisServer"/> makes them), joined by <c>redis-cli --cluster create</c> into
/// <c>primaries</c> shards of one primary and <c>replicasEach</c> replicas. Returned once every
/// slot is served and every replica follows its primary.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private RedisCluster(IReadOnlyList<RedisServer> nodes) => Nodes = nodes;

    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>The StackExchange.Redis configuration string: every node (the client finds the slots' owners itself).</summary>
    public string Configuration => string.Join(",", Nodes.Select(n => n.Configuration));

    /// <summary>The nodes that are primaries now.</summary>
    public async Task<IReadOnlyList<RedisServer>> PrimariesAsync()
    {
        var primaries = new List<RedisServer>();
        foreach (var node in Nodes)
        {
            if (await node.RoleAsync() == "master")
            {
                primaries.Add(node);
            }
        }

        return primaries;
    }

    public static async Task<RedisCluster> StartAsync(int primaries = 3, int replicasEach = 1)
    {
        var nodes = new List<RedisServer>();
        try
        {
            for (var i = 0; i < primaries * (1 + replicasEach); i++)
            {
                nodes.Add(await RedisServer.StartAsync(true, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
            }

            var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            create.ArgumentList.Add("--cluster");
            create.ArgumentList.Add("create");
            foreach (var node in nodes)
            {
                create.ArgumentList.Add(node.Configuration);
            }

            create.ArgumentList.Add("--cluster-replicas");
            create.ArgumentList.Add(replicasEach.ToString(CultureInfo.InvariantCulture));
            create.ArgumentList.Add("--cluster-yes");
            using (var cli = Process.Start(create) ?? throw new InvalidOperationException("redis-cli did not start"))
            {
                var output = cli.StandardOutput.ReadToEndAsync();
                var errors = cli.StandardError.ReadToEndAsync();
                await cli.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                if (cli.ExitCode != 0)
                {
                    throw new InvalidOperationException($"redis-cli --cluster create failed ({cli.ExitCode}): {await output}{await errors}");
                }
            }

            foreach (var node in nodes)
            {
                await node.EventuallyAsync("in a cluster whose slots are all served", async server =>
                    (await server.ExecuteAsync("CLUSTER", "INFO")).ToString().Contains("cluster_state:ok", StringComparison.Ordinal));
                await node.EventuallyAsync("a primary with its replicas online, or a replica in sync", async server =>
                {
                    var replication = (await server.InfoAsync("replication")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
                    return replication["role"] == "master"
                        ? replication.Count(p => p.Key.StartsWith("slave", StringComparison.Ordinal) && p.Value.Contains("state=online", StringComparison.Ordinal)) >= replicasEach
                        : replication.GetValueOrDefault("master_link_status") == "up";
                });
            }

            return new RedisCluster(nodes);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A connection to the whole cluster, for inspecting data behind the service's back.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync(Configuration, o => o.AllowAdmin = true);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
