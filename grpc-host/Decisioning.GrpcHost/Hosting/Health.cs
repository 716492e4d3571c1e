using Decisioning.Grains.Hosting;
using Grpc.AspNetCore.HealthChecks;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.GrpcHost.Hosting;

/// <summary>
/// Readiness and liveness. Ready: Redis answers, takes writes (a primary, not a replica, and no
/// refusal of a probe write) and has as many connected replicas as
/// <c>Decisioning:Redis:MinReplicasAcked</c> asks, and (as an Orleans client) a silo answers.
/// Live: the process serves requests, nothing more, so that an orchestrator restarts a hung
/// process but not one that waits for Redis or a silo to come back.
/// grpc.health.v1 answers readiness for the empty service name and <see cref="ReadyService"/>,
/// liveness for <see cref="LiveService"/>, from the last published result (checked every
/// <see cref="Period"/>, never per call: it is also the no-op baseline of the benchmark). Plain HTTP
/// <c>/readyz</c> and <c>/healthz</c> check on each request, for Kubernetes' HTTP probes.
/// </summary>
public static class Health
{
    public const string ReadyService = "decisioning.ready";

    public const string LiveService = "decisioning.live";

    public const string ReadyPath = "/readyz";

    public const string LivePath = "/healthz";

    /// <summary>The tag of the checks readiness needs.</summary>
    public const string Ready = "ready";

    /// <summary>The tag of liveness' one check, which passes whenever the process can answer it.</summary>
    public const string Live = "live";

    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>How long a check may take: a Redis or silo that has not answered by then is not ready.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    /// <param name="clusterClient">This process reaches its silos as an Orleans client: readiness needs one that answers.</param>
    public static IServiceCollection AddDecisioningHealth(this IServiceCollection services, bool clusterClient = false)
    {
        // Until the first check is published (it takes a Redis round trip), readiness answers
        // NOT_SERVING rather than NotFound, an unknown service, and liveness SERVING.
        services.AddSingleton(_ =>
        {
            var health = new HealthServiceImpl();
            health.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing);
            health.SetStatus(ReadyService, HealthCheckResponse.Types.ServingStatus.NotServing);
            health.SetStatus(LiveService, HealthCheckResponse.Types.ServingStatus.Serving);
            return health;
        });
        var checks = services.AddGrpcHealthChecks(health =>
        {
            health.UseHealthChecksCache = true;
            health.Services.Clear();
            health.Services.Map("", r => r.Tags.Contains(Ready));
            health.Services.Map(ReadyService, r => r.Tags.Contains(Ready));
            health.Services.Map(LiveService, r => r.Tags.Contains(Live));
        });
        checks.AddCheck("process", () => HealthCheckResult.Healthy(), tags: [Live]);
        checks.AddCheck<RedisHealthCheck>("redis", tags: [Ready], timeout: CheckTimeout);
        if (clusterClient)
        {
            checks.AddCheck<SiloHealthCheck>("silo", tags: [Ready], timeout: CheckTimeout);
        }

        services.AddSingleton<IHealthCheckPublisher, ReadinessLog>();
        services.Configure<HealthCheckPublisherOptions>(publisher => (publisher.Delay, publisher.Period, publisher.Timeout) = (TimeSpan.Zero, Period, CheckTimeout));
        return services;
    }

    /// <summary>grpc.health.v1, and <c>/readyz</c> and <c>/healthz</c> (200 or 503, with the reason in the body).</summary>
    public static IEndpointRouteBuilder MapDecisioningHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(Ready), ResponseWriter = WriteReasons });
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(Live) });
        return endpoints;
    }

    /// <summary>"Healthy", or each failing check and why, one a line: what an operator reads from a failed probe.</summary>
    private static Task WriteReasons(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}").ToList();
        return context.Response.WriteAsync(failing.Count == 0 ? report.Status.ToString() : string.Join('\n', failing));
    }
}

/// <summary>
/// Logs readiness when it changes (not at every check): a warning naming each failing check and
/// why, and a line when the service is ready again.
/// </summary>
internal sealed class ReadinessLog(ILogger<ReadinessLog> logger) : IHealthCheckPublisher
{
    private string? _last = "";

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}").ToList();
        var now = failing.Count == 0 ? null : string.Join("; ", failing);
        if (now != Interlocked.Exchange(ref _last, now))
        {
            if (now is null)
            {
                logger.LogInformation("Ready");
            }
            else
            {
                logger.LogWarning("Not ready: {Reasons}", now);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Ready while Redis answers, is a primary (ROLE), takes a probe write, and has at least
/// <see cref="RedisOptions.MinReplicasAcked"/> connected replicas: a commit could not be
/// acknowledged otherwise.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis, IOptions<RedisOptions> options, IConfiguration configuration) : IHealthCheck
{
    private readonly int _minReplicas = options.Value.MinReplicasAcked;

    private readonly RedisKey _probeKey = $"{configuration.GetValue("Decisioning:Storage:KeyPrefix", "dc")}:health:{Environment.MachineName}:{Environment.ProcessId}";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CheckAsync().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Redis does not answer ({ex.GetType().Name}: {ex.Message})".ReplaceLineEndings(" "));
        }
    }

    private async Task<HealthCheckResult> CheckAsync()
    {
        // The server this process writes to, as the connection sees it; ROLE asks it what it is now.
        var database = redis.GetDatabase();
        var endpoint = await database.IdentifyEndpointAsync(_probeKey, CommandFlags.DemandMaster);
        var role = endpoint is null ? null : await redis.GetServer(endpoint).RoleAsync();
        if (role is not Role.Master primary)
        {
            return HealthCheckResult.Unhealthy(endpoint is null
                ? "Redis has no primary this process can reach"
                : $"Redis at {endpoint} is a {role?.Value ?? "server of unknown role"}, not a primary: it takes no writes");
        }

        if (primary.Replicas.Count < _minReplicas)
        {
            return HealthCheckResult.Unhealthy(
                $"Redis has {primary.Replicas.Count} connected replicas, fewer than Decisioning:Redis:MinReplicasAcked ({_minReplicas}): no commit could be acknowledged");
        }

        // A primary can still refuse writes (min-replicas-to-write, a failed AOF write, an ACL): only a write tells.
        await database.StringSetAsync(_probeKey, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), TimeSpan.FromMinutes(1));
        return HealthCheckResult.Healthy();
    }
}

/// <summary>Ready while a silo of the cluster answers this client (the management grain, a stateless worker on the gateway's silo).</summary>
internal sealed class SiloHealthCheck(IClusterClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken);
            return hosts.Count > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no silo of the cluster is active");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"no silo answers ({ex.GetType().Name}: {ex.Message})".ReplaceLineEndings(" "));
        }
    }
}
