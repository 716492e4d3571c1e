using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Assessment;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>
/// Consents over a real silo and a real Redis: no provider is queried without one that covers it at
/// the decision's time, and an answer cached under a consent is not reused once it has lapsed or
/// was revoked. The tests of this class share one silo and run one at a time, so the simulated
/// providers' call counts move only for the test at hand; some move the silo's clock forward.
/// </summary>
public sealed class ConsentGrainTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>
{
    private static readonly ExternalProvider[] Providers = [ExternalProvider.CreditBureau, ExternalProvider.TaxBureau, ExternalProvider.FundFlowPlatform];

    private LineCluster Cluster => shared.Line;

    private ExternalDataGateway Gateway => Cluster.SiloService<ExternalDataGateway>();

    private DateOnly Today => BusinessCalendar.DateOf(Cluster.Clock.GetUtcNow());

    private string ApprovedEnterprise(long from) => TestApplications.SimulatedApprovedEnterprise(Cluster.SiloService<DecisionModels>().Champion, Today, from);

    private Dictionary<ExternalProvider, long> Calls() => Providers.ToDictionary(p => p, Gateway.ProviderCalls);

    private Dictionary<ExternalProvider, long> Hits() => Providers.ToDictionary(p => p, Gateway.CacheHits);

    private async Task<AssessmentResult> Fetching(string id, string requestId) =>
        (await Cluster.Assessment.Assess(new AssessRequest { Actor = LineCluster.Caller, RequestId = requestId, Application = TestApplications.ToFetch(id, Today), FetchExternalData = true })).Value!;

    [Fact]
    public async Task Without_a_consent_no_provider_is_queried_and_the_case_is_referred_naming_each_source()
    {
        var id = ApprovedEnterprise(910_000);
        var before = Calls();

        var reply = await Fetching(id, "assess-1");

        Assert.Equal(before, Calls());
        Assert.Equal(Outcome.Refer, reply.Decision.Outcome);
        Assert.Equal(
            [ReasonCodes.ConsentMissingCreditBureau, ReasonCodes.ConsentMissingTaxBureau, ReasonCodes.ConsentMissingFundFlow],
            reply.Decision.ReasonCodes.Where(c => c.StartsWith("CONSENT_MISSING_", StringComparison.Ordinal)));
        Assert.All(reply.ExternalData, use => Assert.Equal((DataSource.NotAuthorised, "", null), (use.Source, use.ConsentId, use.FetchedAt)));
        var stored = (await Cluster.Line(id).GetDecision(reply.Decision.DecisionId)).Value!;
        Assert.All(stored.ExternalData, use => Assert.Equal(DataSource.NotAuthorised, use.Source));
    }

    [Fact]
    public async Task A_consent_for_the_credit_bureau_alone_queries_the_bureau_and_neither_the_tax_bureau_nor_the_fund_flow_platform()
    {
        var id = ApprovedEnterprise(920_000);
        var consent = await Cluster.GrantConsent(id, sources: ExternalProvider.CreditBureau);
        var before = Calls();

        var reply = await Fetching(id, "assess-1");

        var after = Calls();
        Assert.Equal(before[ExternalProvider.CreditBureau] + 1, after[ExternalProvider.CreditBureau]);
        Assert.Equal((before[ExternalProvider.TaxBureau], before[ExternalProvider.FundFlowPlatform]), (after[ExternalProvider.TaxBureau], after[ExternalProvider.FundFlowPlatform]));
        Assert.Equal(Outcome.Refer, reply.Decision.Outcome);
        Assert.Contains(ReasonCodes.ConsentMissingTaxBureau, reply.Decision.ReasonCodes);
        Assert.Contains(ReasonCodes.ConsentMissingFundFlow, reply.Decision.ReasonCodes);
        Assert.DoesNotContain(ReasonCodes.ConsentMissingCreditBureau, reply.Decision.ReasonCodes);
        Assert.Equal(
            [(ExternalProvider.CreditBureau, DataSource.Fetched, consent.ConsentId), (ExternalProvider.TaxBureau, DataSource.NotAuthorised, ""), (ExternalProvider.FundFlowPlatform, DataSource.NotAuthorised, "")],
            reply.ExternalData.Select(u => (u.Provider, u.Source, u.ConsentId)));
        var stored = (await Cluster.Line(id).GetDecision(reply.Decision.DecisionId)).Value!;
        Assert.Equal(consent.ConsentId, stored.ExternalData[0].ConsentId);
    }

