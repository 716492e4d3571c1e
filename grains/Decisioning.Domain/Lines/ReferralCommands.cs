using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Lines;

/// <summary>A reviewer takes a referral: from then on only they decide it (or, for a second review, approve it).</summary>
public sealed record ClaimReferralCommand(string RequestId, string DecisionId) : LineCommand(RequestId)
{
    public override string Fingerprint => "claim:" + DecisionId;

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? ApplicationRules.DecisionId(DecisionId);
}

/// <summary>
/// A reviewer's decision on a referral: approve with a limit and rate inside <see cref="Policy"/>,
/// or decline; a reason code and a note either way. The service sets the policy, the four-eyes
/// limit and the figures of the referred decision.
/// </summary>
public sealed record DecideReferralCommand(string RequestId, string DecisionId, bool Approve, long LimitMinor, int AnnualRateBps, string ReasonCode, string Note)
    : LineCommand(RequestId)
{
    /// <summary>The product's bounds; set by the service from the models (null only before it does).</summary>
    public ReferralPolicy? Policy { get; init; }

    /// <summary>An approval with a limit above this waits for a second reviewer.</summary>
    public long SecondReviewAboveMinor { get; init; } = Limits.DefaultReferralSecondReviewAboveMinor;

    /// <summary>The fiscal interest subsidy at the approved rate, as the configured programmes give it.</summary>
    public int SubsidyBps { get; init; }

    /// <summary>What the referred decision saw: a renewal compares a fresh assessment against it.</summary>
    public long AverageMonthlyInflowMinor { get; init; }

    public override string Fingerprint => Print($"decide-referral:{DecisionId}:{Approve}:{LimitMinor}:{AnnualRateBps}:{ReasonCode}:{Note}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId)
        ?? ApplicationRules.DecisionId(DecisionId)
        ?? LineRules.ReferralReasonCode(ReasonCode)
        ?? LineRules.RequiredNote(Note)
        ?? (Approve ? LineRules.OpeningLimit(LimitMinor) ?? LineRules.AnnualRate(AnnualRateBps) : null);
}
