using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.DecisioningService: validate every field, call the assessment grain, map the decision.</summary>
public sealed class DecisioningService(IGrainFactory grains, RequestValidator validator, TimeProvider clock) : V1.DecisioningService.DecisioningServiceBase
{
    [RequiredScope(Scopes.Assess)]
    public override async Task<V1.AssessEnterpriseResponse> AssessEnterprise(V1.AssessEnterpriseRequest request, ServerCallContext context)
    {
        var parts = new DecisionMapping.Parts(request.Profile, request.Financials, request.Innovation, request.Financing, request.Tax, request.FundFlow);
        var fetch = Sources(parts, request.FetchExternalData, context);
        var application = Validated(request.EnterpriseId, request.RequestId, request.Product, parts);
        var reply = Ok(await Assessment.Assess(new AssessRequest
        {
            RequestId = request.RequestId,
            Application = application,
            FetchExternalData = fetch,
            Actor = context.Caller().Subject,
        }));
        return new V1.AssessEnterpriseResponse
        {
            Decision = DecisionMapping.ToDecision(reply.Decision!, reply.ExternalData),
            Line = reply.Line is { } line ? Mapping.ToLine(request.EnterpriseId, line) : null,
            TransactionSequence = reply.Sequence,
        };
    }

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.GetDecisionResponse> GetDecision(V1.GetDecisionRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), DecisionIdFormat(request.DecisionId));
        var reply = await grains.GetGrain<ICreditLineGrain>(request.EnterpriseId).GetDecision(request.DecisionId);
        if (reply.Error is { } error)
        {
            throw new DecisioningException([error]);
        }

        var document = reply.Document
            ?? throw DecisioningException.From(new DomainError(ErrorReasons.DecisionNotFound, field: "decision_id"));
        return new V1.GetDecisionResponse
        {
            Decision = DecisionMapping.ToDecision(document.Champion, document.ExternalData),
            ChallengerDecision = document.Challenger is { } challenger ? DecisionMapping.ToDecision(challenger) : null,
            Application = DecisionMapping.ToApplication(document.Application),
            RequestId = document.RequestId,
            Actor = document.Actor,
            CreateTime = Timestamp.FromDateTimeOffset(document.CreatedAt),
            Purpose = (V1.DecisionPurpose)document.Purpose,
            Renewal = document.Renewal is { } renewal
                ? new V1.RenewalResult { Renewed = renewal.Eligible, Reasons = { renewal.Reasons }, CashFlowFallBps = renewal.CashFlowFallBps }
                : null,
        };
    }

    [RequiredScope(Scopes.Assess)]
    public override async Task<V1.RenewLineResponse> RenewLine(V1.RenewLineRequest request, ServerCallContext context)
    {
        var parts = new DecisionMapping.Parts(request.Profile, request.Financials, request.Innovation, request.Financing, request.Tax, request.FundFlow);
        var fetch = Sources(parts, request.FetchExternalData, context);
        var application = Validated(request.EnterpriseId, request.RequestId, V1.Product.Unspecified, parts);
        var reply = Ok(await Assessment.Renew(new AssessRequest
        {
            RequestId = request.RequestId,
            Application = application,
            FetchExternalData = fetch,
            Actor = context.Caller().Subject,
        }));
        var response = new V1.RenewLineResponse
        {
            Renewed = reply.Renewed,
            Line = reply.Line is { } line ? Mapping.ToLine(request.EnterpriseId, line) : null,
            Decision = DecisionMapping.ToDecision(reply.Decision!, reply.ExternalData),
            TransactionSequence = reply.Sequence,
            CashFlowFallBps = reply.CashFlowFallBps,
        };
        response.Reasons.AddRange(reply.RenewalReasons);
        return response;
    }

    [RequiredScope(Scopes.RiskSignal)]
    public override async Task<V1.ReportRiskSignalResponse> ReportRiskSignal(V1.ReportRiskSignalRequest request, ServerCallContext context)
    {
        var type = (RiskSignalType)request.SignalType;
        var severity = (RiskSeverity)request.Severity;
        Require(
            validator.EnterpriseId(request.EnterpriseId),
            LineRules.RequestId(request.RequestId),
            RiskSignals.Validate(new RiskSignal(type, RiskSeverity.Low)),
            RiskSignals.Validate(new RiskSignal(RiskSignalType.Overdue, severity)),
            LineRules.Note(request.Note, "note"));
        var reply = (await Assessment.ReportRiskSignal(request.EnterpriseId, request.RequestId, type, severity, request.Note, context.Caller().Subject)).OrThrow();
        return new V1.ReportRiskSignalResponse
        {
            Effect = (V1.RiskEffect)reply.SignalEffect,
            ReasonCode = reply.Note,
            LowerByBps = reply.LowerByBps,
            Line = Mapping.ToLine(request.EnterpriseId, reply.Line!),
            TransactionSequence = reply.Sequence,
        };
    }

    private IAssessmentGrain Assessment => grains.GetGrain<IAssessmentGrain>(0);

    /// <summary>
    /// Whether the service fetches the providers' parts: only the bank's data services may supply
    /// them, so any other caller that sends one is refused (PERMISSION_DENIED naming it) before
    /// anything else is looked at.
    /// </summary>
    private static bool Sources(DecisionMapping.Parts parts, bool fetchRequested, ServerCallContext context)
    {
        var sources = ApplicationSources.Check(parts.Supplied, context.Caller().Has(Scopes.SupplyData), fetchRequested);
        Require(sources.Errors);
        return sources.Fetch;
    }

    /// <summary>The application, or INVALID_ARGUMENT naming every field at fault.</summary>
    private CreditApplication Validated(string enterpriseId, string requestId, V1.Product product, DecisionMapping.Parts parts)
    {
        var errors = new List<DomainError>();
        if (validator.EnterpriseId(enterpriseId) is { } badId)
        {
            errors.Add(badId);
        }

        if (LineRules.RequestId(requestId) is { } badRequestId)
        {
            errors.Add(badRequestId);
        }

        var mapping = new List<DomainError>();
        var application = DecisionMapping.ToApplication(enterpriseId, product, parts, mapping);
        errors.AddRange(mapping);
        var today = BusinessCalendar.DateOf(clock.GetUtcNow());
        errors.AddRange(ApplicationRules.Validate(application, today, validator.LegacyCodes)
            .Where(e => e.Field != Fields.EnterpriseId && !mapping.Any(m => m.Field == e.Field)));
        Require(errors);
        return application;
    }

    private static DomainError? DecisionIdFormat(string decisionId) =>
        ApplicationRules.DecisionId(decisionId)
        ?? (decisionId.Length == 26 && decisionId.StartsWith("D-", StringComparison.Ordinal) && decisionId.AsSpan(2).ContainsAnyExcept("0123456789abcdef") is false
            ? null
            : DomainError.Invalid(Fields.DecisionId, ErrorReasons.DecisionIdMalformed, "must be a decision id as AssessEnterprise or RenewLine returned it (D- and 24 hex digits)"));

    private static AssessmentReply Ok(AssessmentReply reply) => reply.Error is null ? reply : throw new DecisioningException([reply.Error]);
}
