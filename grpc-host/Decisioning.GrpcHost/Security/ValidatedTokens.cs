using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Decisioning.GrpcHost.Security;

/// <summary>
/// Tokens already validated, until they expire: a channel sends the same token on every call, and
/// verifying its signature each time would cost more than the call. The key is the authorization
/// header exactly as it came (it holds the exact token that was verified), so a hit needs no second
/// look at the signature and no copy of the token; its expiry still applies.
/// </summary>
public sealed class ValidatedTokens(IOptions<AuthOptions> options) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.ValidatedTokenCacheSize) });
    private readonly bool _enabled = options.Value.ValidatedTokenCacheSize > 0;

    public bool TryGet(string header, [NotNullWhen(true)] out Entry? entry)
    {
        entry = null;
        return _enabled && _cache.TryGetValue(header, out entry) && entry is not null;
    }

    public void Add(string header, Entry entry, DateTimeOffset expires)
    {
        if (_enabled)
        {
            _cache.Set(header, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = expires });
        }
    }

    public void Dispose() => _cache.Dispose();

    public sealed record Entry(ClaimsPrincipal Principal, Caller Caller);
}
