using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.IdentityModel.Tokens;

namespace Decisioning.GrpcHost.Security;

/// <summary>
/// Lets a call reach a Decisioning service only when its token was valid, holds the one scope the
/// method names and serves the enterprise (or each of the enterprises) the request names, within the rate limits of its caller
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
        Admit(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(request, context);
        return continuation(request, responseStream, context);
    }

    private void Admit(object request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var caller = http.Features.Get<Caller>() ?? throw Unauthenticated(http);
        var scope = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScopeAttribute>()?.Scope;
        if (scope is null || !caller.Has(scope))
        {
            // A method without a scope is refused to everyone: forgetting the attribute fails closed.
            throw Refusal(ErrorReasons.ScopeRequired, scope is null
                ? $"{context.Method} is granted to no scope"
                : $"{context.Method} needs the scope {scope}, which the token does not hold");
        }

        var enterpriseId = (request as IEnterpriseRequest)?.EnterpriseId;
        var named = (request as IEnterprisesRequest)?.EnterpriseIds;
        var served = enterpriseId is not null ? caller.Serves(enterpriseId)
            : named is { Count: > 0 } ? named.All(caller.Serves)
            : caller.ServesAll;
        if (!served)
        {
            throw Refusal(ErrorReasons.EnterpriseNotServed, enterpriseId is not null
                ? "enterprise_id names an enterprise the token's holder does not serve"
                : named is { Count: > 0 }
                    ? $"enterprise_ids[{named.ToList().FindIndex(id => !caller.Serves(id))}] names an enterprise the token's holder does not serve"
                    : $"{context.Method} names no enterprise: only a token serving every enterprise (bank staff) may call it");
        }

        if (limits.Refuse(caller.Subject, enterpriseId) is { } retryAfter)
        {
            RpcTelemetry.Refused(ErrorReasons.RateLimited.Code);
            throw ErrorMappingInterceptor.ToRpcException(
                [new DomainError(ErrorReasons.RateLimited, $"too many calls from this caller or about this enterprise: retry after {retryAfter.TotalMilliseconds:0} ms")],
                retryAfter);
        }

        context.SetCaller(caller);
    }

    private static DecisioningException Unauthenticated(HttpContext http)
    {
        var failure = http.Features.Get<AuthenticationFailure>()?.Exception;
        if (failure is null)
        {
            return Refusal(ErrorReasons.TokenMissing, "the call carries no bearer token: send authorization: Bearer <JWT>");
        }

        return Refusal(failure switch
        {
            SecurityTokenExpiredException => ErrorReasons.TokenExpired,
            SecurityTokenNotYetValidException => ErrorReasons.TokenNotYetValid,
            SecurityTokenInvalidIssuerException => ErrorReasons.TokenIssuerNotAccepted,
            SecurityTokenInvalidAudienceException => ErrorReasons.TokenAudienceNotAccepted,
            SecurityTokenNoExpirationException => ErrorReasons.TokenExpiryRequired,
            TokenSubjectMissingException => ErrorReasons.TokenSubjectRequired,
            ClientCertificateInvalidException => ErrorReasons.CertificateInvalid,
            ClientCertificateNotAcceptedException => ErrorReasons.CertificateNotAccepted,
            SecurityTokenInvalidAlgorithmException => ErrorReasons.TokenAlgorithmNotAccepted,
            _ => ErrorReasons.TokenInvalid,
        });
    }

    private static DecisioningException Refusal(ErrorReason reason, string? message = null)
    {
        RpcTelemetry.Refused(reason.Code);
        return DecisioningException.From(new DomainError(reason, message));
    }
}
