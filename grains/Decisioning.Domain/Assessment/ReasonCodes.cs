namespace Decisioning.Domain.Assessment;

/// <summary>
/// The reason codes of decisions that the service gives itself (the assessor, and a renewal's
/// checks of the line). The model files name the rest: one per indicator bin and cash-flow factor
/// that takes something away, and one per knock-out. These explain OK replies; the reasons a
/// request is refused are <see cref="ErrorReasons"/>.
/// </summary>
public static class ReasonCodes
{
    public const string CreditBureauUnavailable = "EXTERNAL_DATA_UNAVAILABLE_CREDIT_BUREAU";
    public const string TaxBureauUnavailable = "EXTERNAL_DATA_UNAVAILABLE_TAX_BUREAU";
    public const string FundFlowPlatformUnavailable = "EXTERNAL_DATA_UNAVAILABLE_FUND_FLOW_PLATFORM";

    // No consent covered the provider at the decision's time: it was not queried.
    public const string ConsentMissingCreditBureau = "CONSENT_MISSING_CREDIT_BUREAU";
    public const string ConsentMissingTaxBureau = "CONSENT_MISSING_TAX_BUREAU";
    public const string ConsentMissingFundFlow = "CONSENT_MISSING_FUND_FLOW";

    public const string DeclaredRevenueDisagreesWithTax = "DECLARED_REVENUE_DISAGREES_WITH_TAX";
    public const string DeclaredRevenueDisagreesWithFundFlow = "DECLARED_REVENUE_DISAGREES_WITH_FUND_FLOW";
    public const string TaxedRevenueDisagreesWithFundFlow = "TAXED_REVENUE_DISAGREES_WITH_FUND_FLOW";

    public const string LimitBelowProductMinimum = "LIMIT_BELOW_PRODUCT_MINIMUM";
    public const string NotEligibleForSrdiELoan = "NOT_ELIGIBLE_FOR_SRDI_E_LOAN";
    public const string LimitSetByScorecard = "LIMIT_SET_BY_REVENUE_AND_SCORE";
    public const string LimitSetByCashFlow = "LIMIT_SET_BY_CASH_FLOW";
    public const string NetCashInflowLimitsCredit = "NET_CASH_INFLOW_LIMITS_CREDIT";
    public const string NetCashInflowNotPositive = "NET_CASH_INFLOW_NOT_POSITIVE";

    /// <summary>The technology re-lending quota has no room: the rate goes without the re-lending discount.</summary>
    public const string RelendingQuotaExhausted = "RELENDING_QUOTA_EXHAUSTED";

    // Renewal.
    public const string OverdueInLast12Months = "OVERDUE_IN_LAST_12_MONTHS";
    public const string ScoreBelowRenewalThreshold = "SCORE_BELOW_RENEWAL_THRESHOLD";
    public const string CashFlowFellSinceOrigination = "CASH_FLOW_FELL_SINCE_ORIGINATION";
    public const string LineFrozen = "LINE_FROZEN";
    public const string LineClosed = "LINE_CLOSED";
    public const string RenewalWindowNotOpen = "RENEWAL_WINDOW_NOT_OPEN";
    public const string LinePastMaturity = "LINE_PAST_MATURITY";

    /// <summary>A renewal granted at a limit below what the line owes: nothing is available until it is repaid down.</summary>
    public const string BalanceExceedsRenewedLimit = "BALANCE_EXCEEDS_RENEWED_LIMIT";

    /// <summary>An approval on a line inside its renewal window: a new term comes only through RenewLine.</summary>
    public const string LineDueForRenewal = "LINE_DUE_FOR_RENEWAL_USE_RENEW_LINE";

    public static string Unavailable(ExternalProvider provider) => provider switch
    {
        ExternalProvider.CreditBureau => CreditBureauUnavailable,
        ExternalProvider.TaxBureau => TaxBureauUnavailable,
        ExternalProvider.FundFlowPlatform => FundFlowPlatformUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a provider"),
    };

    public static string ConsentMissing(ExternalProvider provider) => provider switch
    {
        ExternalProvider.CreditBureau => ConsentMissingCreditBureau,
        ExternalProvider.TaxBureau => ConsentMissingTaxBureau,
        ExternalProvider.FundFlowPlatform => ConsentMissingFundFlow,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a provider"),
    };
}
