using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>Who signed an enterprise's authorisation (征信授权书). Numbered as decisioning.v1's ConsentGrantor.</summary>
public enum ConsentGrantor
{
    Unspecified = 0,

    /// <summary>The enterprise's legal representative (法定代表人).</summary>
    LegalRepresentative = 1,

    /// <summary>An agent the legal representative authorised in writing.</summary>
    AuthorisedAgent = 2,
}

/// <summary>How the authorisation was signed. Numbered as decisioning.v1's ConsentChannel.</summary>
public enum ConsentChannel
{
    Unspecified = 0,

    /// <summary>Signed electronically (an e-signature platform's record).</summary>
    Online = 1,

    /// <summary>A signed paper form, kept by the bank.</summary>
    Paper = 2,
}

/// <summary>What a signed authorisation (征信授权书) says: the providers the bank may query, who signed it, how, where it is kept, and for when.</summary>
public sealed record ConsentTerms
{
    public required ImmutableArray<ExternalProvider> Sources { get; init; }

    /// <summary>The person who signed, as the authorisation names them.</summary>
    public required string GrantedBy { get; init; }

    public required ConsentGrantor Grantor { get; init; }
    public required ConsentChannel Channel { get; init; }

    /// <summary>Where the signed authorisation is found: the e-signature record's or the paper form's number.</summary>
    public required string AuthorisationReference { get; init; }

    public required DateTimeOffset ValidFrom { get; init; }

    /// <summary>Exclusive: at this instant the consent no longer covers anything.</summary>
    public required DateTimeOffset ValidUntil { get; init; }

    /// <summary>Every term, so that a retry can be told from another request reusing its id.</summary>
    public string Fingerprint => string.Create(
        CultureInfo.InvariantCulture,
        $"{string.Join(',', Sources.Select(s => (int)s))}\n{GrantedBy}\n{(int)Grantor}\n{(int)Channel}\n{AuthorisationReference}\n{ValidFrom.ToUnixTimeMilliseconds()}\n{ValidUntil.ToUnixTimeMilliseconds()}");
}

/// <summary>
/// An enterprise's authorisation for the bank to query some of the external providers about it,
/// for a period, as staff recorded it. The service queries a provider only under a consent that
/// covers it at the decision's time (<see cref="Covers"/>).
/// </summary>
public sealed record Consent
{
    public required string ConsentId { get; init; }
    public required string EnterpriseId { get; init; }
    public required ConsentTerms Terms { get; init; }

    /// <summary>The authenticated caller who recorded it (the token's subject).</summary>
    public required string RecordedBy { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }
    public required string RequestId { get; init; }

    /// <summary>Set once revoked: from then on the consent covers nothing, whatever its period.</summary>
    public ConsentRevocation? Revocation { get; init; }

    public bool Covers(ExternalProvider provider, DateTimeOffset at) =>
        Revocation is null && Terms.ValidFrom <= at && at < Terms.ValidUntil && Terms.Sources.Contains(provider);
}

public sealed record ConsentRevocation(string RevokedBy, DateTimeOffset RevokedAt, string Reason, string RequestId);

/// <summary>Staff recording an enterprise's signed authorisation.</summary>
public sealed record RecordConsentCommand
{
    public required string EnterpriseId { get; init; }
    public required string RequestId { get; init; }

    /// <summary>Null when the request carried none (refused: the terms are required).</summary>
    public required ConsentTerms? Terms { get; init; }

    public required string Actor { get; init; }

    public string Fingerprint => EnterpriseId + "\n" + Terms?.Fingerprint;

    /// <summary>The consent as recorded now; its id follows from the request, so a retry names the same one.</summary>
    public Consent ToConsent(DateTimeOffset at) => new()
    {
        ConsentId = ConsentIds.For(EnterpriseId, RequestKeys.Of(RequestId, Actor)),
        EnterpriseId = EnterpriseId,
        Terms = Terms ?? throw new InvalidOperationException("a consent is recorded with its terms"),
        RecordedBy = Actor,
        RecordedAt = at,
        RequestId = RequestId,
    };
}

/// <summary>Staff recording that an enterprise withdrew an authorisation (or that it was recorded in error).</summary>
public sealed record RevokeConsentCommand
{
    public required string EnterpriseId { get; init; }
    public required string RequestId { get; init; }
    public required string ConsentId { get; init; }
    public required string Reason { get; init; }
    public required string Actor { get; init; }

    public string Fingerprint => string.Concat(EnterpriseId, "\n", ConsentId, "\n", Reason);
}

/// <summary>Consent ids follow from the request (its enterprise, id and caller), as decision ids do.</summary>
public static class ConsentIds
{
    public const int Length = 26;

    public static string For(string enterpriseId, string requestKey) =>
        "C-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(enterpriseId + "\n" + requestKey)))[..24];
}

/// <summary>The rules of consents that need no storage.</summary>
public static class ConsentRules
{
    /// <summary>The longest period one consent may cover (five years, as the longest line term).</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(Limits.MaxTermDays);

    /// <summary>Consents an enterprise may have on record, revoked ones included (ListConsents answers them all).</summary>
    public const int MaxConsentsPerEnterprise = 64;

    public const string TermsField = "terms";
    public const string SourcesField = "terms.sources";
    public const string GrantedByField = "terms.granted_by";
    public const string GrantorField = "terms.grantor";
    public const string ChannelField = "terms.channel";
    public const string ReferenceField = "terms.authorisation_reference";
    public const string ValidFromField = "terms.valid_from";
    public const string ValidUntilField = "terms.valid_until";
    public const string ConsentIdField = "consent_id";
    public const string ReasonField = "reason";

