using Decisioning.Domain.Assessment;
using Decisioning.Testing;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class ConsentRulesTests
{
    private const string Enterprise = "91350100M000100Y43";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private static RecordConsentCommand Recording() => TestConsents.Command(Enterprise, Now, actor: "officer-7");

    private static RevokeConsentCommand Revoking(string consentId = "C-0123456789abcdef01234567", string reason = "withdrawn by letter") =>
        new() { EnterpriseId = Enterprise, RequestId = "revoke-1", ConsentId = consentId, Reason = reason, Actor = "officer-7" };

    private static Func<RecordConsentCommand, RecordConsentCommand> Terms(Func<ConsentTerms, ConsentTerms> spoil) => c => c with { Terms = spoil(c.Terms!) };

    public static TheoryData<string, Func<RecordConsentCommand, RecordConsentCommand>, string, string> BadRecordings => new()
    {
        { "no terms", c => c with { Terms = null }, "terms", "FIELD_REQUIRED" },
        { "no request id", c => c with { RequestId = "" }, "request_id", "REQUEST_ID_REQUIRED" },
        { "no source", Terms(t => t with { Sources = [] }), "terms.sources", "CONSENT_SOURCES_INVALID" },
        { "an unspecified source", Terms(t => t with { Sources = [ExternalProvider.CreditBureau, ExternalProvider.None] }), "terms.sources[1]", "CONSENT_SOURCES_INVALID" },
        { "an unknown source", Terms(t => t with { Sources = [(ExternalProvider)9] }), "terms.sources[0]", "CONSENT_SOURCES_INVALID" },
        { "a repeated source", Terms(t => t with { Sources = [ExternalProvider.TaxBureau, ExternalProvider.TaxBureau] }), "terms.sources[1]", "CONSENT_SOURCES_INVALID" },
        { "no signatory", Terms(t => t with { GrantedBy = " " }), "terms.granted_by", "FIELD_REQUIRED" },
        { "a signatory of 257 characters", Terms(t => t with { GrantedBy = new string('g', 257) }), "terms.granted_by", "TEXT_TOO_LONG" },
        { "no grantor", Terms(t => t with { Grantor = ConsentGrantor.Unspecified }), "terms.grantor", "CONSENT_GRANT_INVALID" },
        { "an unknown grantor", Terms(t => t with { Grantor = (ConsentGrantor)7 }), "terms.grantor", "CONSENT_GRANT_INVALID" },
        { "no channel", Terms(t => t with { Channel = ConsentChannel.Unspecified }), "terms.channel", "CONSENT_GRANT_INVALID" },
        { "no reference", Terms(t => t with { AuthorisationReference = "" }), "terms.authorisation_reference", "FIELD_REQUIRED" },
        { "a reference of 257 characters", Terms(t => t with { AuthorisationReference = new string('r', 257) }), "terms.authorisation_reference", "TEXT_TOO_LONG" },
        { "no start", Terms(t => t with { ValidFrom = default }), "terms.valid_from", "CONSENT_PERIOD_INVALID" },
        { "no end", Terms(t => t with { ValidUntil = default }), "terms.valid_until", "CONSENT_PERIOD_INVALID" },
        { "an end at its start", Terms(t => t with { ValidUntil = t.ValidFrom }), "terms.valid_until", "CONSENT_PERIOD_INVALID" },
        { "a period over five years", Terms(t => t with { ValidUntil = t.ValidFrom + ConsentRules.MaxValidity + TimeSpan.FromMilliseconds(1) }), "terms.valid_until", "CONSENT_PERIOD_INVALID" },
        { "an end already past", Terms(t => t with { ValidFrom = Now.AddDays(-30), ValidUntil = Now }), "terms.valid_until", "CONSENT_PERIOD_INVALID" },
    };

    [Fact]
    public void A_signed_authorisation_of_every_source_for_a_year_is_well_formed() => Assert.Empty(ConsentRules.Validate(Recording(), Now));

    [Theory]
    [MemberData(nameof(BadRecordings))]
    public void A_recording_with_a_bad_field_is_refused_naming_the_field(string why, Func<RecordConsentCommand, RecordConsentCommand> spoil, string field, string code)
    {
        var error = Assert.Single(ConsentRules.Validate(spoil(Recording()), Now));

        Assert.True((field, code) == (error.Field, error.Reason), $"{why}: {error.Field} {error.Reason}");
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void A_period_of_exactly_five_years_and_one_that_started_in_the_past_are_accepted()
    {
        Assert.Empty(ConsentRules.Validate(Terms(t => t with { ValidUntil = t.ValidFrom + ConsentRules.MaxValidity })(Recording()), Now));
        Assert.Empty(ConsentRules.Validate(Terms(t => t with { ValidFrom = Now.AddYears(-2), ValidUntil = Now.AddMilliseconds(1) })(Recording()), Now));
    }

    [Theory]
    [InlineData("", "consent_id", "CONSENT_ID_MALFORMED")]
    [InlineData("C-0123456789ABCDEF01234567", "consent_id", "CONSENT_ID_MALFORMED")]
    [InlineData("D-0123456789abcdef01234567", "consent_id", "CONSENT_ID_MALFORMED")]
    [InlineData("C-0123456789abcdef0123456", "consent_id", "CONSENT_ID_MALFORMED")]
    public void A_revocation_of_a_malformed_consent_id_is_refused(string consentId, string field, string code)
    {
        var error = Assert.Single(ConsentRules.Validate(Revoking(consentId)));
        Assert.Equal((field, code), (error.Field, error.Reason));
    }

    [Fact]
    public void A_revocation_needs_a_reason()
    {
        Assert.Empty(ConsentRules.Validate(Revoking()));
        Assert.Equal(("reason", "FIELD_REQUIRED"), (Assert.Single(ConsentRules.Validate(Revoking(reason: ""))).Field, ConsentRules.Validate(Revoking(reason: ""))[0].Reason));
    }

    [Fact]
    public void A_consent_covers_its_sources_from_its_start_until_just_before_its_end_and_never_once_revoked()
    {
        var consent = TestConsents.Command(Enterprise, Now, sources: ExternalProvider.CreditBureau).ToConsent(Now);

        Assert.False(consent.Covers(ExternalProvider.CreditBureau, consent.Terms.ValidFrom.AddTicks(-1)));
        Assert.True(consent.Covers(ExternalProvider.CreditBureau, consent.Terms.ValidFrom));
        Assert.True(consent.Covers(ExternalProvider.CreditBureau, consent.Terms.ValidUntil.AddTicks(-1)));
        Assert.False(consent.Covers(ExternalProvider.CreditBureau, consent.Terms.ValidUntil));
        Assert.False(consent.Covers(ExternalProvider.TaxBureau, Now));
        Assert.False((consent with { Revocation = new ConsentRevocation("officer-7", Now, "withdrawn", "revoke-1") }).Covers(ExternalProvider.CreditBureau, Now));
    }

    [Fact]
    public void Of_several_consents_covering_a_source_the_one_valid_longest_is_used()
    {
        var shorter = Terms(t => t with { ValidUntil = Now.AddDays(30) })(TestConsents.Command(Enterprise, Now, "consent-1"));
        var longer = TestConsents.Command(Enterprise, Now, "consent-2");
        var consents = new[] { shorter.ToConsent(Now), longer.ToConsent(Now) };

        Assert.Equal(consents[1].ConsentId, ConsentRules.Covering(consents, ExternalProvider.TaxBureau, Now)!.ConsentId);
        Assert.Equal(consents[0].ConsentId, ConsentRules.Covering([consents[0]], ExternalProvider.TaxBureau, Now.AddDays(29))!.ConsentId);
        Assert.Null(ConsentRules.Covering(consents, ExternalProvider.TaxBureau, Now.AddDays(366)));
    }

    [Fact]
    public void The_consent_id_follows_from_the_enterprise_the_request_id_and_the_caller()
    {
        var consent = Recording().ToConsent(Now);

        Assert.Matches("^C-[0-9a-f]{24}$", consent.ConsentId);
        Assert.Null(ConsentRules.ConsentId(consent.ConsentId));
        Assert.Equal(consent.ConsentId, Terms(t => t with { GrantedBy = "another" })(Recording()).ToConsent(Now.AddDays(1)).ConsentId);
        Assert.NotEqual(consent.ConsentId, (Recording() with { Actor = "officer-8" }).ToConsent(Now).ConsentId);
        Assert.NotEqual(consent.ConsentId, (Recording() with { RequestId = "consent-2" }).ToConsent(Now).ConsentId);
    }

    [Fact]
    public void A_provider_not_queried_for_want_of_consent_refers_the_case_as_consent_missing_not_as_unavailable()
    {
        var application = TestApplications.Sound(Enterprise, BusinessCalendar.DateOf(Now)) with { Financing = null, Tax = null };
        var model = ScorecardModel.LoadFile("models/scorecard-2026.1.json");

        var decision = Assessor.Assess(application, model, BusinessCalendar.DateOf(Now), "D-1", notAuthorised: [ExternalProvider.TaxBureau]);

        Assert.Equal(Outcome.Refer, decision.Outcome);
        Assert.Equal([ReasonCodes.CreditBureauUnavailable, ReasonCodes.ConsentMissingTaxBureau], decision.ReasonCodes);
        Assert.Equal(ReasonCodes.ConsentMissingFundFlow, new ProviderFailure(ExternalProvider.FundFlowPlatform, ProviderFailureKind.NotAuthorised, "no consent").ReasonCode);
        Assert.Equal(ReasonCodes.FundFlowPlatformUnavailable, new ProviderFailure(ExternalProvider.FundFlowPlatform, ProviderFailureKind.Timeout, "late").ReasonCode);
    }
}
