using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Xunit.Abstractions;

namespace Decisioning.Cli.Tests;

/// <summary>
/// A reviewer's day through the tool, against the real service with real tokens: officer Li's
/// assessment of the README's application, its taxed revenue far below the declared, is referred;
/// reviewers Zhao and Qian (scope decisioning.review, their own tokens) find it in the queue, read
/// the whole decision, claim it and approve or decline it, four eyes above the limit. Asserted on
/// the --json replies, the tables and the exit codes.
/// </summary>
public sealed class ReferralCommandTests(ServiceFixture fixture, ITestOutputHelper log) : IClassFixture<ServiceFixture>, IDisposable
{
    private const string Zhao = "reviewer-zhao";
    private const string Qian = "reviewer-qian";

    private readonly Tool _li = Tool.Staff(fixture.Service, log);
    private readonly Tool _zhao = Reviewer(fixture.Service, log, Zhao);
    private readonly Tool _qian = Reviewer(fixture.Service, log, Qian);
    private readonly ApplicationFiles _files = new();

    [Fact]
    public async Task A_referred_assessment_is_listed_shown_claimed_and_approved_opening_the_line()
    {
        var (id, decisionId) = await ReferAsync();

        var list = await _zhao.RunAsync("referrals", "list", "--page-size", "500", "--json");
        var queued = Assert.Single(list.Reply<ListReferralsResponse>().Referrals, r => r.EnterpriseId == id);
        Assert.Equal((ExitCodes.Success, decisionId, ReferralStatus.Pending, "staff-tests", 0, 3), (list.Exit, queued.DecisionId, queued.Status, queued.ReferredBy, queued.AgeWorkingDays, queued.TargetWorkingDays));
        var table = await _zhao.RunAsync("referrals", "list", "--page-size", "500");
        Assert.Contains(decisionId, table.Output, StringComparison.Ordinal);
        Assert.Contains("Age (working days)", table.Output, StringComparison.Ordinal);
        Assert.Contains($"0 of 3", table.Output, StringComparison.Ordinal);
        Assert.Contains(queued.DueDate, table.Output, StringComparison.Ordinal);

        var shown = await _zhao.RunAsync("referrals", "show", id, decisionId);
        Assert.Equal(ExitCodes.Success, shown.Exit);
        foreach (var text in new[] { "Referral", decisionId, "PENDING", "REFER", "Reasons, most important first", "DECLARED_REVENUE_DISAGREES_WITH_TAX", "DEBT_TO_ASSET", "Challenger" })
        {
            Assert.Contains(text, shown.Output, StringComparison.Ordinal);
        }

        var claim = await _zhao.RunAsync("referrals", "claim", id, decisionId, "--request-id", "claim-1", "--json");
        Assert.Equal((ExitCodes.Success, ReferralStatus.Claimed, Zhao), (claim.Exit, claim.Reply<ClaimReferralResponse>().Referral.Status, claim.Reply<ClaimReferralResponse>().Referral.AssignedTo));
        var mine = (await _zhao.RunAsync("referrals", "list", "--assignee", Zhao, "--status", "claimed", "--page-size", "500", "--json")).Reply<ListReferralsResponse>();
        Assert.Contains(mine.Referrals, r => r.DecisionId == decisionId);
        Assert.All(mine.Referrals, r => Assert.Equal((ReferralStatus.Claimed, Zhao), (r.Status, r.AssignedTo)));

        var decide = await _zhao.RunAsync("referrals", "decide", id, decisionId, "--approve", "--limit", "3,000,000", "--rate-bps", "345", "--reason-code", "TAX_FILING_LAG_EXPLAINED", "--note", "2025 Q4 VAT filed late", "--request-id", "decide-1");

        Assert.Equal(ExitCodes.Success, decide.Exit);
        Assert.Contains($"Referral {decisionId} APPROVED (journal entry", decide.Output, StringComparison.Ordinal);
        Assert.Contains("request id decide-1", decide.Output, StringComparison.Ordinal);
        Assert.Contains("3,000,000.00 CNY at 3.45%", decide.Output, StringComparison.Ordinal);
        var line = (await _zhao.RunAsync("show", id, "--json")).Member<GetLineResponse>("line").Line;
        Assert.Equal((LineStatus.Active, 300_000_000L, 345, decisionId), (line.Status, line.LimitMinor, line.AnnualRateBps, line.LastDecisionId));

        // The same request id is a retry: the first reply, nothing new.
        var retry = await _zhao.RunAsync("referrals", "decide", id, decisionId, "--approve", "--limit", "3000000", "--rate-bps", "345", "--reason-code", "TAX_FILING_LAG_EXPLAINED", "--note", "2025 Q4 VAT filed late", "--request-id", "decide-1", "--json");
        Assert.Equal((ExitCodes.Success, ReferralStatus.Approved, line), (retry.Exit, retry.Reply<DecideReferralResponse>().Referral.Status, retry.Reply<DecideReferralResponse>().Line));
        var approved = (await _zhao.RunAsync("referrals", "list", "--status", "approved", "--page-size", "500", "--json")).Reply<ListReferralsResponse>();
        Assert.Contains(approved.Referrals, r => r.DecisionId == decisionId && r.Reviewer == Zhao);
    }

