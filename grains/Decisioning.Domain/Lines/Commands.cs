using System.Collections.Immutable;
using System.Globalization;
using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Lines;

/// <summary>
/// A change asked of a line. <see cref="Fingerprint"/> captures every parameter, so that a retry
/// with the same request id can be told from a different request that reuses it.
/// </summary>
public abstract record LineCommand(string RequestId)
{
    /// <summary>Who asked: the authenticated caller (the token's subject). No command goes without one.</summary>
    public required string Actor { get; init; }

    /// <summary>
    /// What a retry is matched by: a request id belongs to its caller, so the same id from two
    /// callers is two requests (<see cref="RequestKeys"/>).
    /// </summary>
    public string RequestKey => RequestKeys.Of(RequestId, Actor);

    public abstract string Fingerprint { get; }

    /// <summary>Checks every field; null when the command is well formed.</summary>
    public abstract DomainError? Validate();

    private protected static string Print(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A request id scoped to its caller. Request ids hold no '@' (<see cref="LineRules.RequestId"/>), so the key reads back unambiguously.</summary>
public static class RequestKeys
{
    public static string Of(string requestId, string actor) => string.Concat(requestId, "@", actor);
}

public sealed record OpenLineCommand(string RequestId, long LimitMinor, int AnnualRateBps, int TermDays, Product Product)
    : LineCommand(RequestId)
{
    /// <summary>The fiscal interest subsidy, 0 to the rate, as the configured programmes give it.</summary>
    public int SubsidyBps { get; init; }

    // The subsidy is the bank's (looked up when the request arrives), not the caller's: a retry
    // that arrives after the programme table changed is still the same request.
    public override string Fingerprint => Print($"open:{LimitMinor}:{AnnualRateBps}:{TermDays}:{(int)Product}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId)
        ?? LineRules.OpeningLimit(LimitMinor)
        ?? LineRules.AnnualRate(AnnualRateBps)
        ?? LineRules.TermDays(TermDays)
        ?? LineRules.ProductCode(Product)
        ?? InterestSubsidy.Validate(SubsidyBps, AnnualRateBps);
}

public sealed record DrawCommand(string RequestId, long AmountMinor) : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"draw:{AmountMinor}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.Amount(AmountMinor);
}

public sealed record RepayCommand(string RequestId, long AmountMinor) : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"repay:{AmountMinor}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.Amount(AmountMinor);
}

public sealed record PlaceHoldCommand(string RequestId, long AmountMinor, int TtlSeconds) : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"hold:{AmountMinor}:{EffectiveTtlSeconds}");

    public int EffectiveTtlSeconds => TtlSeconds == 0 ? Limits.DefaultHoldTtlSeconds : TtlSeconds;

    public override DomainError? Validate() =>
        LineRules.RequestId(RequestId) ?? LineRules.Amount(AmountMinor) ?? LineRules.HoldTtl(TtlSeconds);
}

/// <summary>Draws <see cref="AmountMinor"/> of a hold (0: all of it) and releases the rest.</summary>
public sealed record CaptureHoldCommand(string RequestId, string HoldId, long AmountMinor) : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"capture:{HoldId}:{AmountMinor}");

    public override DomainError? Validate() =>
        LineRules.RequestId(RequestId) ?? LineRules.HoldId(HoldId) ?? LineRules.CaptureAmount(AmountMinor);
}

public sealed record ReleaseHoldCommand(string RequestId, string HoldId) : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"release:{HoldId}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.HoldId(HoldId);
}

public sealed record FreezeLineCommand(string RequestId, string Note) : LineCommand(RequestId)
{
    public override string Fingerprint => "freeze:" + Note;

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.Note(Note);
}

public sealed record UnfreezeLineCommand(string RequestId, string Note) : LineCommand(RequestId)
{
    public override string Fingerprint => "unfreeze:" + Note;

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.Note(Note);
}

public sealed record AdjustLimitCommand(string RequestId, long LimitMinor, string Note) : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"limit:{LimitMinor}:{Note}");

    public override DomainError? Validate() =>
        LineRules.RequestId(RequestId) ?? LineRules.Limit(LimitMinor) ?? LineRules.Note(Note);
}

public sealed record CloseLineCommand(string RequestId, string Note) : LineCommand(RequestId)
{
    public override string Fingerprint => "close:" + Note;

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.Note(Note);
}

/// <summary>
/// Records a credit decision on the line: an approval opens the line (when there is none, or it is
/// closed) or sets the new product, limit, rate and subsidy of the open one; every decision, whatever
/// its outcome, is journaled with its id. <paramref name="RequestFingerprint"/> stands for what the
/// caller asked (not what was decided), so a retry of the same request matches however the data moved.
/// </summary>
public sealed record RecordDecisionCommand(string RequestId, string DecisionId, string RequestFingerprint) : LineCommand(RequestId)
{
    public required Outcome Outcome { get; init; }
    public Product Product { get; init; }
    public long LimitMinor { get; init; }
    public int AnnualRateBps { get; init; }

