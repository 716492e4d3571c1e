using System.Net;
using Decisioning.Grains.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace Decisioning.Telemetry;

/// <summary>
/// OpenTelemetry for a Decisioning process (Decisioning:Telemetry): the meters below on a
/// Prometheus scrape port and over OTLP, traces over OTLP, and the Orleans Dashboard on its own
/// port. Nothing is listened to, and no port opened, unless configured.
/// </summary>
public static class TelemetryHosting
{
    public const string MetricsPath = "/metrics";

    /// <summary>Orleans' meter: only its instruments named in <see cref="OrleansInstruments"/> are collected.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Orleans instruments kept, by name or prefix: activations (the catalog, grain counts), the
    /// gateway's clients and load shedding, long-running turns, rejected and expired messages.
    /// Orleans' per-message and per-request histograms are not collected: they would cost every call.
    /// </summary>
    private static readonly string[] OrleansInstruments =
    [
        "orleans-catalog-", "orleans-grains", "orleans-gateway-connected-clients", "orleans-gateway-load-shedding",
        "orleans-client-connected-gateways", "orleans-scheduler-long-running-turns", "orleans-watchdog-",
        "orleans-messaging-rejected", "orleans-messaging-expired", "orleans-app-requests-timedout",
    ];

    /// <summary>
    /// ASP.NET Core's request measurement (<c>http.server.request.duration</c>), Kestrel's connections
    /// and unhandled exceptions; not its routing and memory pool counters, nor the in-flight and
    /// queued request counters, which would add measurements to every call.
    /// </summary>
    private static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics"];

    /// <summary>Request durations fine enough for a service that answers in well under a millisecond.</summary>
    private static readonly double[] RequestBuckets = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>
    /// Metrics and traces as <see cref="TelemetryOptions"/> says, and the listeners of the metrics and
    /// dashboard ports. <paramref name="meters"/> and <paramref name="sources"/> are the host's own,
    /// beside the grains' (<see cref="GrainTelemetry"/>), ASP.NET Core's, the runtime's and Orleans'.
    /// </summary>
    public static IHostApplicationBuilder AddDecisioningTelemetry(this IHostApplicationBuilder builder, string serviceName, string[]? meters = null, string[]? sources = null)
    {
        var options = TelemetryOptions.From(builder.Configuration);
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            foreach (var port in new[] { options.MetricsPort, options.DashboardPort })
            {
                if (port is { } listen)
                {
                    kestrel.Listen(IPAddress.Parse(options.ListenAddress), listen, l => l.Protocols = HttpProtocols.Http1);
                }
            }
        });
        if (!options.Metrics && !options.Tracing)
        {
            return builder;
        }

        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(serviceName));
        if (options.Metrics)
        {
            otel.WithMetrics(metrics =>
            {
                metrics.AddMeter([GrainTelemetry.MeterName, OrleansMeter, .. AspNetCoreMeters, .. meters ?? []])
                    .AddRuntimeInstrumentation()
                    .AddView(instrument => instrument.Meter.Name == OrleansMeter && !OrleansInstruments.Any(instrument.Name.StartsWith) ? MetricStreamConfiguration.Drop : null)
                    .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = RequestBuckets })
                    // One measurement per call is enough (the duration histogram above counts calls too):
                    // in-flight and queued requests would be two more each.
                    .AddView("http.server.active_requests", MetricStreamConfiguration.Drop)
                    .AddView("kestrel.queued_requests", MetricStreamConfiguration.Drop);
                if (options.MetricsPort is not null)
                {
                    // Each scrape collects afresh: a cached answer would hide what happened since.
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (options.Tracing)
                {
                    metrics.AddOtlpExporter(otlp => Otlp(otlp, options, "/v1/metrics"));
                }
            });
        }

        if (options.Tracing)
        {
            otel.WithTracing(tracing => tracing
                .AddSource([GrainTelemetry.ActivitySourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", .. sources ?? []])
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http => http.Connection.LocalPort != options.MetricsPort && http.Connection.LocalPort != options.DashboardPort)
                .AddOtlpExporter(otlp => Otlp(otlp, options, "/v1/traces")));
        }

        return builder;
    }

    /// <summary>Grain calls carry the caller's trace (when traces are exported), and the dashboard runs when its port is set.</summary>
    public static ISiloBuilder AddDecisioningTelemetry(this ISiloBuilder silo, TelemetryOptions options)
    {
        if (options.Tracing)
        {
            silo.AddActivityPropagation();
        }

        if (options.DashboardPort is not null)
        {
            // The live log stream would hand the service's logs to anyone who reaches the port.
            silo.AddDashboard(dashboard => dashboard.HideTrace = true);
        }

        return silo;
    }

    /// <summary>
    /// Grain calls carry the caller's trace, when traces are exported; with a dashboard port, the
    /// client serves the dashboard of the silos (which need theirs on too).
    /// </summary>
    public static IClientBuilder AddDecisioningTelemetry(this IClientBuilder client, TelemetryOptions options)
    {
        if (options.Tracing)
        {
            client.AddActivityPropagation();
        }

        if (options.DashboardPort is not null)
        {
            client.AddDashboard(dashboard => dashboard.HideTrace = true);
        }

        return client;
    }

    /// <summary>
    /// The scrape endpoint on the metrics port and the dashboard on the dashboard port, each port
    /// serving that and nothing else; first in the pipeline, before authentication.
    /// </summary>
    public static WebApplication UseDecisioningTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.MetricsPort is { } metricsPort)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Connection.LocalPort == metricsPort && http.Request.Path == MetricsPath);
        }

        if (options.DashboardPort is { } dashboardPort)
        {
            app.MapOrleansDashboard()
                .WithMetadata(DashboardEndpoint.Instance)
                .AddEndpointFilter((invocation, next) => invocation.HttpContext.Connection.LocalPort == dashboardPort && !DashboardEndpoint.Hidden(invocation.HttpContext.Request.Path)
                    ? next(invocation)
                    : ValueTask.FromResult<object?>(Results.NotFound()));
        }

        if (options.ServesHttp)
        {
            app.Use((http, next) =>
            {
                var port = http.Connection.LocalPort;
                var elsewhere = port == options.MetricsPort
                    || (port == options.DashboardPort && http.GetEndpoint()?.Metadata.GetMetadata<DashboardEndpoint>() is null);
                if (!elsewhere)
                {
                    return next(http);
                }

                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        }

        return app;
    }

    /// <summary>Decisioning:Telemetry:OtlpEndpoint is a base address, as the standard variable is: over HTTP each signal has its path.</summary>
    private static void Otlp(OtlpExporterOptions otlp, TelemetryOptions options, string signalPath)
    {
        if (options.OtlpEndpoint is { } endpoint)
        {
            otlp.Endpoint = new Uri(otlp.Protocol == OtlpExportProtocol.HttpProtobuf ? endpoint.TrimEnd('/') + signalPath : endpoint);
        }
    }

    /// <summary>Marks the dashboard's endpoints, the only ones its port serves.</summary>
    private sealed class DashboardEndpoint
    {
        public static readonly DashboardEndpoint Instance = new();

        /// <summary>Grain state (a line's balances) is not for an unauthenticated page.</summary>
        public static bool Hidden(PathString path) => path.StartsWithSegments("/GrainState", StringComparison.OrdinalIgnoreCase);
    }
}
