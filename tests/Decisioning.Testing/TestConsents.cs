using System.Collections.Immutable;
using Decisioning.Contracts;
using Decisioning.Domain.Assessment;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.Testing;

/// <summary>
/// Consents for tests that fetch external data: the service queries a provider only under a
/// consent of the enterprise that covers it, so such a test records one first.
/// </summary>
public static class TestConsents
{
    public static readonly ImmutableArray<ExternalProvider> AllSources = [ExternalProvider.CreditBureau, ExternalProvider.TaxBureau, ExternalProvider.FundFlowPlatform];

    /// <summary>A paper authorisation signed by the legal representative, valid from a day before <paramref name="now"/> for a year; every source unless <paramref name="sources"/> names some.</summary>
    public static RecordConsentCommand Command(string enterpriseId, DateTimeOffset now, string requestId = "consent-1", string actor = "staff-tests", params ExternalProvider[] sources) => new()
    {
        EnterpriseId = enterpriseId,
        RequestId = requestId,
        Terms = Terms(enterpriseId, now, sources),
        Actor = actor,
    };

    public static ConsentTerms Terms(string enterpriseId, DateTimeOffset now, params ExternalProvider[] sources) => new()
    {
        Sources = sources.Length == 0 ? AllSources : [.. sources],
        GrantedBy = "张伟 (legal representative)",
        Grantor = ConsentGrantor.LegalRepresentative,
        Channel = ConsentChannel.Paper,
        AuthorisationReference = "AUTH-" + enterpriseId,
        ValidFrom = now.AddDays(-1),
        ValidUntil = now.AddDays(365),
    };

    /// <summary><see cref="Command"/> as a RecordConsent request.</summary>
    public static V1.RecordConsentRequest Request(string enterpriseId, DateTimeOffset now, string requestId = "consent-1", params ExternalProvider[] sources) =>
        Mapping.ToRequest(Command(enterpriseId, now, requestId, sources: sources));

    /// <summary>Records a consent of every source (or of <paramref name="sources"/>) over gRPC, as the client's token's holder.</summary>
    public static async Task<V1.Consent> GrantAsync(this V1.ConsentService.ConsentServiceClient client, string enterpriseId, params ExternalProvider[] sources) =>
        (await client.RecordConsentAsync(Request(enterpriseId, DateTimeOffset.UtcNow, "consent-" + Guid.NewGuid().ToString("N"), sources))).Consent;
}
