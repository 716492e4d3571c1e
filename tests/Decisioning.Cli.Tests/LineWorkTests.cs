using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Xunit.Abstractions;

namespace Decisioning.Cli.Tests;

/// <summary>
/// A day's work on a line through the tool, against the real service with real tokens: officer Li
/// (<see cref="TestTokens.Staff"/>) proposes and works, officer Wang (<see cref="TestTokens.Approver"/>)
/// is the second pair of eyes. Asserted on the --json replies and the exit codes.
/// </summary>
public sealed class LineWorkTests(ServiceFixture fixture, ITestOutputHelper log) : IClassFixture<ServiceFixture>
{
    private readonly Tool _li = Tool.Staff(fixture.Service, log);
    private readonly Tool _wang = new(fixture.Service, log, TestTokens.Shared.Approver);

    [Fact]
    public async Task A_line_opened_by_four_eyes_is_drawn_held_captured_repaid_and_shown_with_its_journal()
    {
        var id = TestEnterprises.Unique();
        var open = await _li.RunAsync("open", id, "--limit", "5,000,000", "--rate-bps", "345", "--term-days", "365", "--product", "srdi-e-loan", "--json");
        Assert.Equal(ExitCodes.Success, open.Exit);
        var proposed = open.Reply<OpenLineResponse>();
        Assert.Null(proposed.Line);
        Assert.Equal((ProposalStatus.Pending, ProposalKind.OpenLine, 500_000_000L, 345), (proposed.Proposal.Status, proposed.Proposal.Kind, proposed.Proposal.LimitMinor, proposed.Proposal.AnnualRateBps));

        var own = await _li.RunAsync("approve", id, proposed.Proposal.ProposalId);
        Assert.Equal(ExitCodes.AuthRefused, own.Exit);
        Assert.Contains("PERMISSION_DENIED APPROVER_IS_PROPOSER", own.Error, StringComparison.Ordinal);

        var approved = await _wang.RunAsync("approve", id, proposed.Proposal.ProposalId, "--json");
        Assert.Equal(ExitCodes.Success, approved.Exit);
        var opened = approved.Reply<ApproveProposalResponse>();
        Assert.Equal((ProposalStatus.Approved, LineStatus.Active, 500_000_000L), (opened.Proposal.Status, opened.Line.Status, opened.Line.LimitMinor));

        var draw = await _li.RunAsync("draw", id, "1200000", "--request-id", "draw-1", "--json");
        Assert.Equal(ExitCodes.Success, draw.Exit);
        var drawn = draw.Reply<DrawResponse>();
        Assert.Equal((true, 120_000_000L, 380_000_000L), (drawn.Approved, drawn.DrawnMinor, drawn.AvailableMinor));

        var retry = await _li.RunAsync("draw", id, "1200000", "--request-id", "draw-1", "--json");
        Assert.Equal(drawn, retry.Reply<DrawResponse>());

        var hold = (await _li.RunAsync("hold", "place", id, "300000", "--ttl-seconds", "900", "--json")).Reply<PlaceHoldResponse>();
        Assert.Equal((true, 30_000_000L), (hold.Approved, hold.HeldMinor));
        var capture = await _li.RunAsync("hold", "capture", id, hold.HoldId, "--amount", "250000", "--json");
        Assert.Equal(ExitCodes.Success, capture.Exit);
        var captured = capture.Reply<CaptureHoldResponse>();
        Assert.Equal((25_000_000L, 5_000_000L, 145_000_000L, 0L), (captured.CapturedMinor, captured.ReleasedMinor, captured.DrawnMinor, captured.HeldMinor));

        var repay = await _li.RunAsync("repay", id, "450000", "--json");
        Assert.Equal(ExitCodes.Success, repay.Exit);
        var repaid = repay.Reply<RepayResponse>();
        Assert.Equal(45_000_000L, repaid.InterestPaidMinor + repaid.PrincipalPaidMinor);

        var show = await _li.RunAsync("show", id, "--json");
        Assert.Equal(ExitCodes.Success, show.Exit);
        var line = show.Member<GetLineResponse>("line").Line;
        Assert.Equal((repaid.DrawnMinor, repaid.AvailableMinor, LineStatus.Active), (line.DrawnMinor, line.AvailableMinor, line.Status));
        Assert.Equal(
            [TransactionType.Repayment, TransactionType.HoldCaptured, TransactionType.HoldPlaced, TransactionType.Draw, TransactionType.LineOpened, TransactionType.ProposalRecorded],
            show.Member<ListTransactionsResponse>("journal").Transactions.Select(t => t.Type));

        var page = await _li.RunAsync("show", id, "--page-size", "2");
        Assert.Equal(ExitCodes.Success, page.Exit);
        Assert.Contains("Journal, newest first", page.Output, StringComparison.Ordinal);
        Assert.Contains("REPAYMENT", page.Output, StringComparison.Ordinal);
        Assert.Contains($"Older entries: decisioning show {id} --page-token ", page.Output, StringComparison.Ordinal);
        Assert.Contains("1,450,000.00", page.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declined_draw_exits_with_the_decline_code_and_stands_in_the_journal()
    {
        var id = await OpenAsync("1000000");

        var beyond = await _li.RunAsync("draw", id, "1000000.01", "--json");
        Assert.Equal(ExitCodes.Declined, beyond.Exit);
        var declined = beyond.Reply<DrawResponse>();
        Assert.Equal((false, DeclineReason.ExceedsAvailableCredit, 0L), (declined.Approved, declined.DeclineReason, declined.DrawnMinor));

        var freeze = await _li.RunAsync("freeze", id, "--reason", "documents overdue", "--json");
        Assert.Equal((ExitCodes.Success, LineStatus.Frozen), (freeze.Exit, freeze.Reply<FreezeLineResponse>().Line.Status));
        var frozen = await _li.RunAsync("draw", id, "10");
        Assert.Equal(ExitCodes.Declined, frozen.Exit);
        Assert.Contains("DECLINED LINE_FROZEN", frozen.Output, StringComparison.Ordinal);

        // A freeze by staff lifts at once: lifting it lowers the bank's risk no more than the freeze raised it.
        var unfreeze = await _li.RunAsync("unfreeze", id, "--reason", "documents received", "--json");
        var lifted = unfreeze.Reply<UnfreezeLineResponse>();
        Assert.Equal((ExitCodes.Success, LineStatus.Active, null), (unfreeze.Exit, lifted.Line.Status, lifted.Proposal));

        var journal = (await _li.RunAsync("show", id, "--json")).Member<ListTransactionsResponse>("journal").Transactions;
        Assert.Equal(
            [TransactionType.LineUnfrozen, TransactionType.DrawDeclined, TransactionType.LineFrozen, TransactionType.DrawDeclined],
            journal.Take(4).Select(t => t.Type));
    }

    [Fact]
    public async Task Unfreezing_a_line_a_risk_signal_froze_waits_for_a_second_staff_member()
    {
        var id = await OpenAsync("2000000");
        var signal = await _li.RunAsync("signal", id, "--type", "litigation", "--severity", "severe", "--note", "court filing 2026-331", "--json");
        Assert.Equal(ExitCodes.Success, signal.Exit);
        var signalled = signal.Reply<ReportRiskSignalResponse>();
        Assert.Equal((RiskEffect.Freeze, LineStatus.Frozen), (signalled.Effect, signalled.Line.Status));

        var unfreeze = await _li.RunAsync("unfreeze", id, "--reason", "case withdrawn");
        Assert.Equal(ExitCodes.Success, unfreeze.Exit);
        Assert.Contains($"decisioning approve {id} P", unfreeze.Output, StringComparison.Ordinal);

        var proposals = await _li.RunAsync("proposals", id, "--json");
        var pending = Assert.Single(proposals.Reply<ListProposalsResponse>().Proposals, p => p.Status == ProposalStatus.Pending);
        Assert.Equal((ProposalKind.UnfreezeLine, "case withdrawn"), (pending.Kind, pending.Reason));
        Assert.Equal(LineStatus.Frozen, (await _li.RunAsync("show", id, "--json")).Member<GetLineResponse>("line").Line.Status);

        var approve = await _wang.RunAsync("approve", id, pending.ProposalId, "--json");
        Assert.Equal(ExitCodes.Success, approve.Exit);
        Assert.Equal(LineStatus.Active, approve.Reply<ApproveProposalResponse>().Line.Status);
    }

    [Fact]
    public async Task A_proposal_can_be_rejected_by_the_second_staff_member()
    {
        var id = TestEnterprises.Unique();
        var proposal = (await _li.RunAsync("open", id, "--limit", "100000", "--rate-bps", "450", "--term-days", "30", "--product", "OPERATING_QUICK_LOAN", "--json"))
            .Reply<OpenLineResponse>().Proposal;

        var reject = await _wang.RunAsync("reject", id, proposal.ProposalId, "--reason", "no mandate", "--json");

        Assert.Equal(ExitCodes.Success, reject.Exit);
        Assert.Equal((ProposalStatus.Rejected, "no mandate"), (reject.Reply<RejectProposalResponse>().Proposal.Status, reject.Reply<RejectProposalResponse>().Proposal.DecisionReason));
        var show = await _li.RunAsync("show", id, "--json");
        Assert.Equal(ExitCodes.Success, show.Exit);
        Assert.DoesNotContain("\"line\"", show.Output, StringComparison.Ordinal);
        Assert.Equal(
            [TransactionType.ProposalRejected, TransactionType.ProposalRecorded],
            show.Member<ListTransactionsResponse>("journal").Transactions.Select(t => t.Type));
    }

    /// <summary>A line opened through the tool by four eyes (Li proposes, Wang approves); its enterprise id.</summary>
    private async Task<string> OpenAsync(string limitCny)
    {
        var id = TestEnterprises.Unique();
        var proposal = (await _li.RunAsync("open", id, "--limit", limitCny, "--rate-bps", "300", "--term-days", "30", "--product", "operating-quick-loan", "--json"))
            .Reply<OpenLineResponse>().Proposal;
        Assert.Equal(ExitCodes.Success, (await _wang.RunAsync("approve", id, proposal.ProposalId)).Exit);
        return id;
    }
}