    [Fact]
    public async Task Above_the_four_eyes_limit_the_approval_waits_for_a_second_reviewer_who_is_not_the_first()
    {
        var (id, decisionId) = await ReferAsync();
        string[] approval = ["referrals", "decide", id, decisionId, "--approve", "--limit", "6000000", "--rate-bps", "345", "--reason-code", "CASH_FLOW_VERIFIED", "--note", "statements checked by hand"];

        var first = await _zhao.RunAsync([.. approval, "--request-id", "decide-1"]);
        Assert.Equal(ExitCodes.Success, first.Exit);
        Assert.Contains("AWAITING_SECOND_REVIEW", first.Output, StringComparison.Ordinal);
        Assert.Contains("waiting for a second reviewer (scope decisioning.review), who approves the same terms:", first.Output, StringComparison.Ordinal);
        Assert.Contains($"decisioning referrals decide {id} {decisionId} --approve --limit 6000000 --rate-bps 345", first.Output, StringComparison.Ordinal);

        var own = await _zhao.RunAsync([.. approval, "--request-id", "decide-2"]);
        Assert.Equal(ExitCodes.AuthRefused, own.Exit);
        Assert.StartsWith("decisioning: PERMISSION_DENIED APPROVER_IS_PROPOSER", own.Error, StringComparison.Ordinal);

        var second = await _qian.RunAsync([.. approval, "--request-id", "decide-2", "--json"]);

        Assert.Equal(ExitCodes.Success, second.Exit);
        var reply = second.Reply<DecideReferralResponse>();
        Assert.Equal((ReferralStatus.Approved, Zhao, Qian), (reply.Referral.Status, reply.Referral.Reviewer, reply.Referral.SecondReviewer));
        Assert.Equal((LineStatus.Active, 600_000_000L), (reply.Line.Status, reply.Line.LimitMinor));
    }

    [Fact]
    public async Task A_declined_referral_is_done_and_opens_no_line()
    {
        var (id, decisionId) = await ReferAsync();

        var decline = await _zhao.RunAsync("referrals", "decide", id, decisionId, "--decline", "--reason-code", "FUND_FLOW_UNEXPLAINED", "--note", "round-sum receipts from a related party", "--json");

        Assert.Equal(ExitCodes.Success, decline.Exit);
        var reply = decline.Reply<DecideReferralResponse>();
        Assert.Equal((ReferralStatus.Declined, Zhao, "FUND_FLOW_UNEXPLAINED", null), (reply.Referral.Status, reply.Referral.Reviewer, reply.Referral.ReasonCode, reply.Line));
        Assert.DoesNotContain("\"line\"", (await _zhao.RunAsync("show", id, "--json")).Output, StringComparison.Ordinal);
        var declined = (await _zhao.RunAsync("referrals", "list", "--status", "declined", "--page-size", "500", "--json")).Reply<ListReferralsResponse>();
        Assert.Contains(declined.Referrals, r => r.DecisionId == decisionId);
        Assert.DoesNotContain((await _zhao.RunAsync("referrals", "list", "--page-size", "500", "--json")).Reply<ListReferralsResponse>().Referrals, r => r.DecisionId == decisionId);
    }

    [Fact]
    public async Task A_referral_claimed_by_another_is_refused_and_so_is_a_caller_without_the_review_scope()
    {
        var (id, decisionId) = await ReferAsync();
        var officer = new Tool(fixture.Service, log, TestTokens.Shared.Issue("officer-zhou", ["credit.read", "credit.admin", "credit.approve", "decisioning.assess"], ["*"]));

        var withoutScope = await officer.RunAsync("referrals", "list");
        var claimWithoutScope = await officer.RunAsync("referrals", "claim", id, decisionId);
        var claim = await _zhao.RunAsync("referrals", "claim", id, decisionId);
        Assert.Equal((ExitCodes.AuthRefused, ExitCodes.AuthRefused, ExitCodes.Success), (withoutScope.Exit, claimWithoutScope.Exit, claim.Exit));
        Assert.StartsWith("decisioning: PERMISSION_DENIED SCOPE_REQUIRED", withoutScope.Error, StringComparison.Ordinal);
        Assert.Empty(withoutScope.Output);

        var another = await _qian.RunAsync("referrals", "decide", id, decisionId, "--decline", "--reason-code", "FUND_FLOW_UNEXPLAINED", "--note", "mine now");

        Assert.Equal(ExitCodes.Refused, another.Exit);
        Assert.StartsWith("decisioning: FAILED_PRECONDITION REFERRAL_CLAIMED_BY_ANOTHER", another.Error, StringComparison.Ordinal);
        var aboveCap = await _zhao.RunAsync("referrals", "decide", id, decisionId, "--approve", "--limit", "10,000,000.01", "--rate-bps", "345", "--reason-code", "CASH_FLOW_VERIFIED", "--note", "too much");
        Assert.Equal(ExitCodes.Refused, aboveCap.Exit);
        Assert.StartsWith("decisioning: FAILED_PRECONDITION LIMIT_ABOVE_PRODUCT_CAP", aboveCap.Error, StringComparison.Ordinal);
        var unknown = await _zhao.RunAsync("referrals", "show", TestEnterprises.Unique(), decisionId);
        Assert.Equal(ExitCodes.Refused, unknown.Exit);
        Assert.StartsWith("decisioning: NOT_FOUND REFERRAL_NOT_FOUND", unknown.Error, StringComparison.Ordinal);
        var still = (await _zhao.RunAsync("referrals", "show", id, decisionId, "--json")).Reply<GetReferralResponse>().Referral;
        Assert.Equal((ReferralStatus.Claimed, Zhao, ""), (still.Status, still.AssignedTo, still.Reviewer));
    }

