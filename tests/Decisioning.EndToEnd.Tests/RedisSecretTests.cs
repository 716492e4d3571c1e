using Decisioning.Contracts.V1;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// The Redis configuration string holds the password of the service's Redis user: no log line and
/// no error message may carry it, at any log level, whatever goes wrong at start.
/// </summary>
public sealed class RedisSecretTests
{
    private const string User = "decisioning";
    private const string Password = "pw-5c1e7a9d-never-printed";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Everything at Information and above, third parties included: a secret must not hide behind a log level.</summary>
    private static readonly Dictionary<string, string> Verbose = new()
    {
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Orleans"] = "Information",
        ["Logging__LogLevel__StackExchange.Redis"] = "Information",
        ["Decisioning__Cluster__Clustering"] = "Redis",
        ["Decisioning__Cluster__ClusterId"] = "secrets-" + Guid.NewGuid().ToString("N")[..12],
    };

    [Fact]
    public async Task A_silo_refusing_a_Redis_that_could_lose_changes_names_the_Redis_and_its_user_but_not_the_password()
    {
        await using var redis = await RedisServer.StartAsync(durable: false);
        await RequireUserAsync(redis, Password);
        await using var silo = SiloProcess.Create($"{redis.Configuration},user={User},password={Password}", Verbose);

        var exit = await silo.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains($"Redis at {redis.Configuration},user={User},password=*****", silo.Output, StringComparison.Ordinal);
        Assert.Contains("could lose acknowledged changes", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_given_the_wrong_Redis_password_stops_at_start_without_printing_it()
    {
        const string wrong = "wrong-pw-0b8e13f2-never-printed";
        await using var redis = await RedisServer.StartAsync();
        await RequireUserAsync(redis, Password);
        await using var service = ServiceProcess.Create($"{redis.Configuration},user={User},password={wrong}", Verbose);

        var exit = await service.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains("is not reachable, or refused the user and password", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grpc_host_joining_a_cluster_through_Redis_with_the_wrong_password_stops_at_start_without_printing_it()
    {
        const string wrong = "wrong-pw-7d41c09e-never-printed";
        await using var redis = await RedisServer.StartAsync();
        await RequireUserAsync(redis, Password);
        await using var host = ServiceProcess.Create(
            $"{redis.Configuration},user={User},password={wrong}",
            new Dictionary<string, string>(Verbose) { ["Decisioning__Grpc__Silo"] = "External" });

        var exit = await host.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains("AuthenticationFailure", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_serving_through_a_Redis_user_and_password_never_prints_the_password()
    {
        await using var redis = await RedisServer.StartAsync();
        await RequireUserAsync(redis, Password);
        await using var service = await ServiceProcess.StartAsync($"{redis.Configuration},user={User},password={Password}", Verbose);

        var line = await service.OpenLineByFourEyesAsync(new OpenLineRequest
        {
            EnterpriseId = TestEnterprises.Unique(),
            RequestId = "open",
            LimitMinor = 10_000,
            AnnualRateBps = 300,
            TermDays = 30,
            Product = Product.OperatingQuickLoan,
        });
        await service.KillAsync();

        Assert.Equal(10_000, line.Line.LimitMinor);
        Assert.DoesNotContain(Password, service.Output, StringComparison.Ordinal);
    }

    /// <summary>An ACL user for the service with every right, and no more connections without a password.</summary>
    private static async Task RequireUserAsync(RedisServer redis, string password)
    {
        await using var admin = await redis.ConnectAsync();
        var db = admin.GetDatabase();
        await db.ExecuteAsync("ACL", "SETUSER", User, "on", ">" + password, "~*", "&*", "+@all");
        await db.ExecuteAsync("ACL", "SETUSER", "default", "off");
    }
}
