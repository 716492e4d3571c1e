using Decisioning.Contracts;
using Decisioning.Grains.Abstractions;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.ProgrammeService: the technology re-lending quota, read through its grain; no line is touched.</summary>
public sealed class ProgrammeService(IGrainFactory grains) : V1.ProgrammeService.ProgrammeServiceBase
{
    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.GetRelendingQuotaResponse> GetRelendingQuota(V1.GetRelendingQuotaRequest request, ServerCallContext context) =>
        Mapping.ToGetRelendingQuotaResponse((await grains.GetGrain<IRelendingQuotaGrain>(0).Read(request.Period, context.CancellationToken)).OrThrow());
}
