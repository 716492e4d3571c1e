using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// The answer to an application: outcome, score and its parts, product, limit and rate with
/// their parts, the reasons (most important first), the counterfactuals, and the figures behind
/// them. A decline carries limit 0 and rate 0; a referral carries the limit and rate a person
/// would start from (indicative, not granted).
/// </summary>
public sealed record Decision
{
    public required string DecisionId { get; init; }
    public required string EnterpriseId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required string ModelVersion { get; init; }
    public required Outcome Outcome { get; init; }

    /// <summary>The product asked for (<see cref="Product.None"/>: the best one available).</summary>
    public required Product RequestedProduct { get; init; }

    /// <summary>The product the enterprise qualifies for; <see cref="Product.None"/> when it could not be scored.</summary>
    public required Product Product { get; init; }

    /// <summary>0 when the case could not be scored (missing external data).</summary>
    public required int Score { get; init; }

    public required int MaxScore { get; init; }

    /// <summary>The four category sub-scores, in category order; empty when not scored.</summary>
    public required ImmutableArray<CategoryScore> Categories { get; init; }

    /// <summary>The 16 indicators, in indicator order; empty when not scored.</summary>
    public required ImmutableArray<IndicatorScore> Indicators { get; init; }

    public required LimitBreakdown Limit { get; init; }
    public required RateBreakdown Rate { get; init; }
    public required ImmutableArray<Reason> Reasons { get; init; }
    public required ImmutableArray<Counterfactual> Counterfactuals { get; init; }
    public required AssessmentFacts Facts { get; init; }

    /// <summary>Null when the fund-flow platform did not answer.</summary>
    public CashFlowFigures? CashFlow { get; init; }

    /// <summary>Null when the tax bureau or the fund-flow platform did not answer.</summary>
    public RevenueCrossCheck? RevenueCheck { get; init; }

    /// <summary>The enterprise's first bank credit (首贷): the credit bureau reports no bank debt and no lending bank.</summary>
    public bool FirstLoan { get; init; }

    public long LimitMinor => Limit.LimitMinor;
    public int AnnualRateBps => Rate.AnnualRateBps;
    public IEnumerable<string> ReasonCodes => Reasons.Select(r => r.Code);
}

public sealed record CategoryScore(Category Category, int Score, int MaxScore);

/// <param name="Value">The indicator's value in its unit (<see cref="Assessment.Indicators.UnitOf"/>).</param>
/// <param name="ScoreLost">Points short of the indicator's best, weighted into total-score points.</param>
/// <param name="Reason">The bin's reason code when it scores less than the best.</param>
public sealed record IndicatorScore(Indicator Indicator, Category Category, long Value, int Points, int MaxPoints, decimal ScoreLost, string? Reason);

/// <param name="Code">UPPER_SNAKE_CASE, read as a sentence.</param>
/// <param name="ScoreLost">For <see cref="ReasonKind.Score"/>: total-score points the factor cost; else 0.</param>
public sealed record Reason(string Code, ReasonKind Kind, decimal ScoreLost = 0);

/// <summary>The three candidate limits and the one granted (the lowest, rounded down to 10,000 CNY).</summary>
public sealed record LimitBreakdown
{
    public static readonly LimitBreakdown None = new() { ProductCapMinor = 0, ScorecardLimitMinor = 0, CashFlowLimitMinor = 0, LimitMinor = 0, Basis = LimitBasis.None };

    public required long ProductCapMinor { get; init; }
    public required long ScorecardLimitMinor { get; init; }
    public required long CashFlowLimitMinor { get; init; }

    /// <summary>0 on a decline.</summary>
    public required long LimitMinor { get; init; }

    public required LimitBasis Basis { get; init; }
}

/// <summary>annual = max(floor, base + risk premium − re-lending discount).</summary>
public sealed record RateBreakdown
{
    public static readonly RateBreakdown None = new() { BaseRateBps = 0, RiskPremiumBps = 0, RelendingDiscountBps = 0, FloorBps = 0, FloorApplied = false, AnnualRateBps = 0 };

    public required int BaseRateBps { get; init; }
    public required int RiskPremiumBps { get; init; }

    /// <summary>0 unless the product is funded by technology re-lending.</summary>
    public required int RelendingDiscountBps { get; init; }

    public required int FloorBps { get; init; }
    public required bool FloorApplied { get; init; }
    public required int AnnualRateBps { get; init; }
}

/// <summary>Facts the decision rests on that later steps (renewal, the line) need without the application.</summary>
public sealed record AssessmentFacts
{
    public required int MonthsInOperation { get; init; }

    /// <summary>Null when the credit bureau did not answer.</summary>
    public bool? CurrentlyOverdue { get; init; }

    public int? MaxOverdueDaysLast12Months { get; init; }

    /// <summary>The revenue the scorecard limit is a share of: the lower of declared and taxed (0 when not known).</summary>
    public long RevenueBasisMinor { get; init; }

    /// <summary>Recorded at origination; renewal compares against it.</summary>
    public long? AverageMonthlyInflowMinor { get; init; }
}

/// <summary>
/// One change to one input that, all else equal, would have given a better decision: a better
/// outcome, or a higher limit on an approval. The result was obtained by assessing the changed
/// application, not estimated.
/// </summary>
public sealed record Counterfactual
{
    /// <summary>The application field to change, as the contract names it.</summary>
    public required string Field { get; init; }

    /// <summary>The indicator the change moves; <see cref="Indicator.None"/> for a knock-out.</summary>
    public required Indicator Indicator { get; init; }

    /// <summary>The field's value now and the value to reach (enum fields: the enum's number; flags: 1 or 0).</summary>
    public required long CurrentValue { get; init; }

    public required long TargetValue { get; init; }

    /// <summary>The indicator's value now and with the change, in its unit.</summary>
    public required long CurrentIndicatorValue { get; init; }

    public required long TargetIndicatorValue { get; init; }

    public required Outcome Outcome { get; init; }
    public required int Score { get; init; }
    public required Product Product { get; init; }
    public required long LimitMinor { get; init; }
    public required int AnnualRateBps { get; init; }
}
