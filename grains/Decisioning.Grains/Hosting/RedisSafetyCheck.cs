using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Hosting;

/// <summary>
/// Refuses to start the silo against a Redis that could lose an acknowledged change: AOF must be
/// on with <c>appendfsync always</c>, and nothing may be evicted.
/// </summary>
public sealed class RedisSafetyCheck(IConnectionMultiplexer redis, IOptions<RedisOptions> options, ILogger<RedisSafetyCheck> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RedisSafetyCheck), ServiceLifecycleStage.First, VerifyAsync);

    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        if (!redis.GetServers().Any(s => s.IsConnected))
        {
            throw new InvalidOperationException(
                $"Redis at {options.Value.Redacted()} is not reachable, or refused the user and password: cannot check that it is durable.");
        }

        var problems = await FindProblemsAsync(redis);
        if (problems.Count == 0)
        {
            return;
        }

        var summary = string.Join("; ", problems);
        if (options.Value.AllowUnsafeDevInstance)
        {
            logger.LogWarning("Redis is not durable ({Problems}); continuing because Decisioning:Redis:AllowUnsafeDevInstance is set", summary);
            return;
        }

        throw new InvalidOperationException(
            $"Redis at {options.Value.Redacted()} could lose acknowledged changes: {summary}. " +
            "Run it with --appendonly yes --appendfsync always --maxmemory-policy noeviction, " +
            "or set Decisioning:Redis:AllowUnsafeDevInstance=true for a throwaway development instance.");
    }

    public static async Task<IReadOnlyList<string>> FindProblemsAsync(IConnectionMultiplexer redis)
    {
        var server = redis.GetServers().FirstOrDefault(s => s.IsConnected)
            ?? throw new InvalidOperationException("Redis is not reachable: cannot check that it is durable.");
        var config = (await server.ConfigGetAsync("*")).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        Expect("appendonly", "yes");
        Expect("appendfsync", "always");
        Expect("maxmemory-policy", "noeviction");
        return problems;

        void Expect(string name, string wanted)
        {
            var actual = config.GetValueOrDefault(name, "(not set)");
            if (!string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{name} is '{actual}', not '{wanted}'");
            }
        }
    }
}
