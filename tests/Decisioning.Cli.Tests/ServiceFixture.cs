using Decisioning.Testing;

namespace Decisioning.Cli.Tests;

/// <summary>One real service (grpc-host and its silo, real tokens) over one throwaway Redis, shared by a test class's runs of the tool.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private RedisServer? _redis;
    private ServiceProcess? _service;

    public ServiceProcess Service => _service ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _service = await ServiceProcess.StartAsync(_redis.Configuration);
    }

    public async Task DisposeAsync()
    {
        await (_service?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_redis?.DisposeAsync() ?? ValueTask.CompletedTask);
    }
}
