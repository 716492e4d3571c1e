using System.Globalization;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Decisioning.GrpcHost.Services;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using StackExchange.Redis;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.PlainScript;

/// <summary>
/// The part of decisioning.v1.CreditLineService the load tool's draw and check scenarios call:
/// CheckLimit (one HMGET), Draw (one script), GetLine and ListTransactions (its set-up and its
/// ledger check). The rest of the contract is not here.
/// </summary>
public sealed class PlainCreditLineService(IConnectionMultiplexer redis, DrawScript draw, RequestValidator validator)
    : V1.CreditLineService.CreditLineServiceBase
{
    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.CheckLimitResponse> CheckLimit(V1.CheckLimitRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.Amount(request.AmountMinor));
        var values = await redis.GetDatabase().HashGetAsync(
            PlainKeys.Line(request.EnterpriseId), [StoredLine.StatusField, StoredLine.LimitField, StoredLine.DrawnField]);
        if (values[0] != StoredLine.Active)
        {
            throw DecisioningException.From(DomainError.LineNotFound());
        }

        var (limit, drawn) = ((long)values[1], (long)values[2]);
        var available = StoredLine.Available(limit, drawn);
        var approved = request.AmountMinor <= available;
        return new V1.CheckLimitResponse
        {
            Approved = approved,
            DeclineReason = approved ? V1.DeclineReason.Unspecified : V1.DeclineReason.ExceedsAvailableCredit,
            AvailableMinor = available,
            LimitMinor = limit,
            DrawnMinor = drawn,
            Status = V1.LineStatus.Active,
        };
    }

    [RequiredScope(Scopes.CreditDraw)]
    public override Task<V1.DrawResponse> Draw(V1.DrawRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.Amount(request.AmountMinor));
        return draw.RunAsync(request, context.Caller().Subject);
    }

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.GetLineResponse> GetLine(V1.GetLineRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId));
        var line = StoredLine.From(await redis.GetDatabase().HashGetAsync(PlainKeys.Line(request.EnterpriseId), StoredLine.Fields));
        return line is { IsActive: true }
            ? new V1.GetLineResponse { Line = line.ToContract(request.EnterpriseId) }
            : throw DecisioningException.From(DomainError.LineNotFound());
    }

    /// <summary>
    /// The journal, newest first; the page token is the sequence the next page continues before.
    /// Without the journal (--journal false) every page is empty.
    /// </summary>
    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.ListTransactionsResponse> ListTransactions(V1.ListTransactionsRequest request, ServerCallContext context)
    {
        var before = 0L;
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            PageSize(request.PageSize),
            request.PageToken.Length == 0 || (long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out before) && before > 1)
                ? null
                : DomainError.Invalid("page_token", ErrorReasons.PageTokenInvalid, "is not a page token of this server"));
        var pageSize = request.PageSize == 0 ? Limits.DefaultPageSize : request.PageSize;
        var entries = await redis.GetDatabase().StreamRangeAsync(
            PlainKeys.Journal(request.EnterpriseId),
            minId: "-",
            maxId: before == 0 ? "+" : $"{before - 1}-0",
            count: pageSize + 1,
            messageOrder: Order.Descending);
        var response = new V1.ListTransactionsResponse();
        foreach (var entry in entries.Take(pageSize))
        {
            response.Transactions.Add(ToTransaction(entry));
        }

        if (entries.Length > pageSize)
        {
            response.NextPageToken = response.Transactions[^1].Sequence.ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    private static V1.Transaction ToTransaction(StreamEntry entry)
    {
        var type = System.Enum.Parse<V1.TransactionType>(((string)entry["type"]!).Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
        return new V1.Transaction
        {
            Sequence = long.Parse(((string)entry.Id!).Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture),
            CreateTime = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds((long)entry["time"])),
            Type = type,
            RequestId = (string?)entry["request"] ?? "",
            AmountMinor = (long)entry["amount"],
            DeclineReason = type == V1.TransactionType.DrawDeclined ? V1.DeclineReason.ExceedsAvailableCredit : V1.DeclineReason.Unspecified,
            DrawnAfterMinor = (long)entry["drawn"],
            StatusAfter = V1.LineStatus.Active,
            Actor = (string?)entry["actor"] ?? "",
            ApprovedBy = (string?)entry["approved_by"] ?? "",
        };
    }
}
