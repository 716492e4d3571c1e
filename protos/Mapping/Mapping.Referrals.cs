using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Google.Protobuf.WellKnownTypes;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.Contracts;

/// <summary>ReviewService: referrals and manual decisions.</summary>
public static partial class Mapping
{
    public static ClaimReferralCommand ToCommand(V1.ClaimReferralRequest r, string actor) => new(r.RequestId, r.DecisionId) { Actor = actor };

    public static DecideReferralCommand ToCommand(V1.DecideReferralRequest r, string actor) =>
        new(r.RequestId, r.DecisionId, r.Verdict == V1.ReviewVerdict.Approve, r.LimitMinor, r.AnnualRateBps, r.ReasonCode, r.Note) { Actor = actor };

    public static ReferralFilter ToFilter(V1.ListReferralsRequest r) => new()
    {
        Statuses = [.. r.Statuses.Select(s => (ReferralStatus)s)],
        Product = (Product)r.Product,
        Assignee = r.Assignee,
        MinAgeWorkingDays = r.MinAgeWorkingDays,
        AboutToBreachOnly = r.AboutToBreachOnly,
    };

    public static V1.Referral ToReferral(QueuedReferral q)
    {
        var (referral, age) = (q.Referral, q.Age);
        return new()
        {
            EnterpriseId = q.EnterpriseId,
            DecisionId = referral.DecisionId,
            Product = (V1.Product)referral.Product,
            Status = (V1.ReferralStatus)referral.Status,
            ReferTime = Timestamp.FromDateTimeOffset(referral.ReferredAt),
            ReferredBy = referral.ReferredBy,
            AssignedTo = referral.AssignedTo,
            Reviewer = referral.Reviewer,
            SecondReviewer = referral.SecondReviewer,
            LimitMinor = referral.LimitMinor,
            AnnualRateBps = referral.AnnualRateBps,
            ReasonCode = referral.ReasonCode,
            Note = referral.Note,
            DecideTime = referral.DecidedAt is { } decided ? Timestamp.FromDateTimeOffset(decided) : null,
            AgeWorkingDays = age.WorkingDays,
            TargetWorkingDays = Referral.TargetWorkingDays,
            DueDate = Date(age.DueOn),
            Breached = age.Breached,
            AboutToBreach = age.AboutToBreach,
        };
    }

    public static V1.ListReferralsResponse ToListReferralsResponse(ImmutableArray<QueuedReferral> page, string nextPageToken)
    {
        var response = new V1.ListReferralsResponse { NextPageToken = nextPageToken };
        response.Referrals.AddRange(page.Select(ToReferral));
        return response;
    }

    public static V1.GetReferralResponse ToGetReferralResponse(QueuedReferral referral, DecisionDocument document)
    {
        var decision = ToGetDecisionResponse(document);
        return new() { Referral = ToReferral(referral), Decision = decision.Decision, ChallengerDecision = decision.ChallengerDecision };
    }

    public static V1.DecideReferralResponse ToDecideReferralResponse(QueuedReferral referral, OperationResult result) => new()
    {
        Referral = ToReferral(referral),
        Line = result.Line is { Status: not LineStatus.None } line ? ToLine(referral.EnterpriseId, line) : null,
        Sequence = result.Sequence,
    };
}
