using System.Globalization;
using System.Text;
using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Storage;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using StackExchange.Redis;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>
/// decisioning.v1.ReviewService: the referral queue and reviewers' decisions. The queue is read from
/// the referral index (<see cref="ReferralIndex"/>, one hash per partition) without touching a line;
/// a claim or a decision goes to the enterprise's line, a decision through the assessment grain,
/// which adds the product's bounds from the models. The reviewer is the token's subject.
/// </summary>
public sealed class ReviewService(
    LineAccess lines,
    RequestValidator validator,
    IGrainFactory grains,
    ReferralIndex index,
    IConnectionMultiplexer redis,
    WorkingDays workingDays,
    TimeProvider clock)
    : V1.ReviewService.ReviewServiceBase
{
    private const string PageTokenPrefix = "after:";

    [RequiredScope(Scopes.Review)]
    public override async Task<V1.ListReferralsResponse> ListReferrals(V1.ListReferralsRequest request, ServerCallContext context)
    {
        Require(PageSize(request.PageSize), Filter(request));
        var after = ParsePageToken(request.PageToken);
        var pageSize = request.PageSize == 0 ? Limits.DefaultPageSize : request.PageSize;
        var (page, last) = ReferralQueue.Page(await ReadIndex(), Mapping.ToFilter(request), Today, workingDays.Calendar, pageSize, after);
        return Mapping.ToListReferralsResponse(page, last is null ? "" : PageToken(ReferralQueue.Position(last)));
    }

    [RequiredScope(Scopes.Review)]
    public override async Task<V1.GetReferralResponse> GetReferral(V1.GetReferralRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), DecisionIdFormat(request.DecisionId));
        var referrals = (await lines.ListReferrals(request.EnterpriseId, context.CancellationToken)).OrThrow();
        var referral = referrals.FirstOrDefault(r => r.DecisionId == request.DecisionId)
            ?? throw DecisioningException.From(new DomainError(ErrorReasons.ReferralNotFound, $"decision_id {request.DecisionId} names no referral of this enterprise", "decision_id"));
        var document = (await lines.GetDecision(request.EnterpriseId, request.DecisionId, context.CancellationToken)).OrThrow()
            ?? throw DecisioningException.From(new DomainError(ErrorReasons.DecisionNotFound, field: "decision_id"));
        return Mapping.ToGetReferralResponse(Queued(request.EnterpriseId, referral), document);
    }

    [RequiredScope(Scopes.Review)]
    public override async Task<V1.ClaimReferralResponse> ClaimReferral(V1.ClaimReferralRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), DecisionIdFormat(request.DecisionId));
        var result = (await lines.Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context.CancellationToken)).OrThrow();
        return new V1.ClaimReferralResponse { Referral = Mapping.ToReferral(Queued(request.EnterpriseId, result.Referral!)) };
    }

    [RequiredScope(Scopes.Review)]
    public override async Task<V1.DecideReferralResponse> DecideReferral(V1.DecideReferralRequest request, ServerCallContext context)
    {
        var approve = request.Verdict == V1.ReviewVerdict.Approve;
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            DecisionIdFormat(request.DecisionId),
            request.Verdict is V1.ReviewVerdict.Approve or V1.ReviewVerdict.Decline
                ? null
                : DomainError.Invalid("verdict", ErrorReasons.VerdictRequired, $"must be REVIEW_VERDICT_APPROVE or REVIEW_VERDICT_DECLINE, not {(int)request.Verdict}"),
            LineRules.ReferralReasonCode(request.ReasonCode),
            LineRules.RequiredNote(request.Note),
            approve ? LineRules.OpeningLimit(request.LimitMinor) : null,
            approve ? LineRules.AnnualRate(request.AnnualRateBps) : null);
        var command = Mapping.ToCommand(request, context.Caller().Subject);
        var result = (await grains.GetGrain<IAssessmentGrain>(0).DecideReferral(request.EnterpriseId, command, context.CancellationToken)).OrThrow();
        return Mapping.ToDecideReferralResponse(Queued(request.EnterpriseId, result.Referral!), result);
    }

    private DateOnly Today => BusinessCalendar.DateOf(clock.GetUtcNow());

    private QueuedReferral Queued(string enterpriseId, Referral referral) => new(enterpriseId, referral, referral.AgeOn(Today, workingDays.Calendar));

    private async Task<IReadOnlyList<(string EnterpriseId, Referral Referral)>> ReadIndex()
    {
        try
        {
            return await index.ReadAllAsync(redis.GetDatabase(), clock.GetUtcNow());
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw DecisioningException.From(new DomainError(ErrorReasons.StorageUnavailable, "the referral queue could not be read: retry"));
        }
    }

    private static DomainError? Filter(V1.ListReferralsRequest request)
    {
        for (var i = 0; i < request.Statuses.Count; i++)
        {
            if (request.Statuses[i] is < V1.ReferralStatus.Pending or > V1.ReferralStatus.Superseded)
            {
                return DomainError.Invalid($"statuses[{i}]", ErrorReasons.PageFilterInvalid, $"must be a referral status the contract defines, not {(int)request.Statuses[i]}");
            }
        }

        if (request.Product is < V1.Product.Unspecified or > V1.Product.OperatingQuickLoan)
        {
            return DomainError.Invalid("product", ErrorReasons.PageFilterInvalid, $"must be a product the contract defines (or unspecified), not {(int)request.Product}");
        }

        return request.MinAgeWorkingDays < 0
            ? DomainError.Invalid("min_age_working_days", ErrorReasons.PageFilterInvalid, $"must not be negative, not {request.MinAgeWorkingDays}")
            : LineRules.Note(request.Assignee, "assignee");
    }

    private static string PageToken((long ReferUnixMs, string DecisionId) position) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(PageTokenPrefix + position.ReferUnixMs.ToString(CultureInfo.InvariantCulture) + ":" + position.DecisionId));

    /// <summary>The position a page token continues after (null for the first page).</summary>
    private static (long, string)? ParsePageToken(string token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        var bytes = new byte[token.Length];
        if (token.Length <= 128
            && Convert.TryFromBase64String(token, bytes, out var written)
            && Encoding.ASCII.GetString(bytes, 0, written) is var text
            && text.StartsWith(PageTokenPrefix, StringComparison.Ordinal)
            && text[PageTokenPrefix.Length..].Split(':', 2) is [var ms, var decisionId]
            && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var referUnixMs)
            && DecisionIdFormat(decisionId) is null)
        {
            return (referUnixMs, decisionId);
        }

        throw DecisioningException.From(DomainError.Invalid("page_token", ErrorReasons.PageTokenInvalid, "is not a token from a previous ListReferrals reply"));
    }
}
