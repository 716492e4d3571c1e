using Decisioning.Contracts.V1;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

/// <summary>One Redis and one running service (real Kestrel, real silo) for the end-to-end tests.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public ServiceProcess Service { get; private set; } = null!;

    public CreditLineService.CreditLineServiceClient Lines => new(Service.Channel);

    public LineAdminService.LineAdminServiceClient Admin => new(Service.Channel);

    public DecisioningService.DecisioningServiceClient Decisioning => new(Service.Channel);

    public ProgrammeService.ProgrammeServiceClient Programmes => new(Service.Channel);

    public ConsentService.ConsentServiceClient Consents => new(Service.Channel);

    /// <summary>
    /// How many changes the enterprise's consent journal holds, read from Redis: the tables' "nothing
    /// changed" checks read it without a call that would count against the enterprise's rate limit.
    /// </summary>
    public async Task<long> ConsentChangesAsync(string enterpriseId)
    {
        await using var redis = await Redis.ConnectAsync();
        return await redis.GetDatabase().StreamLengthAsync($"dc:{{consent:{enterpriseId}}}:journal");
    }

    /// <summary>The simulated credit bureau times out for this enterprise (configured below).</summary>
    public static readonly string BureauDown = TestEnterprises.Id(990_000_001);

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Service = await ServiceProcess.StartAsync(Redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__ExternalData__SimulatedOutages__0__Provider"] = "CreditBureau",
            ["Decisioning__ExternalData__SimulatedOutages__0__EnterpriseId"] = BureauDown,

            // The tables (bad requests, hostile callers) fire hundreds of calls at one target
            // enterprise within a second or two, more than the production bucket (200/s, burst 400)
            // lets through; the limits themselves are tested by RateLimitTests on a service of their own.
            ["Decisioning__RateLimits__PerEnterprise__PerSecond"] = "20000",
            ["Decisioning__RateLimits__PerEnterprise__Burst"] = "40000",
        });
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
