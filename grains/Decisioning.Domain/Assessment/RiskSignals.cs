namespace Decisioning.Domain.Assessment;

/// <summary>A signal from dynamic monitoring (动态监测) about an enterprise with a line.</summary>
public sealed record RiskSignal(RiskSignalType Type, RiskSeverity Severity);

/// <summary>What a signal does to a line; the grain journals the signal and this effect together.</summary>
/// <param name="NewLimitMinor">For <see cref="RiskEffect.LowerLimit"/> the lowered limit, otherwise the limit unchanged.</param>
/// <param name="ReasonCode">e.g. SEVERE_LITIGATION_REPORTED, for the journal and the notice.</param>
public sealed record RiskSignalEffect(RiskEffect Effect, long NewLimitMinor, int LowerByBps, string ReasonCode);

public static class RiskSignals
{
    public static DomainError? Validate(RiskSignal signal) =>
        signal.Type is <= RiskSignalType.None or > RiskSignalType.CashFlowFall
            ? DomainError.Invalid("signal_type", ErrorReasons.SignalTypeRequired, $"must be overdue, litigation, tax arrears or cash-flow fall, not {(int)signal.Type}")
            : signal.Severity is <= RiskSeverity.None or > RiskSeverity.Severe
                ? DomainError.Invalid("severity", ErrorReasons.SeverityRequired, $"must be low, moderate or severe, not {(int)signal.Severity}")
                : null;

    /// <summary>
    /// The model's effect for the signal. A lowered limit is rounded down to 10,000 CNY: a signal
    /// never leaves more credit than its share allows.
    /// </summary>
    public static RiskSignalEffect Evaluate(RiskSignal signal, long currentLimitMinor, ScorecardModel model)
    {
        if (Validate(signal) is { } error)
        {
            throw new ArgumentException(error.Message, nameof(signal));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(currentLimitMinor);
        var rule = model.SignalRule(signal.Type, signal.Severity);
        var reason = $"{Upper(signal.Severity)}_{Upper(signal.Type)}_REPORTED";
        if (rule.Effect != RiskEffect.LowerLimit)
        {
            return new RiskSignalEffect(rule.Effect, currentLimitMinor, 0, reason);
        }

        return new RiskSignalEffect(RiskEffect.LowerLimit, Lowered(currentLimitMinor, rule.LowerByBps), rule.LowerByBps, reason);
    }

    /// <summary>The limit lowered by a share, rounded down to 10,000 CNY (the line applies this to its limit at the moment of the signal).</summary>
    public static long Lowered(long limitMinor, int lowerByBps) =>
        Assessor.RoundDownToLimitUnit(checked(limitMinor * (AssessmentLimits.BasisPoints - lowerByBps)) / AssessmentLimits.BasisPoints);

    private static string Upper<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString());
}
