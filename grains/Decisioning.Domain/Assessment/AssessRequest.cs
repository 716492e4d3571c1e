using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>An application to decide (origination or renewal), as the caller asked it.</summary>
public sealed record AssessRequest
{
    public required string RequestId { get; init; }
    public required CreditApplication Application { get; init; }

    /// <summary>
    /// Query the providers for the credit bureau, tax and fund-flow parts (which must then be
    /// absent): always so unless the caller is one of the bank's data services (<see cref="ApplicationSources"/>).
    /// </summary>
    public bool FetchExternalData { get; init; }

    /// <summary>Who asked: the authenticated caller (the token's subject).</summary>
    public required string Actor { get; init; }
}

/// <summary>What an assessment answers: the champion's decision and the line after it.</summary>
public sealed record AssessmentResult
{
    public required Decision Decision { get; init; }

    /// <summary>The line after the decision; null when the enterprise has none.</summary>
    public LineView? Line { get; init; }

    /// <summary>The journal entry that records the decision (0 when storage no longer remembers the request).</summary>
    public long Sequence { get; init; }

    /// <summary>For a renewal: granted, or not with every reason.</summary>
    public bool Renewed { get; init; }

    public ImmutableArray<string> RenewalReasons { get; init; } = [];
    public long CashFlowFallBps { get; init; }

    /// <summary>Where each provider's part of the application came from.</summary>
    public ImmutableArray<ExternalDataUse> ExternalData { get; init; } = [];
}
