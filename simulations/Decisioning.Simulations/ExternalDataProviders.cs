using Decisioning.Domain.Assessment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Decisioning.Simulations;

/// <summary>
/// <c>Decisioning:ExternalData:Providers</c>: who answers for the bank's external systems (credit
/// bureau, tax bureau, fund-flow platform) in a process that hosts a silo. This build knows one
/// value, <see cref="Simulation"/>; a connection to the real systems would be another. Any other
/// value, or none, stops the process before it starts: decisions are never made on data whose
/// source nobody chose.
/// </summary>
public static class ExternalDataProviders
{
    public const string Key = "Decisioning:ExternalData:Providers";

    /// <summary>The deterministic simulations of this project (<see cref="SimulatedEnterprise"/>).</summary>
    public const string Simulation = "Simulation";

    public static IServiceCollection AddExternalDataProviders(this IServiceCollection services, IConfiguration configuration)
    {
        var chosen = configuration[Key];
        if (string.Equals(chosen, Simulation, StringComparison.OrdinalIgnoreCase))
        {
            return services.AddSimulatedExternalData();
        }

        throw new InvalidOperationException(string.IsNullOrEmpty(chosen)
            ? $"{Key} is not set: the only providers this build has are '{Simulation}' (deterministic simulations)"
            : $"{Key} is '{chosen}', which this build does not know: the only providers it has are '{Simulation}' (deterministic simulations)");
    }

    /// <summary>
    /// The simulated credit bureau, tax bureau and fund-flow platform, with the outages
    /// <c>Decisioning:ExternalData:SimulatedOutages</c> lists, and a warning at start that they are simulated.
    /// </summary>
    public static IServiceCollection AddSimulatedExternalData(this IServiceCollection services)
    {
        services.AddOptions<SimulationOptions>().BindConfiguration(SimulationOptions.Section);
        services.AddSingleton(sp => new SimulatedOutages(
            sp.GetRequiredService<IOptions<SimulationOptions>>().Value.SimulatedOutages.Select(o => (o.Provider, o.EnterpriseId))));
        services.AddSingleton<ICreditBureau>(sp => new SimulatedCreditBureau(sp.GetRequiredService<SimulatedOutages>()));
        services.AddSingleton<ITaxBureau>(sp => new SimulatedTaxBureau(sp.GetRequiredService<SimulatedOutages>()));
        services.AddSingleton<IFundFlowPlatform>(sp => new SimulatedFundFlowPlatform(sp.GetRequiredService<SimulatedOutages>()));
        services.AddHostedService<SimulationNotice>();
        return services;
    }
}

public sealed class SimulationOptions
{
    public const string Section = "Decisioning:ExternalData";

    /// <summary>For tests and demos: enterprises whose queries to a simulated provider time out, always.</summary>
    public List<SimulatedOutageOptions> SimulatedOutages { get; set; } = [];
}

public sealed class SimulatedOutageOptions
{
    public ExternalProvider Provider { get; set; }

    public string EnterpriseId { get; set; } = "";
}

/// <summary>Says at start, where operators look, that the external data is made up.</summary>
internal sealed class SimulationNotice(ILogger<SimulationNotice> logger, IOptions<SimulationOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "External data providers are SIMULATED ({Key}={Simulation}): the credit bureau, tax bureau and fund-flow platform answer with made-up, deterministic data (simulated outages: {Outages})",
            ExternalDataProviders.Key,
            ExternalDataProviders.Simulation,
            options.Value.SimulatedOutages.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