    [Theory]
    [InlineData("--approve --decline", "--approve or --decline: choose one")]
    [InlineData("", "--approve or --decline: choose one")]
    [InlineData("--approve --limit 3000000", "--approve needs --limit and --rate-bps")]
    [InlineData("--decline --rate-bps 345", "--decline takes no --limit or --rate-bps")]
    [InlineData("--approve --limit 3000000.001 --rate-bps 345", "more than two decimals")]
    public async Task A_decision_the_tool_cannot_send_is_refused_before_sending(string verdict, string problem)
    {
        // An enterprise and decision nobody referred: had anything been sent, the service would say NOT_FOUND.
        string[] args = ["referrals", "decide", TestEnterprises.Unique(), "D-000000000000000000000000", "--reason-code", "X", "--note", "n", .. verdict.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

        var run = await _zhao.RunAsync(args);

        Assert.Equal(ExitCodes.InvalidArguments, run.Exit);
        Assert.Contains(problem, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task The_json_replies_are_the_contracts_messages_and_the_queue_pages_oldest_first()
    {
        var (id, decisionId) = await ReferAsync();
        var (_, later) = await ReferAsync();

        var show = await _zhao.RunAsync("referrals", "show", id, decisionId, "--json");
        var list = await _zhao.RunAsync("referrals", "list", "--page-size", "1", "--json");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (list.Exit, show.Exit));
        var reply = show.Reply<GetReferralResponse>();
        Assert.Equal((decisionId, Outcome.Refer, 16), (reply.Referral.DecisionId, reply.Decision.Outcome, reply.Decision.IndicatorScores.Count));
        Assert.NotNull(reply.ChallengerDecision);
        foreach (var member in new[] { "\"referral\": {", "\"decision\": {", "\"challengerDecision\": {", "\"ageWorkingDays\": 0", "\"targetWorkingDays\": 3", "\"breached\": false", "\"aboutToBreach\": false", "\"assignedTo\": \"\"" })
        {
            Assert.Contains(member, show.Output, StringComparison.Ordinal);
        }

        Assert.StartsWith("{\n  \"referrals\": [", list.Output, StringComparison.Ordinal);
        var page = list.Reply<ListReferralsResponse>();
        var all = new List<Referral>(page.Referrals);
        for (var pages = 1; page.NextPageToken.Length > 0 && pages < 100; pages++)
        {
            page = (await _zhao.RunAsync("referrals", "list", "--page-size", "1", "--page-token", page.NextPageToken, "--json")).Reply<ListReferralsResponse>();
            Assert.InRange(page.Referrals.Count, 0, 1);
            all.AddRange(page.Referrals);
        }

        Assert.Equal(all.Count, all.Select(r => r.DecisionId).Distinct().Count());
        Assert.Equal([decisionId, later], all.Select(r => r.DecisionId).Where(d => d == decisionId || d == later));
        Assert.Equal(all.OrderBy(r => r.ReferTime).Select(r => r.DecisionId), all.Select(r => r.DecisionId));
    }

    public void Dispose() => _files.Dispose();

    private static Tool Reviewer(ServiceProcess service, ITestOutputHelper log, string subject) =>
        new(service, log, TestTokens.Shared.Issue(subject, ["decisioning.review", "credit.read"], ["*"]));

    /// <summary>The README's application with taxed revenue of 20,000,000 CNY against 28,000,000 declared: referred (exit code 3).</summary>
    private async Task<(string EnterpriseId, string DecisionId)> ReferAsync()
    {
        var id = TestEnterprises.Unique();
        var assess = await _li.RunAsync("assess", _files.Assessment(id, r => r.Tax.TaxedRevenueLast12MonthsMinor = 2_000_000_000), "--json");
        var decision = assess.Reply<AssessEnterpriseResponse>().Decision;
        Assert.Equal((ExitCodes.Declined, Outcome.Refer), (assess.Exit, decision.Outcome));
        return (id, decision.DecisionId);
    }
}