    /// <summary>The product's term: an opened line matures this many months after today.</summary>
    public int TermMonths { get; init; }

    /// <summary>The average monthly inflow the decision saw; renewal compares against it.</summary>
    public long AverageMonthlyInflowMinor { get; init; }

    /// <summary>The fiscal interest subsidy asked for; the line never carries more than its rate.</summary>
    public int SubsidyBps { get; init; }

    /// <summary>
    /// The model's renewal window: an approval reaching a line this close to its maturity (or past it)
    /// is refused, since only RenewLine gives a new term.
    /// </summary>
    public int RenewalWindowDays { get; init; }

    /// <summary>The rate's technology re-lending discount: a line with one has its draws funded by the quota while it lasts.</summary>
    public int RelendingDiscountBps { get; init; }

    /// <summary>The approval is the enterprise's first bank credit (首贷).</summary>
    public bool FirstLoan { get; init; }

    public override string Fingerprint => "decision:" + DecisionId + ":" + RequestFingerprint;

    public override DomainError? Validate()
    {
        if ((LineRules.RequestId(RequestId) ?? ApplicationRules.DecisionId(DecisionId)) is { } invalid)
        {
            return invalid;
        }

        if (Outcome is not (Outcome.Approve or Outcome.Decline or Outcome.Refer))
        {
            return DomainError.Invalid("outcome", ErrorReasons.OutcomeRequired, $"must be approve, decline or refer, not {(int)Outcome}");
        }

        if (SubsidyBps is < 0 or > Limits.MaxAnnualRateBps)
        {
            return DomainError.Invalid("subsidy_bps", ErrorReasons.SubsidyOutOfRange, $"must be from 0 to {Limits.MaxAnnualRateBps} basis points, not {SubsidyBps}");
        }

        if (AverageMonthlyInflowMinor is < 0 or > Limits.MaxAmountMinor)
        {
            return DomainError.Invalid("average_monthly_inflow_minor", ErrorReasons.AmountOutOfRange, $"must be from 0 to {Limits.MaxAmountMinor} fen, not {AverageMonthlyInflowMinor}");
        }

        if (RenewalWindowDays is < 0 or > AssessmentLimits.MaxRenewalWindowDays)
        {
            return DomainError.Invalid("renewal_window_days", ErrorReasons.WindowOutOfRange, $"must be from 0 to {AssessmentLimits.MaxRenewalWindowDays} days, not {RenewalWindowDays}");
        }

        return Outcome != Outcome.Approve
            ? null
            : LineRules.OpeningLimit(LimitMinor)
                ?? LineRules.AnnualRate(AnnualRateBps)
                ?? LineRules.ProductCode(Product)
                ?? LineRules.TermMonths(TermMonths);
    }
}

/// <summary>
/// Renewal without principal repaid first (无还本续贷), as a fresh assessment decided it
/// (<see cref="Renewal.Decide"/>). The line checks its own side again when it applies it (status,
/// the window before maturity), since the line may have changed while the assessment ran.
/// </summary>
public sealed record RenewLineCommand(string RequestId, string DecisionId, string RequestFingerprint) : LineCommand(RequestId)
{
    public required bool Eligible { get; init; }

    /// <summary>Why the assessment found the enterprise not eligible.</summary>
    public ImmutableArray<string> Reasons { get; init; } = [];

    /// <summary>Renewal is open from this many days before maturity (the model's renewal window).</summary>
    public required int WindowDays { get; init; }

    /// <summary>The product's term: the maturity moves this many months.</summary>
    public required int TermMonths { get; init; }

    /// <summary>The renewed terms (a renewal reprices): the fresh assessment's product, limit and rate; unused when not eligible.</summary>
    public Product Product { get; init; }

    public long LimitMinor { get; init; }

    public int AnnualRateBps { get; init; }

    /// <summary>The fiscal interest subsidy at the renewed rate, as the configured programmes give it.</summary>
    public int SubsidyBps { get; init; }

    public override string Fingerprint => "renew:" + DecisionId + ":" + RequestFingerprint;

    public override DomainError? Validate() => LineRules.RequestId(RequestId)
        ?? ApplicationRules.DecisionId(DecisionId)
        ?? LineRules.TermMonths(TermMonths)
        ?? (WindowDays is < 0 or > AssessmentLimits.MaxRenewalWindowDays
            ? DomainError.Invalid("window_days", ErrorReasons.WindowOutOfRange, $"must be from 0 to {AssessmentLimits.MaxRenewalWindowDays} days, not {WindowDays}")
            : null)
        ?? (Eligible
            ? LineRules.OpeningLimit(LimitMinor) ?? LineRules.AnnualRate(AnnualRateBps) ?? LineRules.ProductCode(Product) ?? InterestSubsidy.Validate(SubsidyBps, AnnualRateBps)
            : null);
}

