namespace Decisioning.Domain.Lines;

// The numeric values match decisioning.v1 so that the front door maps them by value; a test holds
// the two in step.

public enum LineStatus
{
    None = 0,
    Active = 1,
    Frozen = 2,
    Matured = 3,
    Closed = 4,

    /// <summary>Derived, like MATURED: past maturity, not renewed, with principal or interest still unpaid.</summary>
    Overdue = 5,

    /// <summary>Written off with four eyes: no exposure; repayments are recoveries.</summary>
    WrittenOff = 6,
}

public enum Product
{
    None = 0,
    SrdiELoan = 1,
    OperatingQuickLoan = 2,
}

public enum DeclineReason
{
    None = 0,
    ExceedsAvailableCredit = 1,
    LineFrozen = 2,
    LineMatured = 3,
    LineClosed = 4,
    TooManyOpenHolds = 5,
    HoldExpired = 6,
    LineOverdue = 7,
    LineWrittenOff = 8,
}

public enum EntryKind
{
    None = 0,
    LineOpened = 1,
    Draw = 2,
    DrawDeclined = 3,
    Repayment = 4,
    HoldPlaced = 5,
    HoldDeclined = 6,
    HoldCaptured = 7,
    HoldCaptureDeclined = 8,
    HoldReleased = 9,
    HoldExpired = 10,
    LineFrozen = 11,
    LineUnfrozen = 12,
    LimitAdjusted = 13,
    LineClosed = 14,

    /// <summary>A credit decision that changed nothing (decline, referral); approvals are LineOpened or LimitAdjusted.</summary>
    DecisionRecorded = 15,

    /// <summary>Maturity extended without principal repaid (无还本续贷).</summary>
    LineRenewed = 16,

    RenewalDeclined = 17,
    RiskSignalApplied = 18,

    /// <summary>A change that raises the bank's risk, waiting for a second staff member (four eyes).</summary>
    ProposalRecorded = 19,

    ProposalRejected = 20,

    /// <summary>A proposal nobody decided in time; journaled by the next command after its expiry.</summary>
    ProposalExpired = 21,

    /// <summary>The daily process found the line at its maturity (journaled once per maturity date).</summary>
    LineMatured = 22,

    /// <summary>The daily process found the line past maturity with principal or interest unpaid.</summary>
    LineOverdue = 23,

    /// <summary>The five-tier classification changed (the daily process by days past due, a floor, a risk signal).</summary>
    ClassificationChanged = 24,

    /// <summary>Staff set (or lifted, with NORMAL) the floor the classification never goes better than.</summary>
    ClassificationFloorSet = 25,

    /// <summary>Principal, interest and penalty written off with four eyes: the exposure is closed.</summary>
    LineWrittenOff = 26,

    /// <summary>A repayment on a written-off line.</summary>
    Recovery = 27,

    /// <summary>The line's lease of the re-lending quota was granted or given back (by the system).</summary>
    RelendingLeaseChanged = 28,

    /// <summary>A reviewer claimed a referral.</summary>
    ReferralClaimed = 29,

    /// <summary>A reviewer approved a referral above the four-eyes limit: it waits for a second reviewer.</summary>
    ReferralApprovalRecorded = 30,

    /// <summary>A reviewer declined a referral. (An approval is LineOpened or LimitAdjusted, with the decision id.)</summary>
    ReferralDeclined = 31,
}

/// <summary>The changes that take effect only when a second staff member approves them.</summary>
public enum ProposalKind
{
    None = 0,
    OpenLine = 1,

    /// <summary>A limit above what the last credit decision granted (or, without one, above the current limit).</summary>
    RaiseLimit = 2,

    /// <summary>Unfreezing a line a risk signal froze.</summary>
    UnfreezeLine = 3,

    /// <summary>Writing off a classified loan (SUBSTANDARD or worse): always four eyes.</summary>
    WriteOff = 4,
}

public enum ProposalStatus
{
    None = 0,
    Pending = 1,
    Approved = 2,
    Rejected = 3,
    Expired = 4,
}

/// <summary>The five-tier loan classification (五级分类), worst last; a floor of NORMAL is no floor.</summary>
public enum LoanClass
{
    None = 0,
    Normal = 1,
    SpecialMention = 2,
    Substandard = 3,
    Doubtful = 4,
    Loss = 5,
}

/// <summary>How the re-lending quota took part in a draw of a line with the re-lending discount.</summary>
public enum RelendingFunding
{
    /// <summary>Not a draw of a line with the discount.</summary>
    None = 0,

    /// <summary>The quota funds the draw's share.</summary>
    Funded = 1,

    /// <summary>The line's lease of the quota could not cover the draw: approved without re-lending funding.</summary>
    Unfunded = 2,
}
