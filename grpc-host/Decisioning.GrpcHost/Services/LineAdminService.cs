using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Assessment;
using Decisioning.Grains.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>
/// decisioning.v1.LineAdminService: the operations of credit staff. The line decides which changes
/// wait for four eyes; a reply with a proposal shows the line unchanged.
/// </summary>
public sealed class LineAdminService(LineAccess lines, RequestValidator validator, IGrainFactory grains, SubsidyTable subsidies, TimeProvider clock)
    : V1.LineAdminService.LineAdminServiceBase
{
    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.OpenLineResponse> OpenLine(V1.OpenLineRequest request, ServerCallContext context)
    {
        validator.RequireOpening(request);
        // The subsidy is public money: it comes from the programmes, by product, never from the
        // request. The enterprise's recognition is not known here, so only a programme open to
        // every recognition applies (SubsidyProgrammes.SubsidyBps).
        var subsidy = subsidies.SubsidyBps((Product)request.Product, srdiLevel: null, BusinessCalendar.DateOf(clock.GetUtcNow()), request.AnnualRateBps);
        return Mapping.ToOpenLineResponse(request.EnterpriseId, await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject, subsidy), context));
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.FreezeLineResponse> FreezeLine(V1.FreezeLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        return Mapping.ToFreezeLineResponse(request.EnterpriseId, await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.UnfreezeLineResponse> UnfreezeLine(V1.UnfreezeLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        return Mapping.ToUnfreezeLineResponse(request.EnterpriseId, await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.AdjustLimitResponse> AdjustLimit(V1.AdjustLimitRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.Limit(request.LimitMinor),
            LineRules.Note(request.Reason));
        return Mapping.ToAdjustLimitResponse(request.EnterpriseId, await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.CloseLineResponse> CloseLine(V1.CloseLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        return Mapping.ToCloseLineResponse(request.EnterpriseId, await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.AddExclusionResponse> AddExclusion(V1.AddExclusionRequest request, ServerCallContext context)
    {
        var changed = await ChangeExclusion(Mapping.ToCommand(request, context.Caller().Subject), context);
        return new V1.AddExclusionResponse { Exclusion = Mapping.ToExclusion(changed.Exclusion), ChangeId = changed.ChangeId };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.RemoveExclusionResponse> RemoveExclusion(V1.RemoveExclusionRequest request, ServerCallContext context)
    {
        var changed = await ChangeExclusion(Mapping.ToCommand(request, context.Caller().Subject), context);
        return new V1.RemoveExclusionResponse { Exclusion = Mapping.ToExclusion(changed.Exclusion), ChangeId = changed.ChangeId };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.ListExclusionsResponse> ListExclusions(V1.ListExclusionsRequest request, ServerCallContext context)
    {
        Require(ExclusionRules.PageSize(request.PageSize), ExclusionRules.ListToken(request.PageToken));
        var page = (await Exclusions.List(request.PageToken, request.PageSize, context.CancellationToken)).OrThrow();
        return new V1.ListExclusionsResponse { NextPageToken = page.Next, Exclusions = { page.Items.Select(Mapping.ToExclusion) } };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.ListExclusionChangesResponse> ListExclusionChanges(V1.ListExclusionChangesRequest request, ServerCallContext context)
    {
        Require(ExclusionRules.PageSize(request.PageSize), ExclusionRules.ChangeToken(request.PageToken));
        var page = (await Exclusions.ListChanges(request.PageToken, request.PageSize, context.CancellationToken)).OrThrow();
        return new V1.ListExclusionChangesResponse { NextPageToken = page.Next, Changes = { page.Items.Select(Mapping.ToExclusionChange) } };
    }

    private IExclusionListGrain Exclusions => grains.GetGrain<IExclusionListGrain>(0);

    /// <summary>Validates, changes the list as the authenticated caller (who stands in its journal), or throws the refusal.</summary>
    private async Task<ExclusionChanged> ChangeExclusion(ExclusionCommand command, ServerCallContext context)
    {
        Require(validator.EnterpriseId(command.EnterpriseId), LineRules.RequestId(command.RequestId), ExclusionRules.Reason(command.Reason));
        return (await Exclusions.Change(command, context.CancellationToken)).OrThrow();
    }

    [RequiredScope(Scopes.CreditApprove)]
    public override async Task<V1.ApproveProposalResponse> ApproveProposal(V1.ApproveProposalRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.ProposalId(request.ProposalId));
        return Mapping.ToApproveProposalResponse(request.EnterpriseId, await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditApprove)]
    public override async Task<V1.RejectProposalResponse> RejectProposal(V1.RejectProposalRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.ProposalId(request.ProposalId),
            LineRules.Note(request.Reason));
        return Mapping.ToRejectProposalResponse(await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    // credit.read, not credit.admin or credit.approve: the journal (ListTransactions, credit.read)
    // already shows every proposal with its proposer, so a narrower scope would hide nothing, and
    // both the proposer and the approver need to read the line they act on.
    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.ListProposalsResponse> ListProposals(V1.ListProposalsRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId));
        var proposals = (await lines.ListProposals(request.EnterpriseId, context.CancellationToken)).OrThrow();
        return new V1.ListProposalsResponse { Proposals = { proposals.Select(p => Mapping.ToProposal(p)!) } };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.SetClassificationFloorResponse> SetClassificationFloor(V1.SetClassificationFloorRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.Classification((LoanClass)request.Floor),
            LineRules.Note(request.Reason));
        return Mapping.ToSetClassificationFloorResponse(request.EnterpriseId, await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.WriteOffLineResponse> WriteOffLine(V1.WriteOffLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        return Mapping.ToWriteOffLineResponse(request.EnterpriseId, await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    private async Task<OperationResult> Change(string enterpriseId, LineCommand command, ServerCallContext context) =>
        (await lines.Change(enterpriseId, command, context.CancellationToken)).OrThrow();
}
