namespace Decisioning.Domain.Assessment;

/// <summary>Interest paid, split between what the enterprise bears and what the fiscal subsidy (财政贴息) refunds.</summary>
public sealed record InterestSplit(long EnterpriseMinor, long SubsidisedMinor);

/// <summary>
/// A line may carry a subsidy of some basis points of its annual rate (e.g. 100 bps of a 300 bps
/// rate: a third of the interest). Repayments record the subsidised share so the bank can claim it.
/// </summary>
public static class InterestSubsidy
{
    public static DomainError? Validate(int subsidyBps, int annualRateBps) =>
        subsidyBps < 0 || subsidyBps > annualRateBps
            ? DomainError.Invalid("subsidy_bps", ErrorReasons.SubsidyOutOfRange, $"must be from 0 to the line's annual rate ({annualRateBps} bps), not {subsidyBps}")
            : null;

    /// <summary>
    /// subsidised = ⌊interest × subsidy / rate⌋; the enterprise bears the rest. Rounded down
    /// because the claim on public money must never exceed what was earned: a fen of rounding is
    /// the enterprise's, not the treasury's. The two parts always add up to the interest paid.
    /// </summary>
    public static InterestSplit Split(long interestPaidMinor, int annualRateBps, int subsidyBps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(interestPaidMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(annualRateBps);
        if (Validate(subsidyBps, annualRateBps) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(subsidyBps), subsidyBps, error.Message);
        }

        if (subsidyBps == 0 || interestPaidMinor == 0)
        {
            return new InterestSplit(interestPaidMinor, 0);
        }

        var subsidised = checked(interestPaidMinor * subsidyBps) / annualRateBps;
        return new InterestSplit(checked(interestPaidMinor - subsidised), subsidised);
    }
}
