using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Domain.Programmes;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Events;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using StackExchange.Redis;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.ProgrammeService: the technology re-lending quota, read through its grain, and the risk funds' claims, read from their projection in Redis; no line is touched.</summary>
public sealed class ProgrammeService(IGrainFactory grains, RiskFundProjector riskFunds, RequestValidator validator) : V1.ProgrammeService.ProgrammeServiceBase
{
    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.GetRelendingQuotaResponse> GetRelendingQuota(V1.GetRelendingQuotaRequest request, ServerCallContext context) =>
        Mapping.ToGetRelendingQuotaResponse((await grains.GetGrain<IRelendingQuotaGrain>(0).Read(request.Period, context.CancellationToken)).OrThrow());

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.ListRiskFundClaimsResponse> ListRiskFundClaims(V1.ListRiskFundClaimsRequest request, ServerCallContext context)
    {
        Require(
            request.EnterpriseId.Length == 0 ? null : validator.EnterpriseId(request.EnterpriseId),
            RiskFunds.PageSize(request.PageSize),
            RiskFunds.PageToken(request.PageToken));
        try
        {
            var page = await riskFunds.ReadAsync(request.EnterpriseId, request.PageToken, request.PageSize == 0 ? RiskFunds.DefaultPageSize : request.PageSize);
            return Mapping.ToListRiskFundClaimsResponse(page);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new DecisioningException([new DomainError(ErrorReasons.StorageUnavailable, "the risk funds could not be read: retry")]);
        }
    }
}
