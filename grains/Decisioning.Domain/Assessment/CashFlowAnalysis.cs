using System.Collections.Immutable;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// What 12 months of fund flow say (资金流), and the limit they support.
/// Basis-point figures are rounded down.
/// </summary>
public sealed record CashFlowFigures
{
    public required long AnnualInflowMinor { get; init; }
    public required long AnnualOutflowMinor { get; init; }
    public required long AverageMonthlyInflowMinor { get; init; }

    /// <summary>Negative when more went out than came in.</summary>
    public required long AverageMonthlyNetInflowMinor { get; init; }

    /// <summary>Standard deviation of monthly inflow over its mean (population, 12 months); 0 is perfectly steady.</summary>
    public required long CoefficientOfVariationBps { get; init; }

    /// <summary>Counterparties that paid in at least the model's minimum number of months.</summary>
    public required int RecurringCounterparties { get; init; }

    public required int MonthsWithRecurringInflow { get; init; }

    /// <summary>Share of the 12 months in which a recurring counterparty paid: how regular receivables are.</summary>
    public required long RegularityBps { get; init; }

    /// <summary>The largest payer over the 12 months, or empty when the platform named none.</summary>
    public required string TopCounterparty { get; init; }

    public required long TopCounterpartyShareBps { get; init; }

    public required int StabilityFactorBps { get; init; }
    public required int RegularityFactorBps { get; init; }
    public required int ConcentrationFactorBps { get; init; }

    /// <summary>Average monthly inflow times the model's inflow months.</summary>
    public required long ReceiptsLimitMinor { get; init; }

    /// <summary>Positive average monthly net inflow times the model's net-inflow months.</summary>
    public required long NetInflowLimitMinor { get; init; }

    /// <summary>The lower of the two, times the three factors (not yet rounded to 10,000 CNY).</summary>
    public required long LimitMinor { get; init; }

    /// <summary>The cash-flow reasons that cut the limit, the largest cut first.</summary>
    public required ImmutableArray<string> Reasons { get; init; }
}

