using System.Collections.Immutable;
using Decisioning.Domain.Programmes;
using Microsoft.Extensions.Options;

namespace Decisioning.Grains.Programmes;

/// <summary>
/// Decisioning:Relending: the central bank's technology re-lending quota, one entry per programme
/// period. None configured: the bank manages no quota, and the model's re-lending discount is given
/// as it stands (no draw is funded or counted).
/// </summary>
public sealed class RelendingOptions
{
    public const string Section = "Decisioning:Relending";

    public List<RelendingPeriodOptions> Periods { get; set; } = [];

    /// <summary>
    /// The lease a line reserves at a time (fen of quota, not of loan): it asks for more when its
    /// lease falls below half of this, and gives back what is above twice this.
    /// </summary>
    public long LeaseChunkMinor { get; set; } = 5_000_000;
}

public sealed class RelendingPeriodOptions
{
    /// <summary>Letters, digits and - _ . (it names the period's Redis key).</summary>
    public string Name { get; set; } = "";

    /// <summary>The quota the central bank grants for the period, in fen.</summary>
    public long AmountMinor { get; set; }

    /// <summary>The first and last day of the period (yyyy-MM-dd).</summary>
    public DateOnly? From { get; set; }

    public DateOnly? Until { get; set; }

    /// <summary>The share of each eligible loan's principal the quota funds, in basis points.</summary>
    public int ShareBps { get; set; }

    /// <summary>The rate the bank pays the central bank for the funding, in basis points a year.</summary>
    public int BankRateBps { get; set; }

    public RelendingPeriod ToPeriod() => new()
    {
        Name = Name,
        AmountMinor = AmountMinor,
        From = From ?? default,
        Until = Until ?? default,
        ShareBps = ShareBps,
        BankRateBps = BankRateBps,
    };
}

/// <summary>The configured periods, validated at start.</summary>
public sealed class RelendingTable(IOptions<RelendingOptions> options)
{
    public ImmutableArray<RelendingPeriod> Periods { get; } = [.. options.Value.Periods.Select(p => p.ToPeriod())];

    public long LeaseChunkMinor { get; } = options.Value.LeaseChunkMinor;

    /// <summary>False when no period is configured: the quota is not managed.</summary>
    public bool Managed => Periods.Length > 0;

    public RelendingPeriod? Covering(DateOnly day) => Relending.Covering(Periods, day);

    public RelendingPeriod? Named(string name) => Periods.FirstOrDefault(p => p.Name == name);
}

internal sealed class RelendingOptionsValidator : IValidateOptions<RelendingOptions>
{
    public ValidateOptionsResult Validate(string? name, RelendingOptions options)
    {
        var problems = Relending.Validate([.. options.Periods.Select(p => p.ToPeriod())]).Select(p => $"{RelendingOptions.Section}:Periods: {p}").ToList();
        if (options.LeaseChunkMinor is < 1 or > Relending.MaxLeaseChunkMinor)
        {
            problems.Add($"{RelendingOptions.Section}:LeaseChunkMinor must be from 1 to {Relending.MaxLeaseChunkMinor} fen, not {options.LeaseChunkMinor}");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
