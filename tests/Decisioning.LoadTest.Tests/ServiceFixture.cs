using System.Globalization;
using Decisioning.Testing;

namespace Decisioning.LoadTest.Tests;

/// <summary>One real service (grpc-host and its silo) over one throwaway Redis, shared by the runs of a test class.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private RedisServer? _redis;
    private ServiceProcess? _service;

    public string Target => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Service.GrpcPort}");

    public ServiceProcess Service => _service ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        // Load runs go as fast as the machine allows, as ./bench.sh runs them.
        _service = await ServiceProcess.StartAsync(_redis.Configuration, new Dictionary<string, string> { ["Decisioning__RateLimits__Enabled"] = "false" });
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
