using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Diagnostics;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Decisioning.Grains.Assessment;

/// <summary>
/// Decides applications: fetches the external data (under the enterprise's consents, through the
/// cache), consults the bank's
/// exclusion list, runs the champion model and, in shadow, the challenger, takes the interest
/// subsidy from the configured programmes, and has the enterprise's line grain record the decision
/// with its document in one atomic write. Holds no state, so every silo runs local activations;
/// reentrant, so that one waiting on Redis does not hold up the next assessment.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainType("assessment")]
public sealed class AssessmentGrain(
    DecisionModels models,
    ExternalDataGateway externalData,
    RedisConsentStore consents,
    RedisExclusionStore exclusions,
    SubsidyTable subsidies,
    TimeProvider clock,
    ILogger<AssessmentGrain> logger) : Grain, IAssessmentGrain
{
    public async ValueTask<Result<AssessmentResult>> Assess(AssessRequest request, CancellationToken cancellationToken)
    {
        var enterpriseId = request.Application.EnterpriseId;
        var line = GrainFactory.GetGrain<ICreditLineGrain>(enterpriseId);
        var requestKey = RequestKeys.Of(request.RequestId, request.Actor);
        var decisionId = DecisionIds.For(enterpriseId, requestKey);
        var fingerprint = Fingerprint(DecisionPurpose.Origination, request);
        // The look-up of an earlier decision, the exclusion list and the external data go to Redis
        // side by side: most requests are new, and each look-up would otherwise add a round trip.
        var earlier = Earlier(line, requestKey, decisionId, fingerprint);
        var excluded = Excluded(enterpriseId);
        var fetched = Fetch(request);
        if (await earlier is { } first)
        {
            return first;
        }

        var decided = Decide(request, await fetched, await excluded, decisionId, fingerprint, DecisionPurpose.Origination);
        if (decided.Error is { } error)
        {
            return error;
        }

        var (document, champion) = (decided.Document!, decided.Document!.Champion);
        var approved = champion.Outcome == Outcome.Approve;
        var command = new RecordDecisionCommand(request.RequestId, decisionId, fingerprint)
        {
            Outcome = champion.Outcome,
            Product = champion.Product,
            LimitMinor = approved ? champion.LimitMinor : 0,
            AnnualRateBps = approved ? champion.AnnualRateBps : 0,
            TermMonths = approved ? models.Champion.ProductDefinition(champion.Product).TermMonths : 0,
            AverageMonthlyInflowMinor = champion.Facts.AverageMonthlyInflowMinor ?? 0,
            SubsidyBps = approved ? subsidies.SubsidyBps(champion.Product, document.Application.Profile.SrdiLevel, decided.AsOf, champion.AnnualRateBps) : 0,
            Actor = request.Actor,
        };
        return await Answer(line, await line.Change(command, document), document);
    }

    public async ValueTask<Result<AssessmentResult>> Renew(AssessRequest request, CancellationToken cancellationToken)
    {
        var enterpriseId = request.Application.EnterpriseId;
        var line = GrainFactory.GetGrain<ICreditLineGrain>(enterpriseId);
        var requestKey = RequestKeys.Of(request.RequestId, request.Actor);
        var decisionId = DecisionIds.For(enterpriseId, requestKey);
        var fingerprint = Fingerprint(DecisionPurpose.Renewal, request);
        var earlier = Earlier(line, requestKey, decisionId, fingerprint);
        var excluded = Excluded(enterpriseId);
        var fetched = Fetch(request);
        var lineNow = line.GetLine().AsTask();
        if (await earlier is { } first)
        {
            return first;
        }

        if (await lineNow is { Error: { } notFound })
        {
            return notFound;
        }

        var decided = Decide(request, await fetched, await excluded, decisionId, fingerprint, DecisionPurpose.Renewal);
        if (decided.Error is { } error)
        {
            return error;
        }

        var current = (await lineNow).Value!;
        var renewal = Renewal.Decide(decided.Document!.Champion, current, models.Champion, decided.AsOf);
        var document = decided.Document with { Renewal = renewal };
        var command = new RenewLineCommand(request.RequestId, decisionId, fingerprint)
        {
            Eligible = renewal.Eligible,
            Reasons = renewal.Reasons,
            WindowDays = models.Champion.Renewal.WindowDays,
            TermMonths = models.Champion.ProductDefinition(current.Product).TermMonths,
            Actor = request.Actor,
        };
        return await Answer(line, await line.Change(command, document), document);
    }

    public async ValueTask<Result<OperationResult>> ReportRiskSignal(string enterpriseId, string requestId, RiskSignalType signalType, RiskSeverity severity, string note, string actor, CancellationToken cancellationToken)
    {
        var signal = new RiskSignal(signalType, severity);
        if (RiskSignals.Validate(signal) is { } invalid)
        {
            return invalid;
        }

        var line = GrainFactory.GetGrain<ICreditLineGrain>(enterpriseId);
        var current = await line.GetLine();
        if (current.Error is { } notFound)
        {
            return notFound;
        }

        // The policy's effect; the line lowers its limit as it is when the signal is applied.
        var effect = RiskSignals.Evaluate(signal, current.Value!.LimitMinor, models.Champion);
        return await line.Change(new ApplyRiskSignalCommand(requestId, signalType, severity, note)
        {
            Effect = effect.Effect,
            LowerByBps = effect.LowerByBps,
            ReasonCode = effect.ReasonCode,
            Actor = actor,
        });
    }

    /// <summary>
    /// The first answer, when this request was decided before (decision ids follow from the request,
    /// and the document stays as long as the line, or the unlined retention, beyond the request-id window); ALREADY_EXISTS when
    /// the request id was used for another application; null for a new request.
    /// </summary>
    private static async Task<Result<AssessmentResult>?> Earlier(ICreditLineGrain line, string requestKey, string decisionId, string fingerprint)
    {
        var prior = await line.GetDecision(decisionId);
        if (prior.Error is { } error)
        {
            return error;
        }

        if (prior.Value is not { } document)
        {
            return null;
        }

        if (document.Fingerprint != fingerprint)
        {
            return DomainError.RequestIdReused();
        }

        // The line as the first answer showed it, while the request id is remembered; else as it is now.
        return await line.FindAnswer(requestKey) is { Value: { } first }
            ? Reply(document, first.Line, first.Sequence, first)
            : Reply(document, (await line.GetLine()).Value, 0, null);
    }

    private static async Task<Result<AssessmentResult>> Answer(ICreditLineGrain line, Result<OperationResult> reply, DecisionDocument document)
    {
        if (reply is not { Value: { } result })
        {
            return reply.Error!;
        }

        if (!result.Replayed)
        {
            GrainTelemetry.Recorded(document);
            return Reply(document, result.Line, result.Sequence, result);
        }

        // Another attempt of the same request was recorded (in flight beside this one, or before):
        // its decision, as stored, is the answer; this attempt's document was never written.
        var first = await line.GetDecision(document.DecisionId);
        return first.Value is { } stored
            ? Reply(stored, result.Line, result.Sequence, result)
            : first.Error ?? DomainError.StorageUnavailable();
    }

    /// <param name="result">The line's answer to the command; null when storage no longer remembers it.</param>
    private static AssessmentResult Reply(DecisionDocument document, LineView? line, long sequence, OperationResult? result)
    {
        var renewal = document.Renewal;
        return new()
        {
            Decision = document.Champion,
            Line = line is { Status: not LineStatus.None } ? line : null,
            Sequence = sequence,
            Renewed = result?.Approved ?? renewal?.Eligible ?? false,
            RenewalReasons = result is { Approved: false, Note.Length: > 0 } ? [.. result.Note.Split(',')] : renewal?.Reasons ?? [],
            CashFlowFallBps = renewal?.CashFlowFallBps ?? 0,
            ExternalData = document.ExternalData,
        };
    }

    private sealed record Decided(DomainError? Error, DecisionDocument? Document, DateOnly AsOf);

    /// <summary>What the providers gave (null when the caller supplied the parts); <paramref name="ConsentsUnknown"/> when Redis did not say which consents there are.</summary>
    private sealed record Fetched(ExternalDataResult? Data, bool ConsentsUnknown = false);

    /// <summary>The providers' parts, when the request asks the service to fetch them: each under the consent that covers it now.</summary>
    private async Task<Fetched> Fetch(AssessRequest request)
    {
        if (!request.FetchExternalData)
        {
            return new Fetched(null);
        }

        var enterpriseId = request.Application.EnterpriseId;
        List<Consent> current;
        try
        {
            current = await consents.ListAsync(enterpriseId);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading the consents of {EnterpriseId} failed", enterpriseId);
            return new Fetched(null, ConsentsUnknown: true);
        }

        return new Fetched(await externalData.FetchAsync(enterpriseId, clock.GetUtcNow(), current));
    }

    /// <summary>Whether the enterprise is on the bank's exclusion list now; null when Redis did not say.</summary>
    private async Task<bool?> Excluded(string enterpriseId)
    {
        try
        {
            return await exclusions.IsExcludedAsync(enterpriseId);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Consulting the exclusion list for {EnterpriseId} failed", enterpriseId);
            return null;
        }
    }

    private Decided Decide(AssessRequest request, Fetched fetchedParts, bool? excluded, string decisionId, string fingerprint, DecisionPurpose purpose)
    {
        var now = clock.GetUtcNow();
        var asOf = BusinessCalendar.DateOf(now);
        if (excluded is not { } onList || fetchedParts.ConsentsUnknown)
        {
            // Never decide without the list: an excluded enterprise must not be approved because Redis blinked.
            // Nor query a provider without knowing the consents.
            return new Decided(DomainError.StorageUnavailable(), null, asOf);
        }

        var fetched = fetchedParts.Data;

        // The list is the bank's: whatever the request said, the service's answer stands.
        var application = request.Application with { OnExclusionList = onList };
        ImmutableArray<ExternalDataUse> uses;
        if (fetched is not null)
        {
            application = application with { Financing = fetched.CreditBureau, Tax = fetched.Tax, FundFlow = fetched.FundFlow };
            uses = [.. fetched.Uses];
        }
        else
        {
            uses =
            [
                Supplied(ExternalProvider.CreditBureau, application.Financing),
                Supplied(ExternalProvider.TaxBureau, application.Tax),
                Supplied(ExternalProvider.FundFlowPlatform, application.FundFlow),
            ];
        }

        // The front door validated the request; this checks again for callers that are not it, and
        // for a date that moved on in between (a fund-flow month that is no longer complete, say).
        if (ApplicationRules.Validate(application, asOf, new HashSet<string> { application.EnterpriseId }) is [var first, ..])
        {
            return new Decided(first, null, asOf);
        }

        var notAuthorised = fetched?.NotAuthorised ?? [];
        var champion = Assessor.Assess(application, models.Champion, asOf, decisionId, notAuthorised: notAuthorised);
        var challenger = models.Challenger is { } model ? Assessor.Assess(application, model, asOf, decisionId, withCounterfactuals: false, notAuthorised) : null;
        var document = new DecisionDocument
        {
            DecisionId = decisionId,
            EnterpriseId = application.EnterpriseId,
            RequestId = request.RequestId,
            Actor = request.Actor,
            Fingerprint = fingerprint,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
            Purpose = purpose,
            Application = application,
            Champion = champion,
            Challenger = challenger,
            ExternalData = uses,
        };
        return new Decided(null, document, asOf);
    }

    private static ExternalDataUse Supplied(ExternalProvider provider, object? part) =>
        new(provider, part is null ? DataSource.Unavailable : DataSource.Supplied, null);

    /// <summary>What the request asks, independent of when it is decided or what the providers and the exclusion list say.</summary>
    private static string Fingerprint(DecisionPurpose purpose, AssessRequest request)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(request.Application with { OnExclusionList = false });
        // The 0 stood for the caller's subsidy (no longer taken): kept so that the fingerprints of
        // stored decisions still match their retries.
        var header = Encoding.UTF8.GetBytes($"{(int)purpose}:{request.FetchExternalData}:0:");
        return Convert.ToHexStringLower(SHA256.HashData([.. header, .. json]))[..32];
    }
}

/// <summary>Decision ids follow from the request (its id and its caller), so that a retry gets the same id.</summary>
public static class DecisionIds
{
    public static string For(string enterpriseId, string requestKey) =>
        "D-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(enterpriseId + "\n" + requestKey)))[..24];
}
