using System.ComponentModel.DataAnnotations;
using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Lines;

/// <summary>
/// What time does to a line (issue 11): the penalty uplift, the classification bounds and when the
/// daily process runs. The penalty uplift is fixed on a line when it opens.
/// </summary>
public sealed class OverdueOptions : IValidatableObject
{
    public const string Section = "Decisioning:Overdue";

    /// <summary>The penalty rate over the contract rate, in basis points of it: +50% by default.</summary>
    public int PenaltyUpliftBps { get; set; } = OverduePolicy.DefaultPenaltyUpliftBps;

    /// <summary>The first day past due of SPECIAL_MENTION, SUBSTANDARD, DOUBTFUL and LOSS.</summary>
    public int SpecialMentionFromDays { get; set; } = OverduePolicy.Default.SpecialMentionFromDays;

    public int SubstandardFromDays { get; set; } = OverduePolicy.Default.SubstandardFromDays;
    public int DoubtfulFromDays { get; set; } = OverduePolicy.Default.DoubtfulFromDays;
    public int LossFromDays { get; set; } = OverduePolicy.Default.LossFromDays;

    /// <summary>The time of the business day (China Standard Time) the daily process runs at.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:59")]
    public TimeSpan DailyRunAt { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often each line's reminder ticks: once a day. Shorter only in tests; a run on a day that
    /// has run writes nothing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DailyRunPeriod { get; set; } = TimeSpan.FromDays(1);

    public OverduePolicy Policy => new(PenaltyUpliftBps, SpecialMentionFromDays, SubstandardFromDays, DoubtfulFromDays, LossFromDays);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Policy.Problem() is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(PenaltyUpliftBps), nameof(SpecialMentionFromDays)]);
        }
    }

    /// <summary>How long from <paramref name="now"/> to the next daily run (at most one period).</summary>
    public TimeSpan UntilNextRun(DateTimeOffset now)
    {
        var today = Domain.BusinessCalendar.DateOf(now);
        var next = Domain.BusinessCalendar.StartOf(today) + DailyRunAt;
        if (next <= now)
        {
            next = Domain.BusinessCalendar.StartOf(today.AddDays(1)) + DailyRunAt;
        }

        var until = next - now;
        return until < DailyRunPeriod ? until : DailyRunPeriod;
    }
}