    [Fact]
    public async Task An_answer_cached_under_a_consent_that_has_expired_is_not_reused_and_no_provider_is_queried()
    {
        var id = ApprovedEnterprise(930_000);
        var now = Cluster.Clock.GetUtcNow();
        var command = TestConsents.Command(id, now, actor: LineCluster.Caller);
        command = command with { Terms = command.Terms! with { ValidUntil = now.AddHours(1) } };
        var consent = (await Cluster.Consents.Record(command)).Value!;
        var fetched = await Fetching(id, "assess-1");
        var cached = await Fetching(id, "assess-2");
        Cluster.Clock.Advance(TimeSpan.FromHours(1));
        var (calls, hits) = (Calls(), Hits());

        var lapsed = await Fetching(id, "assess-3");

        Assert.Equal(Outcome.Approve, fetched.Decision.Outcome);
        Assert.All(cached.ExternalData, use => Assert.Equal((DataSource.Cached, consent.ConsentId), (use.Source, use.ConsentId)));
        Assert.Equal(calls, Calls());
        Assert.Equal(hits, Hits());
        Assert.Equal(Outcome.Refer, lapsed.Decision.Outcome);
        Assert.All(lapsed.ExternalData, use => Assert.Equal(DataSource.NotAuthorised, use.Source));
    }

    [Fact]
    public async Task After_a_revocation_the_cached_answers_are_not_reused_and_a_new_consent_queries_the_providers_afresh()
    {
        var id = ApprovedEnterprise(940_000);
        var first = await Cluster.GrantConsent(id);
        await Fetching(id, "assess-1");
        var revoked = await Cluster.Consents.Revoke(new RevokeConsentCommand { EnterpriseId = id, RequestId = "revoke-1", ConsentId = first.ConsentId, Reason = "withdrawn by letter", Actor = "officer-9" });
        var (calls, hits) = (Calls(), Hits());

        var afterRevocation = await Fetching(id, "assess-2");

        Assert.Equal(("officer-9", "withdrawn by letter"), (revoked.Value!.Revocation!.RevokedBy, revoked.Value.Revocation.Reason));
        Assert.Equal(calls, Calls());
        Assert.Equal(hits, Hits());
        Assert.Equal(Outcome.Refer, afterRevocation.Decision.Outcome);
        Assert.All(afterRevocation.ExternalData, use => Assert.Equal(DataSource.NotAuthorised, use.Source));

        var second = await Cluster.GrantConsent(id, "consent-2");
        var renewed = await Fetching(id, "assess-3");

        Assert.All(Providers, p => Assert.Equal(calls[p] + 1, Calls()[p]));
        Assert.All(renewed.ExternalData, use => Assert.Equal((DataSource.Fetched, second.ConsentId), (use.Source, use.ConsentId)));
        Assert.Equal(Outcome.Approve, renewed.Decision.Outcome);
    }

    [Fact]
    public async Task An_answer_cached_under_one_consent_is_not_reused_once_another_consent_covers_the_provider()
    {
        var id = ApprovedEnterprise(950_000);
        var now = Cluster.Clock.GetUtcNow();
        var command = TestConsents.Command(id, now, actor: LineCluster.Caller);
        var brief = (await Cluster.Consents.Record(command with { Terms = command.Terms! with { ValidUntil = now.AddHours(1) } })).Value!;
        var underBrief = await Fetching(id, "assess-1");
        // The longer consent covers every provider from now on (the one valid longest covers).
        var longer = await Cluster.GrantConsent(id, "consent-2");
        var calls = Calls();

        var underLonger = await Fetching(id, "assess-2");
        var again = await Fetching(id, "assess-3");

        Assert.All(underBrief.ExternalData, use => Assert.Equal((DataSource.Fetched, brief.ConsentId), (use.Source, use.ConsentId)));
        Assert.All(underLonger.ExternalData, use => Assert.Equal((DataSource.Fetched, longer.ConsentId), (use.Source, use.ConsentId)));
        Assert.All(again.ExternalData, use => Assert.Equal((DataSource.Cached, longer.ConsentId), (use.Source, use.ConsentId)));
        Assert.All(Providers, p => Assert.Equal(calls[p] + 1, Calls()[p]));
    }

