using System.Collections.Immutable;
using System.Text.Json;

namespace Decisioning.Domain;

/// <summary>
/// China's working days: Monday to Friday, except the public holidays, plus the weekend days
/// worked in their place (调休), as the State Council General Office announces them each year.
/// The years of the data are <see cref="Years"/>; any other year counts Monday to Friday only
/// (the host warns about it at start-up: <see cref="UncoveredYears"/>).
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>The longest run of days off: a holiday of nine days with the weekends around it.</summary>
    private const int MaxDaysOff = 31;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly Lazy<WorkingCalendar> Shipped = new(() =>
    {
        using var stream = typeof(WorkingCalendar).Assembly.GetManifestResourceStream("cn-working-days.json")
            ?? throw new InvalidOperationException("The shipped working-day calendar cn-working-days.json is not embedded.");
        return Parse(stream);
    });

    private readonly ImmutableHashSet<DateOnly> _holidays;
    private readonly ImmutableHashSet<DateOnly> _workedWeekends;

    private WorkingCalendar(ImmutableSortedSet<int> years, ImmutableHashSet<DateOnly> holidays, ImmutableHashSet<DateOnly> workedWeekends, ImmutableArray<string> sources)
    {
        (Years, _holidays, _workedWeekends, Sources) = (years, holidays, workedWeekends, sources);
    }

    /// <summary>The calendar shipped with the service (models/calendar/cn-working-days.json).</summary>
    public static WorkingCalendar China => Shipped.Value;

    /// <summary>Monday to Friday, every year: no holidays known.</summary>
    public static WorkingCalendar WeekdaysOnly { get; } = new([], [], [], []);

    /// <summary>The years whose holidays and adjusted working days the calendar holds.</summary>
    public ImmutableSortedSet<int> Years { get; }

    /// <summary>The notices each year was taken from.</summary>
    public ImmutableArray<string> Sources { get; }

    public static WorkingCalendar Parse(Stream json) =>
        From(JsonSerializer.Deserialize<CalendarFile>(json, Json) ?? throw new InvalidDataException("The working-day calendar is empty."));

    public static WorkingCalendar LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream);
    }

    public bool IsWorkingDay(DateOnly date) =>
        _workedWeekends.Contains(date) || (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(date));

    /// <summary><paramref name="date"/> itself when it is a working day, else the first working day after it.</summary>
    public DateOnly NextWorkingDayOnOrAfter(DateOnly date)
    {
        for (var i = 0; i <= MaxDaysOff; i++)
        {
            if (IsWorkingDay(date.AddDays(i)))
            {
                return date.AddDays(i);
            }
        }

        throw new InvalidOperationException($"the calendar has no working day in the {MaxDaysOff} days from {date:yyyy-MM-dd}");
    }

    /// <summary>The working days after <paramref name="from"/>, up to and including <paramref name="to"/>; 0 when <paramref name="to"/> is not later.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The <paramref name="count"/>-th working day after <paramref name="from"/> (count ≥ 1).</summary>
    public DateOnly AddWorkingDays(DateOnly from, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var day = from;
        for (var found = 0; found < count;)
        {
            day = NextWorkingDayOnOrAfter(day.AddDays(1));
            found++;
        }

        return day;
    }

    /// <summary>The years from <paramref name="from"/> to <paramref name="to"/> the calendar has no data for: they count weekdays only.</summary>
    public IReadOnlyList<int> UncoveredYears(int from, int to) => [.. Enumerable.Range(from, Math.Max(0, to - from + 1)).Where(y => !Years.Contains(y))];

    private static WorkingCalendar From(CalendarFile file)
    {
        var holidays = ImmutableHashSet.CreateBuilder<DateOnly>();
        var worked = ImmutableHashSet.CreateBuilder<DateOnly>();
        var years = ImmutableSortedSet.CreateBuilder<int>();
        foreach (var year in file.Years ?? [])
        {
            if (!years.Add(year.Year))
            {
                throw new InvalidDataException($"The working-day calendar lists {year.Year} twice.");
            }

            foreach (var holiday in year.Holidays ?? [])
            {
                if (holiday.To < holiday.From || holiday.From.Year != year.Year || holiday.To.DayNumber - holiday.From.DayNumber >= MaxDaysOff)
                {
                    throw new InvalidDataException($"The holiday '{holiday.Name}' of {year.Year} runs from {holiday.From:yyyy-MM-dd} to {holiday.To:yyyy-MM-dd}: it must start in its year and end on or after its start.");
                }

                for (var day = holiday.From; day <= holiday.To; day = day.AddDays(1))
                {
                    holidays.Add(day);
                }
            }

            foreach (var day in year.WorkingDays ?? [])
            {
                if (day.Year != year.Year || day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    throw new InvalidDataException($"The adjusted working day {day:yyyy-MM-dd} of {year.Year} must be a weekend day of that year.");
                }

                worked.Add(day);
            }
        }

        if (worked.FirstOrDefault(holidays.Contains) is var both && both != default)
        {
            throw new InvalidDataException($"{both:yyyy-MM-dd} is both a holiday and an adjusted working day.");
        }

        return new WorkingCalendar(years.ToImmutable(), holidays.ToImmutable(), worked.ToImmutable(), [.. (file.Years ?? []).Select(y => y.Source ?? "")]);
    }

    private sealed record CalendarFile(List<CalendarYear>? Years);

    private sealed record CalendarYear(int Year, string? Source, List<Holiday>? Holidays, List<DateOnly>? WorkingDays);

    private sealed record Holiday(string Name, DateOnly From, DateOnly To);
}
