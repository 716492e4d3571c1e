using System.Net;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Assessment;
using Decisioning.Grains.Events;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Programmes;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Reminders;
using StackExchange.Redis;

namespace Decisioning.Grains.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Everything a Decisioning silo needs: clustering (localhost or Redis), the Redis connection and
    /// its durability check, line storage and the clock.
    /// </summary>
    public static ISiloBuilder AddDecisioningSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(DecisioningClusterOptions.Section).Get<DecisioningClusterOptions>() ?? new();
        var redis = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new();
        switch (cluster.Clustering)
        {
            case Clustering.Localhost:
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId)
                    .UseDecisioningTls(configuration, IPAddress.Loopback, IPAddress.Loopback);
                break;
            case Clustering.Redis:
                var (listen, advertised) = (cluster.ParsedListenAddress(), cluster.ParsedAdvertisedAddress());
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis.Configuration))
                    .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId))
                    .Configure<EndpointOptions>(o =>
                    {
                        (o.AdvertisedIPAddress, o.SiloPort, o.GatewayPort) = (advertised, cluster.SiloPort, cluster.GatewayPort);
                        o.SiloListeningEndpoint = new IPEndPoint(listen, cluster.SiloPort);
                        o.GatewayListeningEndpoint = new IPEndPoint(listen, cluster.GatewayPort);
                    })
                    .UseDecisioningTls(configuration, listen, advertised);
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    var tuning = cluster.Membership;
                    (o.ProbeTimeout, o.NumMissedProbesLimit, o.NumVotesForDeathDeclaration) = (tuning.ProbeTimeout, tuning.NumMissedProbesLimit, tuning.NumVotesForDeathDeclaration);
                    // Orleans 10 adapts the probe timeout between these bounds (2.5 s to 20 s by default): a shorter probe must lower the floor to count.
                    o.MinProbeTimeout = TimeSpan.FromTicks(Math.Min(o.MinProbeTimeout.Ticks, tuning.ProbeTimeout.Ticks));
                    (o.DeathVoteExpirationTimeout, o.IAmAliveTablePublishTimeout) = (tuning.DeathVoteExpirationTimeout, tuning.IAmAliveTablePublishTimeout);
                });
                break;
        }

        // A stopping silo hands its grains over (each line's OnDeactivateAsync closes its pipeline after
        // the commits in flight) and leaves the cluster; the host must not cut that short.
        silo.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(o.ShutdownTimeout.TotalSeconds, 60)));

        silo.Services.AddOptions<DecisioningClusterOptions>().BindConfiguration(DecisioningClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddMembershipTuningValidation();
        silo.Services.AddDecisioningDailyProcess();
        silo.Services.KeepOrleansRuntimeOnSystemClock();
        return silo.AddDecisioningGrains();
    }

    /// <summary>
    /// Orleans takes the clock of each of its areas from the process's <see cref="TimeProvider"/>
    /// (keyed by area, every key falling back to the one registration). The process's clock is the
    /// rules' (a simulated one for tests and demos stands still between AdvanceClock calls and jumps
    /// by days), but the runtime's own loops must keep real time: on a simulated clock, membership
    /// found the silo's own entry, still joining and stamped with its real start months before the
    /// simulated now, past its join time, and declared it dead, and the process stopped itself
    /// (FailFast) around its first calls; its timers (probes, I-am-alive, directory and table
    /// refreshes) would not fire until the clock moved, then all at once. So every runtime area
    /// (membership, messaging, system timers, activation collection, the directory cache) runs
    /// on the system clock; only grain timers and reminders, whose due times the line computes from
    /// its rules' clock (a hold's expiry, the daily run), keep the process's clock. With the system
    /// clock as the process's, nothing changes.
    /// </summary>
    public static IServiceCollection KeepOrleansRuntimeOnSystemClock(this IServiceCollection services)
    {
        // An exact key takes precedence over the catch-all, and the catch-all registered last over
        // Orleans' own (which falls back to the process's clock).
        services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, static (_, _) => TimeProvider.System);
        services.AddKeyedSingleton(TimeProviderNames.Grains, static (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddKeyedSingleton(ReminderTimeProviderNames.Reminders, static (sp, _) => sp.GetRequiredService<TimeProvider>());
        return services;
    }

    /// <summary>
    /// The daily process's reminders (issue 11), kept in the cluster's Redis (one sorted set under
    /// the service id): each open line's reminder survives restarts and fires on one silo.
    /// </summary>
    public static IServiceCollection AddDecisioningDailyProcess(this IServiceCollection services)
    {
        services.UseRedisReminderService(_ => { });
        services.AddOptions<RedisReminderTableOptions>().Configure<IOptions<RedisOptions>>(
            (reminders, redis) => reminders.ConfigurationOptions = ConfigurationOptions.Parse(redis.Value.Configuration));
        return services.AddSingleton<DailyReminders>();
    }

    /// <summary>Refuses to start with membership settings out of range (nested options are not validated with their parent).</summary>
    public static IServiceCollection AddMembershipTuningValidation(this IServiceCollection services)
    {
        services.AddOptions<MembershipTuning>().BindConfiguration(MembershipTuning.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>The grains' services without clustering (test clusters bring their own membership).</summary>
    public static ISiloBuilder AddDecisioningGrains(this ISiloBuilder silo)
    {
        silo.Services.AddDecisioningRedis();
        silo.Services.AddOptions<LineStorageOptions>().BindConfiguration(LineStorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddDecisioningEventOptions();
        silo.Services.AddOptions<FourEyesOptions>().BindConfiguration(FourEyesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddOptions<OverdueOptions>().BindConfiguration(OverdueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddOptions<WorkingDaysOptions>().BindConfiguration(WorkingDaysOptions.Section);
        silo.Services.TryAddSingleton<WorkingDays>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WorkingDays>());
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<ILineStore, RedisLineStore>();
        silo.Services.AddSingleton<LocalLines>();
        silo.Services.AddSingleton<LedgerRegressions>();
        silo.Services.AddSingleton<RedisSafetyCheck>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RedisSafetyCheck>());
        silo.Services.AddDecisioningSerialization();
        silo.Services.AddDecisioningAssessment();
        return silo;
    }

    /// <summary>
    /// The credit models (loaded and validated at start), the external providers behind a Redis
    /// cache with a timeout each, and what the assessment grain needs of them. The providers
    /// themselves (ICreditBureau, ITaxBureau, IFundFlowPlatform) are the host's to register.
    /// </summary>
    public static IServiceCollection AddDecisioningAssessment(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DecisionModels>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DecisionModels>());

        services.AddOptions<ExternalDataOptions>().BindConfiguration(ExternalDataOptions.Section).ValidateDataAnnotations()
            .Validate<IServiceProvider>(
                (_, sp) => sp.GetService<ICreditBureau>() is not null && sp.GetService<ITaxBureau>() is not null && sp.GetService<IFundFlowPlatform>() is not null,
                "No external data providers are registered (ICreditBureau, ITaxBureau, IFundFlowPlatform): the host registers the ones Decisioning:ExternalData:Providers names")
            .ValidateOnStart();

        // Provider answers are cached in the same Redis, through the one connection of the process.
        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>().Configure<IConnectionMultiplexer, IOptions<LineStorageOptions>>((cache, redis, storage) =>
        {
            cache.ConnectionMultiplexerFactory = () => Task.FromResult(redis);
            cache.InstanceName = storage.Value.KeyPrefix + ":";
        });
        services.AddSingleton<ExternalDataGateway>();
        services.AddSingleton<RedisExclusionStore>();
        services.AddDecisioningRelending();
        services.AddSingleton<RedisConsentStore>();
        return services.AddDecisioningSubsidies();
    }

    /// <summary>The technology re-lending quota (Decisioning:Relending), validated at start.</summary>
    public static IServiceCollection AddDecisioningRelending(this IServiceCollection services)
    {
        services.AddOptions<RelendingOptions>().BindConfiguration(RelendingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RelendingOptions>, RelendingOptionsValidator>();
        services.AddSingleton<RedisRelendingQuota>();
        return services.AddSingleton<RelendingTable>();
    }

    /// <summary>
    /// The interest-subsidy programmes (Decisioning:Subsidy), validated at start. Both the silo
    /// (assessments) and the front door (lines staff open by hand) use them; registered once when
    /// they share a process.
    /// </summary>
    public static IServiceCollection AddDecisioningSubsidies(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SubsidyTable)))
        {
            return services;
        }

        services.AddOptions<SubsidyOptions>().BindConfiguration(SubsidyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SubsidyOptions>, SubsidyOptionsValidator>();
        return services.AddSingleton<SubsidyTable>();
    }

    /// <summary>The risk funds (Decisioning:RiskFunds), validated at start: the front door projects their claims.</summary>
    public static IServiceCollection AddDecisioningRiskFunds(this IServiceCollection services)
    {
        services.AddOptions<RiskFundOptions>().BindConfiguration(RiskFundOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RiskFundOptions>, RiskFundOptionsValidator>();
        return services.AddSingleton<RiskFundTable>();
    }

    /// <summary>The event streams' settings (the silo publishes, the front door reads and trims); registered once when they share a process.</summary>
    public static IServiceCollection AddDecisioningEventOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(EventStreams)))
        {
            return services;
        }

        services.AddOptions<LineStorageOptions>().BindConfiguration(LineStorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EventOptions>().BindConfiguration(EventOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new ReferralIndex(
            sp.GetRequiredService<IOptions<LineStorageOptions>>().Value,
            sp.GetRequiredService<IOptions<RedisOptions>>().Value,
            sp.GetRequiredService<IOptions<EventOptions>>().Value));
        return services.AddSingleton(sp => new EventStreams(
            sp.GetRequiredService<IOptions<LineStorageOptions>>().Value,
            sp.GetRequiredService<IOptions<RedisOptions>>().Value,
            sp.GetRequiredService<IOptions<EventOptions>>().Value));
    }

    /// <summary>The one Redis connection of the process, shared by storage and the other Redis users.</summary>
    public static IServiceCollection AddDecisioningRedis(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration);
            // Keep reconnecting in the background; while Redis is away, fail commands at once
            // (UNAVAILABLE to callers) instead of queueing them.
            options.AbortOnConnectFail = false;
            options.BacklogPolicy = BacklogPolicy.FailFast;
            // For CONFIG GET in the durability check.
            options.AllowAdmin = true;
            options.LoggerFactory = sp.GetService<ILoggerFactory>();
            return ConnectionMultiplexer.Connect(options);
        });
        return services;
    }
}
