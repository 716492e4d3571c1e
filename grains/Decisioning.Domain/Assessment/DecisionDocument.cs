using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>Why a decision was made. Numbered as decisioning.v1's DecisionPurpose.</summary>
public enum DecisionPurpose
{
    None = 0,
    Origination = 1,
    Renewal = 2,
}

/// <summary>Where a provider's part of an application came from. Numbered as decisioning.v1's DataSource.</summary>
public enum DataSource
{
    None = 0,

    /// <summary>In the request.</summary>
    Supplied = 1,

    /// <summary>Queried from the provider for this assessment.</summary>
    Fetched = 2,

    /// <summary>The provider's earlier answer, from the cache.</summary>
    Cached = 3,

    /// <summary>The provider failed or timed out.</summary>
    Unavailable = 4,

    /// <summary>Not queried: no consent of the enterprise covered the provider at the decision's time.</summary>
    NotAuthorised = 5,
}

/// <param name="FetchedAt">When the provider answered; null when supplied or unavailable.</param>
/// <param name="ConsentId">The consent the provider was (or its cached answer was first) queried under; empty when none was.</param>
public sealed record ExternalDataUse(ExternalProvider Provider, DataSource Source, DateTimeOffset? FetchedAt, string ConsentId = "");

/// <summary>
/// A credit decision as it is kept: the application decided on (with the providers' parts as they
/// were used), the champion's decision (the answer), the challenger's shadow decision, where the
/// external data came from and, for a renewal, what renewal concluded. Stored with the line change
/// the decision caused, in the same atomic write.
/// </summary>
public sealed record DecisionDocument
{
    public required string DecisionId { get; init; }
    public required string EnterpriseId { get; init; }
    public required string RequestId { get; init; }

    /// <summary>Who asked for the decision: the authenticated caller (the token's subject). Empty for documents stored before it was kept.</summary>
    public string Actor { get; init; } = "";

    /// <summary>What the request asked: a retry of the same request id with other parameters is told apart by it.</summary>
    public required string Fingerprint { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DecisionPurpose Purpose { get; init; }
    public required CreditApplication Application { get; init; }
    public required Decision Champion { get; init; }
    public Decision? Challenger { get; init; }
    public ImmutableArray<ExternalDataUse> ExternalData { get; init; } = [];
    public RenewalDecision? Renewal { get; init; }
}

/// <summary>
/// What a decision concluded, as the event that records it carries it: enough for a projection of
/// the programme's figures (credit granted by product and recognition level, fund-flow-based
/// approvals, renewals) without the application.
/// </summary>
public sealed record DecisionSummary
{
    public required string DecisionId { get; init; }
    public required DecisionPurpose Purpose { get; init; }
    public required Outcome Outcome { get; init; }
    public required Product Product { get; init; }
    public required long LimitMinor { get; init; }
    public required int AnnualRateBps { get; init; }
    public required SrdiLevel SrdiLevel { get; init; }
    public required LimitBasis LimitBasis { get; init; }

    /// <summary>An approval that rested on fund-flow data: the cash-flow operating line, or a limit the fund-flow figures set.</summary>
    public required bool FundFlowBased { get; init; }

    public required int Score { get; init; }
    public required string ModelVersion { get; init; }

    /// <summary>An approval of the enterprise's first bank credit (首贷).</summary>
    public bool FirstLoan { get; init; }

    public static DecisionSummary Of(DecisionDocument document)
    {
        var decision = document.Champion;
        return new()
        {
            DecisionId = document.DecisionId,
            Purpose = document.Purpose,
            Outcome = decision.Outcome,
            Product = decision.Product,
            LimitMinor = decision.LimitMinor,
            AnnualRateBps = decision.AnnualRateBps,
            SrdiLevel = document.Application.Profile.SrdiLevel,
            LimitBasis = decision.Limit.Basis,
            FundFlowBased = decision.Outcome == Outcome.Approve
                && (decision.Product == Product.OperatingQuickLoan || decision.Limit.Basis == LimitBasis.CashFlow),
            Score = decision.Score,
            ModelVersion = decision.ModelVersion,
            FirstLoan = decision.Outcome == Outcome.Approve && decision.FirstLoan,
        };
    }
}
