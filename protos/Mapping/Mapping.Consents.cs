using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Google.Protobuf.WellKnownTypes;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.Contracts;

public static partial class Mapping
{
    /// <param name="errors">Receives a violation for each instant that is no valid Timestamp (left unset in the command).</param>
    public static RecordConsentCommand ToCommand(V1.RecordConsentRequest r, string actor, List<DomainError> errors) => new()
    {
        EnterpriseId = r.EnterpriseId,
        RequestId = r.RequestId,
        Terms = r.Terms is { } t ? ToTerms(t, errors) : null,
        Actor = actor,
    };

    /// <summary>The request that records <paramref name="c"/> (its actor is the caller's token's, not the request's): for clients.</summary>
    public static V1.RecordConsentRequest ToRequest(RecordConsentCommand c) => new()
    {
        EnterpriseId = c.EnterpriseId,
        RequestId = c.RequestId,
        Terms = c.Terms is { } t ? ToTerms(t) : null,
    };

    public static RevokeConsentCommand ToCommand(V1.RevokeConsentRequest r, string actor) => new()
    {
        EnterpriseId = r.EnterpriseId,
        RequestId = r.RequestId,
        ConsentId = r.ConsentId,
        Reason = r.Reason,
        Actor = actor,
    };

    public static V1.Consent ToConsent(Consent c) => new()
    {
        ConsentId = c.ConsentId,
        EnterpriseId = c.EnterpriseId,
        Terms = ToTerms(c.Terms),
        RecordedBy = c.RecordedBy,
        RecordTime = Timestamp.FromDateTimeOffset(c.RecordedAt),
        RequestId = c.RequestId,
        Revocation = c.Revocation is { } r
            ? new V1.ConsentRevocation { RevokedBy = r.RevokedBy, RevokeTime = Timestamp.FromDateTimeOffset(r.RevokedAt), Reason = r.Reason, RequestId = r.RequestId }
            : null,
    };

    public static V1.ConsentTerms ToTerms(ConsentTerms t) => new()
    {
        Sources = { t.Sources.Select(s => (V1.ExternalProvider)s) },
        GrantedBy = t.GrantedBy,
        Grantor = (V1.ConsentGrantor)t.Grantor,
        Channel = (V1.ConsentChannel)t.Channel,
        AuthorisationReference = t.AuthorisationReference,
        ValidFrom = Timestamp.FromDateTimeOffset(t.ValidFrom),
        ValidUntil = Timestamp.FromDateTimeOffset(t.ValidUntil),
    };

    public static ConsentTerms ToTerms(V1.ConsentTerms t, List<DomainError> errors) => new()
    {
        Sources = [.. t.Sources.Select(s => (ExternalProvider)s)],
        GrantedBy = t.GrantedBy,
        Grantor = (ConsentGrantor)t.Grantor,
        Channel = (ConsentChannel)t.Channel,
        AuthorisationReference = t.AuthorisationReference,
        ValidFrom = Instant(t.ValidFrom, ConsentRules.ValidFromField, errors),
        ValidUntil = Instant(t.ValidUntil, ConsentRules.ValidUntilField, errors),
    };

    /// <summary>A Timestamp as an instant; unset is default (the rules say it is required), one out of range a violation.</summary>
    private static DateTimeOffset Instant(Timestamp? timestamp, string field, List<DomainError> errors)
    {
        if (timestamp is null)
        {
            return default;
        }

        // Timestamp's own range (0001-01-01 to 9999-12-31, nanos below a second), outside which ToDateTimeOffset throws.
        if (timestamp.Seconds is < -62_135_596_800 or > 253_402_300_799 || timestamp.Nanos is < 0 or > 999_999_999)
        {
            errors.Add(DomainError.Invalid(field, ErrorReasons.ConsentPeriodInvalid, "is not a valid timestamp (years 1 to 9999)"));
            return default;
        }

        return timestamp.ToDateTimeOffset();
    }
}
