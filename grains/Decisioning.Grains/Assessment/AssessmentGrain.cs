using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Diagnostics;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    IOptions<FourEyesOptions> fourEyes,
    TimeProvider clock,
    ILogger<AssessmentGrain> logger) : Grain, IAssessmentGrain
{
    public async ValueTask<Result<AssessmentResult>> Assess(AssessRequest request, CancellationToken cancellationToken)
    {
        var enterpriseId = request.Application.EnterpriseId;
        var line = GrainFactory.GetGrain<ICreditLineGrain>(enterpriseId);
        var requestKey = RequestKeys.Of(request.RequestId, request.Actor);
        var decisionId = DecisionIds.For(enterpriseId, requestKey);
        var fingerprint = RequestFingerprints.Of(DecisionPurpose.Origination, request);
        // The look-up of an earlier decision, the exclusion list and the external data go to Redis
        // side by side: most requests are new, and each look-up would otherwise add a round trip.
        var earlier = Earlier(line, requestKey, decisionId, fingerprint);
        var excluded = Excluded(enterpriseId);
        var fetched = Fetch(request);
        var lineNow = line.GetLine().AsTask();
        if (await earlier is { } first)
        {
            return first;
        }

        var decided = Decide(request, await fetched, await excluded, decisionId, fingerprint, DecisionPurpose.Origination);
        if (decided.Error is { } error)
        {
            return error;
        }

        // No line (LINE_NOT_FOUND) is the usual case; any other failure to read it is storage's.
        var existing = await lineNow;
        if (existing.Error is { } unreadable && unreadable.Reason != ErrorReasons.LineNotFound.Code)
        {
            return unreadable;
        }

        // One door to a new term: near or past maturity, an approval is a decline that points to RenewLine.
        var document = decided.Document! with { Champion = Renewal.OnExistingLine(decided.Document!.Champion, existing.Value, models.Champion, decided.AsOf) };
        var champion = document.Champion;
        var approved = champion.Outcome == Outcome.Approve;
        if (approved && champion.Rate.RelendingDiscountBps > 0)
        {
            // The discount is the re-lending's to fund: offered only while the quota has room.
            var room = await GrainFactory.GetGrain<IRelendingQuotaGrain>(0).HasRoom(cancellationToken);
            if (room.Error is { } unavailable)
            {
                return unavailable;
            }

            if (!room.Value)
            {
                champion = Relending.WithoutDiscount(champion);
                document = document with { Champion = champion };
            }
        }

        var command = new RecordDecisionCommand(request.RequestId, decisionId, fingerprint)
        {
            Outcome = champion.Outcome,
            Product = champion.Outcome == Outcome.Refer ? ReferredProduct(champion) : champion.Product,
            LimitMinor = approved ? champion.LimitMinor : 0,
            AnnualRateBps = approved ? champion.AnnualRateBps : 0,
            TermMonths = approved ? models.Champion.ProductDefinition(champion.Product).TermMonths : 0,
            AverageMonthlyInflowMinor = champion.Facts.AverageMonthlyInflowMinor ?? 0,
            SubsidyBps = approved ? subsidies.SubsidyBps(champion.Product, document.Application.Profile.SrdiLevel, decided.AsOf, champion.AnnualRateBps) : 0,
            RenewalWindowDays = models.Champion.Renewal.WindowDays,
            RelendingDiscountBps = approved ? champion.Rate.RelendingDiscountBps : 0,
            FirstLoan = approved && champion.FirstLoan,
            Actor = request.Actor,
        };
        var reply = await line.Change(command, document);
        await Cached(await fetched);
        return await Answer(line, reply, document);
    }

    public async ValueTask<Result<AssessmentResult>> Renew(AssessRequest request, CancellationToken cancellationToken)
    {
        var enterpriseId = request.Application.EnterpriseId;
        var line = GrainFactory.GetGrain<ICreditLineGrain>(enterpriseId);
        var requestKey = RequestKeys.Of(request.RequestId, request.Actor);
        var decisionId = DecisionIds.For(enterpriseId, requestKey);
        var fingerprint = RequestFingerprints.Of(DecisionPurpose.Renewal, request);
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
            TermMonths = models.Champion.ProductDefinition(renewal.Eligible ? renewal.Product : current.Product).TermMonths,
            Product = renewal.Product,
            LimitMinor = renewal.LimitMinor,
            AnnualRateBps = renewal.AnnualRateBps,
            SubsidyBps = renewal.Eligible ? subsidies.SubsidyBps(renewal.Product, document.Application.Profile.SrdiLevel, decided.AsOf, renewal.AnnualRateBps) : 0,
            Actor = request.Actor,
        };
        var reply = await line.Change(command, document);
        await Cached(await fetched);
        return await Answer(line, reply, document);
    }

    public async ValueTask<Result<OperationResult>> DecideReferral(string enterpriseId, DecideReferralCommand command, CancellationToken cancellationToken)
    {
        var line = GrainFactory.GetGrain<ICreditLineGrain>(enterpriseId);
        var referrals = line.ListReferrals().AsTask();
        var decision = await line.GetDecision(command.DecisionId);
        if (((await referrals).Error ?? decision.Error) is { } error)
        {
            return error;
        }

        // The line refuses a referral it does not keep; the bounds are those of its product.
        var product = (await referrals).Value.FirstOrDefault(r => r.DecisionId == command.DecisionId)?.Product ?? Product.OperatingQuickLoan;
        var model = models.Champion;
        var definition = model.ProductDefinition(product);
        var srdiLevel = decision.Value?.Application.Profile.SrdiLevel;
        var today = BusinessCalendar.DateOf(clock.GetUtcNow());
        return await line.Change(command with
        {
            Policy = new ReferralPolicy(definition.CapMinor, model.Limit.MinLimitMinor, model.Rate.FloorBps, definition.TermMonths, model.Renewal.WindowDays),
            SecondReviewAboveMinor = fourEyes.Value.ReferralSecondReviewAboveMinor,
            SubsidyBps = command.Approve ? subsidies.SubsidyBps(product, srdiLevel, today, command.AnnualRateBps) : 0,
            AverageMonthlyInflowMinor = decision.Value?.Champion.Facts.AverageMonthlyInflowMinor ?? 0,
        });
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
            RenewalReasons = RenewalReasons(renewal, result),
            CashFlowFallBps = renewal?.CashFlowFallBps ?? 0,
            ExternalData = document.ExternalData,
        };
    }

    /// <summary>
    /// The line's own word when it answered (it checks the line as it is when the renewal applies):
    /// why it refused, or that the renewed limit is below what the line uses; else the assessment's.
    /// </summary>
    private static ImmutableArray<string> RenewalReasons(RenewalDecision? renewal, OperationResult? result) => (renewal, result) switch
    {
        (null, _) => [],
        (_, { Note.Length: > 0 }) => [.. result.Note.Split(',')],
        (_, { Approved: true }) => [],
        _ => renewal.Reasons,
    };

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
        // The cached answers are read beside the consents, in the same round trip to Redis; the
        // gateway uses one only if it was fetched under the consent that covers its provider now.
        var cached = externalData.ReadCache(enterpriseId, clock.GetUtcNow());
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

        return new Fetched(await externalData.FetchAsync(cached, current));
    }

    /// <summary>
    /// The cache writes of answers the providers gave for this assessment: started before the
    /// decision, so that they share its commit's round trip; they never fail.
    /// </summary>
    private static Task Cached(Fetched fetched) => fetched.Data?.Stored ?? Task.CompletedTask;

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
        var (champion, challenger) = Assessor.AssessWithShadow(application, models.Champion, models.Challenger, asOf, decisionId, notAuthorised);
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

    /// <summary>
    /// The product a reviewer's approval grants: the one the enterprise qualifies for, else the one
    /// it asked for, else the operating quick loan (open to every enterprise).
    /// </summary>
    private static Product ReferredProduct(Decision champion) =>
        champion.Product != Product.None ? champion.Product
        : champion.RequestedProduct != Product.None ? champion.RequestedProduct
        : Product.OperatingQuickLoan;

    private static ExternalDataUse Supplied(ExternalProvider provider, object? part) =>
        new(provider, part is null ? DataSource.Unavailable : DataSource.Supplied, null);
}

/// <summary>What the request asks, independent of when it is decided or what the providers and the exclusion list say.</summary>
internal static class RequestFingerprints
{
    // One buffer and writer a thread, reused: a fingerprint is taken for every assessment, and
    // the JSON and its header need not be copied into a fresh array to be hashed.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Of(DecisionPurpose purpose, AssessRequest request)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        // The 0 stood for the caller's subsidy (no longer taken): kept so that the fingerprints of
        // stored decisions still match their retries.
        var header = buffer.GetSpan(64);
        Utf8.TryWrite(header, CultureInfo.InvariantCulture, $"{(int)purpose}:{request.FetchExternalData}:0:", out var length);
        buffer.Advance(length);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, request.Application with { OnExclusionList = false });
        writer.Flush();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}

/// <summary>Decision ids follow from the request (its id and its caller), so that a retry gets the same id.</summary>
public static class DecisionIds
{
    public static string For(string enterpriseId, string requestKey) =>
        "D-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(enterpriseId + "\n" + requestKey)))[..24];
}
