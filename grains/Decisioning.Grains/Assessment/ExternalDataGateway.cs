using System.Text.Json;
using Decisioning.Domain.Assessment;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Decisioning.Grains.Assessment;

/// <summary>
/// What the providers gave for one assessment: each part (null when missing), where it came from,
/// and why each missing part is missing. <see cref="Stored"/> completes when the answers fetched
/// now are in the cache (it never fails: a cache that fails is passed by).
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

    public Task Stored { get; init; } = Task.CompletedTask;
}

/// <summary>
/// The enterprise's cached answers as read from the cache, before its consents are known (see
/// <see cref="ExternalDataGateway.ReadCache"/>); null for a provider with none or a cache that failed.
/// </summary>
public sealed record CachedAnswers(string EnterpriseId, DateTimeOffset At, Task<byte[]?> CreditBureau, Task<byte[]?> Tax, Task<byte[]?> FundFlow);

/// <summary>
/// The credit bureau, tax bureau and fund-flow platform behind a consent check and a cache. A
/// provider is queried only under a consent of the enterprise that covers it at the decision's
/// time; without one it is not queried (<see cref="ProviderFailureKind.NotAuthorised"/>). Each
/// answer is kept in Redis (IDistributedCache) with the consent it was fetched under, for
/// <see cref="ExternalDataOptions.CacheLifetime"/> and never beyond the consent's end, and used
/// again only while that consent is the one covering its provider, so that a re-assessment within
/// it does not query the provider again; a consent revoked or expired no longer covers anything,
/// so its answers are never reused. The cache is keyed by enterprise and provider, not by consent,
/// so that it can be read beside the consents (one round trip for both) and what it holds judged
/// once they are known. Each query gets <see cref="ExternalDataOptions.ProviderTimeout"/>; a
/// provider that fails or times out leaves its part missing (and the case referred), and its
/// failure is not cached. A cache that fails is passed by: the provider is asked instead.
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

    /// <summary>
    /// Starts reading the enterprise's cached answers for a decision at <paramref name="at"/>, to go
    /// to Redis beside the read of its consents. Nothing read is used unless <see cref="FetchAsync"/>
    /// finds it was fetched under the consent that covers its provider then.
    /// </summary>
    public CachedAnswers ReadCache(string enterpriseId, DateTimeOffset at, CancellationToken cancellationToken = default) => new(
        enterpriseId,
        at,
        ReadCacheAsync(Key(ExternalProvider.CreditBureau, enterpriseId, ""), cancellationToken),
        ReadCacheAsync(Key(ExternalProvider.TaxBureau, enterpriseId, ""), cancellationToken),
        ReadCacheAsync(Key(ExternalProvider.FundFlowPlatform, enterpriseId, FundFlowPeriod(at)), cancellationToken));

    /// <param name="cached">What <see cref="ReadCache"/> read for the enterprise and the decision's time.</param>
    /// <param name="consents">The enterprise's consents; each provider is queried under the one covering it at the decision's time.</param>
    public async Task<ExternalDataResult> FetchAsync(CachedAnswers cached, IReadOnlyCollection<Consent> consents, CancellationToken cancellationToken = default)
    {
        var (enterpriseId, at) = (cached.EnterpriseId, cached.At);
        var asOf = Domain.BusinessCalendar.DateOf(at);
        // The fund-flow statement is the 12 months before asOf's month: a new month is a new statement.
        var bureau = GetAsync(ExternalProvider.CreditBureau, enterpriseId, Covering(ExternalProvider.CreditBureau), at, "", cached.CreditBureau, ct => creditBureau.GetReportAsync(enterpriseId, asOf, ct), cancellationToken);
        var tax = GetAsync(ExternalProvider.TaxBureau, enterpriseId, Covering(ExternalProvider.TaxBureau), at, "", cached.Tax, ct => taxBureau.GetRecordAsync(enterpriseId, asOf, ct), cancellationToken);
        var flow = GetAsync(ExternalProvider.FundFlowPlatform, enterpriseId, Covering(ExternalProvider.FundFlowPlatform), at, FundFlowPeriod(at), cached.FundFlow, ct => fundFlowPlatform.GetStatementAsync(enterpriseId, asOf, ct), cancellationToken);
        var (b, bureauUse, bureauFailure, bureauStored) = await bureau;
        var (t, taxUse, taxFailure, taxStored) = await tax;
        var (f, flowUse, flowFailure, flowStored) = await flow;
        return new ExternalDataResult(b, t, f, [bureauUse, taxUse, flowUse], [.. new[] { bureauFailure, taxFailure, flowFailure }.OfType<ProviderFailure>()])
        {
            Stored = Task.WhenAll(bureauStored, taxStored, flowStored),
        };

        Consent? Covering(ExternalProvider provider) => ConsentRules.Covering(consents, provider, at);
    }

    private static string Key(ExternalProvider provider, string enterpriseId, string period) => $"ext:{provider}:{enterpriseId}:{period}";

    private static string FundFlowPeriod(DateTimeOffset at) =>
        Domain.BusinessCalendar.DateOf(at).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <returns>The part, its use and failure, and the write of a fresh answer to the cache (awaited by the caller when it chooses).</returns>
    private async Task<(T? Value, ExternalDataUse Use, ProviderFailure? Failure, Task Stored)> GetAsync<T>(
        ExternalProvider provider,
        string enterpriseId,
        Consent? consent,
        DateTimeOffset at,
        string period,
        Task<byte[]?> cachedBytes,
        Func<CancellationToken, ValueTask<ProviderResult<T>>> query,
        CancellationToken cancellationToken)
        where T : class
    {
        if (consent is null)
        {
            // Not even the cache: an answer fetched under a consent that has lapsed is not to be used.
            return (null, new ExternalDataUse(provider, DataSource.NotAuthorised, null), new ProviderFailure(provider, ProviderFailureKind.NotAuthorised, "no consent covers the query"), Task.CompletedTask);
        }

        var key = Key(provider, enterpriseId, period);
        // Only an answer fetched under the consent that covers the provider now: one fetched under
        // another (revoked, lapsed, or simply not the covering one) is not reused.
        if (Decode<T>(key, await cachedBytes) is { } cached && cached.ConsentId == consent.ConsentId)
        {
            Interlocked.Increment(ref _cacheHits[(int)provider]);
            return (cached.Value, new ExternalDataUse(provider, DataSource.Cached, DateTimeOffset.FromUnixTimeMilliseconds(cached.FetchedUnixMs), consent.ConsentId), null, Task.CompletedTask);
        }

        Interlocked.Increment(ref _providerCalls[(int)provider]);
        var result = await QueryAsync(provider, query, cancellationToken);
        if (result.Value is not { } value)
        {
            logger.LogWarning("{Provider} gave nothing for {EnterpriseId}: {Kind} ({Detail})", provider, enterpriseId, result.Failure?.Kind, result.Failure?.Detail);
            return (null, new ExternalDataUse(provider, DataSource.Unavailable, null, consent.ConsentId), result.Failure, Task.CompletedTask);
        }

        // Whole milliseconds: the time is stored and reported at that precision.
        var fetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var untilLapse = consent.Terms.ValidUntil - at;
        var lifetime = untilLapse < options.Value.CacheLifetime ? untilLapse : options.Value.CacheLifetime;
        // Not waited for here: the decision needs the answer, not its copy in the cache.
        var stored = WriteCacheAsync(key, new CacheEntry<T>(fetchedAt.ToUnixTimeMilliseconds(), consent.ConsentId, value), lifetime, cancellationToken);
        return (value, new ExternalDataUse(provider, DataSource.Fetched, fetchedAt, consent.ConsentId), null, stored);
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

    private async Task<byte[]?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await cache.GetAsync(key, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reading cached {Key} failed: asking the provider", key);
            return null;
        }
    }

    private CacheEntry<T>? Decode<T>(string key, byte[]? bytes)
        where T : class
    {
        try
        {
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

    private sealed record CacheEntry<T>(long FetchedUnixMs, string ConsentId, T Value);
}
