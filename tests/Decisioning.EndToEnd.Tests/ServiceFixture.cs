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

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Service = await ServiceProcess.StartAsync(Redis.Configuration);
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
