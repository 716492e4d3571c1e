using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.DecisioningService: validate every field, call the assessment grain, map the decision.</summary>
public sealed class DecisioningService(IGrainFactory grains, LineAccess lines, RequestValidator validator, TimeProvider clock) : V1.DecisioningService.DecisioningServiceBase
{
    [RequiredScope(Scopes.Assess)]
    public override async Task<V1.AssessEnterpriseResponse> AssessEnterprise(V1.AssessEnterpriseRequest request, ServerCallContext context)
    {
        var parts = Parts(request.EnterpriseId, request.Product, request.Profile, request.Financials, request.Innovation, request.Financing, request.Tax, request.FundFlow);
        var assessment = Validated(request.RequestId, parts, request.FetchExternalData, context);
        return Mapping.ToAssessEnterpriseResponse(request.EnterpriseId, (await Assessment.Assess(assessment, context.CancellationToken)).OrThrow());
    }

    [RequiredScope(Scopes.CreditRead)]
    public override async Task<V1.GetDecisionResponse> GetDecision(V1.GetDecisionRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId), DecisionIdFormat(request.DecisionId));
        var document = (await lines.GetDecision(request.EnterpriseId, request.DecisionId, context.CancellationToken)).OrThrow()
            ?? throw DecisioningException.From(new DomainError(ErrorReasons.DecisionNotFound, field: "decision_id"));
        return Mapping.ToGetDecisionResponse(document);
    }

    [RequiredScope(Scopes.Assess)]
    public override async Task<V1.RenewLineResponse> RenewLine(V1.RenewLineRequest request, ServerCallContext context)
    {
        var parts = Parts(request.EnterpriseId, V1.Product.Unspecified, request.Profile, request.Financials, request.Innovation, request.Financing, request.Tax, request.FundFlow);
        var assessment = Validated(request.RequestId, parts, request.FetchExternalData, context);
        return Mapping.ToRenewLineResponse(request.EnterpriseId, (await Assessment.Renew(assessment, context.CancellationToken)).OrThrow());
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
        var result = (await Assessment.ReportRiskSignal(request.EnterpriseId, request.RequestId, type, severity, request.Note, context.Caller().Subject, context.CancellationToken)).OrThrow();
        return Mapping.ToReportRiskSignalResponse(request.EnterpriseId, result);
    }

    private IAssessmentGrain Assessment => grains.GetGrain<IAssessmentGrain>(0);

    /// <summary>
    /// The application to assess, or INVALID_ARGUMENT naming every field at fault. First, whether
    /// the service fetches the providers' parts: only the bank's data services may supply them, so
    /// any other caller that sends one is refused (PERMISSION_DENIED naming it) before anything else
    /// is looked at.
    /// </summary>
    private AssessRequest Validated(string requestId, V1.CreditApplication parts, bool fetchRequested, ServerCallContext context)
    {
        var supplied = new SuppliedParts(parts.Financing is not null, parts.Tax is not null, parts.FundFlow is not null);
        var sources = ApplicationSources.Check(supplied, context.Caller().Has(Scopes.SupplyData), fetchRequested);
        Require(sources.Errors);

        var errors = new List<DomainError>();
        if (validator.EnterpriseId(parts.EnterpriseId) is { } badId)
        {
            errors.Add(badId);
        }

        if (LineRules.RequestId(requestId) is { } badRequestId)
        {
            errors.Add(badRequestId);
        }

        var mapping = new List<DomainError>();
        var application = Mapping.ToApplication(parts, mapping);
        errors.AddRange(mapping);
        var today = BusinessCalendar.DateOf(clock.GetUtcNow());
        errors.AddRange(ApplicationRules.Validate(application, today, validator.LegacyCodes)
            .Where(e => e.Field != Fields.EnterpriseId && !mapping.Any(m => m.Field == e.Field)));
        Require(errors);
        return new AssessRequest { RequestId = requestId, Application = application, FetchExternalData = sources.Fetch, Actor = context.Caller().Subject };
    }

    /// <summary>The application as AssessEnterprise and RenewLine carry it, in parts.</summary>
    private static V1.CreditApplication Parts(
        string enterpriseId,
        V1.Product product,
        V1.EnterpriseProfile? profile,
        V1.Financials? financials,
        V1.Innovation? innovation,
        V1.CreditBureauReport? financing,
        V1.TaxRecord? tax,
        V1.FundFlowStatement? fundFlow) => new()
        {
            EnterpriseId = enterpriseId,
            Product = product,
            Profile = profile,
            Financials = financials,
            Innovation = innovation,
            Financing = financing,
            Tax = tax,
            FundFlow = fundFlow,
        };
}
