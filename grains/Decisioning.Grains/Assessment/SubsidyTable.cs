using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Microsoft.Extensions.Options;

namespace Decisioning.Grains.Assessment;

/// <summary>Decisioning:Subsidy: the fiscal interest-subsidy programmes the bank takes part in (none by default).</summary>
public sealed class SubsidyOptions
{
    public const string Section = "Decisioning:Subsidy";

    public List<SubsidyProgrammeOptions> Programmes { get; set; } = [];
}

public sealed class SubsidyProgrammeOptions
{
    public string Name { get; set; } = "";

    /// <summary>SrdiELoan, OperatingQuickLoan.</summary>
    public List<Product> Products { get; set; } = [];

    /// <summary>None, Municipal, Provincial, NationalLittleGiant.</summary>
    public List<SrdiLevel> SrdiLevels { get; set; } = [];

    /// <summary>Basis points of the line's annual rate the programme pays (capped at the rate).</summary>
    public int SubsidyBps { get; set; }

    /// <summary>The first day lines qualify (yyyy-MM-dd).</summary>
    public DateOnly? From { get; set; }

    /// <summary>The last day lines qualify; open-ended when absent.</summary>
    public DateOnly? Until { get; set; }

    public SubsidyProgramme ToProgramme() => new()
    {
        Name = Name,
        Products = [.. Products],
        SrdiLevels = [.. SrdiLevels],
        SubsidyBps = SubsidyBps,
        From = From ?? default,
        Until = Until,
    };
}

/// <summary>The configured programmes, validated at start, and the look-up every opening of a line uses.</summary>
public sealed class SubsidyTable(IOptions<SubsidyOptions> options)
{
    public ImmutableArray<SubsidyProgramme> Programmes { get; } = [.. options.Value.Programmes.Select(p => p.ToProgramme())];

    /// <inheritdoc cref="SubsidyProgrammes.SubsidyBps"/>
    public int SubsidyBps(Product product, SrdiLevel? srdiLevel, DateOnly on, int annualRateBps) =>
        SubsidyProgrammes.SubsidyBps(Programmes, product, srdiLevel, on, annualRateBps);
}

internal sealed class SubsidyOptionsValidator : IValidateOptions<SubsidyOptions>
{
    public ValidateOptionsResult Validate(string? name, SubsidyOptions options)
    {
        var problems = SubsidyProgrammes.Validate([.. options.Programmes.Select(p => p.ToProgramme())]);
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"{SubsidyOptions.Section}:Programmes: {p}"));
    }
}
