using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Referrals and manual decisions over gRPC with real Redis: an assessment referred (its credit
/// bureau part missing) is in the queue, two reviewers with their own tokens claim, approve (four
/// eyes above the limit) or decline it, and the line and its journal say who.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ReviewTests(ServiceFixture fixture)
{
    private const string Zhao = "reviewer-zhao";
    private const string Qian = "reviewer-qian";

    private static readonly Metadata ZhaoToken = Bearer(Zhao, ["decisioning.review", "credit.read"], "*");
    private static readonly Metadata QianToken = Bearer(Qian, ["decisioning.review", "credit.read"], "*");

    private ReviewService.ReviewServiceClient Review => new(fixture.Service.Anonymous);

    private CreditLineService.CreditLineServiceClient Lines => new(fixture.Service.Anonymous);

    [Fact]
    public async Task A_referred_assessment_is_queued_claimed_and_approved_within_the_bounds_opening_the_line_in_the_reviewers_name()
    {
        var (id, decisionId) = await ReferAsync();

        var queued = await FindAsync(id);
        Assert.Equal((decisionId, ReferralStatus.Pending, Product.SrdiELoan, 0, 3), (queued.DecisionId, queued.Status, queued.Product, queued.AgeWorkingDays, queued.TargetWorkingDays));
        Assert.Equal(WorkingCalendar.China.AddWorkingDays(Applications.Today, 3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), queued.DueDate);
        Assert.False(queued.Breached);

        var whole = await Review.GetReferralAsync(new() { EnterpriseId = id, DecisionId = decisionId }, ZhaoToken);
        // The whole decision as it was answered: its reasons and the 16 indicator scores.
        Assert.Equal((Outcome.Refer, decisionId, 16), (whole.Decision.Outcome, whole.Decision.DecisionId, whole.Decision.IndicatorScores.Count));
        Assert.Contains(whole.Decision.Reasons, r => r.Code.Contains("TAX", StringComparison.Ordinal));
        Assert.NotNull(whole.ChallengerDecision);
        Assert.Equal(queued, whole.Referral);

        var claimed = await Review.ClaimReferralAsync(new() { EnterpriseId = id, DecisionId = decisionId, RequestId = "claim-1" }, ZhaoToken);
        Assert.Equal((ReferralStatus.Claimed, Zhao), (claimed.Referral.Status, claimed.Referral.AssignedTo));
        await AssertRefused(StatusCode.FailedPrecondition, "REFERRAL_CLAIMED_BY_ANOTHER", "decision_id", Review.DecideReferralAsync(Approval(id, decisionId, "decide-q", 100_000_000), QianToken).ResponseAsync);

        // Above the SRDI e-Loan's cap of 10,000,000 CNY, or below the rate floor of 2.70%: refused naming the bound, nothing changes.
        var aboveCap = await AssertRefused(StatusCode.FailedPrecondition, "LIMIT_ABOVE_PRODUCT_CAP", "limit_minor", Review.DecideReferralAsync(Approval(id, decisionId, "decide-0", 1_000_000_001), ZhaoToken).ResponseAsync);
        Assert.Contains("1000000000", aboveCap.Status.Detail, StringComparison.Ordinal);
        await AssertRefused(StatusCode.FailedPrecondition, "RATE_BELOW_PRODUCT_FLOOR", "annual_rate_bps", Review.DecideReferralAsync(Approval(id, decisionId, "decide-0", 100_000_000, rate: 269), ZhaoToken).ResponseAsync);
        await AssertRefused(StatusCode.FailedPrecondition, "LIMIT_BELOW_MINIMUM", "limit_minor", Review.DecideReferralAsync(Approval(id, decisionId, "decide-0", 9_999_999), ZhaoToken).ResponseAsync);
        await AssertRefused(StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", Lines.GetLineAsync(new() { EnterpriseId = id }, ZhaoToken).ResponseAsync);

        var approved = await Review.DecideReferralAsync(Approval(id, decisionId, "decide-1", 400_000_000), ZhaoToken);
        var retry = await Review.DecideReferralAsync(Approval(id, decisionId, "decide-1", 400_000_000), ZhaoToken);

        Assert.Equal((ReferralStatus.Approved, Zhao, 400_000_000L, 350), (approved.Referral.Status, approved.Referral.Reviewer, approved.Referral.LimitMinor, approved.Referral.AnnualRateBps));
        Assert.Equal((LineStatus.Active, 400_000_000L, 350, decisionId), (approved.Line.Status, approved.Line.LimitMinor, approved.Line.AnnualRateBps, approved.Line.LastDecisionId));
        Assert.Equal(approved.Sequence, retry.Sequence);
        Assert.Equal(approved.Line, retry.Line);
        var entry = (await Lines.ListTransactionsAsync(new() { EnterpriseId = id }, ZhaoToken)).Transactions[0];
        Assert.Equal(
            (TransactionType.LineOpened, Zhao, "decide-1", decisionId, Outcome.Approve, "CASH_FLOW_VERIFIED: bank statements for 12 months checked by hand"),
            (entry.Type, entry.Actor, entry.RequestId, entry.DecisionId, entry.DecisionOutcome, entry.Note));

        // Decided, it leaves the open queue and is listed by its status.
        Assert.DoesNotContain(await ListAllAsync(new()), r => r.EnterpriseId == id);
        Assert.Contains(await ListAllAsync(new() { Statuses = { ReferralStatus.Approved } }), r => r.EnterpriseId == id && r.Reviewer == Zhao);
        await AssertRefused(StatusCode.FailedPrecondition, "REFERRAL_ALREADY_DECIDED", "decision_id", Review.DecideReferralAsync(Approval(id, decisionId, "decide-2", 100_000_000), ZhaoToken).ResponseAsync);
    }

    [Fact]
    public async Task Above_the_four_eyes_limit_the_first_reviewers_approval_waits_and_only_another_reviewer_completes_it()
    {
        var (id, decisionId) = await ReferAsync();

        var first = await Review.DecideReferralAsync(Approval(id, decisionId, "decide-1", 600_000_000), ZhaoToken);
        Assert.Equal((ReferralStatus.AwaitingSecondReview, Zhao), (first.Referral.Status, first.Referral.Reviewer));
        Assert.Null(first.Line);

        await AssertRefused(StatusCode.PermissionDenied, "APPROVER_IS_PROPOSER", "decision_id", Review.DecideReferralAsync(Approval(id, decisionId, "decide-2", 600_000_000), ZhaoToken).ResponseAsync);
        await AssertRefused(StatusCode.FailedPrecondition, "REFERRAL_TERMS_DIFFER", "limit_minor", Review.DecideReferralAsync(Approval(id, decisionId, "decide-2", 650_000_000), QianToken).ResponseAsync);
        await AssertRefused(StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", Lines.GetLineAsync(new() { EnterpriseId = id }, ZhaoToken).ResponseAsync);

        var second = await Review.DecideReferralAsync(Approval(id, decisionId, "decide-2", 600_000_000), QianToken);

        Assert.Equal((ReferralStatus.Approved, Zhao, Qian), (second.Referral.Status, second.Referral.Reviewer, second.Referral.SecondReviewer));
        Assert.Equal(600_000_000, second.Line.LimitMinor);
        var entry = (await Lines.ListTransactionsAsync(new() { EnterpriseId = id }, ZhaoToken)).Transactions[0];
        Assert.Equal((TransactionType.LineOpened, Zhao, Qian, decisionId), (entry.Type, entry.Actor, entry.ApprovedBy, entry.DecisionId));
    }

    [Fact]
    public async Task A_decline_needs_a_verdict_a_reason_code_and_a_note_and_opens_nothing()
    {
        var (id, decisionId) = await ReferAsync();
        var decline = new DecideReferralRequest { EnterpriseId = id, DecisionId = decisionId, RequestId = "decline-1", Verdict = ReviewVerdict.Decline, ReasonCode = "FUND_FLOW_UNEXPLAINED", Note = "large round-sum receipts from a related party" };

        await AssertRefused(StatusCode.InvalidArgument, "VERDICT_REQUIRED", "verdict", Review.DecideReferralAsync(With(decline, d => d.Verdict = ReviewVerdict.Unspecified), ZhaoToken).ResponseAsync);
        await AssertRefused(StatusCode.InvalidArgument, "REASON_CODE_REQUIRED", "reason_code", Review.DecideReferralAsync(With(decline, d => d.ReasonCode = ""), ZhaoToken).ResponseAsync);
        await AssertRefused(StatusCode.InvalidArgument, "REASON_CODE_MALFORMED", "reason_code", Review.DecideReferralAsync(With(decline, d => d.ReasonCode = "fund flow"), ZhaoToken).ResponseAsync);
        await AssertRefused(StatusCode.InvalidArgument, "NOTE_REQUIRED", "note", Review.DecideReferralAsync(With(decline, d => d.Note = ""), ZhaoToken).ResponseAsync);
        Assert.Equal(ReferralStatus.Pending, (await FindAsync(id)).Status);

        var declined = await Review.DecideReferralAsync(decline, ZhaoToken);

        Assert.Equal((ReferralStatus.Declined, Zhao, "FUND_FLOW_UNEXPLAINED"), (declined.Referral.Status, declined.Referral.Reviewer, declined.Referral.ReasonCode));
        Assert.Null(declined.Line);
        await AssertRefused(StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", Lines.GetLineAsync(new() { EnterpriseId = id }, ZhaoToken).ResponseAsync);
        Assert.Contains(await ListAllAsync(new() { Statuses = { ReferralStatus.Declined } }), r => r.EnterpriseId == id);
    }

    [Fact]
    public async Task The_queue_is_oldest_first_and_paged_without_repeats_or_gaps()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await ReferAsync()).EnterpriseId);
        }

        var pages = 0;
        var all = new List<Referral>();
        var request = new ListReferralsRequest { PageSize = 2 };
        do
        {
            var page = await Review.ListReferralsAsync(request, ZhaoToken);
            Assert.InRange(page.Referrals.Count, 0, 2);
            all.AddRange(page.Referrals);
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0 && pages < 1_000);

        Assert.Equal(all.Count, all.Select(r => r.DecisionId).Distinct().Count());
        Assert.Equal(all.OrderBy(r => r.ReferTime).ThenBy(r => r.DecisionId, StringComparer.Ordinal).Select(r => r.DecisionId), all.Select(r => r.DecisionId));
        Assert.Equal(ids, all.Where(r => ids.Contains(r.EnterpriseId)).Select(r => r.EnterpriseId));
        Assert.All(all, r => Assert.Contains(r.Status, new[] { ReferralStatus.Pending, ReferralStatus.Claimed, ReferralStatus.AwaitingSecondReview }));

        await AssertRefused(StatusCode.InvalidArgument, "PAGE_TOKEN_INVALID", "page_token", Review.ListReferralsAsync(new() { PageToken = "not-a-token" }, ZhaoToken).ResponseAsync);
        await AssertRefused(StatusCode.InvalidArgument, "PAGE_FILTER_INVALID", "statuses[0]", Review.ListReferralsAsync(new() { Statuses = { (ReferralStatus)99 } }, ZhaoToken).ResponseAsync);
        Assert.Empty((await Review.ListReferralsAsync(new() { MinAgeWorkingDays = 1_000 }, ZhaoToken)).Referrals);
    }

    [Fact]
    public async Task Reviewing_needs_the_review_scope_and_the_queue_a_token_serving_every_enterprise()
    {
        var (id, decisionId) = await ReferAsync();

        var officer = Bearer("officer-li", ["credit.admin", "credit.approve", "credit.read", "decisioning.assess"], "*");
        await AssertRefused(StatusCode.PermissionDenied, "SCOPE_REQUIRED", null, Review.ListReferralsAsync(new(), officer).ResponseAsync);
        await AssertRefused(StatusCode.PermissionDenied, "SCOPE_REQUIRED", null, Review.DecideReferralAsync(Approval(id, decisionId, "decide-1", 100_000_000), officer).ResponseAsync);

        var branchReviewer = Bearer("reviewer-sun", ["decisioning.review"], TestEnterprises.Unique());
        await AssertRefused(StatusCode.PermissionDenied, "ENTERPRISE_NOT_SERVED", null, Review.ListReferralsAsync(new(), branchReviewer).ResponseAsync);
        await AssertRefused(StatusCode.PermissionDenied, "ENTERPRISE_NOT_SERVED", null, Review.GetReferralAsync(new() { EnterpriseId = id, DecisionId = decisionId }, branchReviewer).ResponseAsync);
        await AssertRefused(StatusCode.PermissionDenied, "ENTERPRISE_NOT_SERVED", null, Review.ClaimReferralAsync(new() { EnterpriseId = id, DecisionId = decisionId, RequestId = "claim-1" }, branchReviewer).ResponseAsync);
        Assert.Equal(ReferralStatus.Pending, (await FindAsync(id)).Status);

        await AssertRefused(StatusCode.NotFound, "REFERRAL_NOT_FOUND", "decision_id", Review.GetReferralAsync(new() { EnterpriseId = TestEnterprises.Unique(), DecisionId = decisionId }, ZhaoToken).ResponseAsync);
    }

    /// <summary>An assessment the champion scores and refers: 45M CNY declared against 30M taxed (33% apart, tolerance 20%).</summary>
    private async Task<(string EnterpriseId, string DecisionId)> ReferAsync()
    {
        var id = TestEnterprises.Unique();
        var request = Applications.Sound(id, "assess-1");
        request.Tax.TaxedRevenueLast12MonthsMinor = 3_000_000_000;
        var assessed = await fixture.Decisioning.AssessEnterpriseAsync(request);
        Assert.Equal(Outcome.Refer, assessed.Decision.Outcome);
        return (id, assessed.Decision.DecisionId);
    }

    private async Task<Referral> FindAsync(string enterpriseId) => Assert.Single(await ListAllAsync(new() { Statuses = { ReferralStatus.Pending, ReferralStatus.Claimed, ReferralStatus.AwaitingSecondReview, ReferralStatus.Approved, ReferralStatus.Declined } }), r => r.EnterpriseId == enterpriseId);

    private async Task<List<Referral>> ListAllAsync(ListReferralsRequest request)
    {
        request.PageSize = 500;
        var all = new List<Referral>();
        do
        {
            var page = await Review.ListReferralsAsync(request, ZhaoToken);
            all.AddRange(page.Referrals);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return all;
    }

    private static DecideReferralRequest Approval(string id, string decisionId, string requestId, long limit, int rate = 350) => new()
    {
        EnterpriseId = id,
        DecisionId = decisionId,
        RequestId = requestId,
        Verdict = ReviewVerdict.Approve,
        LimitMinor = limit,
        AnnualRateBps = rate,
        ReasonCode = "CASH_FLOW_VERIFIED",
        Note = "bank statements for 12 months checked by hand",
    };

    private static DecideReferralRequest With(DecideReferralRequest request, Action<DecideReferralRequest> change)
    {
        var copy = request.Clone();
        change(copy);
        return copy;
    }

    private static async Task<RpcException> AssertRefused<T>(StatusCode status, string reason, string? field, Task<T> call)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => call);
        var info = refused.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.Equal((status, reason), (refused.StatusCode, info?.Reason));
        if (field is not null)
        {
            Assert.Equal(field, info!.Metadata["field"]);
        }

        return refused;
    }

    private static Metadata Bearer(string subject, string[] scopes, string enterprise) =>
        new() { { "authorization", "Bearer " + TestTokens.Shared.Issue(subject, scopes, [enterprise]) } };
}
