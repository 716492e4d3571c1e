using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Assessment;
using Decisioning.Grains.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Google.Protobuf.WellKnownTypes;
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
        var reply = await lines.OpenLine(
            request.EnterpriseId,
            new OpenLineCommand(request.RequestId, request.LimitMinor, request.AnnualRateBps, request.TermDays, (Product)request.Product) { Actor = context.Caller().Subject, SubsidyBps = subsidy });
        var (line, sequence, proposal) = Changed(request.EnterpriseId, reply);
        return new V1.OpenLineResponse { Line = line, TransactionSequence = sequence, Proposal = proposal };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.FreezeLineResponse> FreezeLine(V1.FreezeLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        var (line, sequence, _) = Changed(request.EnterpriseId, await lines.FreezeLine(request.EnterpriseId, new FreezeLineCommand(request.RequestId, request.Reason) { Actor = context.Caller().Subject }));
        return new V1.FreezeLineResponse { Line = line, TransactionSequence = sequence };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.UnfreezeLineResponse> UnfreezeLine(V1.UnfreezeLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        var (line, sequence, proposal) = Changed(request.EnterpriseId, await lines.UnfreezeLine(request.EnterpriseId, new UnfreezeLineCommand(request.RequestId, request.Reason) { Actor = context.Caller().Subject }));
        return new V1.UnfreezeLineResponse { Line = line, TransactionSequence = sequence, Proposal = proposal };
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
        var (line, sequence, proposal) = Changed(request.EnterpriseId, reply);
        return new V1.AdjustLimitResponse { Line = line, TransactionSequence = sequence, Proposal = proposal };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.CloseLineResponse> CloseLine(V1.CloseLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Note(request.Reason));
        var (line, sequence, _) = Changed(request.EnterpriseId, await lines.CloseLine(request.EnterpriseId, new CloseLineCommand(request.RequestId, request.Reason) { Actor = context.Caller().Subject }));
        return new V1.CloseLineResponse { Line = line, TransactionSequence = sequence };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.AddExclusionResponse> AddExclusion(V1.AddExclusionRequest request, ServerCallContext context)
    {
        var reply = await ChangeExclusion(ExclusionChangeKind.Added, request.EnterpriseId, request.RequestId, request.Reason, context);
        return new V1.AddExclusionResponse { Exclusion = ToExclusion(reply.Exclusion!), ChangeId = reply.ChangeId };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.RemoveExclusionResponse> RemoveExclusion(V1.RemoveExclusionRequest request, ServerCallContext context)
    {
        var reply = await ChangeExclusion(ExclusionChangeKind.Removed, request.EnterpriseId, request.RequestId, request.Reason, context);
        return new V1.RemoveExclusionResponse { Exclusion = ToExclusion(reply.Exclusion!), ChangeId = reply.ChangeId };
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.ListExclusionsResponse> ListExclusions(V1.ListExclusionsRequest request, ServerCallContext context)
    {
        Require(ExclusionRules.PageSize(request.PageSize), ExclusionRules.ListToken(request.PageToken));
        var page = await Exclusions.List(request.PageToken, request.PageSize);
        Refused(page.Error);

        var response = new V1.ListExclusionsResponse { NextPageToken = page.Next };
        response.Exclusions.AddRange(page.Exclusions.Select(ToExclusion));
        return response;
    }

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.ListExclusionChangesResponse> ListExclusionChanges(V1.ListExclusionChangesRequest request, ServerCallContext context)
    {
        Require(ExclusionRules.PageSize(request.PageSize), ExclusionRules.ChangeToken(request.PageToken));
        var page = await Exclusions.ListChanges(request.PageToken, request.PageSize);
        Refused(page.Error);

        var response = new V1.ListExclusionChangesResponse { NextPageToken = page.Next };
        response.Changes.AddRange(page.Changes.Select(c => new V1.ExclusionChange
        {
            ChangeId = c.ChangeId,
            ChangeType = (V1.ExclusionChangeType)c.Kind,
            EnterpriseId = c.EnterpriseId,
            Reason = c.Reason,
            Actor = c.Actor,
            ChangeTime = Timestamp.FromDateTimeOffset(c.At),
            RequestId = c.RequestId,
        }));
        return response;
    }

    private IExclusionListGrain Exclusions => grains.GetGrain<IExclusionListGrain>(0);

    /// <summary>Validates, changes the list as the authenticated caller (who stands in its journal), or throws the refusal.</summary>
    private async Task<ExclusionReply> ChangeExclusion(ExclusionChangeKind kind, string enterpriseId, string requestId, string reason, ServerCallContext context)
    {
        Require(validator.EnterpriseId(enterpriseId), LineRules.RequestId(requestId), ExclusionRules.Reason(reason));
        var reply = await Exclusions.Change(new ExclusionCommand(kind, enterpriseId, requestId, reason) { Actor = context.Caller().Subject });
        Refused(reply.Error);
        return reply;
    }

    private static void Refused(LineError? error)
    {
        if (error is not null)
        {
            throw new DecisioningException([error]);
        }
    }

    private static V1.Exclusion ToExclusion(Exclusion e) => new()
    {
        EnterpriseId = e.EnterpriseId,
        Reason = e.Reason,
        AddedBy = e.AddedBy,
        AddTime = Timestamp.FromDateTimeOffset(e.AddedAt),
        RequestId = e.RequestId,
    };

    [RequiredScope(Scopes.CreditApprove)]
    public override async Task<V1.ApproveProposalResponse> ApproveProposal(V1.ApproveProposalRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.ProposalId(request.ProposalId));
        var reply = await lines.ApproveProposal(request.EnterpriseId, new ApproveProposalCommand(request.RequestId, request.ProposalId) { Actor = context.Caller().Subject });
        var (line, sequence, proposal) = Changed(request.EnterpriseId, reply);
        return new V1.ApproveProposalResponse { Line = line, TransactionSequence = sequence, Proposal = proposal };
    }

    [RequiredScope(Scopes.CreditApprove)]
    public override async Task<V1.RejectProposalResponse> RejectProposal(V1.RejectProposalRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.ProposalId(request.ProposalId),
            LineRules.Note(request.Reason));
        var reply = await lines.RejectProposal(request.EnterpriseId, new RejectProposalCommand(request.RequestId, request.ProposalId, request.Reason) { Actor = context.Caller().Subject });
        var (_, sequence, proposal) = Changed(request.EnterpriseId, reply);
        return new V1.RejectProposalResponse { Proposal = proposal, TransactionSequence = sequence };
    }

    // credit.read, not credit.admin or credit.approve: the journal (ListTransactions, credit.read)
    // already shows every proposal with its proposer, so a narrower scope would hide nothing, and
    // both the proposer and the approver need to read the line they act on.
    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.ListProposalsResponse> ListProposals(V1.ListProposalsRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId));
        var reply = (await lines.ListProposals(request.EnterpriseId)).OrThrow();
        var response = new V1.ListProposalsResponse();
        response.Proposals.AddRange(reply.Proposals.Select(p => Mapping.ToProposal(p)!));
        return response;
    }

    /// <summary>The line after the change (unset when a proposal waits to open one), its journal entry and the proposal, if any.</summary>
    private static (V1.Line? Line, long Sequence, V1.Proposal? Proposal) Changed(string enterpriseId, LineReply reply)
    {
        reply.OrThrow();
        var line = reply.Line is { Status: not LineStatus.None } snapshot ? Mapping.ToLine(enterpriseId, snapshot) : null;
        return (line, reply.Sequence, Mapping.ToProposal(reply.Proposal));
    }
}
