using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// The four-eyes rule over the wire, with two officers' own tokens: a change that raises the bank's
/// risk waits for a second staff member, the proposer cannot be that member, and the journal names both.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class FourEyesTests(ServiceFixture fixture)
{
    private const string Li = "officer-li";
    private const string Wang = "officer-wang";

    private LineAdminService.LineAdminServiceClient Admin => new(fixture.Service.Anonymous);

    private CreditLineService.CreditLineServiceClient Lines => new(fixture.Service.Anonymous);

    /// <summary>Officer Li: credit staff who may also approve, so that a refusal of her own approval is the line's, not the scope's.</summary>
    private static Metadata LiFor(string enterprise) => Bearer(Li, ["credit.admin", "credit.approve", "credit.read"], enterprise);

    private static Metadata WangFor(string enterprise) => Bearer(Wang, ["credit.approve", "credit.read"], enterprise);

    [Fact]
    public async Task Officer_Li_proposes_a_raise_her_own_approval_is_refused_and_officer_Wangs_approval_applies_it_with_both_names_journaled()
    {
        var id = await OpenAsync(limit: 1_000_000);

        var raise = await Admin.AdjustLimitAsync(new() { EnterpriseId = id, RequestId = "raise-1", LimitMinor = 3_000_000, Reason = "new export contract" }, LiFor(id));

        var proposal = raise.Proposal;
        Assert.Equal((ProposalKind.RaiseLimit, ProposalStatus.Pending, Li, 3_000_000L, "new export contract"), (proposal.Kind, proposal.Status, proposal.ProposedBy, proposal.LimitMinor, proposal.Reason));
        Assert.InRange(proposal.ExpireTime.ToDateTimeOffset() - proposal.CreateTime.ToDateTimeOffset(), TimeSpan.FromHours(72), TimeSpan.FromHours(72));
        Assert.Equal(1_000_000, raise.Line.LimitMinor);
        Assert.Equal(proposal, Assert.Single((await Admin.ListProposalsAsync(new() { EnterpriseId = id }, WangFor(id))).Proposals, p => p.Status == ProposalStatus.Pending));

        var before = await Lines.ListTransactionsAsync(new() { EnterpriseId = id }, WangFor(id));
        var selfApproval = await Assert.ThrowsAsync<RpcException>(() => Admin.ApproveProposalAsync(new() { EnterpriseId = id, RequestId = "approve-1", ProposalId = proposal.ProposalId }, LiFor(id)).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "APPROVER_IS_PROPOSER"), (selfApproval.StatusCode, selfApproval.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason));
        Assert.Equal(before, await Lines.ListTransactionsAsync(new() { EnterpriseId = id }, WangFor(id)));

        var approved = await Admin.ApproveProposalAsync(new() { EnterpriseId = id, RequestId = "approve-1", ProposalId = proposal.ProposalId }, WangFor(id));
        var retry = await Admin.ApproveProposalAsync(new() { EnterpriseId = id, RequestId = "approve-1", ProposalId = proposal.ProposalId }, WangFor(id));

        Assert.Equal((3_000_000L, ProposalStatus.Approved, Wang), (approved.Line.LimitMinor, approved.Proposal.Status, approved.Proposal.DecidedBy));
        Assert.Equal(approved, retry);
        var entry = (await Lines.ListTransactionsAsync(new() { EnterpriseId = id }, WangFor(id))).Transactions[0];
        Assert.Equal(
            (TransactionType.LimitAdjusted, Li, Wang, "raise-1", proposal.ProposalId, approved.TransactionSequence),
            (entry.Type, entry.Actor, entry.ApprovedBy, entry.RequestId, entry.ProposalId, entry.Sequence));
    }

    [Fact]
    public async Task Unfreezing_a_line_a_risk_signal_froze_needs_a_second_officer_while_unfreezing_a_staff_freeze_does_not()
    {
        // Opened by an approved assessment: a credit decision, not a change by hand, so no proposal.
        var signalled = TestEnterprises.Unique();
        var assessed = await fixture.Decisioning.AssessEnterpriseAsync(Applications.Sound(signalled, "assess-1"));
        Assert.Equal(LineStatus.Active, assessed.Line.Status);
        await fixture.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = signalled, RequestId = "signal-1", SignalType = RiskSignalType.Litigation, Severity = RiskSeverity.Severe });

        var proposed = await Admin.UnfreezeLineAsync(new() { EnterpriseId = signalled, RequestId = "unfreeze-1", Reason = "case withdrawn" }, LiFor(signalled));
        Assert.Equal((ProposalKind.UnfreezeLine, LineStatus.Frozen), (proposed.Proposal.Kind, proposed.Line.Status));
        var approved = await Admin.ApproveProposalAsync(new() { EnterpriseId = signalled, RequestId = "approve-1", ProposalId = proposed.Proposal.ProposalId }, WangFor(signalled));
        Assert.Equal(LineStatus.Active, approved.Line.Status);

        var staffFrozen = await OpenAsync(limit: 1_000_000);
        await Admin.FreezeLineAsync(new() { EnterpriseId = staffFrozen, RequestId = "freeze-1", Reason = "documents missing" }, LiFor(staffFrozen));
        var unfrozen = await Admin.UnfreezeLineAsync(new() { EnterpriseId = staffFrozen, RequestId = "unfreeze-1", Reason = "documents received" }, LiFor(staffFrozen));
        Assert.Null(unfrozen.Proposal);
        Assert.Equal(LineStatus.Active, unfrozen.Line.Status);
    }

    [Fact]
    public async Task An_OpenLine_by_hand_becomes_a_proposal_and_a_rejected_one_opens_nothing()
    {
        var id = TestEnterprises.Unique();

        var opening = await Admin.OpenLineAsync(new() { EnterpriseId = id, RequestId = "open-1", LimitMinor = 5_000_000, AnnualRateBps = 345, TermDays = 365, Product = Product.SrdiELoan }, LiFor(id));

        Assert.Null(opening.Line);
        Assert.Equal((ProposalKind.OpenLine, ProposalStatus.Pending, Li, 5_000_000L, 345, 365, Product.SrdiELoan), (opening.Proposal.Kind, opening.Proposal.Status, opening.Proposal.ProposedBy, opening.Proposal.LimitMinor, opening.Proposal.AnnualRateBps, opening.Proposal.TermDays, opening.Proposal.Product));
        var missing = await Assert.ThrowsAsync<RpcException>(() => Lines.GetLineAsync(new() { EnterpriseId = id }, WangFor(id)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var rejected = await Admin.RejectProposalAsync(new() { EnterpriseId = id, RequestId = "reject-1", ProposalId = opening.Proposal.ProposalId, Reason = "no credit file" }, WangFor(id));
        var late = await Assert.ThrowsAsync<RpcException>(() => Admin.ApproveProposalAsync(new() { EnterpriseId = id, RequestId = "approve-1", ProposalId = opening.Proposal.ProposalId }, WangFor(id)).ResponseAsync);

        Assert.Equal((ProposalStatus.Rejected, Wang, "no credit file"), (rejected.Proposal.Status, rejected.Proposal.DecidedBy, rejected.Proposal.DecisionReason));
        Assert.Equal((StatusCode.FailedPrecondition, "PROPOSAL_ALREADY_DECIDED"), (late.StatusCode, late.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason));
        var journal = await Lines.ListTransactionsAsync(new() { EnterpriseId = id }, WangFor(id));
        Assert.Equal([TransactionType.ProposalRejected, TransactionType.ProposalRecorded], journal.Transactions.Select(t => t.Type));
        Assert.Equal((Wang, "no credit file"), (journal.Transactions[0].Actor, journal.Transactions[0].Note));
        Assert.Equal((Li, "open-1"), (journal.Transactions[1].Actor, journal.Transactions[1].RequestId));
    }

    private async Task<string> OpenAsync(long limit)
    {
        var id = TestEnterprises.Unique();
        await fixture.Service.OpenLineByFourEyesAsync(new() { EnterpriseId = id, RequestId = "open", LimitMinor = limit, AnnualRateBps = 300, TermDays = 365, Product = Product.OperatingQuickLoan });
        return id;
    }

    private static Metadata Bearer(string subject, string[] scopes, string enterprise) =>
        new() { { "authorization", "Bearer " + TestTokens.Shared.Issue(subject, scopes, [enterprise]) } };
}
