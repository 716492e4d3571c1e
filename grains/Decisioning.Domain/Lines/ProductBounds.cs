using System.Collections.Immutable;
using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Lines;

/// <summary>
/// What the products allow of terms set by hand (OpenLine, AdjustLimit, and a proposal of either
/// when it is approved): a limit up to the product's cap, a rate from its floor to its ceiling. The
/// service takes them from the champion model; code that seeds lines below the service passes none.
/// </summary>
public sealed record ProductBounds(ImmutableArray<ProductDefinition> Products)
{
    public static ProductBounds Of(ScorecardModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new(model.Products);
    }

    /// <summary>Why a limit for a line of <paramref name="product"/> is out of bounds; null when it is within them.</summary>
    public DomainError? Limit(Product product, long limitMinor) =>
        For(product) is { } definition && limitMinor > definition.CapMinor
            ? new DomainError(ErrorReasons.LimitAboveProductCap, $"limit_minor {limitMinor} fen is above the {Name(product)} cap of {definition.CapMinor} fen", "limit_minor")
            : null;

    /// <summary>Why a rate for a line of <paramref name="product"/> is out of bounds; null when it is within them.</summary>
    public DomainError? Rate(Product product, int annualRateBps) => For(product) switch
    {
        { } d when annualRateBps < d.RateFloorBps => new DomainError(ErrorReasons.RateBelowProductFloor, $"annual_rate_bps {annualRateBps} is below the {Name(product)} rate floor of {d.RateFloorBps} bps", "annual_rate_bps"),
        { } d when annualRateBps > d.RateCeilingBps => new DomainError(ErrorReasons.RateAboveProductCeiling, $"annual_rate_bps {annualRateBps} is above the {Name(product)} rate ceiling of {d.RateCeilingBps} bps", "annual_rate_bps"),
        _ => null,
    };

    private ProductDefinition? For(Product product) => Products.IsDefault ? null : Products.FirstOrDefault(p => p.Product == product);

    private static string Name(Product product) => product switch
    {
        Product.SrdiELoan => "SRDI e-Loan",
        Product.OperatingQuickLoan => "Operating Quick Loan",
        _ => product.ToString(),
    };
}
