using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Decisioning.Simulations;

public enum ClockMode
{
    /// <summary>The machine's clock: the default, and the only one for production.</summary>
    System,

    /// <summary>A clock that stands still until SimulationService/AdvanceClock moves it: for tests and demos only.</summary>
    Simulated,
}

/// <summary>
/// <c>Decisioning:Clock</c>: the one clock of the process (the line rules, the grains, the daily
/// process's reminders and timers, the referral queue's ages). <see cref="ClockMode.Simulated"/>
/// starts at <see cref="Start"/> and moves only forward, only by AdvanceClock.
/// </summary>
public sealed class ClockOptions
{
    public const string Section = "Decisioning:Clock";

    public ClockMode Mode { get; set; } = ClockMode.System;

    /// <summary>Where a simulated clock starts; required with it.</summary>
    public DateTimeOffset? Start { get; set; }
}

/// <summary>
/// A SIMULATED clock: it reads <see cref="Now"/> until moved forward; it never goes back. Its timers
/// are the system's (they wait in real time): a jump does not fire the periodic timers of the silo
/// once per period skipped, and what is due at the new time (a grain timer at a hold's expiry, a
/// reminder) fires when its real timer next looks.
/// </summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public DateTimeOffset Now => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Moves the clock to <paramref name="instant"/>; an instant not after now is refused (time never runs back).</summary>
    public void MoveTo(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        for (var now = Interlocked.Read(ref _utcTicks); ticks > now; now = Interlocked.Read(ref _utcTicks))
        {
            if (Interlocked.CompareExchange(ref _utcTicks, ticks, now) == now)
            {
                return;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(instant), instant, $"the simulated clock is at {Now:O}: it moves only forward");
    }
}

public static class SimulatedClockRegistration
{
    /// <summary>
    /// Registers the clock <c>Decisioning:Clock</c> chooses as the process's one <see cref="TimeProvider"/>:
    /// nothing for the system clock (the host's default), a <see cref="SimulatedClock"/> with a
    /// warning at start for the simulated one. Null for the system clock.
    /// </summary>
    public static SimulatedClock? AddDecisioningClock(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ClockOptions.Section).Get<ClockOptions>() ?? new();
        if (options.Mode == ClockMode.System)
        {
            return null;
        }

        var start = options.Start ?? throw new InvalidOperationException(
            $"{ClockOptions.Section}:Mode is {ClockMode.Simulated} without {ClockOptions.Section}:Start: a simulated clock starts at a stated instant");
        var clock = new SimulatedClock(start);
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        services.AddHostedService(sp => new SimulatedClockNotice(sp.GetRequiredService<ILogger<SimulatedClockNotice>>(), clock));
        return clock;
    }
}

/// <summary>Says at start, where operators look, that the service's time is made up.</summary>
internal sealed class SimulatedClockNotice(ILogger<SimulatedClockNotice> logger, SimulatedClock clock) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "The clock is SIMULATED ({Section}:Mode={Mode}): the service's time is {Now:O} and moves only by SimulationService/AdvanceClock. For tests and demos only.",
            ClockOptions.Section,
            ClockMode.Simulated,
            clock.Now);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