public static class CashFlowAnalysis
{
    public static CashFlowFigures Analyse(FundFlowStatement statement, CashFlowPolicy policy)
    {
        var months = statement.Months;
        long inflow = 0, outflow = 0;
        UInt128 sumOfSquares = 0;
        // Keyed by the compared form of the name; the name shown is the spelling first seen.
        var payers = new Dictionary<string, (string Name, long Total, int Months)>(StringComparer.Ordinal);
        // Each payer's key, month by month, taken once: the recurrence pass below needs them again.
        var keys = new string[months.Length][];
        for (var m = 0; m < months.Length; m++)
        {
            var month = months[m];
            inflow = checked(inflow + month.InflowMinor);
            outflow = checked(outflow + month.OutflowMinor);
            sumOfSquares += (UInt128)month.InflowMinor * (ulong)month.InflowMinor;
            if (month.Counterparties.IsDefault)
            {
                continue;
            }

            keys[m] = new string[month.Counterparties.Length];
            for (var p = 0; p < month.Counterparties.Length; p++)
            {
                var payer = month.Counterparties[p];
                var key = keys[m][p] = CounterpartyNames.Key(payer.Name);
                payers[key] = payers.TryGetValue(key, out var seen)
                    ? (seen.Name, checked(seen.Total + payer.InflowMinor), seen.Months + 1)
                    : (payer.Name, payer.InflowMinor, 1);
            }
        }

        var recurring = 0;
        var (top, topKey) = ("", "");
        long topTotal = 0;
        foreach (var (key, (name, total, monthsPaid)) in payers)
        {
            if (monthsPaid >= policy.RecurringCounterpartyMinMonths)
            {
                recurring++;
            }

            // Ties go to the name that sorts first, so the figure does not depend on input order.
            if (total > topTotal || (total == topTotal && string.CompareOrdinal(key, topKey) < 0))
            {
                (top, topKey, topTotal) = (name, key, total);
            }
        }

        var monthsWithRecurring = 0;
        foreach (var monthKeys in keys)
        {
            if (monthKeys is not null && monthKeys.Any(key => payers[key].Months >= policy.RecurringCounterpartyMinMonths))
            {
                monthsWithRecurring++;
            }
        }

        var n = months.Length;
        var averageInflow = inflow / n;
        var averageNet = Indicators.FloorDiv(checked(inflow - outflow), n);
        var cv = CoefficientOfVariationBps(n, inflow, sumOfSquares);
        var regularity = (long)monthsWithRecurring * AssessmentLimits.BasisPoints / n;
        var concentration = inflow == 0 ? 0 : topTotal * AssessmentLimits.BasisPoints / inflow;

        var stability = Factor(policy.Stability, cv);
        var regular = Factor(policy.Regularity, regularity);
        var concentrated = Factor(policy.Concentration, concentration);

        var receipts = checked(averageInflow * policy.InflowMonths);
        var net = checked(Math.Max(0, averageNet) * policy.NetInflowMonths);
        var limit = Math.Min(receipts, net);
        limit = checked(limit * stability.FactorBps) / AssessmentLimits.BasisPoints;
        limit = checked(limit * regular.FactorBps) / AssessmentLimits.BasisPoints;
        limit = checked(limit * concentrated.FactorBps) / AssessmentLimits.BasisPoints;

        var reasons = ImmutableArray.CreateBuilder<string>();
        if (averageNet <= 0)
        {
            reasons.Add(ReasonCodes.NetCashInflowNotPositive);
        }
        else if (net < receipts)
        {
            reasons.Add(ReasonCodes.NetCashInflowLimitsCredit);
        }

        foreach (var factor in new[] { stability, regular, concentrated }.Where(f => f.Reason is not null).OrderBy(f => f.FactorBps))
        {
            reasons.Add(factor.Reason!);
        }

        return new CashFlowFigures
        {
            AnnualInflowMinor = inflow,
            AnnualOutflowMinor = outflow,
            AverageMonthlyInflowMinor = averageInflow,
            AverageMonthlyNetInflowMinor = averageNet,
            CoefficientOfVariationBps = cv,
            RecurringCounterparties = recurring,
            MonthsWithRecurringInflow = monthsWithRecurring,
            RegularityBps = regularity,
            TopCounterparty = top,
            TopCounterpartyShareBps = concentration,
            StabilityFactorBps = stability.FactorBps,
            RegularityFactorBps = regular.FactorBps,
            ConcentrationFactorBps = concentrated.FactorBps,
            ReceiptsLimitMinor = receipts,
            NetInflowLimitMinor = net,
            LimitMinor = limit,
            Reasons = reasons.ToImmutable(),
        };
    }

    /// <summary>
    /// σ/μ of n monthly inflows in basis points, rounded down, computed exactly in integers:
    /// σ/μ = √(nΣx² − (Σx)²) / Σx, and ⌊√N / S⌋ = ⌊⌊√N⌋ / S⌋, so one integer square root gives the
    /// exact floor (a double, or a decimal Newton iteration, could land one basis point off at a
    /// bin boundary). With no inflow at all the months are as unsteady as they can be.
    /// </summary>
    public static long CoefficientOfVariationBps(int n, long sum, UInt128 sumOfSquares)
    {
        if (sum == 0)
        {
            return AssessmentLimits.MaxRatioBps;
        }

        var spread = ((UInt128)(ulong)n * sumOfSquares) - ((UInt128)(ulong)sum * (ulong)sum);
        const ulong BpsSquared = (ulong)AssessmentLimits.BasisPoints * AssessmentLimits.BasisPoints;
        return (long)(IntegerSquareRoot(spread * BpsSquared) / (ulong)sum);
    }

    /// <summary>⌊√value⌋ by Newton's method on integers.</summary>
    public static UInt128 IntegerSquareRoot(UInt128 value)
    {
        if (value < 2)
        {
            return value;
        }

        var bits = 128 - (int)UInt128.LeadingZeroCount(value);
        var x = UInt128.One << ((bits + 1) / 2); // ≥ √value
        while (true)
        {
            var y = (x + (value / x)) >> 1;
            if (y >= x)
            {
                return x;
            }

            x = y;
        }
    }

    internal static FactorBin Factor(ImmutableArray<FactorBin> bins, long value)
    {
        var chosen = bins[0];
        foreach (var bin in bins)
        {
            if (bin.From > value)
            {
                break;
            }

            chosen = bin;
        }

        return chosen;
    }
}
