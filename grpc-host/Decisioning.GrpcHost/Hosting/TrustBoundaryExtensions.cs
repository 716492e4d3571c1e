using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.AspNetCore.Server;

namespace Decisioning.GrpcHost.Hosting;

/// <summary>
/// The trust boundary of a server of the decisioning.v1 contract: bearer tokens (or client
/// certificates) verified once and remembered, the scope each method names, the enterprises its
/// caller serves, rate limits, and the one mapping of failures to statuses. The service uses it, and
/// so does the plain baseline server of the benchmark (loadtest/Decisioning.PlainScript), so that
/// both check their callers alike and a comparison of the two measures what lies behind the check.
/// </summary>
public static class TrustBoundaryExtensions
{
    /// <summary>
    /// Authentication (Decisioning:Auth, Decisioning:ClientCertificates), rate limits
    /// (Decisioning:RateLimits) and gRPC with the error mapping; Decisioning:Grpc must be bound too
    /// (the listen address decides whether the development key is accepted).
    /// </summary>
    public static IGrpcServerBuilder AddDecisioningTrustBoundary(this IServiceCollection services, GrpcHostOptions options)
    {
        services.AddDecisioningAuthentication();
        // Stateless: one instance each, not one per call.
        services.AddSingleton<ErrorMappingInterceptor>();
        services.AddSingleton<CallerInterceptor>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RateLimits>();
        return services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
        });
    }

    /// <summary>Every call to <typeparamref name="TService"/> needs an authenticated caller holding its method's scope; health and reflection do not.</summary>
    public static IGrpcServerBuilder RequireCallers<TService>(this IGrpcServerBuilder grpc)
        where TService : class =>
        grpc.AddServiceOptions<TService>(o => o.Interceptors.Add<CallerInterceptor>());

    /// <summary>Before the endpoints: requests that are not protobuf refused as REQUEST_MALFORMED, then authentication.</summary>
    public static IApplicationBuilder UseDecisioningTrustBoundary(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestDecodingMiddleware>().UseAuthentication();
}
