using System.ComponentModel.DataAnnotations;
using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Lines;

/// <summary>
/// The four-eyes rule's settings. The rule itself is not a setting: every change by hand that
/// raises the bank's risk waits for a second staff member.
/// </summary>
public sealed class FourEyesOptions
{
    public const string Section = "Decisioning:FourEyes";

    /// <summary>How long a proposal waits for its approval before it expires.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ProposalTtl { get; set; } = FourEyesPolicy.Default.ProposalTtl;

    /// <summary>A referral approved with a limit above this (in fen) waits for a second reviewer.</summary>
    [Range(0, Domain.Limits.MaxAmountMinor)]
    public long ReferralSecondReviewAboveMinor { get; set; } = Domain.Limits.DefaultReferralSecondReviewAboveMinor;

    public FourEyesPolicy Policy => new(Required: true, ProposalTtl);
}
