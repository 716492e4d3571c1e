using Decisioning.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Decisioning.Grains.Lines;

/// <summary>Where the working-day calendar comes from.</summary>
public sealed class WorkingDaysOptions
{
    public const string Section = "Decisioning:WorkingDays";

    /// <summary>A calendar file in the shipped format (relative paths are from the binaries' folder); empty for the shipped calendar.</summary>
    public string? Path { get; set; }
}

/// <summary>
/// The configured working-day calendar (<see cref="WorkingCalendar"/>), loaded when the silo starts:
/// a calendar without this year or the next is a warning, since those years then count Monday to Friday only.
/// </summary>
public sealed class WorkingDays : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Lazy<WorkingCalendar> _calendar;

    public WorkingDays(IOptions<WorkingDaysOptions> options, TimeProvider clock, ILogger<WorkingDays> logger)
    {
        _calendar = new(() =>
        {
            var path = options.Value.Path;
            var calendar = string.IsNullOrWhiteSpace(path)
                ? WorkingCalendar.China
                : WorkingCalendar.LoadFile(System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(AppContext.BaseDirectory, path));
            var thisYear = BusinessCalendar.DateOf(clock.GetUtcNow()).Year;
            if (calendar.UncoveredYears(thisYear, thisYear + 1) is { Count: > 0 } missing)
            {
                logger.LogWarning(
                    "The working-day calendar has no public holidays for {Years}: those years count Monday to Friday as working days until the State Council's notice is added",
                    string.Join(", ", missing));
            }

            return calendar;
        });
    }

    public WorkingCalendar Calendar => _calendar.Value;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WorkingDays), ServiceLifecycleStage.First, _ => Task.FromResult(_calendar.Value));
}
