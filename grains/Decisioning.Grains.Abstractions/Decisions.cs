using System.Collections.Immutable;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Decisioning.Grains.Abstractions;

// What crosses the grain boundary for decisioning. The domain's assessment types (applications,
// decisions, decision documents) travel as JSON (AddDecisioningSerialization): they are pure C#
// records, deliberately free of Orleans attributes. The wrappers here are [Immutable], so calls
// inside one process pass them without a copy.

/// <summary>An application to decide (origination or renewal).</summary>
[GenerateSerializer, Immutable, Alias("decisioning.assess-request.v1")]
public sealed record AssessRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required CreditApplication Application { get; init; }

    /// <summary>
    /// Query the providers for the credit bureau, tax and fund-flow parts (which must then be
    /// absent): always so unless the caller is one of the bank's data services (ApplicationSources).
    /// </summary>
    [Id(2)] public bool FetchExternalData { get; init; }

    // Id 3 was the caller's subsidy: the subsidy now comes from the configured programmes.
    [Id(4)] public required string Actor { get; init; }
}

[GenerateSerializer, Immutable, Alias("decisioning.assessment-reply.v1")]
public sealed record AssessmentReply
{
    [Id(0)] public LineError? Error { get; init; }

    /// <summary>The champion's decision.</summary>
    [Id(1)] public Decision? Decision { get; init; }

    /// <summary>The line after the decision; null when the enterprise has none.</summary>
    [Id(2)] public LineSnapshot? Line { get; init; }

    [Id(3)] public long Sequence { get; init; }

    /// <summary>For a renewal.</summary>
    [Id(4)] public bool Renewed { get; init; }

    [Id(5)] public ImmutableArray<string> RenewalReasons { get; init; } = [];
    [Id(6)] public long CashFlowFallBps { get; init; }

    /// <summary>Where each provider's part of the application came from.</summary>
    [Id(7)] public ImmutableArray<ExternalDataUse> ExternalData { get; init; } = [];

    public static AssessmentReply Failed(DomainError error) => new() { Error = LineError.From(error) };

    public static AssessmentReply Failed(LineError error) => new() { Error = error };
}

/// <summary>A decision for the line to record, with its document (stored in the same write).</summary>
[GenerateSerializer, Immutable, Alias("decisioning.decision-to-record.v1")]
public sealed record DecisionToRecord
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string DecisionId { get; init; }
    [Id(2)] public required string RequestFingerprint { get; init; }
    [Id(3)] public required Outcome Outcome { get; init; }
    [Id(4)] public Product Product { get; init; }
    [Id(5)] public long LimitMinor { get; init; }
    [Id(6)] public int AnnualRateBps { get; init; }
    [Id(7)] public int TermMonths { get; init; }
    [Id(8)] public long AverageMonthlyInflowMinor { get; init; }
    [Id(9)] public int SubsidyBps { get; init; }
    [Id(10)] public required string Actor { get; init; }
    [Id(11)] public required DecisionDocument Document { get; init; }

    public RecordDecisionCommand ToCommand() => new(RequestId, DecisionId, RequestFingerprint)
    {
        Outcome = Outcome,
        Product = Product,
        LimitMinor = LimitMinor,
        AnnualRateBps = AnnualRateBps,
        TermMonths = TermMonths,
        AverageMonthlyInflowMinor = AverageMonthlyInflowMinor,
        SubsidyBps = SubsidyBps,
        Actor = Actor,
    };
}

/// <summary>A renewal for the line to apply, with the document of the assessment behind it.</summary>
[GenerateSerializer, Immutable, Alias("decisioning.renewal-to-apply.v1")]
public sealed record RenewalToApply
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string DecisionId { get; init; }
    [Id(2)] public required string RequestFingerprint { get; init; }
    [Id(3)] public required bool Eligible { get; init; }
    [Id(4)] public ImmutableArray<string> Reasons { get; init; } = [];
    [Id(5)] public required int WindowDays { get; init; }
    [Id(6)] public required int TermMonths { get; init; }
    [Id(7)] public required string Actor { get; init; }
    [Id(8)] public required DecisionDocument Document { get; init; }

    public RenewLineCommand ToCommand() => new(RequestId, DecisionId, RequestFingerprint)
    {
        Eligible = Eligible,
        Reasons = Reasons,
        WindowDays = WindowDays,
        TermMonths = TermMonths,
        Actor = Actor,
    };
}

/// <summary>A risk signal with the effect the policy gives it.</summary>
[GenerateSerializer, Immutable, Alias("decisioning.signal-to-apply.v1")]
public sealed record SignalToApply
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required RiskSignalType SignalType { get; init; }
    [Id(2)] public required RiskSeverity Severity { get; init; }
    [Id(3)] public string Note { get; init; } = "";
    [Id(4)] public required RiskEffect Effect { get; init; }
    [Id(5)] public int LowerByBps { get; init; }
    [Id(6)] public required string ReasonCode { get; init; }
    [Id(7)] public required string Actor { get; init; }

    public ApplyRiskSignalCommand ToCommand() => new(RequestId, SignalType, Severity, Note)
    {
        Effect = Effect,
        LowerByBps = LowerByBps,
        ReasonCode = ReasonCode,
        Actor = Actor,
    };
}

[GenerateSerializer, Immutable, Alias("decisioning.decision-document-reply.v1")]
public sealed record DecisionDocumentReply
{
    [Id(0)] public LineError? Error { get; init; }

    /// <summary>Null (without an error) when no such decision was recorded.</summary>
    [Id(1)] public DecisionDocument? Document { get; init; }
}

public static class DecisioningSerialization
{
    /// <summary>
    /// Lets Orleans carry the domain's assessment records as JSON. Needed by silos and by clients
    /// alike, so both register it.
    /// </summary>
    public static IServiceCollection AddDecisioningSerialization(this IServiceCollection services) =>
        services.AddSerializer(serializer => serializer.AddJsonSerializer(
            isSupported: type => type.Namespace == typeof(Decision).Namespace && type.Assembly == typeof(Decision).Assembly));
}
