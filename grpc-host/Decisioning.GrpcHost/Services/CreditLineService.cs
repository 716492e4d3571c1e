using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.CreditLineService: validate, call the enterprise's grain, map the reply.</summary>
public sealed class CreditLineService(LineAccess lines, RequestValidator validator) : V1.CreditLineService.CreditLineServiceBase
{
    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.CheckLimitResponse> CheckLimit(V1.CheckLimitRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.Amount(request.AmountMinor));
        var reply = (await lines.CheckLimit(request.EnterpriseId, request.AmountMinor)).OrThrow();
        return new V1.CheckLimitResponse
        {
            Approved = reply.Approved,
            DeclineReason = (V1.DeclineReason)reply.DeclineReason,
            Status = (V1.LineStatus)reply.Status,
        }.WithBalances(reply.AvailableMinor, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor);
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override async Task<V1.DrawResponse> Draw(V1.DrawRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Amount(request.AmountMinor));
        var reply = (await lines.Draw(request.EnterpriseId, new DrawCommand(request.RequestId, request.AmountMinor) { Actor = context.Caller().Subject })).OrThrow();
        var line = reply.Line!;
        return new V1.DrawResponse
        {
            Approved = reply.Approved,
            DeclineReason = (V1.DeclineReason)reply.DeclineReason,
            TransactionSequence = reply.Sequence,
        }.WithBalances(line);
    }

    [RequiredScope(Scopes.CreditRepay)]
    public override async Task<V1.RepayResponse> Repay(V1.RepayRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Amount(request.AmountMinor));
        var reply = (await lines.Repay(request.EnterpriseId, new RepayCommand(request.RequestId, request.AmountMinor) { Actor = context.Caller().Subject })).OrThrow();
        var line = reply.Line!;
        return new V1.RepayResponse
        {
            InterestPaidMinor = reply.InterestPaidMinor,
            PrincipalPaidMinor = reply.PrincipalPaidMinor,
            AccruedInterestMinor = line.AccruedInterestMinor,
            TransactionSequence = reply.Sequence,
            SubsidisedInterestMinor = reply.SubsidisedInterestMinor,
        }.WithBalances(line);
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override async Task<V1.PlaceHoldResponse> PlaceHold(V1.PlaceHoldRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.Amount(request.AmountMinor),
            LineRules.HoldTtl(request.HoldTtlSeconds));
        var reply = (await lines.PlaceHold(request.EnterpriseId, new PlaceHoldCommand(request.RequestId, request.AmountMinor, request.HoldTtlSeconds) { Actor = context.Caller().Subject })).OrThrow();
        var line = reply.Line!;
        return new V1.PlaceHoldResponse
        {
            Approved = reply.Approved,
            DeclineReason = (V1.DeclineReason)reply.DeclineReason,
            HoldId = reply.HoldId,
            ExpireTime = reply.HoldExpiresAt is { } expires ? Timestamp.FromDateTimeOffset(expires) : null,
            TransactionSequence = reply.Sequence,
        }.WithBalances(line);
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override async Task<V1.CaptureHoldResponse> CaptureHold(V1.CaptureHoldRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.HoldId(request.HoldId),
            LineRules.CaptureAmount(request.AmountMinor));
        var reply = (await lines.CaptureHold(request.EnterpriseId, new CaptureHoldCommand(request.RequestId, request.HoldId, request.AmountMinor) { Actor = context.Caller().Subject })).OrThrow();
        var line = reply.Line!;
        return new V1.CaptureHoldResponse
        {
            Approved = reply.Approved,
            DeclineReason = (V1.DeclineReason)reply.DeclineReason,
            CapturedMinor = reply.CapturedMinor,
            ReleasedMinor = reply.ReleasedMinor,
            TransactionSequence = reply.Sequence,
        }.WithBalances(line);
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override async Task<V1.ReleaseHoldResponse> ReleaseHold(V1.ReleaseHoldRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.HoldId(request.HoldId));
        var reply = (await lines.ReleaseHold(request.EnterpriseId, new ReleaseHoldCommand(request.RequestId, request.HoldId) { Actor = context.Caller().Subject })).OrThrow();
        var line = reply.Line!;
        return new V1.ReleaseHoldResponse
        {
            ReleasedMinor = reply.ReleasedMinor,
            TransactionSequence = reply.Sequence,
        }.WithBalances(line);
    }

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.GetLineResponse> GetLine(V1.GetLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId));
        var reply = (await lines.GetLine(request.EnterpriseId)).OrThrow();
        return new V1.GetLineResponse { Line = Mapping.ToLine(request.EnterpriseId, reply.Line!) };
    }

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.ListTransactionsResponse> ListTransactions(V1.ListTransactionsRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), PageSize(request.PageSize));
        var before = Mapping.ParsePageToken(request.PageToken);
        var pageSize = request.PageSize == 0 ? Limits.DefaultPageSize : request.PageSize;
        var page = (await lines.ListTransactions(request.EnterpriseId, pageSize, before)).OrThrow();
        var response = new V1.ListTransactionsResponse { NextPageToken = Mapping.PageToken(page.NextBefore) };
        foreach (var entry in page.Entries)
        {
            response.Transactions.Add(Mapping.ToTransaction(entry));
        }

        return response;
    }

    private static DomainError? PageSize(int pageSize) => pageSize is < 0 or > Limits.MaxPageSize
        ? DomainError.Invalid("page_size", ErrorReasons.PageSizeOutOfRange, $"must be from 1 to {Limits.MaxPageSize} (or 0 for {Limits.DefaultPageSize}), not {pageSize}")
        : null;
}
