using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Grains.Events;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using StackExchange.Redis;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.PortfolioService: the projection's figures, read from Redis (one hash per partition, all at once); no line is touched.</summary>
public sealed class PortfolioService(PortfolioProjector projector) : V1.PortfolioService.PortfolioServiceBase
{
    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.GetPortfolioResponse> GetPortfolio(V1.GetPortfolioRequest request, ServerCallContext context)
    {
        try
        {
            return Mapping.ToGetPortfolioResponse(await projector.ReadAsync());
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new DecisioningException([new DomainError(ErrorReasons.StorageUnavailable, "the portfolio could not be read: retry")]);
        }
    }
}
