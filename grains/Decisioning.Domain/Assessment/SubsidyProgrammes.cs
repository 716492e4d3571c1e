using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// A fiscal interest-subsidy programme (财政贴息) the bank takes part in: lines of these products,
/// for enterprises with one of these SRDI recognitions, opened from <see cref="From"/> to
/// <see cref="Until"/> (both inclusive; open-ended without <see cref="Until"/>), carry a subsidy of
/// <see cref="SubsidyBps"/> basis points of their annual rate.
/// </summary>
public sealed record SubsidyProgramme
{
    public required string Name { get; init; }
    public required ImmutableArray<Product> Products { get; init; }

    /// <summary>The recognitions that qualify; <see cref="SrdiLevel.None"/> among them opens it to enterprises without one.</summary>
    public required ImmutableArray<SrdiLevel> SrdiLevels { get; init; }

    public required int SubsidyBps { get; init; }
    public required DateOnly From { get; init; }
    public DateOnly? Until { get; init; }
}

/// <summary>
/// The subsidy a line carries comes from the programmes the bank has configured, never from the
/// caller: a subsidy is public money, and an applicant must not be able to grant itself one.
/// </summary>
public static class SubsidyProgrammes
{
    /// <summary>A table larger than this is a configuration mistake, not a policy.</summary>
    public const int MaxProgrammes = 64;

    public const int MaxNameLength = 64;

    /// <summary>
    /// The subsidy in basis points for a line of <paramref name="product"/> opened on
    /// <paramref name="on"/> at <paramref name="annualRateBps"/>: the most generous programme that
    /// applies (programmes do not add up), never more than the rate; 0 when none applies.
    /// </summary>
    /// <param name="srdiLevel">
    /// The enterprise's recognition as assessed; null when it is not known (a line staff open by
    /// hand), and then only a programme open to every recognition, none included, applies: public
    /// money is not granted on a recognition nobody checked.
    /// </param>
    public static int SubsidyBps(IReadOnlyList<SubsidyProgramme> programmes, Product product, SrdiLevel? srdiLevel, DateOnly on, int annualRateBps)
    {
        var best = 0;
        foreach (var programme in programmes)
        {
            if (programme.Products.Contains(product)
                && (srdiLevel is { } level ? programme.SrdiLevels.Contains(level) : SrdiLadder.Levels.All(programme.SrdiLevels.Contains))
                && on >= programme.From
                && (programme.Until is not { } until || on <= until))
            {
                best = Math.Max(best, programme.SubsidyBps);
            }
        }

        return Math.Clamp(best, 0, Math.Max(0, annualRateBps));
    }

    /// <summary>Every problem of a table, as sentences naming the programme and its setting; empty when it is usable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<SubsidyProgramme> programmes)
    {
        var problems = new List<string>();
        if (programmes.Count > MaxProgrammes)
        {
            problems.Add($"at most {MaxProgrammes} programmes may be configured, not {programmes.Count}");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < programmes.Count; i++)
        {
            var p = programmes[i];
            var at = $"programme {i} ({p.Name})";
            if (string.IsNullOrWhiteSpace(p.Name) || p.Name.Length > MaxNameLength)
            {
                problems.Add($"programme {i}: Name must be 1 to {MaxNameLength} characters");
            }
            else if (!names.Add(p.Name))
            {
                problems.Add($"{at}: Name appears twice");
            }

            if (p.Products.IsDefaultOrEmpty || p.Products.Any(x => x is not (Product.SrdiELoan or Product.OperatingQuickLoan)))
            {
                problems.Add($"{at}: Products must list one or more of SrdiELoan, OperatingQuickLoan");
            }

            if (p.SrdiLevels.IsDefaultOrEmpty || p.SrdiLevels.Any(x => !SrdiLadder.IsDefined(x)))
            {
                problems.Add($"{at}: SrdiLevels must list one or more of {SrdiLadder.Names}");
            }

            if (p.SubsidyBps is < 1 or > Limits.MaxAnnualRateBps)
            {
                problems.Add($"{at}: SubsidyBps must be from 1 to {Limits.MaxAnnualRateBps}, not {p.SubsidyBps}");
            }

            if (p.From == default)
            {
                problems.Add($"{at}: From is required (yyyy-MM-dd)");
            }
            else if (p.Until is { } until && until < p.From)
            {
                problems.Add($"{at}: Until ({until:yyyy-MM-dd}) must not be before From ({p.From:yyyy-MM-dd})");
            }
        }

        return problems;
    }
}
