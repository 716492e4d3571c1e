using System.Globalization;
using Decisioning.Grains.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Hosting;

/// <summary>
/// Refuses to start against a Redis that could lose an acknowledged change or cannot take one:
/// every node (each primary of a Redis Cluster, and the replicas that may be promoted) must run AOF
/// with <c>appendfsync always</c>, fsync during AOF rewrites too, evict nothing, and be Redis 7.0 or
/// newer; and there must be a primary to write to, not only a read-only replica.
/// Fewer connected replicas than <see cref="RedisOptions.MinReplicasAcked"/> is only a warning: a
/// replica being restarted (a rolling Redis restart, a replica that comes up after the silos) must
/// not keep the silos from starting. Commits are refused meanwhile anyway: each one waits for the
/// replicas and, short of them, is answered UNAVAILABLE.
/// </summary>
public sealed class RedisSafetyCheck(IConnectionMultiplexer redis, IOptions<RedisOptions> options, IOptions<EventOptions> events, ILogger<RedisSafetyCheck> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Scripts rely on Redis 7.0's behaviour (effects replication, <c>WAIT</c> after scripts).</summary>
    public static readonly Version MinimumVersion = new(7, 0);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RedisSafetyCheck), ServiceLifecycleStage.First, VerifyAsync);

    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        if (!redis.GetServers().Any(s => s.IsConnected))
        {
            throw new InvalidOperationException(
                $"Redis at {options.Value.Redacted()} is not reachable, or refused the user and password: cannot check that it is durable.");
        }

        var findings = await InspectAsync(redis, options.Value.MinReplicasAcked);
        if (events.Value.Enabled && options.Value.KeyPartitions == 0 && redis.GetServers().Any(s => s.ServerType == ServerType.Cluster))
        {
            // A commit's keys must share a slot: only partitions under the lines' own tags can.
            findings.Unusable.Add("it is a Redis Cluster and Decisioning:Redis:KeyPartitions is 0: the event streams need key partitions " +
                "(set KeyPartitions, chosen once before the first line is stored, or Decisioning:Events:Enabled=false)");
        }

        if (findings.Unusable.Count > 0)
        {
            throw new InvalidOperationException($"Redis at {options.Value.Redacted()} cannot serve Decisioning: {string.Join("; ", findings.Unusable)}.");
        }

        if (findings.ReplicaShortfall.Count > 0)
        {
            logger.LogWarning(
                "Redis has fewer replicas than Decisioning:Redis:MinReplicasAcked={MinReplicasAcked} ({Shortfall}): changes are refused (UNAVAILABLE) until they are back",
                options.Value.MinReplicasAcked,
                string.Join("; ", findings.ReplicaShortfall));
        }

        if (findings.NotDurable.Count == 0)
        {
            return;
        }

        var summary = string.Join("; ", findings.NotDurable);
        if (options.Value.AllowUnsafeDevInstance)
        {
            logger.LogWarning("Redis is not durable ({Problems}); continuing because Decisioning:Redis:AllowUnsafeDevInstance is set", summary);
            return;
        }

        throw new InvalidOperationException(
            $"Redis at {options.Value.Redacted()} could lose acknowledged changes: {summary}. " +
            "Run it with --appendonly yes --appendfsync always --no-appendfsync-on-rewrite no --maxmemory-policy noeviction, " +
            "or set Decisioning:Redis:AllowUnsafeDevInstance=true for a throwaway development instance.");
    }

    /// <summary>What is wrong with the Redis nodes this connection reaches (sentinels aside).</summary>
    public static async Task<RedisFindings> InspectAsync(IConnectionMultiplexer redis, int minReplicasAcked = 0)
    {
        var servers = redis.GetServers().Where(s => s.IsConnected && s.ServerType != ServerType.Sentinel).ToArray();
        if (servers.Length == 0)
        {
            throw new InvalidOperationException("Redis is not reachable: cannot check that it is durable.");
        }

        var findings = new RedisFindings();
        var primaries = 0;
        foreach (var server in servers)
        {
            // Named only when there are several nodes to tell apart.
            var node = servers.Length == 1 ? "" : server.EndPoint + ": ";
            var info = (await server.InfoAsync()).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
            var config = (await server.ConfigGetAsync("*")).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

            var version = info.GetValueOrDefault("redis_version", "(unknown)");
            if (!Version.TryParse(version, out var parsed) || parsed < MinimumVersion)
            {
                findings.Unusable.Add($"{node}Redis {version} is older than {MinimumVersion}");
            }

            Expect("appendonly", "yes");
            Expect("appendfsync", "always");
            Expect("no-appendfsync-on-rewrite", "no");
            Expect("maxmemory-policy", "noeviction");

            if (info.GetValueOrDefault("role") == "master")
            {
                primaries++;
                var replicas = int.Parse(info.GetValueOrDefault("connected_slaves", "0"), CultureInfo.InvariantCulture);
                if (replicas < minReplicasAcked)
                {
                    findings.ReplicaShortfall.Add($"{node}{replicas} connected, {minReplicasAcked} required");
                }
            }

            void Expect(string name, string wanted)
            {
                var actual = config.GetValueOrDefault(name, "(not set)");
                if (!string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    findings.NotDurable.Add($"{node}{name} is '{actual}', not '{wanted}'");
                }
            }
        }

        if (primaries == 0)
        {
            findings.Unusable.Add("every node reached is a read-only replica (role must be master)");
        }

        return findings;
    }
}

/// <summary>What <see cref="RedisSafetyCheck.InspectAsync"/> found, by what it costs.</summary>
public sealed class RedisFindings
{
    /// <summary>Cannot serve at all (too old, or no primary): always refused.</summary>
    public List<string> Unusable { get; } = [];

    /// <summary>Could lose an acknowledged change: refused unless AllowUnsafeDevInstance.</summary>
    public List<string> NotDurable { get; } = [];

    /// <summary>A primary with fewer replicas than MinReplicasAcked: a warning at start.</summary>
    public List<string> ReplicaShortfall { get; } = [];
}
