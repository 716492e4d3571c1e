using System.Globalization;
using Decisioning.Contracts.V1;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

[Collection(ServiceCollection.Name)]
public sealed class StandaloneSiloTests(ServiceFixture fixture)
{
    [Fact]
    public async Task A_grpc_host_joined_as_a_client_to_a_standalone_silo_through_Redis_clustering_serves_the_line()
    {
        var cluster = new Dictionary<string, string>
        {
            ["Decisioning__Cluster__Clustering"] = "Redis",
            ["Decisioning__Cluster__ClusterId"] = "e2e-" + Guid.NewGuid().ToString("N")[..12],
        };
        await using var silo = await SiloProcess.StartAsync(fixture.Redis.Configuration, cluster);
        await using var host = await ServiceProcess.StartAsync(
            fixture.Redis.Configuration,
            new Dictionary<string, string>(cluster) { ["Decisioning__Grpc__Silo"] = "External" });

        var line = await DrawOnAFreshLineAsync(host);

        Assert.Equal(1_234, line.DrawnMinor);
    }

    [Fact]
    public async Task A_grpc_host_joined_as_a_client_to_a_standalone_silo_on_localhost_serves_the_line()
    {
        await using var silo = await SiloProcess.StartAsync(fixture.Redis.Configuration);
        await using var host = await ServiceProcess.StartAsync(fixture.Redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Grpc__Silo"] = "External",
            ["Decisioning__Cluster__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
        });

        var line = await DrawOnAFreshLineAsync(host);

        Assert.Equal(1_234, line.DrawnMinor);
        // Started from another folder, the silo read the appsettings.json beside its binary: only
        // that file chooses the providers, and it says so.
        Assert.Contains("External data providers are SIMULATED (Decisioning:ExternalData:Providers=Simulation)", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_standalone_silo_serves_its_own_metrics_and_dashboard()
    {
        var (metricsPort, dashboardPort) = (RedisServer.FreePort(), RedisServer.FreePort());
        await using var silo = await SiloProcess.StartAsync(fixture.Redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Telemetry__MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["Decisioning__Telemetry__DashboardPort"] = dashboardPort.ToString(CultureInfo.InvariantCulture),
        });
        await using var host = await ServiceProcess.StartAsync(fixture.Redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Grpc__Silo"] = "External",
            ["Decisioning__Cluster__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
        });

        await DrawOnAFreshLineAsync(host);

        // The silo commits the draw: its own scrape endpoint shows the commit, the front door's the call.
        var drawsOk = new[] { ("http_route", "/decisioning.v1.CreditLineService/Draw"), ("rpc_grpc_status_code", "0") };
        var siloMetrics = await ObservabilityTests.ScrapeOnceAsync(metricsPort, m => ObservabilityTests.Sum(m, "decisioning_commit_lines_count") > 0);
        var hostMetrics = await ObservabilityTests.ScrapeOnceAsync(host.MetricsPort, m => ObservabilityTests.Sum(m, "http_server_request_duration_seconds_count", drawsOk) > 0);
        Assert.Contains("service_name=\"decisioning-silo\"", siloMetrics, StringComparison.Ordinal);
        Assert.True(ObservabilityTests.Sum(siloMetrics, "decisioning_commit_lines_count") > 0, siloMetrics);
        Assert.Equal(1, ObservabilityTests.Sum(hostMetrics, "http_server_request_duration_seconds_count", drawsOk));
        Assert.Equal(200, (await ServiceProcess.GetAsync(dashboardPort, "/")).Status);
        Assert.Contains("\"status\":\"Active\"", (await DashboardTests.CountersAsync(dashboardPort)).Body, StringComparison.Ordinal);
    }

    // Applications and decisions cross the wire between the client and the silo (as JSON, within
    // Orleans' messages): this is the path where that serialization must hold.
    [Fact]
    public async Task A_grpc_host_joined_as_a_client_assesses_an_enterprise_and_reads_the_decision_back()
    {
        await using var silo = await SiloProcess.StartAsync(fixture.Redis.Configuration);
        await using var host = await ServiceProcess.StartAsync(fixture.Redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Grpc__Silo"] = "External",
            ["Decisioning__Cluster__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
        });
        var decisioning = new DecisioningService.DecisioningServiceClient(host.Channel);
        var id = TestEnterprises.Unique();

        var assessed = await decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));
        var recorded = await decisioning.GetDecisionAsync(new GetDecisionRequest { EnterpriseId = id, DecisionId = assessed.Decision.DecisionId });

        Assert.Equal((Outcome.Approve, TestApplications.ApprovedLimitMinor), (assessed.Decision.Outcome, assessed.Line.LimitMinor));
        Assert.Equal(assessed.Decision, recorded.Decision);
        Assert.Equal(Applications.Sound(id, "assess-1").FundFlow, recorded.Application.FundFlow);
    }

    internal static async Task<Line> DrawOnAFreshLineAsync(ServiceProcess host)
    {
        var id = TestEnterprises.Unique();
        await host.OpenLineByFourEyesAsync(new OpenLineRequest
        {
            EnterpriseId = id,
            RequestId = "open",
            LimitMinor = 10_000,
            AnnualRateBps = 300,
            TermDays = 30,
            Product = Product.OperatingQuickLoan,
        });
        var lines = new CreditLineService.CreditLineServiceClient(host.Channel);
        await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "d-1", AmountMinor = 1_234 });
        return (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;
    }
}