    [Fact]
    public async Task A_consent_is_durable_listed_with_its_actor_and_a_retry_names_the_same_consent()
    {
        var id = TestEnterprises.Unique();
        var command = TestConsents.Command(id, Cluster.Clock.GetUtcNow(), actor: "officer-7");

        var first = (await Cluster.Consents.Record(command)).Value!;
        var retry = (await Cluster.Consents.Record(command)).Value!;
        var reused = await Cluster.Consents.Record(command with { Terms = command.Terms! with { GrantedBy = "someone else" } });
        var listed = (await Cluster.Consents.List(id)).Value;

        Assert.Equivalent(first, retry, strict: true);
        Assert.Equal(ErrorReasons.RequestIdReused.Code, reused.Error!.Reason);
        Assert.Equivalent(first, Assert.Single(listed), strict: true);
        Assert.Equal(TestConsents.AllSources.AsEnumerable(), first.Terms.Sources.AsEnumerable());
        Assert.Equal(("officer-7", command.Terms!.AuthorisationReference), (first.RecordedBy, first.Terms.AuthorisationReference));
        Assert.Matches("^C-[0-9a-f]{24}$", first.ConsentId);
        await using var redis = await shared.Redis.ConnectAsync();
        var journal = await redis.GetDatabase().StreamRangeAsync($"dc:{{consent:{id}}}:journal");
        Assert.Equal(("recorded", "officer-7", first.ConsentId), ((string)Assert.Single(journal)["kind"]!, (string)journal[0]["actor"]!, (string)journal[0]["consent_id"]!));
    }

    [Fact]
    public async Task Revoking_an_unknown_consent_is_not_found_and_revoking_twice_is_refused()
    {
        var id = TestEnterprises.Unique();
        var consent = await Cluster.GrantConsent(id);
        RevokeConsentCommand Revoke(string requestId, string consentId) => new() { EnterpriseId = id, RequestId = requestId, ConsentId = consentId, Reason = "withdrawn", Actor = "officer-9" };

        var unknown = await Cluster.Consents.Revoke(Revoke("revoke-0", "C-000000000000000000000000"));
        var revoked = await Cluster.Consents.Revoke(Revoke("revoke-1", consent.ConsentId));
        var again = await Cluster.Consents.Revoke(Revoke("revoke-2", consent.ConsentId));

        Assert.Equal((ErrorReasons.ConsentNotFound.Code, ErrorKind.NotFound), (unknown.Error!.Reason, unknown.Error.Kind));
        Assert.NotNull(revoked.Value!.Revocation);
        Assert.Equal((ErrorReasons.ConsentAlreadyRevoked.Code, ErrorKind.FailedPrecondition), (again.Error!.Reason, again.Error.Kind));
        Assert.NotNull(Assert.Single((await Cluster.Consents.List(id)).Value).Revocation);
    }

    [Fact]
    public async Task An_enterprise_keeps_at_most_64_consents_and_the_next_is_refused()
    {
        var id = TestEnterprises.Unique();
        for (var i = 1; i <= ConsentRules.MaxConsentsPerEnterprise; i++)
        {
            await Cluster.GrantConsent(id, $"consent-{i}");
        }

        var refused = await Cluster.Consents.Record(TestConsents.Command(id, Cluster.Clock.GetUtcNow(), "consent-65", LineCluster.Caller));

        Assert.Equal((ErrorReasons.TooManyConsents.Code, ErrorKind.FailedPrecondition), (refused.Error!.Reason, refused.Error.Kind));
        Assert.Equal(ConsentRules.MaxConsentsPerEnterprise, (await Cluster.Consents.List(id)).Value.Length);
    }
}
