using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>Renew (with the new maturity) or not (with every reason, so the enterprise knows all it must fix).</summary>
public sealed record RenewalDecision
{
    public required bool Eligible { get; init; }

    /// <summary>The maturity extended by the product's term; null when not eligible.</summary>
    public DateOnly? NewMaturesOn { get; init; }

    public required ImmutableArray<string> Reasons { get; init; }

    /// <summary>How far the average monthly inflow fell since origination (negative: it rose).</summary>
    public required long CashFlowFallBps { get; init; }
}

/// <summary>
/// Renewal without repaying principal first (无还本续贷): near maturity, a fresh assessment decides
/// whether the line's term is extended with its balance kept.
/// </summary>
public static class Renewal
{
    /// <param name="fresh">An assessment of the enterprise with current data, made with <paramref name="model"/>.</param>
    public static RenewalDecision Decide(Decision fresh, LineView line, ScorecardModel model, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        ArgumentNullException.ThrowIfNull(line);
        var policy = model.Renewal;
        var reasons = new List<string>();

        switch (line.Status)
        {
            case LineStatus.Frozen:
                reasons.Add(ReasonCodes.LineFrozen);
                break;
            case LineStatus.Closed or LineStatus.None:
                reasons.Add(ReasonCodes.LineClosed);
                break;
            case LineStatus.Matured:
                reasons.Add(ReasonCodes.LinePastMaturity);
                break;
        }

        if (asOf > line.MaturesOn)
        {
            reasons.Add(ReasonCodes.LinePastMaturity);
        }
        else if (asOf < line.MaturesOn.AddDays(-policy.WindowDays))
        {
            reasons.Add(ReasonCodes.RenewalWindowNotOpen);
        }

        // Knock-outs (exclusion list, current overdue) and unavailable or disagreeing data stop a
        // renewal as they stop an origination.
        reasons.AddRange(fresh.Reasons.Where(r => r.Kind is ReasonKind.KnockOut or ReasonKind.Referral).Select(r => r.Code));

        if (fresh.Facts.CurrentlyOverdue is true || fresh.Facts.MaxOverdueDaysLast12Months is > 0)
        {
            reasons.Add(ReasonCodes.OverdueInLast12Months);
        }

        var scored = fresh.Indicators.Length > 0;
        if (scored && fresh.Score < policy.MinScore)
        {
            reasons.Add(ReasonCodes.ScoreBelowRenewalThreshold);
        }

        var fall = CashFlowFallBps(line.OriginationAverageMonthlyInflowMinor, fresh.Facts.AverageMonthlyInflowMinor);
        if (FellTooFar(line.OriginationAverageMonthlyInflowMinor, fresh.Facts.AverageMonthlyInflowMinor, policy.MaxCashFlowFallBps))
        {
            reasons.Add(ReasonCodes.CashFlowFellSinceOrigination);
        }

        var distinct = reasons.Distinct().ToImmutableArray();
        var eligible = distinct.IsEmpty;
        return new RenewalDecision
        {
            Eligible = eligible,
            NewMaturesOn = eligible ? line.MaturesOn.AddMonths(model.ProductDefinition(line.Product).TermMonths) : null,
            Reasons = distinct,
            CashFlowFallBps = fall,
        };
    }

    /// <summary>
    /// Whether the average monthly inflow fell by more than the allowed share of the original,
    /// compared exactly (a fall exactly at the limit is allowed). Turnover rather than net inflow:
    /// net inflow swings with one month's purchases and can be negative. Never when nothing was
    /// recorded at origination or the fund-flow data is missing (missing data declines anyway).
    /// </summary>
    public static bool FellTooFar(long originationMinor, long? nowMinor, int maxFallBps) =>
        originationMinor > 0 && nowMinor is { } now
        && checked((originationMinor - now) * AssessmentLimits.BasisPoints) > checked(originationMinor * maxFallBps);

    /// <summary>The fall in basis points of the original, rounded toward zero, for the record.</summary>
    public static long CashFlowFallBps(long originationMinor, long? nowMinor)
    {
        if (originationMinor <= 0 || nowMinor is not { } now)
        {
            return 0;
        }

        return checked((originationMinor - now) * AssessmentLimits.BasisPoints) / originationMinor;
    }
}
