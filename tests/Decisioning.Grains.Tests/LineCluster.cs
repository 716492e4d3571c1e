using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Events;
using Decisioning.Grains.Hosting;
using Decisioning.Grains.Storage;
using Decisioning.Simulations;
using Decisioning.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

/// <summary>
/// A real Orleans silo (InProcessTestCluster) over a real redis-server process, with a clock the
/// tests move. Dispose it and build another against the same Redis to restart the whole host.
/// </summary>
public sealed class LineCluster : IAsyncDisposable
{
    /// <summary>The caller of the tests' commands and assessments that name none of their own.</summary>
    public const string Caller = "anonymous";

    public static readonly DateTimeOffset Start = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private LineCluster(InProcessTestCluster cluster, FakeTimeProvider clock)
    {
        Cluster = cluster;
        Clock = clock;
    }

    public InProcessTestCluster Cluster { get; }

    public FakeTimeProvider Clock { get; }

    public IGrainFactory Grains => Cluster.Client;

    /// <param name="settings">Configuration on top of the defaults (a simulated provider outage, say).</param>
    /// <param name="simulatedProviders">False: no external data providers, as a host that forgot them.</param>
    /// <param name="services">Registrations on top of the silo's own (a fault-injecting store, say).</param>
    public static Task<LineCluster> StartAsync(
        RedisServer redis,
        FakeTimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool simulatedProviders = true,
        Action<IServiceCollection>? services = null,
        string? serviceId = null) =>
        StartAsync(redis.Configuration, clock, settings, simulatedProviders, services, serviceId);

    /// <param name="redisConfiguration">A StackExchange.Redis configuration string: through sentinels, or a Redis Cluster's nodes.</param>
    public static async Task<LineCluster> StartAsync(
        string redisConfiguration,
        FakeTimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool simulatedProviders = true,
        Action<IServiceCollection>? services = null,
        string? serviceId = null)
    {
        clock ??= new FakeTimeProvider(Start);
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;

        // Reminders are kept per service id: a restart that must find them again names the same one.
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }

        var configuration = new Dictionary<string, string?>
        {
            [$"{RedisOptions.Section}:{nameof(RedisOptions.Configuration)}"] = redisConfiguration,
            ["Decisioning:Model:Challenger"] = "models/scorecard-2026.2-challenger.json",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(configuration));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddDecisioningGrains();
            if (simulatedProviders)
            {
                silo.Services.AddSimulatedExternalData();
            }

            silo.Services.AddSingleton<TimeProvider>(clock);
            services?.Invoke(silo.Services);
        });
        builder.ConfigureClient(client => client.Services.AddDecisioningSerialization());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LineCluster(cluster, clock);
    }

    public ICreditLineGrain Line(string enterpriseId) => Grains.GetGrain<ICreditLineGrain>(enterpriseId);

    public IAssessmentGrain Assessment => Grains.GetGrain<IAssessmentGrain>(0);

    public IConsentGrain Consents => Grains.GetGrain<IConsentGrain>(0);

    /// <summary>Records the enterprise's consent to query every source (or <paramref name="sources"/>), valid now: what an assessment that fetches needs first.</summary>
    public async Task<Consent> GrantConsent(string enterpriseId, string requestId = "consent-1", params ExternalProvider[] sources) =>
        (await Consents.Record(TestConsents.Command(enterpriseId, Clock.GetUtcNow(), requestId, Caller, sources))).Value
        ?? throw new InvalidOperationException($"the consent of {enterpriseId} was not recorded");

    public T SiloService<T>()
        where T : notnull => Cluster.GetSiloServiceProvider().GetRequiredService<T>();

    /// <summary>A store of its own, as a second activation somewhere else would have.</summary>
    public static async Task<(RedisLineStore Store, ConnectionMultiplexer Connection)> OutsideStoreAsync(RedisServer redis)
    {
        var connection = await redis.ConnectAsync();
        return (new RedisLineStore(connection, Options.Create(new LineStorageOptions()), Options.Create(new RedisOptions()), Options.Create(new EventOptions())), connection);
    }

    /// <summary>
    /// Another activation of the line (two, briefly, while silos join or leave) draws behind the back
    /// of the one this silo holds, through a store of its own.
    /// </summary>
    public async Task DrawElsewhereAsync(RedisServer redis, string enterpriseId, string requestId, long amountMinor)
    {
        var (store, connection) = await OutsideStoreAsync(redis);
        await using (connection)
        {
            var stored = await store.LoadAsync(enterpriseId);
            var command = new DrawCommand(requestId, amountMinor) { Actor = Caller };
            var drawn = (Applied)stored.Apply(command, Clock.GetUtcNow());
            var outcome = await store.CommitAsync(enterpriseId, stored, drawn.State, [new(command.RequestKey, command.Fingerprint, drawn.Result, drawn.Entries)]);
            if (outcome is not CommittedOutcome)
            {
                throw new InvalidOperationException($"the draw elsewhere on {enterpriseId} was not stored: {outcome}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>One Redis and one silo shared by the tests of a class; each test uses its own enterprises.</summary>
public sealed class SharedLineCluster : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public LineCluster Line { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Line = await LineCluster.StartAsync(Redis);
    }

    public async Task DisposeAsync()
    {
        await Line.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
