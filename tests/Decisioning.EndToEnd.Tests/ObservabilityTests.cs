using System.Globalization;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// What the service shows about itself: a draw on the Prometheus scrape endpoint (the RPC's request
/// measurement with its gRPC status, the commit's batch size and Redis write time), decisions by
/// model and outcome, refusals at the trust boundary by reason, and the trace id in every error.
/// Counts are compared before and after, as other tests share the service.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ObservabilityTests(ServiceFixture fixture)
{
    private const string RequestDuration = "http_server_request_duration_seconds_count";

    private ServiceProcess Service => fixture.Service;

    [Fact]
    public async Task A_draw_moves_the_rpc_and_commit_metrics_on_the_scrape_endpoint()
    {
        var id = await Service.OpenFreshLineAsync(1_000_000);
        var before = await ScrapeAsync(Service.MetricsPort);

        var draw = await fixture.Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 1_000 });

        Assert.True(draw.Approved);
        var drawsOk = (Label: "http_route", Value: "/decisioning.v1.CreditLineService/Draw");
        var ok = (Label: "rpc_grpc_status_code", Value: "0");
        var after = await ScrapeOnceAsync(Service.MetricsPort, scraped =>
            Sum(scraped, RequestDuration, drawsOk, ok) > Sum(before, RequestDuration, drawsOk, ok)
            && Sum(scraped, "decisioning_commit_lines_count") > Sum(before, "decisioning_commit_lines_count")
            && Sum(scraped, "decisioning_commit_duration_seconds_count", ("outcome", "ok")) > Sum(before, "decisioning_commit_duration_seconds_count", ("outcome", "ok")));
        Assert.Equal(1, Sum(after, RequestDuration, drawsOk, ok) - Sum(before, RequestDuration, drawsOk, ok));
        Assert.True(Sum(after, "decisioning_commit_lines_count") > Sum(before, "decisioning_commit_lines_count"), after);
        Assert.True(Sum(after, "decisioning_commit_duration_seconds_count", ("outcome", "ok")) > Sum(before, "decisioning_commit_duration_seconds_count", ("outcome", "ok")));
        // Orleans' own activation metrics are collected, not counted again.
        Assert.True(Sum(after, "orleans_catalog_activation_created_total", ("grain_type", "credit-line")) > 0, after);
    }

    [Fact]
    public async Task A_refused_call_is_measured_with_its_grpc_status()
    {
        var before = await ScrapeAsync(Service.MetricsPort);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Lines.DrawAsync(new DrawRequest { EnterpriseId = TestEnterprises.Unique(), RequestId = "draw-0", AmountMinor = 0 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var labels = new[] { ("http_route", "/decisioning.v1.CreditLineService/Draw"), ("rpc_grpc_status_code", ((int)StatusCode.InvalidArgument).ToString(CultureInfo.InvariantCulture)) };
        var after = await ScrapeOnceAsync(Service.MetricsPort, scraped => Sum(scraped, RequestDuration, labels) > Sum(before, RequestDuration, labels));
        Assert.Equal(1, Sum(after, RequestDuration, labels) - Sum(before, RequestDuration, labels));
    }

    [Fact]
    public async Task The_referral_queue_is_measured_against_its_target_on_the_scrape_endpoint()
    {
        var scraped = await ScrapeAsync(Service.MetricsPort);

        // Gauges counted from the referral index every 30 s (the first pass when the front door starts).
        foreach (var gauge in new[] { "decisioning_referrals_open", "decisioning_referrals_about_to_breach", "decisioning_referrals_breached" })
        {
            Assert.Contains($"# TYPE {gauge} gauge", scraped, StringComparison.Ordinal);
            Assert.True(Sum(scraped, gauge) >= 0, gauge);
        }
    }

    [Fact]
    public async Task An_assessment_is_counted_by_model_role_and_outcome()
    {
        var before = await ScrapeAsync(Service.MetricsPort);

        var assessed = await fixture.Decisioning.AssessEnterpriseAsync(Applications.Sound(TestEnterprises.Unique(), "assess-1"));

        Assert.Equal(Outcome.Approve, assessed.Decision.Outcome);
        var after = await ScrapeAsync(Service.MetricsPort);
        var champion = new[] { ("model", assessed.Decision.ModelVersion), ("role", "champion"), ("purpose", "origination"), ("outcome", "approve") };
        Assert.Equal(1, Sum(after, "decisioning_decisions_total", champion) - Sum(before, "decisioning_decisions_total", champion));
        Assert.Equal(1, Sum(after, "decisioning_decisions_total", ("role", "challenger")) - Sum(before, "decisioning_decisions_total", ("role", "challenger")));
    }

    [Fact]
    public async Task Authentication_and_scope_refusals_are_counted_by_reason()
    {
        var before = await ScrapeAsync(Service.MetricsPort);
        var request = new CheckLimitRequest { EnterpriseId = TestEnterprises.Unique(), AmountMinor = 1 };
        var readOnly = TestTokens.Shared.Issue("reader", ["credit.admin"], ["*"]);

        var missing = await Assert.ThrowsAsync<RpcException>(() => new CreditLineService.CreditLineServiceClient(Service.Anonymous).CheckLimitAsync(request).ResponseAsync);
        var scope = await Assert.ThrowsAsync<RpcException>(() => new CreditLineService.CreditLineServiceClient(Service.ChannelFor(readOnly)).CheckLimitAsync(request).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, StatusCode.PermissionDenied), (missing.StatusCode, scope.StatusCode));
        var after = await ScrapeAsync(Service.MetricsPort);
        foreach (var reason in new[] { "TOKEN_MISSING", "SCOPE_REQUIRED" })
        {
            Assert.Equal(1, Sum(after, "decisioning_refusals_total", ("reason", reason)) - Sum(before, "decisioning_refusals_total", ("reason", reason)));
        }
    }

    [Fact]
    public async Task An_error_carries_the_trace_id_of_the_call_in_its_details()
    {
        // The caller's W3C trace context: the service continues that trace and names it in the error.
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var headers = new Metadata { { "traceparent", $"00-{traceId}-00f067aa0ba902b7-01" } };

        var invalid = await Assert.ThrowsAsync<RpcException>(() => fixture.Lines.DrawAsync(
            new DrawRequest { EnterpriseId = TestEnterprises.Unique(), RequestId = "draw-0", AmountMinor = 0 }, headers).ResponseAsync);
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => new CreditLineService.CreditLineServiceClient(Service.Anonymous)
            .GetLineAsync(new GetLineRequest { EnterpriseId = TestEnterprises.Unique() }).ResponseAsync);
        var notFound = await Assert.ThrowsAsync<RpcException>(() => fixture.Lines.GetLineAsync(new GetLineRequest { EnterpriseId = TestEnterprises.Unique() }).ResponseAsync);

        Assert.Equal(traceId, TraceIdOf(invalid));
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", TraceIdOf(unauthenticated));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", TraceIdOf(notFound));
        Assert.NotEqual(TraceIdOf(unauthenticated), TraceIdOf(notFound));
    }

    [Fact]
    public async Task The_metrics_port_serves_the_scrape_endpoint_and_nothing_else()
    {
        Assert.Equal(404, (await ServiceProcess.GetAsync(Service.MetricsPort, "/healthz")).Status);
        Assert.Equal(404, (await ServiceProcess.GetAsync(Service.ProbePort, "/metrics")).Status);
        var (status, body) = await ServiceProcess.GetAsync(Service.MetricsPort, "/metrics");
        Assert.Equal(200, status);
        Assert.Contains("target_info{service_name=\"decisioning\"", body, StringComparison.Ordinal);
    }

    private static string? TraceIdOf(RpcException error) => error.GetRpcStatus()?.GetDetail<RequestInfo>()?.RequestId;

    private static async Task<string> ScrapeAsync(int port)
    {
        var (status, body) = await ServiceProcess.GetAsync(port, "/metrics");
        Assert.Equal(200, status);
        return body;
    }

    /// <summary>
    /// A scrape taken once <paramref name="moved"/> holds of it, or the last of about 10 s of them:
    /// ASP.NET Core records a request's measurement when the request ends on the server, which can be
    /// just after its caller has the reply (seen on CI, 2026-12-03: a scrape right after a draw's
    /// reply did not have it yet).
    /// </summary>
    internal static async Task<string> ScrapeOnceAsync(int port, Func<string, bool> moved)
    {
        var scraped = await ScrapeAsync(port);
        for (var attempt = 0; attempt < 100 && !moved(scraped); attempt++)
        {
            await Task.Delay(100);
            scraped = await ScrapeAsync(port);
        }

        return scraped;
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> (Prometheus text format) whose labels include all of <paramref name="labels"/>.</summary>
    internal static double Sum(string exposition, string metric, params (string Label, string Value)[] labels)
    {
        var sum = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal) || line.Length <= metric.Length || line[metric.Length] is not ('{' or ' '))
            {
                continue;
            }

            var (series, value) = (line[..line.LastIndexOf(' ')], line[(line.LastIndexOf(' ') + 1)..]);
            if (labels.All(l => series.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                sum += double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