    /// <summary>Every field but the enterprise id (whose legacy allow-list is the service's); empty when well formed.</summary>
    public static List<DomainError> Validate(RecordConsentCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Terms is not { } terms)
        {
            return [.. new[] { LineRules.RequestId(command.RequestId), DomainError.Invalid(TermsField, ErrorReasons.FieldRequired, "is required: what the signed authorisation says") }.OfType<DomainError>()];
        }

        DomainError?[] checks =
        [
            LineRules.RequestId(command.RequestId),
            Sources(terms.Sources),
            Text(terms.GrantedBy, GrantedByField, "names who signed the authorisation"),
            terms.Grantor is ConsentGrantor.LegalRepresentative or ConsentGrantor.AuthorisedAgent
                ? null
                : DomainError.Invalid(GrantorField, ErrorReasons.ConsentGrantInvalid, "must say who signed: the legal representative or an authorised agent"),
            terms.Channel is ConsentChannel.Online or ConsentChannel.Paper
                ? null
                : DomainError.Invalid(ChannelField, ErrorReasons.ConsentGrantInvalid, "must say how it was signed: online or on paper"),
            Text(terms.AuthorisationReference, ReferenceField, "points to the signed authorisation"),
            .. Period(terms.ValidFrom, terms.ValidUntil, now),
        ];
        return [.. checks.OfType<DomainError>()];
    }

    public static List<DomainError> Validate(RevokeConsentCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        DomainError?[] checks =
        [
            LineRules.RequestId(command.RequestId),
            ConsentId(command.ConsentId),
            Text(command.Reason, ReasonField, "says why the consent ends"),
        ];
        return [.. checks.OfType<DomainError>()];
    }

    public static DomainError? ConsentId(string? consentId) =>
        consentId is { Length: ConsentIds.Length } && consentId.StartsWith("C-", StringComparison.Ordinal) && !consentId.AsSpan(2).ContainsAnyExcept("0123456789abcdef")
            ? null
            : DomainError.Invalid(ConsentIdField, ErrorReasons.ConsentIdMalformed, "must be a consent id as RecordConsent returned it (C- and 24 hex digits)");

    /// <summary>The consent to query <paramref name="provider"/> under at <paramref name="at"/>: of those covering it, the one valid longest; null when none does.</summary>
    public static Consent? Covering(IEnumerable<Consent> consents, ExternalProvider provider, DateTimeOffset at) =>
        consents.Where(c => c.Covers(provider, at)).OrderByDescending(c => c.Terms.ValidUntil).ThenBy(c => c.ConsentId, StringComparer.Ordinal).FirstOrDefault();

    public static DomainError NotFound(string consentId) =>
        new(ErrorReasons.ConsentNotFound, $"consent_id {consentId} is no consent of the enterprise", ConsentIdField);

    public static DomainError AlreadyRevoked(string consentId) =>
        new(ErrorReasons.ConsentAlreadyRevoked, $"consent_id {consentId} was already revoked", ConsentIdField);

    public static DomainError TooMany() =>
        new(ErrorReasons.TooManyConsents, $"the enterprise has {MaxConsentsPerEnterprise} consents on record, the most kept", "enterprise_id");

    private static DomainError? Sources(ImmutableArray<ExternalProvider> sources)
    {
        if (sources.IsDefaultOrEmpty)
        {
            return DomainError.Invalid(SourcesField, ErrorReasons.ConsentSourcesInvalid, "must name at least one source: credit bureau, tax bureau or fund-flow platform");
        }

        for (var i = 0; i < sources.Length; i++)
        {
            if (sources[i] is not (ExternalProvider.CreditBureau or ExternalProvider.TaxBureau or ExternalProvider.FundFlowPlatform))
            {
                return DomainError.Invalid($"{SourcesField}[{i}]", ErrorReasons.ConsentSourcesInvalid, "must be the credit bureau, the tax bureau or the fund-flow platform");
            }

            if (sources.IndexOf(sources[i]) != i)
            {
                return DomainError.Invalid($"{SourcesField}[{i}]", ErrorReasons.ConsentSourcesInvalid, "names a source already named");
            }
        }

        return null;
    }

    private static DomainError? Text(string? text, string field, string why) => string.IsNullOrWhiteSpace(text)
        ? DomainError.Invalid(field, ErrorReasons.FieldRequired, $"is required: it {why}")
        : LineRules.Note(text, field);

    private static IEnumerable<DomainError> Period(DateTimeOffset from, DateTimeOffset until, DateTimeOffset now)
    {
        if (from == default)
        {
            yield return DomainError.Invalid(ValidFromField, ErrorReasons.ConsentPeriodInvalid, "is required: when the authorisation takes effect");
        }

        if (until == default)
        {
            yield return DomainError.Invalid(ValidUntilField, ErrorReasons.ConsentPeriodInvalid, "is required: an authorisation is for a period");
            yield break;
        }

        if (from != default && until <= from)
        {
            yield return DomainError.Invalid(ValidUntilField, ErrorReasons.ConsentPeriodInvalid, "must be after valid_from");
        }
        else if (from != default && until - from > MaxValidity)
        {
            yield return DomainError.Invalid(ValidUntilField, ErrorReasons.ConsentPeriodInvalid, $"must be at most {MaxValidity.TotalDays:0} days after valid_from");
        }
        else if (until <= now)
        {
            yield return DomainError.Invalid(ValidUntilField, ErrorReasons.ConsentPeriodInvalid, "is past: an authorisation that has ended cannot be recorded");
        }
    }
}
