using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Abstractions;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>decisioning.v1.ConsentService: validate every field, call the consent grain, map the consent.</summary>
public sealed class ConsentService(IGrainFactory grains, RequestValidator validator, TimeProvider clock) : V1.ConsentService.ConsentServiceBase
{
    [RequiredScope(Scopes.Consent)]
    public override async Task<V1.RecordConsentResponse> RecordConsent(V1.RecordConsentRequest request, ServerCallContext context)
    {
        var errors = new List<DomainError>();
        var command = Mapping.ToCommand(request, context.Caller().Subject, errors);
        errors.AddRange(ConsentRules.Validate(command, clock.GetUtcNow()).Where(e => !errors.Any(m => m.Field == e.Field)));
        Require([.. Checked(validator.EnterpriseId(request.EnterpriseId)), .. errors]);
        return new V1.RecordConsentResponse { Consent = Mapping.ToConsent((await Consents.Record(command, context.CancellationToken)).OrThrow()) };
    }

    [RequiredScope(Scopes.Consent)]
    public override async Task<V1.RevokeConsentResponse> RevokeConsent(V1.RevokeConsentRequest request, ServerCallContext context)
    {
        var command = Mapping.ToCommand(request, context.Caller().Subject);
        Require([.. Checked(validator.EnterpriseId(request.EnterpriseId)), .. ConsentRules.Validate(command)]);
        return new V1.RevokeConsentResponse { Consent = Mapping.ToConsent((await Consents.Revoke(command, context.CancellationToken)).OrThrow()) };
    }

    [RequiredScope(Scopes.Consent)]
    public override async Task<V1.ListConsentsResponse> ListConsents(V1.ListConsentsRequest request, ServerCallContext context)
    {
        Require(validator.EnterpriseId(request.EnterpriseId));
        var consents = (await Consents.List(request.EnterpriseId, context.CancellationToken)).OrThrow();
        return new V1.ListConsentsResponse { Consents = { consents.Select(Mapping.ToConsent) } };
    }

    private IConsentGrain Consents => grains.GetGrain<IConsentGrain>(0);

    private static IEnumerable<DomainError> Checked(DomainError? error) => error is null ? [] : [error];
}
