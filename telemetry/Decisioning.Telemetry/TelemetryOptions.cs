using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Decisioning.Telemetry;

/// <summary>
/// Decisioning:Telemetry. Each port is off unless set: a process without a metrics port and without
/// an OTLP endpoint listens to no instrument at all, so that metrics cost nothing where nothing
/// reads them. <c>./run.sh</c> sets the metrics port (9464) and the dashboard port (8080).
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Decisioning:Telemetry";

    /// <summary>The standard OpenTelemetry variable, honoured when <see cref="OtlpEndpoint"/> is not set.</summary>
    public const string OtlpEnvironmentVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The address of the metrics and dashboard ports. Loopback by default: the dashboard has no
    /// authentication, and the metrics name the service's inner workings. A Prometheus beyond the
    /// machine needs it widened (the pod's address in Kubernetes).
    /// </summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Plain HTTP/1.1 port serving the Prometheus scrape endpoint, <c>/metrics</c>, and nothing else.</summary>
    [Range(1, 65535)]
    public int? MetricsPort { get; set; }

    /// <summary>Plain HTTP/1.1 port serving the Orleans Dashboard (a silo's processes only), and nothing else.</summary>
    [Range(1, 65535)]
    public int? DashboardPort { get; set; }

    /// <summary>
    /// Where metrics and traces go over OTLP: the collector's base address (<c>http://collector:4317</c>
    /// for gRPC, the default protocol; <c>http://collector:4318</c> with
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>). Without it, the standard
    /// <c>OTEL_EXPORTER_OTLP_*</c> variables apply when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set;
    /// without either, nothing is traced and metrics stay local.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads it, and the other OTEL_ variables, itself).</summary>
    public bool OtlpFromEnvironment { get; private set; }

    public static TelemetryOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<TelemetryOptions>() ?? new();
        options.OtlpEndpoint = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : options.OtlpEndpoint;
        options.OtlpFromEnvironment = options.OtlpEndpoint is null && configuration[OtlpEnvironmentVariable] is { Length: > 0 };
        return options;
    }

    /// <summary>Traces are recorded (and Orleans propagates them between silos) only when they go somewhere.</summary>
    public bool Tracing => OtlpEndpoint is not null || OtlpFromEnvironment;

    /// <summary>Whether anything reads the metrics.</summary>
    public bool Metrics => MetricsPort is not null || Tracing;

    /// <summary>Whether the process serves HTTP for telemetry (a standalone silo serves nothing else).</summary>
    public bool ServesHttp => MetricsPort is not null || DashboardPort is not null;
}
