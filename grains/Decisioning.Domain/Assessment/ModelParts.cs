using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

// The parts of a scorecard model, as they are written in models/*.json (snake_case names).
// models/README.md explains every parameter and where its value comes from.

public sealed record CategoryWeight
{
    public required Category Category { get; init; }

    /// <summary>The category's share of the maximum score; the four add up to 10,000.</summary>
    public required int WeightBps { get; init; }
}

/// <summary>
/// One bin of an indicator: values from <see cref="From"/> up to the next bin's From (the last bin
/// is open-ended) score <see cref="Points"/>. A bin that scores less than the indicator's best
/// names the reason an adverse-action notice gives for it.
/// </summary>
public sealed record Bin
{
    public required long From { get; init; }
    public required int Points { get; init; }
    public string? Reason { get; init; }
}

public sealed record IndicatorDefinition
{
    public required Indicator Indicator { get; init; }

    /// <summary>
    /// Whether counterfactuals may propose a change to this indicator's input: only inputs an
    /// enterprise can change by its own action (repay debt, file patents), never its history.
    /// </summary>
    public bool Actionable { get; init; }

    public required ImmutableArray<Bin> Bins { get; init; }
}

public sealed record ScoreThresholds
{
    /// <summary>Scores below this are declined.</summary>
    public required int DeclineBelow { get; init; }

    /// <summary>Scores from this up are approved (when nothing refers or knocks out the case); between the two, referred.</summary>
    public required int ApproveFrom { get; init; }
}

/// <summary>Scores from <see cref="FromScore"/> up to the next band's: the rate's risk premium and the scorecard limit.</summary>
public sealed record ScoreBand
{
    public required int FromScore { get; init; }
    public required int RiskPremiumBps { get; init; }

    /// <summary>The scorecard limit's share of the verified annual revenue (the lower of declared and taxed).</summary>
    public required int RevenueShareBps { get; init; }

    /// <summary>The scorecard limit never exceeds this in the band.</summary>
    public required long MaxLimitMinor { get; init; }
}

public sealed record KnockOutRules
{
    public required string CurrentlyOverdueReason { get; init; }
    public required int MinMonthsInOperation { get; init; }
    public required string TooYoungReason { get; init; }
    public required string ExclusionListReason { get; init; }

    /// <summary>A past overdue serious enough to decline, however the enterprise stands today.</summary>
    public required SeriousOverdueRule SeriousOverdue { get; init; }
}

/// <summary>
/// An overdue of at least <see cref="DaysWithin12Months"/> days in the last 12 months, or of at least
/// <see cref="DaysWithin24Months"/> in the last 24, is serious: it declines an application and a
/// renewal alike. A milder one only costs points (the <c>credit_record</c> indicator).
/// </summary>
public sealed record SeriousOverdueRule
{
    [System.Text.Json.Serialization.JsonPropertyName("days_within_12_months")]
    public required int DaysWithin12Months { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("days_within_24_months")]
    public required int DaysWithin24Months { get; init; }

    public required string Reason { get; init; }

    public bool IsSerious(CreditBureauReport report) =>
        report.MaxOverdueDaysLast12Months >= DaysWithin12Months || report.MaxOverdueDaysLast24Months >= DaysWithin24Months;
}

public sealed record ProductDefinition
{
    public required Product Product { get; init; }
    public required long CapMinor { get; init; }

    /// <summary>The line's term at origination and the extension at each renewal.</summary>
    public required int TermMonths { get; init; }

    /// <summary>Funded by central-bank technology re-lending: the rate carries the re-lending discount.</summary>
    public required bool TechRelendingEligible { get; init; }

    public required SrdiLevel MinSrdiLevel { get; init; }

    /// <summary>The innovation category's sub-score the product requires (科创属性).</summary>
    public required int MinInnovationScore { get; init; }

    /// <summary>
    /// The lowest and highest rate a line of the product may carry, set by hand (OpenLine) as by the
    /// model; staff limits stay within <see cref="CapMinor"/> likewise.
    /// </summary>
    public required int RateFloorBps { get; init; }

    public required int RateCeilingBps { get; init; }
}

public sealed record LimitPolicy
{
    /// <summary>An approval with a smaller limit than this is declined: such a line costs more than it serves.</summary>
    public required long MinLimitMinor { get; init; }
}

public sealed record RatePolicy
{
    /// <summary>The one-year loan prime rate (LPR) the model was calibrated with.</summary>
    public required int BaseRateBps { get; init; }

    public required int RelendingDiscountBps { get; init; }
    public required int FloorBps { get; init; }
}

/// <summary>A cash-flow figure from <see cref="From"/> up multiplies the cash-flow limit by <see cref="FactorBps"/>.</summary>
public sealed record FactorBin
{
    public required long From { get; init; }
    public required int FactorBps { get; init; }
    public string? Reason { get; init; }
}

public sealed record CashFlowPolicy
{
    /// <summary>The limit is at most this many months of average inflow (receipts).</summary>
    public required int InflowMonths { get; init; }

    /// <summary>The limit is at most this many months of average net inflow (what repays it).</summary>
    public required int NetInflowMonths { get; init; }

    /// <summary>A counterparty that paid in at least this many of the 12 months is a recurring payer.</summary>
    public required int RecurringCounterpartyMinMonths { get; init; }

    /// <summary>By the coefficient of variation of monthly inflow, in basis points.</summary>
    public required ImmutableArray<FactorBin> Stability { get; init; }

    /// <summary>By the share of months in which a recurring payer paid, in basis points.</summary>
    public required ImmutableArray<FactorBin> Regularity { get; init; }

    /// <summary>By the largest payer's share of the 12 months' inflow, in basis points.</summary>
    public required ImmutableArray<FactorBin> Concentration { get; init; }
}

public sealed record RevenueCrossCheckPolicy
{
    /// <summary>Declared and taxed revenue may differ by this share of the larger before the case is referred.</summary>
    public required int DeclaredVsTaxedToleranceBps { get; init; }

    /// <summary>Revenue implied by fund-flow inflows may differ from declared or taxed revenue by this share of the larger.</summary>
    public required int FundFlowToleranceBps { get; init; }

    /// <summary>Inflows carry VAT and other receipts: the revenue they imply is inflow × 10,000 / this.</summary>
    public required int FundFlowGrossUpBps { get; init; }
}

public sealed record RenewalPolicy
{
    /// <summary>Renewal may be asked for from this many days before maturity until the maturity date.</summary>
    public required int WindowDays { get; init; }

    public required int MinScore { get; init; }

    /// <summary>The average monthly inflow may have fallen by at most this share since origination.</summary>
    public required int MaxCashFlowFallBps { get; init; }
}

public sealed record RiskSignalRule
{
    public required RiskSignalType Signal { get; init; }
    public required RiskSeverity Severity { get; init; }
    public required RiskEffect Effect { get; init; }

    /// <summary>For <see cref="RiskEffect.LowerLimit"/>: the share by which the limit falls.</summary>
    public int LowerByBps { get; init; }
}