/// <summary>
/// A risk signal and the effect the model's policy gives it (<see cref="RiskSignals.Evaluate"/>).
/// A lowered limit is computed from the line's limit when the signal is applied.
/// </summary>
public sealed record ApplyRiskSignalCommand(string RequestId, RiskSignalType SignalType, RiskSeverity Severity, string Note) : LineCommand(RequestId)
{
    public required RiskEffect Effect { get; init; }
    public int LowerByBps { get; init; }
    public required string ReasonCode { get; init; }

    // The effect follows from the policy, not from the caller: a retry of the same signal matches
    // even if the policy changed in between.
    public override string Fingerprint => Print($"signal:{(int)SignalType}:{(int)Severity}:{Note}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId)
        ?? RiskSignals.Validate(new RiskSignal(SignalType, Severity))
        ?? LineRules.Note(Note, "note")
        ?? (Effect is < RiskEffect.RecordOnly or > RiskEffect.Freeze
            ? DomainError.Invalid("effect", ErrorReasons.EffectRequired, $"must be record only, lower limit or freeze, not {(int)Effect}")
            : LowerByBps is < 0 or > AssessmentLimits.BasisPoints
                ? DomainError.Invalid("lower_by_bps", ErrorReasons.ShareOutOfRange, $"must be from 0 to {AssessmentLimits.BasisPoints}, not {LowerByBps}")
                : null);
}

/// <summary>A second staff member approves a proposal: its change is applied to the line as it is now.</summary>
public sealed record ApproveProposalCommand(string RequestId, string ProposalId) : LineCommand(RequestId)
{
    public override string Fingerprint => "approve:" + ProposalId;

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.ProposalId(ProposalId);
}

/// <summary>A staff member rejects a proposal (the proposer may withdraw their own): the line does not change.</summary>
public sealed record RejectProposalCommand(string RequestId, string ProposalId, string Note) : LineCommand(RequestId)
{
    public override string Fingerprint => "reject:" + ProposalId + ":" + Note;

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.ProposalId(ProposalId) ?? LineRules.Note(Note);
}

/// <summary>
/// The daily process (issue 11), as of the command's instant: holds that expired are journaled, the
/// maturity, the overdue and each change of classification. Once per line and business day: a run
/// on a day that has run, or that finds nothing to journal, changes nothing and writes nothing.
/// </summary>
public sealed record RunDailyCommand(string RequestId) : LineCommand(RequestId)
{
    /// <summary>The request id of the run of <paramref name="date"/>: a retry, or a second silo's, is the same request.</summary>
    public static RunDailyCommand For(DateOnly date) =>
        new("daily:" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) { Actor = LineTransition.System };

    /// <summary>
    /// A run at a hold's expiry, as the line's timer starts it: its own request id, since the day's
    /// run may already have stored its answer under the day's.
    /// </summary>
    public static RunDailyCommand AtExpiry(DateTimeOffset now) =>
        new("expire:" + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)) { Actor = LineTransition.System };

    public override string Fingerprint => "daily";

    public override DomainError? Validate() => LineRules.RequestId(RequestId);
}

/// <summary>A reviewer sets the tier the classification never goes better than (NORMAL lifts the floor).</summary>
public sealed record SetClassificationFloorCommand(string RequestId, LoanClass Floor, string Note) : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"floor:{(int)Floor}:{Note}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.Classification(Floor) ?? LineRules.Note(Note);
}

/// <summary>Writes off a classified loan (SUBSTANDARD or worse): always with four eyes.</summary>
public sealed record WriteOffLineCommand(string RequestId, string Note) : LineCommand(RequestId)
{
    public override string Fingerprint => "write-off:" + Note;

    public override DomainError? Validate() => LineRules.RequestId(RequestId) ?? LineRules.Note(Note);
}

/// <summary>
/// The system records a change of the line's lease of the re-lending quota: a grant the quota made
/// (positive <see cref="ChangeMinor"/>), a give-back (negative), or none (0: the line only takes the
/// quota's version, after the quota found it stale). Applies only at <see cref="ExpectedVersion"/>:
/// anything else means another change came between, and the quota's count then covers the grant.
/// </summary>
public sealed record RelendingLeaseCommand(string RequestId, string Period, int ShareBps, long ChangeMinor, long ExpectedVersion, long NewVersion)
    : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"relending:{Period}:{ShareBps}:{ChangeMinor}:{ExpectedVersion}:{NewVersion}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId)
        ?? (Period.Length is < 1 or > Programmes.Relending.MaxNameLength
            ? DomainError.Invalid("period", ErrorReasons.FieldRequired, $"must be 1 to {Programmes.Relending.MaxNameLength} characters")
            : ShareBps is < 1 or > AssessmentLimits.BasisPoints
                ? DomainError.Invalid("share_bps", ErrorReasons.ShareOutOfRange, $"must be from 1 to {AssessmentLimits.BasisPoints}, not {ShareBps}")
                : ChangeMinor is < -Limits.MaxQuotaMinor or > Limits.MaxQuotaMinor || NewVersion < ExpectedVersion || ExpectedVersion < 0
                    ? DomainError.Invalid("change_minor", ErrorReasons.AmountOutOfRange, "a lease change must be within the quota's maximum and move the version forward")
                    : null);
}
