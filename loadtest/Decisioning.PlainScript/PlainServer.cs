using System.Globalization;
using System.Net;
using Decisioning.Grains.Hosting;
using Decisioning.GrpcHost.Hosting;
using Decisioning.GrpcHost.Security;
using Decisioning.GrpcHost.Services;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Decisioning.PlainScript;

/// <summary>
/// The plain server as a web application: Kestrel h2c on 127.0.0.1, the service's own trust
/// boundary (tokens, scopes, entitlement, error mapping; rate limits off, as ./bench.sh runs the
/// service), health, and the two services over one Redis connection made as the service makes it.
/// </summary>
public static class PlainServer
{
    /// <param name="configuration">Settings over appsettings.json and the environment (the tests' token issuer, say).</param>
    public static WebApplication Create(PlainSettings settings, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        // Settings are read from beside the binary, whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(configuration ?? []);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Loopback only: the development key is accepted there, and tokens never leave the machine.
            [$"{GrpcHostOptions.Section}:{nameof(GrpcHostOptions.ListenAddress)}"] = IPAddress.Loopback.ToString(),
            [$"{GrpcHostOptions.Section}:{nameof(GrpcHostOptions.Port)}"] = settings.Port.ToString(CultureInfo.InvariantCulture),
            [$"{RedisOptions.Section}:{nameof(RedisOptions.Configuration)}"] = settings.Redis,
            [$"{RateLimitOptions.Section}:{nameof(RateLimitOptions.Enabled)}"] = "false",
        });
        var options = builder.Configuration.GetSection(GrpcHostOptions.Section).Get<GrpcHostOptions>()!;
        builder.Services.AddOptions<GrpcHostOptions>().BindConfiguration(GrpcHostOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<EnterpriseOptions>().BindConfiguration(EnterpriseOptions.Section);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, settings.Port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.AddServerHeader = false;
        });

        builder.Services.AddDecisioningTrustBoundary(options)
            .RequireCallers<PlainCreditLineService>()
            .RequireCallers<PlainLineAdminService>();
        builder.Services.AddDecisioningHealth();
        builder.Services.AddDecisioningRedis();
        builder.Services.AddSingleton<RedisSafetyCheck>();
        builder.Services.AddSingleton<RequestValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<DrawScript>();
        builder.Services.AddHostedService<PlainStartup>();

        var app = builder.Build();
        app.UseDecisioningTrustBoundary();
        app.MapGrpcService<PlainCreditLineService>();
        app.MapGrpcService<PlainLineAdminService>();
        app.MapGrpcHealthChecksService();
        return app;
    }
}

/// <summary>Before the server listens: Redis must keep every acknowledged write (the service's own check), and draw.lua is loaded.</summary>
internal sealed class PlainStartup(RedisSafetyCheck safety, DrawScript draw, PlainSettings settings, ILogger<PlainStartup> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await safety.VerifyAsync(cancellationToken);
        await draw.LoadAsync();
        logger.LogInformation(
            "decisioning-plain on 127.0.0.1:{Port}, journal {Journal}, request ids kept {Retention}",
            settings.Port,
            settings.Journal ? "on" : "off",
            settings.RequestIdRetention);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
