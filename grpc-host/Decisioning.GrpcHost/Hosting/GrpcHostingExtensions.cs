using System.Net;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Events;
using Decisioning.Grains.Hosting;
using Decisioning.Grains.Lines;
using Decisioning.GrpcHost.Security;
using Decisioning.GrpcHost.Services;
using Decisioning.Simulations;
using Decisioning.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Decisioning.GrpcHost.Hosting;

public static class GrpcHostingExtensions
{
    /// <summary>The front door: Kestrel (h2c on loopback, TLS with a certificate), the gRPC services, reflection, health, and Orleans (co-hosted silo or client).</summary>
    public static WebApplicationBuilder AddDecisioningGrpc(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection(GrpcHostOptions.Section).Get<GrpcHostOptions>() ?? new();
        var clientCertificates = configuration.GetSection(ClientCertificateOptions.Section).Get<ClientCertificateOptions>() ?? new();
        builder.Services.AddOptions<GrpcHostOptions>().BindConfiguration(GrpcHostOptions.Section).ValidateDataAnnotations()
            .Validate(
                o => o.CertificateFile is not null || AuthenticationSetup.IsLoopback(o.ListenAddress),
                "Decisioning:Grpc:ListenAddress is beyond loopback without Decisioning:Grpc:CertificateFile: h2c (tokens in the clear) is served on loopback only")
            .ValidateOnStart();
        builder.Services.AddOptions<EnterpriseOptions>().BindConfiguration(EnterpriseOptions.Section);
        builder.Logging.AddConsoleFormatter<LogLineFormatter, ConsoleFormatterOptions>();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.CertificateFile is not null)
                {
                    listen.UseHttps(options.CertificateFile, options.CertificatePassword, https =>
                    {
                        if (clientCertificates.Enabled)
                        {
                            // Asked for, not required: bearer-token callers present none. TLS accepts
                            // any certificate; authentication validates it against the configured authority.
                            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                            https.ClientCertificateValidation = (_, _, _) => true;
                        }
                    });
                }
            });
            if (options.ProbePort is { } probePort)
            {
                // Health only (see MapDecisioningGrpc): nothing on it needs TLS.
                kestrel.Listen(IPAddress.Parse(options.ListenAddress), probePort, listen => listen.Protocols = HttpProtocols.Http1);
            }

            kestrel.AddServerHeader = false;
        });

        var grpc = builder.Services.AddDecisioningTrustBoundary(options);
        grpc.RequireCallers<CreditLineService>()
            .RequireCallers<LineAdminService>()
            .RequireCallers<DecisioningService>()
            .RequireCallers<EventService>()
            .RequireCallers<PortfolioService>()
            .RequireCallers<ProgrammeService>()
            .RequireCallers<ReviewService>()
            .RequireCallers<ConsentService>();
        builder.Services.AddGrpcReflection();
        builder.Services.AddDecisioningHealth(clusterClient: options.Silo == SiloMode.External);
        builder.Services.AddSingleton<RequestValidator>();
        // The one clock of the process (rules, grains, reminders' and timers' due times, the daily
        // process, the referral ages): the system's, or a simulated one for tests and demos.
        if (builder.Services.AddDecisioningClock(configuration) is not null)
        {
            RequireSimulationSafe(options);
            grpc.RequireCallers<SimulationService>();
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        // With a co-hosted silo, lines active in this process are reached without a silo message (LocalLines).
        builder.Services.AddSingleton(sp => new LineAccess(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            options.LocalCalls ? sp.GetService<LocalLines>() : null));
        builder.Services.AddDecisioningRedis();
        // Subscribe reads the event streams; the trimmer keeps them within retention (docs/events.md).
        builder.Services.AddDecisioningEventOptions().AddSingleton<EventReader>().AddHostedService<EventTrimmer>();
        // The portfolio: projected from the streams in each front door (exactly once however many).
        builder.Services.AddSingleton<PortfolioProjector>().AddHostedService(sp => sp.GetRequiredService<PortfolioProjector>());
        // The risk funds' claims: projected likewise, when funds are configured.
        builder.Services.AddDecisioningRiskFunds().AddSingleton<RiskFundProjector>().AddHostedService(sp => sp.GetRequiredService<RiskFundProjector>());
        // The referral queue: read from its index, ages in working days, its gauges counted in each front door.
        builder.Services.AddOptions<WorkingDaysOptions>().BindConfiguration(WorkingDaysOptions.Section);
        builder.Services.TryAddSingleton<WorkingDays>();
        builder.Services.AddHostedService<ReferralMonitor>();
        // OpenLine takes a hand-opened line's subsidy from the same programmes as the silo.
        builder.Services.AddDecisioningSubsidies();

        builder.AddDecisioningTelemetry("decisioning");
        var telemetry = TelemetryOptions.From(configuration);
        switch (options.Silo)
        {
            case SiloMode.CoHosted:
                builder.UseOrleans(silo => silo.AddDecisioningSilo(configuration).AddDecisioningTelemetry(telemetry));
                builder.Services.AddExternalDataProviders(configuration);
                break;
            case SiloMode.External:
                builder.UseOrleansClient(client => client.AddDecisioningClient(configuration).AddDecisioningTelemetry(telemetry));
                break;
        }

        return builder;
    }

    public static WebApplication MapDecisioningGrpc(this WebApplication app)
    {
        app.UseDecisioningTelemetry();
        if (app.Services.GetRequiredService<IOptions<GrpcHostOptions>>().Value.ProbePort is { } probePort)
        {
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort != probePort || context.Request.Path == Health.LivePath || context.Request.Path == Health.ReadyPath)
                {
                    return next(context);
                }

                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        }

        app.UseDecisioningTrustBoundary();
        if (!app.Services.GetRequiredService<RateLimits>().Enabled)
        {
            app.Logger.LogWarning("Rate limits are OFF (Decisioning:RateLimits:Enabled=false): one caller can starve the others. For load tests and benchmarks only.");
        }

        app.MapGrpcService<CreditLineService>();
        app.MapGrpcService<LineAdminService>();
        app.MapGrpcService<DecisioningService>();
        app.MapGrpcService<EventService>();
        app.MapGrpcService<PortfolioService>();
        app.MapGrpcService<ProgrammeService>();
        app.MapGrpcService<ReviewService>();
        app.MapGrpcService<ConsentService>();
        if (app.Services.GetService<SimulatedClock>() is not null)
        {
            // Only with a simulated clock: every other service answers UNIMPLEMENTED.
            app.MapGrpcService<SimulationService>();
        }
        app.MapGrpcReflectionService();
        app.MapDecisioningHealth();
        return app;
    }

    /// <summary>
    /// A simulated clock is served on loopback only (where only this machine can move it), and with
    /// the silo in this process (a silo elsewhere would keep its own clock).
    /// </summary>
    private static void RequireSimulationSafe(GrpcHostOptions options)
    {
        if (!AuthenticationSetup.IsLoopback(options.ListenAddress))
        {
            throw new InvalidOperationException(
                $"{ClockOptions.Section}:Mode is {ClockMode.Simulated} but {GrpcHostOptions.Section}:ListenAddress is {options.ListenAddress}: a simulated clock is served on loopback only");
        }

        if (options.Silo != SiloMode.CoHosted)
        {
            throw new InvalidOperationException(
                $"{ClockOptions.Section}:Mode is {ClockMode.Simulated} but {GrpcHostOptions.Section}:Silo is {options.Silo}: a simulated clock needs the silo in this process");
        }
    }

    private static IClientBuilder AddDecisioningClient(this IClientBuilder client, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(DecisioningClusterOptions.Section).Get<DecisioningClusterOptions>() ?? new();
        var redis = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new();
        client.Services.AddDecisioningSerialization();
        client.UseDecisioningTls(configuration, cluster);
        client.AddOutgoingGrainCallFilter<HandoverRetryFilter>();
        client.Services.AddMembershipTuningValidation();
        return cluster.Clustering switch
        {
            Clustering.Localhost => client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId),
            _ => client
                .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis.Configuration))
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId))
                .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = cluster.Membership.GatewayListRefreshPeriod),
        };
    }
}
