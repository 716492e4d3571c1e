using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>Proposals are part of the line's durable state: they outlive the activation that recorded them.</summary>
public sealed class FourEyesGrainTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>
{
    private LineCluster Cluster => shared.Line;

    [Fact]
    public async Task A_proposal_survives_a_reload_and_its_approval_by_another_staff_member_then_opens_the_line()
    {
        var id = TestEnterprises.Unique();
        var proposed = (await Cluster.Line(id).OpenLine("open-1", 5_000_000, 345, 365, Product.SrdiELoan, "officer-li")).Value!;
        var proposal = proposed.Proposal!;
        Assert.Equal((ProposalStatus.Pending, "officer-li", LineStatus.None), (proposal.Status, proposal.ProposedBy, proposed.Line!.Status));
        Assert.Equal(Cluster.Clock.GetUtcNow().AddHours(72).ToUnixTimeMilliseconds(), proposal.ExpiresAt.ToUnixTimeMilliseconds());
        Assert.Equal("LINE_NOT_FOUND", (await Cluster.Line(id).GetLine()).Error?.Reason);

        await Cluster.Cluster.DeactivateAsync(Cluster.Line(id));
        var reloaded = Assert.Single((await Cluster.Line(id).ListProposals()).Value);
        Assert.Equal(proposal, reloaded);

        var selfApproval = await Cluster.Line(id).ApproveProposal("approve-1", proposal.Id, "officer-li");
        Assert.Equal((ErrorKind.PermissionDenied, "APPROVER_IS_PROPOSER"), (selfApproval.Error?.Kind, selfApproval.Error?.Reason));
        var approved = await Cluster.Line(id).ApproveProposal("approve-1", proposal.Id, "officer-wang");
        Assert.Null(approved.Error);
        Assert.Equal((LineStatus.Active, 5_000_000L), (approved.Value!.Line!.Status, approved.Value!.Line.LimitMinor));

        await Cluster.Cluster.DeactivateAsync(Cluster.Line(id));
        var retry = await Cluster.Line(id).ApproveProposal("approve-1", proposal.Id, "officer-wang");
        LineCommands.AssertSameAnswer(approved, retry);
        var decided = Assert.Single((await Cluster.Line(id).ListProposals()).Value);
        Assert.Equal((ProposalStatus.Approved, "officer-wang"), (decided.Status, decided.DecidedBy));
        var journal = (await Cluster.Line(id).ListTransactions(10, 0)).Value!.Entries;
        Assert.Equal([EntryKind.LineOpened, EntryKind.ProposalRecorded], journal.Select(e => e.Kind));
        Assert.Equal(("officer-li", "officer-wang", "open-1", proposal.Id), (journal[0].Actor, journal[0].ApprovedBy, journal[0].RequestId, journal[0].ProposalId));
        Assert.Equal(("officer-li", proposal.Id, ProposalKind.OpenLine), (journal[1].Actor, journal[1].ProposalId, journal[1].ProposalKind));
    }

    [Fact]
    public async Task A_risk_signals_freeze_is_stored_as_such_and_its_unfreeze_still_needs_four_eyes_after_a_reload()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 1_000_000, 300, 365, Product.OperatingQuickLoan, "officer-li");
        var signal = new ApplyRiskSignalCommand("signal-1", RiskSignalType.Litigation, RiskSeverity.Severe, "") { Effect = RiskEffect.Freeze, ReasonCode = "SEVERE_LITIGATION_REPORTED", Actor = "risk" };
        Assert.Null((await line.Change(signal)).Error);

        await Cluster.Cluster.DeactivateAsync(line);
        var unfreeze = (await Cluster.Line(id).UnfreezeLine("u-1", "settled", "officer-li")).Value!;

        Assert.Equal((ProposalKind.UnfreezeLine, LineStatus.Frozen), (unfreeze.Proposal?.Kind, unfreeze.Line!.Status));
    }
}
