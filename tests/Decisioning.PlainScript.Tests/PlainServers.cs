using Decisioning.Testing;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using StackExchange.Redis;

namespace Decisioning.PlainScript.Tests;

/// <summary>The plain server twice, in process, over one throwaway Redis: with the journal and without it.</summary>
public sealed class PlainServers : IAsyncLifetime
{
    private RedisServer? _redis;
    private ConnectionMultiplexer? _inspection;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("not started");

    /// <summary>Keys as they are, behind the servers' backs.</summary>
    public IDatabase Keys => (_inspection ?? throw new InvalidOperationException("not started")).GetDatabase();

    public PlainHost Journaled { get; private set; } = null!;

    public PlainHost Unjournaled { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _inspection = await _redis.ConnectAsync();
        Journaled = await PlainHost.StartAsync(_redis, journal: true);
        Unjournaled = await PlainHost.StartAsync(_redis, journal: false);
    }

    public async Task DisposeAsync()
    {
        // A start that failed leaves either unset: its own failure is the one to read.
        foreach (var host in new[] { Journaled, Unjournaled }.Where(h => h is not null))
        {
            await host.DisposeAsync();
        }

        _inspection?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}

/// <summary>One plain server on a free loopback port, accepting the tests' tokens; serving when started.</summary>
public sealed class PlainHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlainHost(WebApplication app, string address)
    {
        _app = app;
        Address = address;
        Staff = BearerChannels.For(address, TestTokens.Shared.Staff);
        Approver = BearerChannels.For(address, TestTokens.Shared.Approver);
    }

    public string Address { get; }

    /// <summary>Bank staff with every scope: opens lines, draws, reads.</summary>
    public GrpcChannel Staff { get; }

    /// <summary>A second staff member: approves what <see cref="Staff"/> proposes.</summary>
    public GrpcChannel Approver { get; }

    /// <summary>The server as the tests configure it, not started: for a start that must fail.</summary>
    public static WebApplication Create(string redisConfiguration, bool journal, int port) => PlainServer.Create(
        new PlainSettings { Port = port, Redis = redisConfiguration, Journal = journal },
        TestTokens.Shared.ServiceSettings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)));

    public static async Task<PlainHost> StartAsync(RedisServer redis, bool journal)
    {
        var port = RedisServer.FreePort();
        var app = Create(redis.Configuration, journal, port);
        await app.StartAsync();
        var host = new PlainHost(app, $"http://127.0.0.1:{port}");
        // Health publishes its first result just after start: the load tool wants SERVING.
        var health = new Health.HealthClient(host.Staff);
        for (var attempt = 0; (await health.CheckAsync(new HealthCheckRequest())).Status != HealthCheckResponse.Types.ServingStatus.Serving; attempt++)
        {
            Assert.True(attempt < 100, "the plain server never said SERVING");
            await Task.Delay(100);
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Staff.Dispose();
        Approver.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
