namespace Decisioning.Domain.Assessment;

// Numeric values are meant to be the decisioning.v1 enum values (0 = UNSPECIFIED), so that the
// front door maps them by value. Names are also the snake_case names used in the model files.

/// <summary>What the assessment concludes.</summary>
public enum Outcome
{
    None = 0,
    Approve = 1,
    Decline = 2,

    /// <summary>A person must decide: the data disagree, are missing, or the score is borderline.</summary>
    Refer = 3,
}

/// <summary>
/// The enterprise's place on the ladder of recognitions that leads to "specialised, refined,
/// distinctive, innovative" (专精特新). The numbers are the contract's and say nothing about the
/// order (a level added later gets the next free number): compare levels only through
/// <see cref="SrdiLadder.Rank"/>.
/// </summary>
public enum SrdiLevel
{
    Unspecified = 0,
    None = 1,
    Municipal = 2,
    Provincial = 3,

    /// <summary>National "little giant" (国家级专精特新"小巨人").</summary>
    NationalLittleGiant = 4,

    /// <summary>Innovative SME (创新型中小企业), the ladder's first step: below <see cref="Municipal"/>.</summary>
    InnovativeSme = 5,
}

/// <summary>The four categories of the bank's model.</summary>
public enum Category
{
    None = 0,

    /// <summary>基础竞争力.</summary>
    Basic = 1,

    /// <summary>财务竞争力.</summary>
    Financial = 2,

    /// <summary>创新竞争力.</summary>
    Innovation = 3,

    /// <summary>融资竞争力.</summary>
    Financing = 4,
}

/// <summary>The 16 indicators of the scorecard. See <see cref="Indicators"/> for each one's unit.</summary>
public enum Indicator
{
    None = 0,
    YearsInOperation = 1,
    SrdiLevel = 2,
    Employees = 3,
    StrategicEmergingIndustry = 4,
    RevenueGrowth = 5,
    NetMargin = 6,
    DebtToAsset = 7,
    TaxPaid = 8,
    InventionPatents = 9,
    OtherPatents = 10,
    RdSpendShare = 11,
    RdStaffShare = 12,
    CreditRecord = 13,
    BankDebtToRevenue = 14,
    LendingBanks = 15,

    /// <summary>High-tech enterprise (高新技术企业) or tech-based SME (科技型中小企业): an innovation indicator added to the article's 15.</summary>
    TechRecognition = 16,
}

/// <summary>
/// Why a reason is in a decision. Reasons are listed in this order: what stopped the case, what
/// sent it to a person, what set the limit, then the scorecard's factors by weighted points lost.
/// </summary>
public enum ReasonKind
{
    None = 0,
    KnockOut = 1,
    Referral = 2,
    Limit = 3,
    CashFlow = 4,
    Product = 5,
    Score = 6,
}

/// <summary>Which of the three candidate limits set the final limit.</summary>
public enum LimitBasis
{
    None = 0,
    ProductCap = 1,
    Scorecard = 2,
    CashFlow = 3,
}

/// <summary>An external system that supplies part of an application.</summary>
public enum ExternalProvider
{
    None = 0,

    /// <summary>The credit reference centre (征信中心): overdue history, bank debt, lenders.</summary>
    CreditBureau = 1,

    /// <summary>The tax bureau (税务): tax paid and taxed revenue.</summary>
    TaxBureau = 2,

    /// <summary>The national SME fund-flow credit information platform (资金流信用信息共享平台).</summary>
    FundFlowPlatform = 3,
}

public enum ProviderFailureKind
{
    None = 0,
    Timeout = 1,
    Error = 2,

    /// <summary>The enterprise has not authorised the query (or the authorisation lapsed).</summary>
    NotAuthorised = 3,
}

public enum RiskSignalType
{
    None = 0,
    Overdue = 1,
    Litigation = 2,
    TaxArrears = 3,
    CashFlowFall = 4,
}

public enum RiskSeverity
{
    None = 0,
    Low = 1,
    Moderate = 2,
    Severe = 3,
}

public enum RiskEffect
{
    None = 0,

    /// <summary>Journal the signal; the line is unchanged.</summary>
    RecordOnly = 1,

    /// <summary>Lower the limit by the configured share, rounded down to 10,000 CNY.</summary>
    LowerLimit = 2,

    /// <summary>Freeze the line at once: no new draws or holds.</summary>
    Freeze = 3,
}
