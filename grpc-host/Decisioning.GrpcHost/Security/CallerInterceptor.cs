using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Grains.Abstractions;
using Decisioning.GrpcHost.Errors;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.IdentityModel.Tokens;

namespace Decisioning.GrpcHost.Security;

/// <summary>
/// Lets a call reach a Decisioning service only when its token was valid, holds the one scope the
/// method names and serves the enterprise the request names, within the rate limits of its caller
/// and of that enterprise. Refusals come before any validation or grain call, so they read the same
/// whether or not the enterprise exists.
/// </summary>
public sealed class CallerInterceptor(RateLimits limits) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        var caller = http.Features.Get<Caller>() ?? throw Unauthenticated(http);
        var scope = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScopeAttribute>()?.Scope;
        if (scope is null || !caller.Has(scope))
        {
            // A method without a scope is refused to everyone: forgetting the attribute fails closed.
            throw Refusal(ErrorKind.PermissionDenied, "SCOPE_REQUIRED", scope is null
                ? $"{context.Method} is granted to no scope"
                : $"{context.Method} needs the scope {scope}, which the token does not hold");
        }

        var enterpriseId = (request as IEnterpriseRequest)?.EnterpriseId;
        var served = enterpriseId is null ? caller.ServesAll : caller.Serves(enterpriseId);
        if (!served)
        {
            throw Refusal(ErrorKind.PermissionDenied, "ENTERPRISE_NOT_SERVED", enterpriseId is not null
                ? "enterprise_id names an enterprise the token's holder does not serve"
                : $"{context.Method} names no enterprise: only a token serving every enterprise (bank staff) may call it");
        }

        if (limits.Refuse(caller.Subject, enterpriseId) is { } retryAfter)
        {
            throw ErrorMappingInterceptor.ToRpcException(
                [new LineError(ErrorKind.ResourceExhausted, "RATE_LIMITED", $"too many calls from this caller or about this enterprise: retry after {retryAfter.TotalMilliseconds:0} ms", null)],
                retryAfter);
        }

        context.SetCaller(caller);
        return continuation(request, context);
    }

    private static DecisioningException Unauthenticated(HttpContext http)
    {
        var failure = http.Features.Get<AuthenticationFailure>()?.Exception;
        if (failure is null)
        {
            return Refusal(ErrorKind.Unauthenticated, "TOKEN_MISSING", "the call carries no bearer token: send authorization: Bearer <JWT>");
        }

        var (reason, message) = failure switch
        {
            SecurityTokenExpiredException => ("TOKEN_EXPIRED", "the bearer token has expired"),
            SecurityTokenNotYetValidException => ("TOKEN_NOT_YET_VALID", "the bearer token is not valid yet (nbf)"),
            SecurityTokenInvalidIssuerException => ("TOKEN_ISSUER_NOT_ACCEPTED", "the bearer token's issuer is not accepted"),
            SecurityTokenInvalidAudienceException => ("TOKEN_AUDIENCE_NOT_ACCEPTED", "the bearer token is not for this service (aud)"),
            SecurityTokenNoExpirationException => ("TOKEN_EXPIRY_REQUIRED", "the bearer token has no expiry (exp)"),
            TokenSubjectMissingException => ("TOKEN_SUBJECT_REQUIRED", "the bearer token names no subject (sub)"),
            ClientCertificateInvalidException => ("CERTIFICATE_INVALID", "the client certificate is not from the configured authority, has expired or is not for client authentication"),
            ClientCertificateNotAcceptedException => ("CERTIFICATE_NOT_ACCEPTED", "the client certificate's subject is no configured caller"),
            SecurityTokenInvalidAlgorithmException => ("TOKEN_ALGORITHM_NOT_ACCEPTED", "the bearer token must be signed with RS256 or ES256"),
            _ => ("TOKEN_INVALID", "the bearer token is malformed or its signature does not verify"),
        };
        return Refusal(ErrorKind.Unauthenticated, reason, message);
    }

    private static DecisioningException Refusal(ErrorKind kind, string reason, string message) =>
        DecisioningException.From(new DomainError(kind, reason, message));
}
