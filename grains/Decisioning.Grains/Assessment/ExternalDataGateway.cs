using System.Text.Json;
using Decisioning.Domain.Assessment;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Decisioning.Grains.Assessment;

/// <summary>
/// What the providers gave for one assessment: each part (null when missing), where it came from,
/// and why each missing part is missing.
/// </summary>
public sealed record ExternalDataResult(
    CreditBureauReport? CreditBureau,
    TaxRecord? Tax,
    FundFlowStatement? FundFlow,
    IReadOnlyList<ExternalDataUse> Uses,
    IReadOnlyList<ProviderFailure> Failures)
{
    /// <summary>The providers not queried because no consent covered them.</summary>
    public IReadOnlyList<ExternalProvider> NotAuthorised =>
        [.. Failures.Where(f => f.Kind == ProviderFailureKind.NotAuthorised).Select(f => f.Provider)];
}

/// <summary>
/// The credit bureau, tax bureau and fund-flow platform behind a consent check and a cache. A
/// provider is queried only under a consent of the enterprise that covers it at the decision's
/// time; without one it is not queried (<see cref="ProviderFailureKind.NotAuthorised"/>). Each
/// answer is kept in Redis (IDistributedCache) under the consent it was fetched with, for
/// <see cref="ExternalDataOptions.CacheLifetime"/> and never beyond the consent's end, so that a
/// re-assessment within it does not query the provider again; a consent revoked or expired no
/// longer covers anything, so its answers are never reused. Each query gets
/// <see cref="ExternalDataOptions.ProviderTimeout"/>; a provider that fails or times out leaves its
/// part missing (and the case referred), and its failure is not cached. A cache that fails is
/// passed by: the provider is asked instead.
/// </summary>
public sealed class ExternalDataGateway(
    ICreditBureau creditBureau,
    ITaxBureau taxBureau,
    IFundFlowPlatform fundFlowPlatform,
    IDistributedCache cache,
    IOptions<ExternalDataOptions> options,
    TimeProvider clock,
    ILogger<ExternalDataGateway> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly long[] _providerCalls = new long[4];
    private readonly long[] _cacheHits = new long[4];

    /// <summary>How many times a provider was queried since start (cache hits do not count).</summary>
    public long ProviderCalls(ExternalProvider provider) => Interlocked.Read(ref _providerCalls[(int)provider]);

    public long CacheHits(ExternalProvider provider) => Interlocked.Read(ref _cacheHits[(int)provider]);

    /// <param name="consents">The enterprise's consents; each provider is queried under the one covering it at <paramref name="at"/>.</param>
    /// <param name="at">The decision's time.</param>
    public async Task<ExternalDataResult> FetchAsync(string enterpriseId, DateTimeOffset at, IReadOnlyCollection<Consent> consents, CancellationToken cancellationToken = default)
    {
        var asOf = Domain.BusinessCalendar.DateOf(at);
        // The fund-flow statement is the 12 months before asOf's month: a new month is a new statement.
        var bureau = GetAsync(ExternalProvider.CreditBureau, enterpriseId, Covering(ExternalProvider.CreditBureau), at, "", ct => creditBureau.GetReportAsync(enterpriseId, asOf, ct), cancellationToken);
        var tax = GetAsync(ExternalProvider.TaxBureau, enterpriseId, Covering(ExternalProvider.TaxBureau), at, "", ct => taxBureau.GetRecordAsync(enterpriseId, asOf, ct), cancellationToken);
        var flow = GetAsync(ExternalProvider.FundFlowPlatform, enterpriseId, Covering(ExternalProvider.FundFlowPlatform), at, asOf.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), ct => fundFlowPlatform.GetStatementAsync(enterpriseId, asOf, ct), cancellationToken);
        var (b, bureauUse, bureauFailure) = await bureau;
        var (t, taxUse, taxFailure) = await tax;
        var (f, flowUse, flowFailure) = await flow;
        return new ExternalDataResult(b, t, f, [bureauUse, taxUse, flowUse], [.. new[] { bureauFailure, taxFailure, flowFailure }.OfType<ProviderFailure>()]);

        Consent? Covering(ExternalProvider provider) => ConsentRules.Covering(consents, provider, at);
    }

    private async Task<(T? Value, ExternalDataUse Use, ProviderFailure? Failure)> GetAsync<T>(
        ExternalProvider provider,
        string enterpriseId,
        Consent? consent,
        DateTimeOffset at,
        string period,
        Func<CancellationToken, ValueTask<ProviderResult<T>>> query,
        CancellationToken cancellationToken)
        where T : class
    {
        if (consent is null)
        {
            // Not even the cache: an answer fetched under a consent that has lapsed is not to be used.
            return (null, new ExternalDataUse(provider, DataSource.NotAuthorised, null), new ProviderFailure(provider, ProviderFailureKind.NotAuthorised, "no consent covers the query"));
        }

        var key = $"ext:{provider}:{enterpriseId}:{consent.ConsentId}:{period}";
        if (await ReadCacheAsync<T>(key, cancellationToken) is { } cached)
        {
            Interlocked.Increment(ref _cacheHits[(int)provider]);
            return (cached.Value, new ExternalDataUse(provider, DataSource.Cached, DateTimeOffset.FromUnixTimeMilliseconds(cached.FetchedUnixMs), consent.ConsentId), null);
        }

        Interlocked.Increment(ref _providerCalls[(int)provider]);
        var result = await QueryAsync(provider, query, cancellationToken);
        if (result.Value is not { } value)
        {
            logger.LogWarning("{Provider} gave nothing for {EnterpriseId}: {Kind} ({Detail})", provider, enterpriseId, result.Failure?.Kind, result.Failure?.Detail);
            return (null, new ExternalDataUse(provider, DataSource.Unavailable, null, consent.ConsentId), result.Failure);
        }

        // Whole milliseconds: the time is stored and reported at that precision.
        var fetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var untilLapse = consent.Terms.ValidUntil - at;
        var lifetime = untilLapse < options.Value.CacheLifetime ? untilLapse : options.Value.CacheLifetime;
        await WriteCacheAsync(key, new CacheEntry<T>(fetchedAt.ToUnixTimeMilliseconds(), value), lifetime, cancellationToken);
        return (value, new ExternalDataUse(provider, DataSource.Fetched, fetchedAt, consent.ConsentId), null);
    }

    private async Task<ProviderResult<T>> QueryAsync<T>(ExternalProvider provider, Func<CancellationToken, ValueTask<ProviderResult<T>>> query, CancellationToken cancellationToken)
        where T : class
    {
        var timeout = options.Value.ProviderTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // WaitAsync as well: a provider that ignores its token still cannot hold the assessment.
            return await query(deadline.Token).AsTask().WaitAsync(timeout, clock, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ProviderResult<T>.Failed(new ProviderFailure(provider, ProviderFailureKind.Timeout, $"no answer within {timeout.TotalMilliseconds} ms"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Provider} failed", provider);
            return ProviderResult<T>.Failed(new ProviderFailure(provider, ProviderFailureKind.Error, ex.GetType().Name));
        }
    }

    private async Task<CacheEntry<T>?> ReadCacheAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var bytes = await cache.GetAsync(key, cancellationToken);
            return bytes is null ? null : JsonSerializer.Deserialize<CacheEntry<T>>(bytes, Json);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reading cached {Key} failed: asking the provider", key);
            return null;
        }
    }

    private async Task WriteCacheAsync<T>(string key, CacheEntry<T> entry, TimeSpan lifetime, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var cacheOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime };
            await cache.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(entry, Json), cacheOptions, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Caching {Key} failed: the next assessment asks the provider again", key);
        }
    }

    private sealed record CacheEntry<T>(long FetchedUnixMs, T Value);
}
