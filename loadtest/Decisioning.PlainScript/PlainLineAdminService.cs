using System.Globalization;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Decisioning.GrpcHost.Services;
using Grpc.Core;
using StackExchange.Redis;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.PlainScript;

/// <summary>
/// The part of decisioning.v1.LineAdminService the load tool's line set-up calls, simply: OpenLine
/// records the opening as the line's one proposal ("P1", sequence 1) in the line hash itself, and
/// ApproveProposal by another subject turns it into the active line (sequence 2), each in one
/// MULTI/EXEC guarded by WATCH. A retry with the same request id gets the first answer; another
/// opening of an enterprise that has a line or a proposal is FAILED_PRECONDITION. No expiry of
/// proposals, no re-opening, no other admin operation.
/// </summary>
public sealed class PlainLineAdminService(IConnectionMultiplexer redis, PlainSettings settings, RequestValidator validator, TimeProvider clock)
    : V1.LineAdminService.LineAdminServiceBase
{
    private const string ProposalId = "P1";
    private const long ProposalSequence = 1;
    private const long OpeningSequence = 2;

    [RequiredScope(Scopes.CreditAdmin)]
    public override async Task<V1.OpenLineResponse> OpenLine(V1.OpenLineRequest request, ServerCallContext context)
    {
        validator.RequireOpening(request);
        var proposed = new StoredLine(
            StoredLine.Proposed, request.LimitMinor, 0, ProposalSequence, request.Product, request.AnnualRateBps, request.TermDays,
            OpenedDate: "", ProposedBy: context.Caller().Subject, OpenRequestId: request.RequestId, ApprovedBy: "", ApproveRequestId: "");
        var db = redis.GetDatabase();
        var key = PlainKeys.Line(request.EnterpriseId);
        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(key));
        _ = transaction.HashSetAsync(key,
        [
            new(StoredLine.StatusField, proposed.Status),
            new(StoredLine.LimitField, proposed.LimitMinor),
            new(StoredLine.DrawnField, proposed.DrawnMinor),
            new(StoredLine.SequenceField, proposed.Sequence),
            new(StoredLine.ProductField, (int)proposed.Product),
            new(StoredLine.RateField, proposed.AnnualRateBps),
            new(StoredLine.TermField, proposed.TermDays),
            new(StoredLine.ProposedByField, proposed.ProposedBy),
            new(StoredLine.OpenRequestField, proposed.OpenRequestId),
        ]);
        Journal(transaction, request.EnterpriseId, ProposalSequence, "PROPOSAL_RECORDED", proposed, clock.GetUtcNow());
        if (!await transaction.ExecuteAsync())
        {
            // The same request again gets its first answer; anything else finds the enterprise taken.
            var stored = StoredLine.From(await db.HashGetAsync(key, StoredLine.Fields))!;
            if (stored.OpenRequestId != proposed.OpenRequestId || stored.ProposedBy != proposed.ProposedBy || stored.LimitMinor != proposed.LimitMinor)
            {
                throw Refusal(ErrorReasons.LineAlreadyOpen, "the enterprise already has a credit line or a proposal to open one");
            }
        }

        return new V1.OpenLineResponse { TransactionSequence = ProposalSequence, Proposal = ToProposal(proposed) };
    }

    [RequiredScope(Scopes.CreditApprove)]
    public override async Task<V1.ApproveProposalResponse> ApproveProposal(V1.ApproveProposalRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), LineRules.RequestId(request.RequestId), LineRules.ProposalId(request.ProposalId));
        var approver = context.Caller().Subject;
        var db = redis.GetDatabase();
        var key = PlainKeys.Line(request.EnterpriseId);
        while (true)
        {
            var line = StoredLine.From(await db.HashGetAsync(key, StoredLine.Fields));
            if (line is null || request.ProposalId != ProposalId)
            {
                throw Refusal(ErrorReasons.ProposalNotFound, $"proposal_id {request.ProposalId} names no proposal this line keeps", "proposal_id");
            }

            if (line.IsActive)
            {
                return line.ApproveRequestId == request.RequestId && line.ApprovedBy == approver
                    ? Approved(request.EnterpriseId, line)
                    : throw Refusal(ErrorReasons.ProposalAlreadyDecided, $"proposal_id {request.ProposalId} was already approved by {line.ApprovedBy}", "proposal_id");
            }

            if (line.ProposedBy == approver)
            {
                throw Refusal(ErrorReasons.ApproverIsProposer, "a proposal is approved by another staff member than the one who proposed it (four eyes)", "proposal_id");
            }

            var now = clock.GetUtcNow();
            var opened = line with
            {
                Status = StoredLine.Active,
                Sequence = OpeningSequence,
                OpenedDate = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ApprovedBy = approver,
                ApproveRequestId = request.RequestId,
            };
            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.HashEqual(key, StoredLine.StatusField, StoredLine.Proposed));
            _ = transaction.HashSetAsync(key,
            [
                new(StoredLine.StatusField, opened.Status),
                new(StoredLine.SequenceField, opened.Sequence),
                new(StoredLine.OpenedField, opened.OpenedDate),
                new(StoredLine.ApprovedByField, approver),
                new(StoredLine.ApproveRequestField, request.RequestId),
            ]);
            Journal(transaction, request.EnterpriseId, OpeningSequence, "LINE_OPENED", opened, now);
            if (await transaction.ExecuteAsync())
            {
                return Approved(request.EnterpriseId, opened);
            }

            // Approved or changed meanwhile: read it again and answer from what it is now.
        }
    }

    private static V1.ApproveProposalResponse Approved(string enterpriseId, StoredLine line) => new()
    {
        Line = line.ToContract(enterpriseId),
        TransactionSequence = OpeningSequence,
        Proposal = ToProposal(line),
    };

    /// <summary>The line's one proposal, pending until the line is active.</summary>
    private static V1.Proposal ToProposal(StoredLine line) => new()
    {
        ProposalId = ProposalId,
        Kind = V1.ProposalKind.OpenLine,
        Status = line.IsActive ? V1.ProposalStatus.Approved : V1.ProposalStatus.Pending,
        ProposedBy = line.ProposedBy,
        RequestId = line.OpenRequestId,
        LimitMinor = line.LimitMinor,
        AnnualRateBps = line.AnnualRateBps,
        TermDays = line.TermDays,
        Product = line.Product,
        DecidedBy = line.ApprovedBy,
    };

    /// <summary>The entry of a proposal or an opening (the proposer's request; the approver, once approved), as draw.lua writes its entries; none without the journal.</summary>
    private void Journal(ITransaction transaction, string enterpriseId, long sequence, string type, StoredLine line, DateTimeOffset now)
    {
        if (settings.Journal)
        {
            NameValueEntry[] fields =
            [
                new("type", type), new("request", line.OpenRequestId), new("amount", line.LimitMinor), new("drawn", 0),
                new("actor", line.ProposedBy), new("time", now.ToUnixTimeMilliseconds()), new("approved_by", line.ApprovedBy),
            ];
            _ = transaction.StreamAddAsync(PlainKeys.Journal(enterpriseId), fields, messageId: $"{sequence}-0");
        }
    }

    private static DecisioningException Refusal(ErrorReason reason, string message, string? field = null) =>
        DecisioningException.From(new DomainError(reason, message, field));
}
