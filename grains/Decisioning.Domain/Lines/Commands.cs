using System.Globalization;

namespace Decisioning.Domain.Lines;

/// <summary>
/// A change asked of a line. <see cref="Fingerprint"/> captures every parameter, so that a retry
/// with the same request id can be told from a different request that reuses it.
/// </summary>
public abstract record LineCommand(string RequestId)
{
    /// <summary>Who asked (the authenticated caller once authentication lands).</summary>
    public string Actor { get; init; } = "anonymous";

    public abstract string Fingerprint { get; }

    /// <summary>Checks every field; null when the command is well formed.</summary>
    public abstract DomainError? Validate();

    private protected static string Print(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}

public sealed record OpenLineCommand(string RequestId, long LimitMinor, int AnnualRateBps, int TermDays, Product Product)
    : LineCommand(RequestId)
{
    public override string Fingerprint => Print($"open:{LimitMinor}:{AnnualRateBps}:{TermDays}:{(int)Product}");

    public override DomainError? Validate() => LineRules.RequestId(RequestId)
        ?? LineRules.OpeningLimit(LimitMinor)
        ?? LineRules.AnnualRate(AnnualRateBps)
        ?? LineRules.TermDays(TermDays)
        ?? LineRules.ProductCode(Product);
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
