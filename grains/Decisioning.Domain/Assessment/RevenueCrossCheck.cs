using System.Collections.Immutable;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// Declared revenue, taxed revenue and the revenue fund-flow inflows imply, side by side. A gap is
/// |a − b| over the larger of the two, in basis points rounded down; a gap beyond the model's
/// tolerance refers the case to a person.
/// </summary>
public sealed record RevenueCrossCheck
{
    public required long DeclaredMinor { get; init; }
    public required long TaxedMinor { get; init; }

    /// <summary>12 months of inflow with the model's gross-up (VAT and other receipts) taken off.</summary>
    public required long FundFlowImpliedMinor { get; init; }

    public required long DeclaredVsTaxedGapBps { get; init; }
    public required long DeclaredVsFundFlowGapBps { get; init; }
    public required long TaxedVsFundFlowGapBps { get; init; }

    /// <summary>The disagreements beyond tolerance, as reason codes, the largest gap first.</summary>
    public required ImmutableArray<string> Disagreements { get; init; }

    public static RevenueCrossCheck Compare(long declaredMinor, long taxedMinor, long annualInflowMinor, RevenueCrossCheckPolicy policy)
    {
        var implied = checked(annualInflowMinor * AssessmentLimits.BasisPoints) / policy.FundFlowGrossUpBps;
        var declaredVsTaxed = Gap(declaredMinor, taxedMinor);
        var declaredVsFlow = Gap(declaredMinor, implied);
        var taxedVsFlow = Gap(taxedMinor, implied);

        var disagreements = new List<(long Gap, string Code)>(3);
        if (Beyond(declaredMinor, taxedMinor, policy.DeclaredVsTaxedToleranceBps))
        {
            disagreements.Add((declaredVsTaxed, ReasonCodes.DeclaredRevenueDisagreesWithTax));
        }

        if (Beyond(declaredMinor, implied, policy.FundFlowToleranceBps))
        {
            disagreements.Add((declaredVsFlow, ReasonCodes.DeclaredRevenueDisagreesWithFundFlow));
        }

        if (Beyond(taxedMinor, implied, policy.FundFlowToleranceBps))
        {
            disagreements.Add((taxedVsFlow, ReasonCodes.TaxedRevenueDisagreesWithFundFlow));
        }

        return new RevenueCrossCheck
        {
            DeclaredMinor = declaredMinor,
            TaxedMinor = taxedMinor,
            FundFlowImpliedMinor = implied,
            DeclaredVsTaxedGapBps = declaredVsTaxed,
            DeclaredVsFundFlowGapBps = declaredVsFlow,
            TaxedVsFundFlowGapBps = taxedVsFlow,
            Disagreements = [.. disagreements.OrderByDescending(d => d.Gap).Select(d => d.Code)],
        };
    }

    /// <summary>
    /// |a − b| beyond the tolerance share of the larger, compared exactly: the rounded-down gap
    /// would let a 20.00001% gap pass a 20% tolerance.
    /// </summary>
    public static bool Beyond(long a, long b, int toleranceBps) =>
        checked(Math.Abs(a - b) * AssessmentLimits.BasisPoints) > checked(Math.Max(a, b) * toleranceBps);

    public static long Gap(long a, long b)
    {
        var larger = Math.Max(a, b);
        return larger == 0 ? 0 : checked(Math.Abs(a - b) * AssessmentLimits.BasisPoints) / larger;
    }
}
