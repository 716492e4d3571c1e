using System.Diagnostics.Metrics;
using Decisioning.Grains.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Decisioning.GrpcHost.Hosting;

/// <summary>
/// What the front door adds to ASP.NET Core's own request metrics. ASP.NET Core measures every RPC
/// (<c>http.server.request.duration</c>: rate and latency by <c>http.route</c>, the gRPC method) but
/// sees HTTP 200 for every gRPC status; the gRPC status is added to that measurement as the tag
/// <c>rpc.grpc.status_code</c>. Refusals at the trust boundary (authentication, scope, entitlement,
/// rate limits) are counted by reason in <c>decisioning.refusals</c>. Tags are constants or cached
/// boxes: nothing is allocated per call.
/// </summary>
public static class RpcTelemetry
{
    public const string StatusTag = "rpc.grpc.status_code";

    private static readonly Meter Meter = new(GrainTelemetry.MeterName);

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "decisioning.refusals", "{call}", "Calls refused at the trust boundary (authentication, scope, entitlement, rate limits), by reason");

    private static readonly object[] Codes = [.. Enum.GetValues<StatusCode>().Select(code => (object)(int)code)];

    /// <summary>Tags the call's request measurement with the gRPC status it ends with.</summary>
    public static void Ended(ServerCallContext context, StatusCode status) => Ended(context.GetHttpContext(), status);

    /// <summary>Tags the request measurement of a call answered before it reached gRPC (a malformed request).</summary>
    public static void Ended(HttpContext http, StatusCode status)
    {
        if ((uint)status < (uint)Codes.Length && http.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.Tags.Add(new(StatusTag, Codes[(int)status]));
        }
    }

    /// <summary>A call refused at the trust boundary, for <paramref name="reason"/> (an ErrorReasons code).</summary>
    public static void Refused(string reason) => Refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
