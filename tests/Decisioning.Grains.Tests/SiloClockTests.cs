using Decisioning.Grains.Hosting;
using Decisioning.Simulations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Reminders;

namespace Decisioning.Grains.Tests;

/// <summary>Which clock each part of a Decisioning silo runs on when the process's clock is simulated.</summary>
public sealed class SiloClockTests
{
    [Fact]
    public void A_silo_on_a_simulated_clock_keeps_the_Orleans_runtime_on_the_system_clock_and_grain_timers_and_reminders_on_the_simulated_one()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Decisioning:Clock:Mode"] = "Simulated",
            ["Decisioning:Clock:Start"] = "2027-03-08T16:10:00Z",
        });
        var simulated = builder.Services.AddDecisioningClock(builder.Configuration);
        builder.UseOrleans(silo => silo.AddDecisioningSilo(builder.Configuration));
        using var host = builder.Build();

        // Membership on the simulated clock declared the silo dead while it joined (its start is
        // stamped in real time, months before the simulated now), and the process stopped itself.
        string[] runtime = [TimeProviderNames.Membership, TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory];
        Assert.All(runtime, area => Assert.Same(TimeProvider.System, host.Services.GetRequiredKeyedService<TimeProvider>(area)));
        Assert.Same(simulated, host.Services.GetRequiredService<TimeProvider>());
        Assert.Same(simulated, host.Services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Grains));
        Assert.Same(simulated, host.Services.GetRequiredKeyedService<TimeProvider>(ReminderTimeProviderNames.Reminders));
    }
}
