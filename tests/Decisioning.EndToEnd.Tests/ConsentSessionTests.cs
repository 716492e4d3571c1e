using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>Consents over gRPC against the real service and a real Redis: what an assessment that fetches may query, and what the decision says of it.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ConsentSessionTests(ServiceFixture fixture)
{
    private const string Staff = "staff-tests";

    private static string[] ReasonsOf(AssessEnterpriseResponse assessed) => [.. assessed.Decision.Reasons.Select(r => r.Code).Where(c => c.StartsWith("CONSENT_MISSING_", StringComparison.Ordinal))];

    [Fact]
    public async Task An_assessment_without_a_consent_queries_no_provider_and_is_referred_naming_each_source()
    {
        var id = TestEnterprises.Unique();

        var assessed = await fixture.Decisioning.AssessEnterpriseAsync(Applications.Fetching(id, "assess-1"));

        Assert.Equal(Outcome.Refer, assessed.Decision.Outcome);
        Assert.Equal(["CONSENT_MISSING_CREDIT_BUREAU", "CONSENT_MISSING_TAX_BUREAU", "CONSENT_MISSING_FUND_FLOW"], ReasonsOf(assessed));
        Assert.All(assessed.Decision.ExternalData, u => Assert.Equal((DataSource.NotAuthorised, "", null), (u.Source, u.ConsentId, u.FetchTime)));
        Assert.Null(assessed.Line);
    }

    [Fact]
    public async Task The_consent_id_stands_beside_each_answer_fetched_under_it_and_the_decision_keeps_it()
    {
        var id = TestEnterprises.Unique();
        var consent = await fixture.Consents.GrantAsync(id, Domain.Assessment.ExternalProvider.CreditBureau);

        var assessed = await fixture.Decisioning.AssessEnterpriseAsync(Applications.Fetching(id, "assess-1"));
        var recorded = await fixture.Decisioning.GetDecisionAsync(new() { EnterpriseId = id, DecisionId = assessed.Decision.DecisionId });

        Assert.Equal(["CONSENT_MISSING_TAX_BUREAU", "CONSENT_MISSING_FUND_FLOW"], ReasonsOf(assessed));
        Assert.Equal(
            [(ExternalProvider.CreditBureau, DataSource.Fetched, consent.ConsentId), (ExternalProvider.TaxBureau, DataSource.NotAuthorised, ""), (ExternalProvider.FundFlowPlatform, DataSource.NotAuthorised, "")],
            assessed.Decision.ExternalData.Select(u => (u.Provider, u.Source, u.ConsentId)));
        Assert.Equal(assessed.Decision.ExternalData, recorded.Decision.ExternalData);
    }

    [Fact]
    public async Task A_consent_is_recorded_and_revoked_by_the_tokens_subject_and_after_its_revocation_nothing_is_fetched_or_reused()
    {
        var id = TestEnterprises.Unique();
        var consent = await fixture.Consents.GrantAsync(id);
        var fetched = await fixture.Decisioning.AssessEnterpriseAsync(Applications.Fetching(id, "assess-1"));

        var revoked = await fixture.Consents.RevokeConsentAsync(new() { EnterpriseId = id, RequestId = "revoke-1", ConsentId = consent.ConsentId, Reason = "withdrawn by letter of 2026-11-30" });
        var retry = await fixture.Consents.RevokeConsentAsync(new() { EnterpriseId = id, RequestId = "revoke-1", ConsentId = consent.ConsentId, Reason = "withdrawn by letter of 2026-11-30" });
        var afterwards = await fixture.Decisioning.AssessEnterpriseAsync(Applications.Fetching(id, "assess-2"));
        var listed = await fixture.Consents.ListConsentsAsync(new() { EnterpriseId = id });

        Assert.All(fetched.Decision.ExternalData, u => Assert.Equal((DataSource.Fetched, consent.ConsentId), (u.Source, u.ConsentId)));
        Assert.Equal((Staff, Staff, "withdrawn by letter of 2026-11-30"), (consent.RecordedBy, revoked.Consent.Revocation.RevokedBy, revoked.Consent.Revocation.Reason));
        Assert.Equal(revoked, retry);
        Assert.Equal(revoked.Consent, Assert.Single(listed.Consents));
        Assert.NotEqual(Outcome.Approve, afterwards.Decision.Outcome);
        Assert.All(afterwards.Decision.ExternalData, u => Assert.Equal(DataSource.NotAuthorised, u.Source));
    }

    [Fact]
    public async Task A_caller_not_serving_the_enterprise_can_neither_record_nor_list_its_consents()
    {
        var id = TestEnterprises.Unique();
        var other = new ConsentService.ConsentServiceClient(fixture.Service.Anonymous);
        var headers = new Metadata { { "authorization", "Bearer " + TestTokens.Shared.Issue("channel-x", ["decisioning.consent"], [TestEnterprises.Unique()]) } };

        var record = await Assert.ThrowsAsync<RpcException>(() => other.RecordConsentAsync(TestConsents.Request(id, DateTimeOffset.UtcNow), headers).ResponseAsync);
        var list = await Assert.ThrowsAsync<RpcException>(() => other.ListConsentsAsync(new() { EnterpriseId = id }, headers).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (record.StatusCode, list.StatusCode));
        Assert.Empty((await fixture.Consents.ListConsentsAsync(new() { EnterpriseId = id })).Consents);
    }
}
