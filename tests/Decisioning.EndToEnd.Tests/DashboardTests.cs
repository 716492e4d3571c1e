using System.Globalization;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

/// <summary>The Orleans Dashboard of the co-hosted silo, on a port of its own (Decisioning:Telemetry:DashboardPort).</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task The_dashboard_answers_under_the_co_hosted_silo_on_its_own_port_and_nowhere_else()
    {
        await using var redis = await RedisServer.StartAsync();
        var port = RedisServer.FreePort();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Telemetry__DashboardPort"] = port.ToString(CultureInfo.InvariantCulture),
        });
        var id = await service.OpenFreshLineAsync(1_000_000);

        var (pageStatus, page) = await ServiceProcess.GetAsync(port, "/");
        var (countersStatus, counters) = await CountersAsync(port);

        Assert.Equal(200, pageStatus);
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, countersStatus);
        Assert.Contains("\"status\":\"Active\"", counters, StringComparison.Ordinal);
        // A line's state (its balances) is not for an unauthenticated page, nor the live log.
        Assert.Equal(404, (await ServiceProcess.GetAsync(port, $"/GrainState?grainId={id}&grainType=Decisioning.Grains.Lines.CreditLineGrain")).Status);
        Assert.NotEqual(200, (await ServiceProcess.GetAsync(port, "/Trace")).Status);
        // Each port serves its own: no dashboard on the metrics or probe port, no metrics or health on the dashboard's.
        Assert.Equal(404, (await ServiceProcess.GetAsync(service.MetricsPort, "/DashboardCounters")).Status);
        Assert.Equal(404, (await ServiceProcess.GetAsync(service.ProbePort, "/DashboardCounters")).Status);
        Assert.Equal(404, (await ServiceProcess.GetAsync(port, "/metrics")).Status);
        Assert.Equal(404, (await ServiceProcess.GetAsync(port, "/healthz")).Status);
    }

    /// <summary>
    /// The dashboard's counters once they list an active silo, or after 30 s whatever they say: the
    /// dashboard gathers the silos' statistics on a timer of its own, so its first answers may list none.
    /// </summary>
    public static async Task<(int Status, string Body)> CountersAsync(int port)
    {
        var counters = await ServiceProcess.GetAsync(port, "/DashboardCounters");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !counters.Body.Contains("\"status\":\"Active\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            counters = await ServiceProcess.GetAsync(port, "/DashboardCounters");
        }

        return counters;
    }
}
