using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains;
using Decisioning.Grains.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.LineAdminService: the operations of credit staff.</summary>
public sealed class LineAdminService(LineAccess lines, RequestValidator validator) : V1.LineAdminService.LineAdminServiceBase
{
    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.OpenLineResponse> OpenLine(V1.OpenLineRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.OpeningLimit(request.LimitMinor),
            LineRules.AnnualRate(request.AnnualRateBps),
            LineRules.TermDays(request.TermDays),
            LineRules.ProductCode((Product)request.Product),
            InterestSubsidy.Validate(request.SubsidyBps, request.AnnualRateBps));
        var reply = await lines.OpenLine(
            request.EnterpriseId,
            new OpenLineCommand(request.RequestId, request.LimitMinor, request.AnnualRateBps, request.TermDays, (Product)request.Product) { Actor = context.Caller().Subject, SubsidyBps = request.SubsidyBps });
        var (line, sequence) = Changed(request.EnterpriseId, reply);
        return new V1.OpenLineResponse { Line = line, TransactionSequence = sequence };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.FreezeLineResponse> FreezeLine(V1.FreezeLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        var (line, sequence) = Changed(request.EnterpriseId, await lines.FreezeLine(request.EnterpriseId, new FreezeLineCommand(request.RequestId, request.Reason) { Actor = context.Caller().Subject }));
        return new V1.FreezeLineResponse { Line = line, TransactionSequence = sequence };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.UnfreezeLineResponse> UnfreezeLine(V1.UnfreezeLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        var (line, sequence) = Changed(request.EnterpriseId, await lines.UnfreezeLine(request.EnterpriseId, new UnfreezeLineCommand(request.RequestId, request.Reason) { Actor = context.Caller().Subject }));
        return new V1.UnfreezeLineResponse { Line = line, TransactionSequence = sequence };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.AdjustLimitResponse> AdjustLimit(V1.AdjustLimitRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.Limit(request.LimitMinor),
            LineRules.Note(request.Reason));
        var reply = await lines.AdjustLimit(request.EnterpriseId, new AdjustLimitCommand(request.RequestId, request.LimitMinor, request.Reason) { Actor = context.Caller().Subject });
        var (line, sequence) = Changed(request.EnterpriseId, reply);
        return new V1.AdjustLimitResponse { Line = line, TransactionSequence = sequence };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.CloseLineResponse> CloseLine(V1.CloseLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        var (line, sequence) = Changed(request.EnterpriseId, await lines.CloseLine(request.EnterpriseId, new CloseLineCommand(request.RequestId, request.Reason) { Actor = context.Caller().Subject }));
        return new V1.CloseLineResponse { Line = line, TransactionSequence = sequence };
    }

    private static (V1.Line Line, long Sequence) Changed(string enterpriseId, LineReply reply)
    {
        reply.OrThrow();
        return (Mapping.ToLine(enterpriseId, reply.Line!), reply.Sequence);
    }
}
