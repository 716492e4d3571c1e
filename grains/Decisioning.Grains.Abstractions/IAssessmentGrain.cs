using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Abstractions;

/// <summary>
/// Assessment: fetches external data, runs the champion model (and the challenger in shadow), and
/// has the enterprise's line grain record the result. Stateless: any silo's local activation
/// serves any enterprise (use key 0).
/// </summary>
[Alias("decisioning.IAssessmentGrain")]
public interface IAssessmentGrain : IGrainWithIntegerKey
{
    [Alias("Assess")]
    ValueTask<Result<AssessmentResult>> Assess(AssessRequest request, CancellationToken cancellationToken = default);

    /// <summary>Renewal without principal repaid first: a fresh assessment, then the line's renewal rules.</summary>
    [Alias("Renew")]
    ValueTask<Result<AssessmentResult>> Renew(AssessRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// A reviewer's decision on a referral: the service adds the product's bounds from the models,
    /// the four-eyes limit, the subsidy at the approved rate and what the referred decision saw.
    /// </summary>
    [Alias("DecideReferral")]
    ValueTask<Result<OperationResult>> DecideReferral(string enterpriseId, DecideReferralCommand command, CancellationToken cancellationToken = default);

    [Alias("ReportRiskSignal")]
    ValueTask<Result<OperationResult>> ReportRiskSignal(string enterpriseId, string requestId, RiskSignalType signalType, RiskSeverity severity, string note, string actor, CancellationToken cancellationToken = default);
}
