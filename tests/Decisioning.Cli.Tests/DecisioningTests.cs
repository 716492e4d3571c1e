using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Xunit.Abstractions;

namespace Decisioning.Cli.Tests;

/// <summary>
/// Assessments and renewals from JSON files through the tool, against the real service: the
/// README's application.json decided and explained, read back, renewed (declined out of the
/// window, granted within it).
/// </summary>
public sealed class DecisioningTests(ServiceFixture fixture, ITestOutputHelper log) : IClassFixture<ServiceFixture>, IDisposable
{
    private readonly Tool _li = Tool.Staff(fixture.Service, log);
    private readonly Tool _wang = new(fixture.Service, log, TestTokens.Shared.Approver);
    private readonly ApplicationFiles _files = new();

    [Fact]
    public async Task The_readme_application_is_assessed_from_its_file_explained_and_read_back()
    {
        var id = TestEnterprises.Unique();
        var assess = await _li.RunAsync("assess", _files.Assessment(id), "--request-id", "assess-1", "--json");

        Assert.Equal(ExitCodes.Success, assess.Exit);
        var reply = assess.Reply<AssessEnterpriseResponse>();
        var decision = reply.Decision;
        Assert.Equal((Outcome.Approve, Product.SrdiELoan), (decision.Outcome, decision.Product));
        Assert.Equal(16, decision.IndicatorScores.Count);
        Assert.Equal("LIMIT_SET_BY_REVENUE_AND_SCORE", decision.Reasons[0].Code);
        Assert.Contains(decision.Reasons, r => r.Code == "DEBT_TO_ASSET_RATIO_VERY_HIGH");
        Assert.Contains(decision.Counterfactuals, c => c.Field == "financials.total_liabilities_minor");
        Assert.Equal((LineStatus.Active, decision.LimitMinor, decision.DecisionId), (reply.Line.Status, reply.Line.LimitMinor, reply.Line.LastDecisionId));

        // The same request id is a retry: the first reply, nothing new.
        Assert.Equal(reply, (await _li.RunAsync("assess", _files.Assessment(id), "--request-id", "assess-1", "--json")).Reply<AssessEnterpriseResponse>());

        var shown = await _li.RunAsync("decision", id, decision.DecisionId);
        Assert.Equal(ExitCodes.Success, shown.Exit);
        foreach (var text in new[] { decision.DecisionId, "APPROVE", "Reasons, most important first", "DEBT_TO_ASSET_RATIO_VERY_HIGH", "DEBT_TO_ASSET", "What would have been enough", "financials.total_liabilities_minor", "staff-tests" })
        {
            Assert.Contains(text, shown.Output, StringComparison.Ordinal);
        }

        var read = (await _li.RunAsync("decision", id, decision.DecisionId, "--json")).Reply<GetDecisionResponse>();
        Assert.Equal((decision, "assess-1", DecisionPurpose.Origination), (read.Decision, read.RequestId, read.Purpose));

        // The line matures in a year: the renewal window is not open, an answer of no (exit code 3), journaled.
        var renew = await _li.RunAsync("renew", _files.Renewal(id), "--json");
        Assert.Equal(ExitCodes.Declined, renew.Exit);
        var renewal = renew.Reply<RenewLineResponse>();
        Assert.False(renewal.Renewed);
        Assert.Contains("RENEWAL_WINDOW_NOT_OPEN", renewal.Reasons);
    }

    [Fact]
    public async Task A_consent_recorded_with_the_tool_lets_an_assessment_fetch_under_it_and_is_listed_and_revoked()
    {
        var id = TestEnterprises.Unique();
        var fetching = _files.Assessment(id, r => (r.Financing, r.Tax, r.FundFlow, r.FetchExternalData) = (null, null, null, true));

        var recorded = await _li.RunAsync("consent", "record", id, "--granted-by", "张伟", "--grantor", "legal-representative", "--channel", "paper", "--reference", "AUTH-2026-0412", "--source", "credit-bureau", "--json");
        var consent = recorded.Reply<RecordConsentResponse>().Consent;
        var assessed = (await _li.RunAsync("assess", fetching, "--request-id", "assess-1", "--json")).Reply<AssessEnterpriseResponse>();
        var listed = await _li.RunAsync("consent", "list", id);
        var revoked = await _li.RunAsync("consent", "revoke", id, consent.ConsentId, "--reason", "withdrawn by letter", "--json");

        Assert.Equal(ExitCodes.Success, recorded.Exit);
        Assert.Equal(("staff-tests", "AUTH-2026-0412"), (consent.RecordedBy, consent.Terms.AuthorisationReference));
        Assert.Equal([ExternalProvider.CreditBureau], consent.Terms.Sources);
        Assert.Equal(
            [(ExternalProvider.CreditBureau, DataSource.Fetched, consent.ConsentId), (ExternalProvider.TaxBureau, DataSource.NotAuthorised, ""), (ExternalProvider.FundFlowPlatform, DataSource.NotAuthorised, "")],
            assessed.Decision.ExternalData.Select(u => (u.Provider, u.Source, u.ConsentId)));
        Assert.Contains(assessed.Decision.Reasons, r => r.Code == "CONSENT_MISSING_TAX_BUREAU");
        Assert.Contains(consent.ConsentId, listed.Output, StringComparison.Ordinal);
        Assert.Equal("withdrawn by letter", revoked.Reply<RevokeConsentResponse>().Consent.Revocation.Reason);
    }

