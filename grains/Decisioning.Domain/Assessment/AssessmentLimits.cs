namespace Decisioning.Domain.Assessment;

/// <summary>
/// A limit on everything an application or a model file can hold. Values beyond these are
/// rejected with the field named, so that no arithmetic downstream can overflow and no input can
/// make an assessment slow.
/// </summary>
public static class AssessmentLimits
{
    /// <summary>Limits are granted in whole 10,000 CNY (1,000,000 fen), rounded down.</summary>
    public const long LimitRoundingMinor = 1_000_000;

    /// <summary>The fund-flow platform supplies one summary per month for the last 12 months.</summary>
    public const int FundFlowMonths = 12;

    /// <summary>
    /// A statement must end in one of this many complete months before the assessment date's month:
    /// older figures no longer describe the enterprise's cash flow, and a stale statement must not be
    /// chosen because it looked better than the current one.
    /// </summary>
    public const int FundFlowMaxAgeMonths = 2;

    public const int MaxCounterpartiesPerMonth = 100;
    public const int MaxCounterpartyNameLength = 128;

    /// <summary>GB/T 4754 industry codes are a section letter and up to four digits ("C3921").</summary>
    public const int MaxIndustryCodeLength = 8;

    public const int MaxEmployees = 1_000_000;
    public const int MaxPatents = 1_000_000;
    public const int MaxLendingBanks = 1_000;

    /// <summary>An overdue in the last 24 months cannot have lasted longer than the window.</summary>
    public const int MaxOverdueDaysLast24Months = 731;

    public const int MaxOverdueDaysLast12Months = 366;

    public const int MaxDecisionIdLength = 64;

    /// <summary>At most this many counterfactuals are returned, the best first.</summary>
    public const int MaxCounterfactuals = 8;

    /// <summary>
    /// Ratios are clamped to ±10,000% (in basis points) so that a tiny denominator cannot produce a
    /// value no bin was written for; every bin table starts at or below the clamped minimum.
    /// </summary>
    public const long MaxRatioBps = 1_000_000;

    public const int BasisPoints = 10_000;

    /// <summary>The earliest founding date accepted; older dates are typing errors.</summary>
    public static readonly DateOnly EarliestFoundedOn = new(1900, 1, 1);

    // Model files.
    public const int MaxModelVersionLength = 64;
    public const int MaxScoreCeiling = 10_000;
    public const int MaxBinsPerTable = 32;
    public const int MaxScoreBands = 32;
    public const int MaxReasonCodeLength = 64;
    public const int MaxRiskPremiumBps = 2_000;
    public const int MaxTermMonths = 60;
    public const int MaxRenewalWindowDays = 365;
    public const long MaxModelFileBytes = 1_000_000;
}
