namespace Decisioning.Domain;

/// <summary>A limit on everything a caller can make the service hold or do.</summary>
public static class Limits
{
    /// <summary>1,000,000,000 CNY in fen: above any product cap, far below overflow when summed.</summary>
    public const long MaxAmountMinor = 100_000_000_000;

    public const int MaxAnnualRateBps = 10_000;
    public const int MaxTermDays = 1_830;
    public const int MaxOpenHolds = 32;
    public const int DefaultHoldTtlSeconds = 900;
    public const int MaxHoldTtlSeconds = 7 * 24 * 3600;
    public const int MaxRequestIdLength = 64;
    public const int MaxNoteLength = 256;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Enterprises one event subscription may name.</summary>
    public const int MaxSubscribedEnterprises = 1_000;

    /// <summary>Proposals waiting for a second staff member, per line: the line's state carries them.</summary>
    public const int MaxPendingProposals = 8;

    /// <summary>Decided proposals a line keeps for ListProposals; older ones live on in the journal only.</summary>
    public const int MaxDecidedProposalsKept = 8;

    public const int DefaultProposalTtlSeconds = 72 * 3600;

    /// <summary>Decided (or superseded) referrals a line keeps in its state; older ones live on in the journal and the referral index.</summary>
    public const int MaxDecidedReferralsKept = 8;

    public const int MaxReasonCodeLength = 64;

    /// <summary>An approval of a referral above this (5,000,000 CNY) waits for a second reviewer, unless configured otherwise.</summary>
    public const long DefaultReferralSecondReviewAboveMinor = 500_000_000;
    public const int MaxProposalTtlSeconds = 30 * 24 * 3600;

    /// <summary>A re-lending quota period's amount: 100 billion CNY in fen, far below overflow when summed.</summary>
    public const long MaxQuotaMinor = 10_000_000_000_000;
}
