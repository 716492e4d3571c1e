using System.Collections.Frozen;
using System.Security.Claims;
using Grpc.Core;

namespace Decisioning.GrpcHost.Security;

/// <summary>
/// Who is calling, as the validated token says: the subject that stands on journal entries and
/// decisions, the scopes it holds and the enterprises it serves (<c>*</c>: all of them, for bank staff).
/// Nothing here comes from a request's fields.
/// </summary>
public sealed class Caller
{
    public const string SubjectClaim = "sub";
    public const string ScopeClaim = "scope";
    public const string EnterprisesClaim = "enterprises";
    public const string AllEnterprises = "*";

    private readonly FrozenSet<string> _scopes;
    private readonly FrozenSet<string> _enterprises;

    public Caller(string subject, IEnumerable<string> scopes, IEnumerable<string> enterprises)
    {
        Subject = subject;
        _scopes = scopes.ToFrozenSet(StringComparer.Ordinal);
        _enterprises = enterprises.ToFrozenSet(StringComparer.Ordinal);
        ServesAll = _enterprises.Contains(AllEnterprises);
    }

    public string Subject { get; }

    public bool ServesAll { get; }

    public bool Has(string scope) => _scopes.Contains(scope);

    public bool Serves(string enterpriseId) => ServesAll || _enterprises.Contains(enterpriseId);

    /// <summary>
    /// The caller of a validated principal. Scopes and enterprises may come as one space-separated
    /// string (RFC 8693's <c>scope</c>) or as a JSON array (one claim per element).
    /// </summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst(SubjectClaim)?.Value;
        return string.IsNullOrWhiteSpace(subject)
            ? null
            : new Caller(subject, Values(principal, ScopeClaim), Values(principal, EnterprisesClaim));
    }

    private static IEnumerable<string> Values(ClaimsPrincipal principal, string type) =>
        principal.FindAll(type).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

public static class CallerContextExtensions
{
    private const string Key = "decisioning.caller";

    /// <summary>The authenticated caller of this call; set by <see cref="CallerInterceptor"/> before any service method runs.</summary>
    public static Caller Caller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var caller) && caller is Caller known
            ? known
            : throw new InvalidOperationException("no authenticated caller: the call did not pass CallerInterceptor");

    internal static void SetCaller(this ServerCallContext context, Caller caller) => context.UserState[Key] = caller;
}