    [Fact]
    public async Task A_line_within_its_renewal_window_is_renewed_from_its_file()
    {
        var id = TestEnterprises.Unique();
        var proposal = (await _li.RunAsync("open", id, "--limit", "1000000", "--rate-bps", "450", "--term-days", "30", "--product", "srdi-e-loan", "--json"))
            .Reply<OpenLineResponse>().Proposal;
        Assert.Equal(ExitCodes.Success, (await _wang.RunAsync("approve", id, proposal.ProposalId)).Exit);
        // As the README pipes it: the application on standard input. The line is due for renewal:
        // an assessment no longer reprices it (issue 10, one door to a new term), it points to RenewLine.
        var assess = await _li.RunWithInputAsync(File.ReadAllText(_files.Assessment(id)), "assess", "-", "--json");
        var assessed = assess.Reply<AssessEnterpriseResponse>();
        Assert.Equal((ExitCodes.Declined, Outcome.Decline, "LINE_DUE_FOR_RENEWAL_USE_RENEW_LINE"), (assess.Exit, assessed.Decision.Outcome, assessed.Decision.Reasons[0].Code));
        Assert.Equal((1_000_000_00L, 450), (assessed.Line.LimitMinor, assessed.Line.AnnualRateBps));

        var renew = await _li.RunAsync("renew", _files.Renewal(id), "--json");

        Assert.Equal(ExitCodes.Success, renew.Exit);
        var renewed = renew.Reply<RenewLineResponse>();
        Assert.True(renewed.Renewed);
        Assert.Equal(1, renewed.Line.RenewalCount);
        Assert.True(string.CompareOrdinal(renewed.Line.MaturityDate, assessed.Line.MaturityDate) > 0);
        // The renewal reprices: the fresh assessment's limit and rate (the README's 5,480,000 CNY at 3.40%).
        Assert.Equal((renewed.Decision.LimitMinor, renewed.Decision.AnnualRateBps), (renewed.Line.LimitMinor, renewed.Line.AnnualRateBps));
        Assert.Equal((548_000_000L, 340), (renewed.Line.LimitMinor, renewed.Line.AnnualRateBps));
        var human = await _li.RunAsync("show", id);
        Assert.Contains("LINE_RENEWED", human.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declined_application_exits_with_the_decline_code_and_says_why()
    {
        var id = TestEnterprises.Unique();
        var overdue = _files.Assessment(id, a => a.Financing.CurrentlyOverdue = true);

        var run = await _li.RunAsync("assess", overdue, "--request-id", "assess-overdue");

        Assert.Equal(ExitCodes.Declined, run.Exit);
        Assert.Contains("│ Outcome      DECLINE", run.Output, StringComparison.Ordinal);
        Assert.Contains("KNOCK_OUT", run.Output, StringComparison.Ordinal);

        // The retry's reply is the first: recorded, and no line opened.
        var retry = await _li.RunAsync("assess", overdue, "--request-id", "assess-overdue", "--json");
        Assert.Equal(ExitCodes.Declined, retry.Exit);
        var declined = retry.Reply<AssessEnterpriseResponse>();
        Assert.Equal((Outcome.Decline, null), (declined.Decision.Outcome, declined.Line));
        Assert.Contains(declined.Decision.DecisionId, run.Output, StringComparison.Ordinal);
        var read = await _li.RunAsync("decision", id, declined.Decision.DecisionId, "--json");
        Assert.Equal(declined.Decision, read.Reply<GetDecisionResponse>().Decision);

        // No line, but a journal that records the decision.
        var show = await _li.RunAsync("show", id, "--json");
        Assert.Equal(ExitCodes.Success, show.Exit);
        Assert.DoesNotContain("\"line\"", show.Output, StringComparison.Ordinal);
        var entry = Assert.Single(show.Member<ListTransactionsResponse>("journal").Transactions);
        Assert.Equal((TransactionType.DecisionRecorded, Outcome.Decline, declined.Decision.DecisionId), (entry.Type, entry.DecisionOutcome, entry.DecisionId));
        Assert.Contains($"{id} has no line; its journal:", (await _li.RunAsync("show", id)).Output, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
