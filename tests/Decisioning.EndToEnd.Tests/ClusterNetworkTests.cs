using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Grpc.Core;
using Grpc.Health.V1;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// The silo port carries grain calls that move money: a silo or gateway reachable beyond loopback
/// talks only mutual TLS, with peers whose certificates the cluster's authority issued.
/// </summary>
public sealed class ClusterNetworkTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly string _clusterId = "net-" + Guid.NewGuid().ToString("N")[..12];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Theory]
    [InlineData("ListenAddress", "0.0.0.0")]
    [InlineData("AdvertisedAddress", "192.0.2.10")]
    public async Task A_silo_beyond_loopback_without_mutual_TLS_refuses_to_start_naming_the_settings(string setting, string address)
    {
        await using var silo = SiloProcess.Create(_redis.Configuration, RedisClustering(new() { [$"Decisioning__Cluster__{setting}"] = address }));

        var exit = await silo.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains($"Refusing to start: the silo would listen on", silo.Output, StringComparison.Ordinal);
        Assert.Contains($"Decisioning:Cluster:{setting}", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Decisioning:Cluster:Tls:CertificatePath", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grpc_host_joining_a_cluster_beyond_loopback_without_mutual_TLS_refuses_to_start()
    {
        await using var host = ServiceProcess.Create(_redis.Configuration, RedisClustering(new()
        {
            ["Decisioning__Grpc__Silo"] = "External",
            ["Decisioning__Cluster__ListenAddress"] = "0.0.0.0",
        }));

        var exit = await host.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains("Refusing to start: the cluster this client joins would listen on", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_given_the_wrong_certificate_password_refuses_to_start_naming_the_certificate_but_not_the_password()
    {
        const string wrong = "wrong-pfx-password-3f9a";
        using var authority = ClusterAuthority.Create("decisioning-test-ca");
        var settings = Tls(authority, "silo", new() { ["Decisioning__Cluster__ListenAddress"] = "0.0.0.0" });
        settings["Decisioning__Cluster__Tls__CertificatePassword"] = wrong;
        await using var silo = SiloProcess.Create(_redis.Configuration, RedisClustering(settings));

        var exit = await silo.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains($"Decisioning:Cluster:Tls:CertificatePath: cannot load '{settings["Decisioning__Cluster__Tls__CertificatePath"]}'", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unlined_decision_retention_shorter_than_thirty_days_stops_the_silo_at_start_naming_it()
    {
        await using var silo = SiloProcess.Create(_redis.Configuration, new Dictionary<string, string> { ["Decisioning__Storage__UnlinedDecisionRetention"] = "7.00:00:00" });

        var exit = await silo.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains("UnlinedDecisionRetention", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_listening_on_every_address_serves_a_grpc_host_whose_certificate_the_cluster_authority_issued_over_mutual_TLS()
    {
        using var authority = ClusterAuthority.Create("decisioning-test-ca");
        await using var silo = await SiloProcess.StartAsync(_redis.Configuration, RedisClustering(Tls(authority, "silo", new() { ["Decisioning__Cluster__ListenAddress"] = "0.0.0.0" })));
        await using var host = await ServiceProcess.StartAsync(_redis.Configuration, RedisClustering(Tls(authority, "grpc-host", new()
        {
            ["Decisioning__Grpc__Silo"] = "External",
            ["Decisioning__Cluster__ListenAddress"] = "0.0.0.0",
        })));
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
        var line = (await new CreditLineService.CreditLineServiceClient(host.Channel).GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;

        Assert.Equal(10_000, line.AvailableMinor);
    }

    [Fact]
    public async Task A_grpc_host_whose_certificate_another_authority_issued_cannot_join_the_cluster()
    {
        using var authority = ClusterAuthority.Create("decisioning-test-ca");
        using var stranger = ClusterAuthority.Create("another-ca");
        await using var silo = await SiloProcess.StartAsync(_redis.Configuration, RedisClustering(Tls(authority, "silo", new() { ["Decisioning__Cluster__ListenAddress"] = "0.0.0.0" })));
        var settings = Tls(stranger, "grpc-host", new() { ["Decisioning__Grpc__Silo"] = "External" });
        // It trusts the cluster's authority, so only the silo's refusal of its certificate stops it.
        settings["Decisioning__Cluster__Tls__CaCertificatePath"] = authority.CaPath;
        await using var host = ServiceProcess.Create(_redis.Configuration, RedisClustering(settings));

        // It keeps trying to connect; the silo's log shows each attempt refused.
        var running = host.RunToExitAsync(Limit);
        for (var wait = 0; wait < 600 && !silo.Output.Contains(Rejected, StringComparison.Ordinal); wait++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(Rejected, silo.Output, StringComparison.Ordinal);
        Assert.False(running.IsCompleted, host.Output);
        Assert.NotEqual(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(host));
        await host.KillAsync();
        await running;
    }

    private const string Rejected = "The remote certificate was rejected by the provided RemoteCertificateValidationCallback";

    private static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(ServiceProcess host)
    {
        try
        {
            return (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5))).Status;
        }
        catch (RpcException)
        {
            return HealthCheckResponse.Types.ServingStatus.Unknown;
        }
    }

    /// <summary>Silos and clients of this test find each other in Redis under a cluster id of its own.</summary>
    private Dictionary<string, string> RedisClustering(Dictionary<string, string> settings)
    {
        settings["Decisioning__Cluster__Clustering"] = "Redis";
        settings["Decisioning__Cluster__ClusterId"] = _clusterId;
        return settings;
    }

    private static Dictionary<string, string> Tls(ClusterAuthority authority, string name, Dictionary<string, string> settings)
    {
        const string password = "test-pfx-password";
        settings["Decisioning__Cluster__Tls__CertificatePath"] = authority.Issue(name, password);
        settings["Decisioning__Cluster__Tls__CertificatePassword"] = password;
        settings["Decisioning__Cluster__Tls__CaCertificatePath"] = authority.CaPath;
        return settings;
    }
}
