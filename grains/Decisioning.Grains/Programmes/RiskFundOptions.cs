using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Decisioning.Grains.Programmes;

/// <summary>Decisioning:RiskFunds: the risk-compensation funds the bank's loans may claim against (none by default), in the order a loan is matched.</summary>
public sealed class RiskFundOptions
{
    public const string Section = "Decisioning:RiskFunds";

    public List<RiskFundSettings> Funds { get; set; } = [];
}

public sealed class RiskFundSettings
{
    /// <summary>Stable: claims are recorded under it (lower-case letters, digits, -).</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>FirstLoans, Renewals, OtherLoans, comma-separated.</summary>
    public FundCover Covers { get; set; }

    /// <summary>SrdiELoan, OperatingQuickLoan.</summary>
    public List<Product> Products { get; set; } = [];

    /// <summary>None, Municipal, Provincial, NationalLittleGiant.</summary>
    public SrdiLevel MinSrdiLevel { get; set; } = SrdiLevel.Municipal;

    /// <summary>Basis points of a written-off principal the fund covers.</summary>
    public int ShareBps { get; set; }

    public long CapPerLoanMinor { get; set; }

    public long BalanceMinor { get; set; }

    public RiskFund ToFund() => new()
    {
        Id = Id,
        Name = Name,
        Covers = Covers,
        Products = [.. Products],
        MinSrdiLevel = MinSrdiLevel,
        ShareBps = ShareBps,
        CapPerLoanMinor = CapPerLoanMinor,
        BalanceMinor = BalanceMinor,
    };
}

/// <summary>The configured funds, validated at start.</summary>
public sealed class RiskFundTable(ImmutableArray<RiskFund> funds)
{
    [ActivatorUtilitiesConstructor]
    public RiskFundTable(IOptions<RiskFundOptions> options)
        : this([.. options.Value.Funds.Select(f => f.ToFund())])
    {
    }

    public ImmutableArray<RiskFund> Funds { get; } = funds;
}

internal sealed class RiskFundOptionsValidator : IValidateOptions<RiskFundOptions>
{
    public ValidateOptionsResult Validate(string? name, RiskFundOptions options)
    {
        var problems = RiskFunds.Validate([.. options.Funds.Select(f => f.ToFund())]);
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"{RiskFundOptions.Section}:Funds: {p}"));
    }
}
