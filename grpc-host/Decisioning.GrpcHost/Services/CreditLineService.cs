using System.Globalization;
using System.Text;
using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.CreditLineService: validate, call the enterprise's line, map its result.</summary>
public sealed class CreditLineService(LineAccess lines, RequestValidator validator) : V1.CreditLineService.CreditLineServiceBase
{
    private const string PageTokenPrefix = "before:";

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.CheckLimitResponse> CheckLimit(V1.CheckLimitRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.Amount(request.AmountMinor));
        return Mapping.ToCheckLimitResponse((await lines.CheckLimit(request.EnterpriseId, request.AmountMinor, context.CancellationToken)).OrThrow());
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override async Task<V1.DrawResponse> Draw(V1.DrawRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Amount(request.AmountMinor));
        return Mapping.ToDrawResponse(await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditRepay)]
    public override async Task<V1.RepayResponse> Repay(V1.RepayRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Amount(request.AmountMinor));
        return Mapping.ToRepayResponse(await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override async Task<V1.PlaceHoldResponse> PlaceHold(V1.PlaceHoldRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.Amount(request.AmountMinor),
            LineRules.HoldTtl(request.HoldTtlSeconds));
        return Mapping.ToPlaceHoldResponse(await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override async Task<V1.CaptureHoldResponse> CaptureHold(V1.CaptureHoldRequest request, ServerCallContext context)
    {
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            LineRules.HoldId(request.HoldId),
            LineRules.CaptureAmount(request.AmountMinor));
        return Mapping.ToCaptureHoldResponse(await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override async Task<V1.ReleaseHoldResponse> ReleaseHold(V1.ReleaseHoldRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.HoldId(request.HoldId));
        return Mapping.ToReleaseHoldResponse(await Change(request.EnterpriseId, Mapping.ToCommand(request, context.Caller().Subject), context));
    }

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.GetLineResponse> GetLine(V1.GetLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId));
        return new V1.GetLineResponse { Line = Mapping.ToLine(request.EnterpriseId, (await lines.GetLine(request.EnterpriseId, context.CancellationToken)).OrThrow()) };
    }

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.ListTransactionsResponse> ListTransactions(V1.ListTransactionsRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), PageSize(request.PageSize));
        var before = ParsePageToken(request.PageToken);
        var pageSize = request.PageSize == 0 ? Limits.DefaultPageSize : request.PageSize;
        var page = (await lines.ListTransactions(request.EnterpriseId, pageSize, before, context.CancellationToken)).OrThrow();
        var response = new V1.ListTransactionsResponse { NextPageToken = PageToken(page.NextBefore) };
        response.Transactions.AddRange(page.Entries.Select(Mapping.ToTransaction));
        return response;
    }

    private async Task<OperationResult> Change(string enterpriseId, LineCommand command, ServerCallContext context) =>
        (await lines.Change(enterpriseId, command, context.CancellationToken)).OrThrow();

    private static string PageToken(long beforeSequence) => beforeSequence == 0
        ? ""
        : Convert.ToBase64String(Encoding.ASCII.GetBytes(PageTokenPrefix + beforeSequence.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The sequence a page token continues before (0 for the newest page).</summary>
    private static long ParsePageToken(string token)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        var bytes = new byte[token.Length];
        if (token.Length <= 64
            && Convert.TryFromBase64String(token, bytes, out var written)
            && Encoding.ASCII.GetString(bytes, 0, written) is var text
            && text.StartsWith(PageTokenPrefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(PageTokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var before)
            && before > 0)
        {
            return before;
        }

        throw DecisioningException.From(DomainError.Invalid("page_token", ErrorReasons.PageTokenInvalid, "is not a token from a previous ListTransactions reply"));
    }
}
