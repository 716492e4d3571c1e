using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Lines;

public enum ReferralStatus
{
    None = 0,

    /// <summary>Waiting for a reviewer.</summary>
    Pending = 1,

    /// <summary>A reviewer took it: only they decide it.</summary>
    Claimed = 2,

    /// <summary>Approved by one reviewer above the four-eyes limit: waits for another.</summary>
    AwaitingSecondReview = 3,

    Approved = 4,
    Declined = 5,

    /// <summary>A newer decision on the enterprise took its place before anyone decided it.</summary>
    Superseded = 6,
}

/// <summary>
/// A referred credit decision (REFER) waiting for a reviewer's manual decision. Created with the
/// decision record, in the same commit; its id is the decision's. Approval opens or changes the
/// line exactly as an automatic approval does; above the four-eyes limit a second reviewer must
/// approve the first one's terms.
/// </summary>
public sealed record Referral
{
    /// <summary>The decision target: three working days from the day of the referral.</summary>
    public const int TargetWorkingDays = 3;

    public required string DecisionId { get; init; }
    public required DateTimeOffset ReferredAt { get; init; }
    public required Product Product { get; init; }

    /// <summary>Who asked for the assessment.</summary>
    public string ReferredBy { get; init; } = "";

    public ReferralStatus Status { get; init; } = ReferralStatus.Pending;

    /// <summary>The reviewer who claimed it (for a second review, the second reviewer once they claim it).</summary>
    public string AssignedTo { get; init; } = "";

    /// <summary>The reviewer who decided it first (approved it above the limit, or decided it alone).</summary>
    public string Reviewer { get; init; } = "";

    /// <summary>The second reviewer, when four eyes applied (or who declined in the second review).</summary>
    public string SecondReviewer { get; init; } = "";

    /// <summary>The approved terms (or the first reviewer's, awaiting the second).</summary>
    public long LimitMinor { get; init; }

    public int AnnualRateBps { get; init; }
    public string ReasonCode { get; init; } = "";
    public string Note { get; init; } = "";
    public DateTimeOffset? DecidedAt { get; init; }

    public bool IsOpen => Status is ReferralStatus.Pending or ReferralStatus.Claimed or ReferralStatus.AwaitingSecondReview;

    /// <summary>The business date it was referred on (China time).</summary>
    public DateOnly ReferredOn => BusinessCalendar.DateOf(ReferredAt);

    /// <summary>Its age in working days on <paramref name="today"/>, against the three-day target.</summary>
    public ReferralAge AgeOn(DateOnly today, WorkingCalendar calendar)
    {
        var age = calendar.WorkingDaysBetween(ReferredOn, today);
        var dueOn = calendar.AddWorkingDays(ReferredOn, TargetWorkingDays);
        return new ReferralAge(age, dueOn, IsOpen && today > dueOn, IsOpen && age >= TargetWorkingDays - 1);
    }
}

/// <param name="WorkingDays">Working days since the referral date, up to and including today.</param>
/// <param name="DueOn">The last working day of the target.</param>
/// <param name="Breached">Still open after its due date.</param>
/// <param name="AboutToBreach">Still open with at most one working day of the target left (or none: breached too).</param>
public sealed record ReferralAge(int WorkingDays, DateOnly DueOn, bool Breached, bool AboutToBreach);

/// <summary>What the credit policy allows a reviewer to grant on a product (the models' configuration).</summary>
/// <param name="CapMinor">The product's cap: no limit above it.</param>
/// <param name="MinLimitMinor">The smallest limit worth a line.</param>
/// <param name="RateFloorBps">No rate below it.</param>
/// <param name="TermMonths">The product's term: the maturity of a line the approval opens.</param>
public sealed record ReferralPolicy(long CapMinor, long MinLimitMinor, int RateFloorBps, int TermMonths, int RenewalWindowDays = 0);
