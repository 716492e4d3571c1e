using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

/// <summary>The service checks what it is given before it serves anything.</summary>
public sealed class StartupTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_service_refuses_to_start_against_a_Redis_that_could_lose_acknowledged_changes()
    {
        await using var redis = await RedisServer.StartAsync(durable: false);
        await using var service = ServiceProcess.Create(redis.Configuration);

        var exit = await service.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains("could lose acknowledged changes", service.Output, StringComparison.Ordinal);
        Assert.Contains("appendonly is 'no', not 'yes'", service.Output, StringComparison.Ordinal);
        Assert.Contains("maxmemory-policy is 'allkeys-lru', not 'noeviction'", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throwaway_Redis_is_accepted_when_the_configuration_says_so()
    {
        await using var redis = await RedisServer.StartAsync(durable: false);

        await using var service = await ServiceProcess.StartAsync(redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Redis__AllowUnsafeDevInstance"] = "true",
        });

        Assert.Contains("AllowUnsafeDevInstance", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_setting_stops_the_service_at_start_naming_it()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = ServiceProcess.Create(redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Storage__RequestIdRetention"] = "01:00:00",
        });

        var exit = await service.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains("RequestIdRetention", service.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CreditReferenceCentre", "Decisioning:ExternalData:Providers is 'CreditReferenceCentre', which this build does not know")]
    [InlineData("", "Decisioning:ExternalData:Providers is not set")]
    public async Task External_data_providers_it_does_not_know_stop_the_service_at_start_naming_the_setting(string providers, string message)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = ServiceProcess.Create(redis.Configuration, new Dictionary<string, string> { ["Decisioning__ExternalData__Providers"] = providers });

        var exit = await service.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, service.Output, StringComparison.Ordinal);
        Assert.Contains("'Simulation' (deterministic simulations)", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_champion_model_stops_the_service_at_start_naming_every_problem()
    {
        await using var redis = await RedisServer.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"invalid-model-{Guid.NewGuid():N}.json");
        var model = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "models", "scorecard-2026.1.json"));
        await File.WriteAllTextAsync(path, model.Replace("\"weight_bps\": 2000", "\"weight_bps\": 2100", StringComparison.Ordinal));
        try
        {
            await using var service = ServiceProcess.Create(redis.Configuration, new Dictionary<string, string> { ["Decisioning__Model__Champion"] = path });

            var exit = await service.RunToExitAsync(Limit);

            Assert.NotEqual(0, exit);
            Assert.Contains("The scorecard model is invalid", service.Output, StringComparison.Ordinal);
            Assert.Contains(path, service.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_challenger_model_stops_the_service_at_start()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = ServiceProcess.Create(redis.Configuration, new Dictionary<string, string> { ["Decisioning__Model__Challenger"] = "models/no-such-model.json" });

        var exit = await service.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains("no-such-model.json: no such model file", service.Output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Decisioning.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("no Decisioning.sln above " + AppContext.BaseDirectory);
    }
}
