using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>
/// The front door casts these enums to and from decisioning.v1 by number, and the journal stores
/// them by number: renumbering one would silently change what callers and stored data mean. These
/// pin the numbers to the contract's (line.proto), every member listed so that an addition must be
/// added here on purpose.
/// </summary>
public sealed class EnumNumberingTests
{
    private static void AssertNumbering<TEnum>(params (TEnum Value, int Number)[] expected)
        where TEnum : struct, Enum
    {
        Assert.Equal(expected.Select(e => e.Value).Order(), Enum.GetValues<TEnum>().Order());
        Assert.All(expected, e => Assert.Equal(e.Number, Convert.ToInt32(e.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Line_statuses_are_numbered_as_LINE_STATUS_in_the_contract() => AssertNumbering(
        (LineStatus.None, 0),
        (LineStatus.Active, 1),
        (LineStatus.Frozen, 2),
        (LineStatus.Matured, 3),
        (LineStatus.Closed, 4),
        (LineStatus.Overdue, 5),
        (LineStatus.WrittenOff, 6));

    [Fact]
    public void Products_are_numbered_as_PRODUCT_in_the_contract() => AssertNumbering(
        (Product.None, 0),
        (Product.SrdiELoan, 1),
        (Product.OperatingQuickLoan, 2));

    [Fact]
    public void Decline_reasons_are_numbered_as_DECLINE_REASON_in_the_contract() => AssertNumbering(
        (DeclineReason.None, 0),
        (DeclineReason.ExceedsAvailableCredit, 1),
        (DeclineReason.LineFrozen, 2),
        (DeclineReason.LineMatured, 3),
        (DeclineReason.LineClosed, 4),
        (DeclineReason.TooManyOpenHolds, 5),
        (DeclineReason.HoldExpired, 6),
        (DeclineReason.LineOverdue, 7),
        (DeclineReason.LineWrittenOff, 8));

    [Fact]
    public void Journal_entry_kinds_are_numbered_as_TRANSACTION_TYPE_in_the_contract() => AssertNumbering(
        (EntryKind.None, 0),
        (EntryKind.LineOpened, 1),
        (EntryKind.Draw, 2),
        (EntryKind.DrawDeclined, 3),
        (EntryKind.Repayment, 4),
        (EntryKind.HoldPlaced, 5),
        (EntryKind.HoldDeclined, 6),
        (EntryKind.HoldCaptured, 7),
        (EntryKind.HoldCaptureDeclined, 8),
        (EntryKind.HoldReleased, 9),
        (EntryKind.HoldExpired, 10),
        (EntryKind.LineFrozen, 11),
        (EntryKind.LineUnfrozen, 12),
        (EntryKind.LimitAdjusted, 13),
        (EntryKind.LineClosed, 14),
        (EntryKind.DecisionRecorded, 15),
        (EntryKind.LineRenewed, 16),
        (EntryKind.RenewalDeclined, 17),
        (EntryKind.RiskSignalApplied, 18),
        (EntryKind.ProposalRecorded, 19),
        (EntryKind.ProposalRejected, 20),
        (EntryKind.ProposalExpired, 21),
        (EntryKind.LineMatured, 22),
        (EntryKind.LineOverdue, 23),
        (EntryKind.ClassificationChanged, 24),
        (EntryKind.ClassificationFloorSet, 25),
        (EntryKind.LineWrittenOff, 26),
        (EntryKind.Recovery, 27),
        (EntryKind.RelendingLeaseChanged, 28),
        (EntryKind.ReferralClaimed, 29),
        (EntryKind.ReferralApprovalRecorded, 30),
        (EntryKind.ReferralDeclined, 31));

    [Fact]
    public void Relending_fundings_are_numbered_as_RELENDING_FUNDING_in_the_contract() => AssertNumbering(
        (RelendingFunding.None, 0),
        (RelendingFunding.Funded, 1),
        (RelendingFunding.Unfunded, 2));

    [Fact]
    public void Proposal_kinds_are_numbered_as_PROPOSAL_KIND_in_the_contract() => AssertNumbering(
        (ProposalKind.None, 0),
        (ProposalKind.OpenLine, 1),
        (ProposalKind.RaiseLimit, 2),
        (ProposalKind.UnfreezeLine, 3),
        (ProposalKind.WriteOff, 4));

    [Fact]
    public void Proposal_statuses_are_numbered_as_PROPOSAL_STATUS_in_the_contract() => AssertNumbering(
        (ProposalStatus.None, 0),
        (ProposalStatus.Pending, 1),
        (ProposalStatus.Approved, 2),
        (ProposalStatus.Rejected, 3),
        (ProposalStatus.Expired, 4));

    [Fact]
    public void Loan_classes_are_numbered_as_LOAN_CLASSIFICATION_in_the_contract() => AssertNumbering(
        (LoanClass.None, 0),
        (LoanClass.Normal, 1),
        (LoanClass.SpecialMention, 2),
        (LoanClass.Substandard, 3),
        (LoanClass.Doubtful, 4),
        (LoanClass.Loss, 5));
}
