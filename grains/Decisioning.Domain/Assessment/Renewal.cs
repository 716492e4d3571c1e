using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>Renew (with the new maturity) or not (with every reason, so the enterprise knows all it must fix).</summary>
public sealed record RenewalDecision
{
    public required bool Eligible { get; init; }

    /// <summary>The maturity extended by the product's term; null when not eligible.</summary>
    public DateOnly? NewMaturesOn { get; init; }

    /// <summary>
    /// When not eligible, every reason. When eligible, what the enterprise should know about the new
    /// terms: <see cref="ReasonCodes.BalanceExceedsRenewedLimit"/> when it owes more than the new limit.
    /// </summary>
    public required ImmutableArray<string> Reasons { get; init; }

    /// <summary>The renewed line's product, limit and rate: the fresh assessment's (a renewal reprices). None when not eligible.</summary>
    public Product Product { get; init; }

    public long LimitMinor { get; init; }

    public int AnnualRateBps { get; init; }

    /// <summary>How far the average monthly inflow fell since origination (negative: it rose).</summary>
    public required long CashFlowFallBps { get; init; }
}

/// <summary>
/// Renewal without repaying principal first (无还本续贷): near maturity, a fresh assessment decides
/// whether the line's term is extended with its balance kept, and at what terms: the fresh
/// assessment's product, limit and rate, whatever the line had.
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

        // A limit the product would not grant at all (below its minimum) renews nothing.
        if (scored && fresh.Reasons.Any(r => r.Code == ReasonCodes.LimitBelowProductMinimum))
        {
            reasons.Add(ReasonCodes.LimitBelowProductMinimum);
        }

        var distinct = reasons.Distinct().ToImmutableArray();
        if (!distinct.IsEmpty)
        {
            return new RenewalDecision { Eligible = false, Reasons = distinct, CashFlowFallBps = fall };
        }

        var product = model.ProductDefinition(fresh.Product);
        var limit = Math.Min(fresh.LimitMinor, product.CapMinor);
        return new RenewalDecision
        {
            Eligible = true,
            NewMaturesOn = line.MaturesOn.AddMonths(product.TermMonths),
            Reasons = BalanceExceeds(line, limit) ? [ReasonCodes.BalanceExceedsRenewedLimit] : [],
            CashFlowFallBps = fall,
            Product = fresh.Product,
            LimitMinor = limit,
            AnnualRateBps = fresh.AnnualRateBps,
        };
    }

    /// <summary>
    /// One door to a new term: an approval for an enterprise whose line is inside its renewal window
    /// or past maturity would reprice the line for a term that is ending, or (before issue 10)
    /// start a new one around the renewal rules. It becomes a decline whose first reason says
    /// where to go instead: <see cref="ReasonCodes.LineDueForRenewal"/> (RenewLine, whose rules then
    /// apply), or <see cref="ReasonCodes.LinePastMaturity"/> (repay, close, and apply for a new line).
    /// Any other decision, or a line not yet due, is returned as it is.
    /// </summary>
    public static Decision OnExistingLine(Decision decision, LineView? line, ScorecardModel model, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(model);
        if (decision.Outcome != Outcome.Approve || DueFor(line, model.Renewal.WindowDays, asOf) is not { } due)
        {
            return decision;
        }

        return decision with
        {
            Outcome = Outcome.Decline,
            Limit = decision.Limit with { LimitMinor = 0 },
            Rate = RateBreakdown.None,
            Reasons = [new Reason(due, ReasonKind.KnockOut), .. decision.Reasons],
            Counterfactuals = [],
        };
    }

    /// <summary>
    /// Why a line takes no new terms from an approval: past its maturity, or inside the renewal
    /// window before it; null for no line, a closed one (an approval opens a new line), or one
    /// mid-term.
    /// </summary>
    public static string? DueFor(LineView? line, int windowDays, DateOnly asOf) => line switch
    {
        null or { Status: LineStatus.None or LineStatus.Closed } => null,
        _ when asOf >= line.MaturesOn => ReasonCodes.LinePastMaturity,
        _ when asOf >= line.MaturesOn.AddDays(-windowDays) => ReasonCodes.LineDueForRenewal,
        _ => null,
    };

    /// <summary>
    /// Whether the line uses (drawn and held) more than a renewed limit: it is renewed
    /// all the same, with nothing available until the excess is repaid.
    /// </summary>
    public static bool BalanceExceeds(LineView line, long limitMinor) =>
        checked(line.DrawnMinor + line.HeldMinor) > limitMinor;

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
