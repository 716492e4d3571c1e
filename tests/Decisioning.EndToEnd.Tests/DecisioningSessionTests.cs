using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>Decisioning over gRPC against the real service and a real Redis; only the bank's external systems are simulated.</summary>
[Collection(ServiceCollection.Name)]
public sealed class DecisioningSessionTests(ServiceFixture fixture)
{
    private DecisioningService.DecisioningServiceClient Decisioning => fixture.Decisioning;
    private CreditLineService.CreditLineServiceClient Lines => fixture.Lines;

    [Fact]
    public async Task An_approved_assessment_opens_a_line_that_takes_draws_and_the_decision_can_be_read_back_with_its_inputs()
    {
        var id = TestEnterprises.Unique();

        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));
        var draw = await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 2_000_000_00 });
        var recorded = await Decisioning.GetDecisionAsync(new GetDecisionRequest { EnterpriseId = id, DecisionId = assessed.Decision.DecisionId });
        var journal = await Lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id });

        var decision = assessed.Decision;
        Assert.Equal((Outcome.Approve, Product.SrdiELoan, TestApplications.ApprovedLimitMinor, TestApplications.ApprovedRateBps), (decision.Outcome, decision.Product, decision.LimitMinor, decision.AnnualRateBps));
        Assert.Equal((300, 40, 50, 270), (decision.RateBreakdown.BaseRateBps, decision.RateBreakdown.RiskPremiumBps, decision.RateBreakdown.RelendingDiscountBps, decision.RateBreakdown.FloorBps));
        Assert.Equal([Category.Basic, Category.Financial, Category.Innovation, Category.Financing], decision.CategoryScores.Select(c => c.Category));
        Assert.Equal(decision.Score, decision.CategoryScores.Sum(c => c.Score));
        Assert.Equal(16, decision.IndicatorScores.Count);
        Assert.Equal("DEBT_TO_ASSET_RATIO_HIGH", decision.Reasons[0].Code);
        Assert.Equal("scorecard-2026.1", decision.ModelVersion);
        Assert.Equal((LineStatus.Active, TestApplications.ApprovedLimitMinor, decision.DecisionId), (assessed.Line.Status, assessed.Line.LimitMinor, assessed.Line.LastDecisionId));
        // Twelve months on, rolled to a working day (the service's clock is real: the day may fall on a weekend).
        Assert.Equal(global::Decisioning.Domain.WorkingCalendar.China.NextWorkingDayOnOrAfter(Date(assessed.Line.OpenedDate).AddMonths(12)), Date(assessed.Line.MaturityDate));
        Assert.True(draw.Approved);

        Assert.Equal(decision, recorded.Decision);
        Assert.Equal("scorecard-2026.2-challenger", recorded.ChallengerDecision.ModelVersion);
        Assert.Equal(Applications.Sound(id, "assess-1").Financials, recorded.Application.Financials);
        Assert.Equal(Applications.Sound(id, "assess-1").FundFlow, recorded.Application.FundFlow);
        Assert.Equal(("assess-1", DecisionPurpose.Origination, "staff-tests"), (recorded.RequestId, recorded.Purpose, recorded.Actor));
        Assert.Equal([TransactionType.Draw, TransactionType.LineOpened], journal.Transactions.Select(t => t.Type));
        Assert.Equal((decision.DecisionId, Outcome.Approve), (journal.Transactions[1].DecisionId, journal.Transactions[1].DecisionOutcome));
    }

    [Fact]
    public async Task An_innovative_sme_with_the_high_tech_recognition_is_scored_on_both_and_kept_from_the_srdi_e_loan_and_both_are_recorded()
    {
        var id = TestEnterprises.Unique();
        var request = Applications.Sound(id, "assess-recognitions");
        request.Profile.SrdiLevel = SrdiLevel.InnovativeSme;
        request.Innovation.HighTechEnterprise = true;

        var assessed = await Decisioning.AssessEnterpriseAsync(request);
        var recorded = await Decisioning.GetDecisionAsync(new GetDecisionRequest { EnterpriseId = id, DecisionId = assessed.Decision.DecisionId });

        var decision = assessed.Decision;
        var srdi = decision.IndicatorScores.Single(i => i.Indicator == Indicator.SrdiLevel);
        var tech = decision.IndicatorScores.Single(i => i.Indicator == Indicator.TechRecognition);
        Assert.Equal((1L, 40, "SRDI_RECOGNITION_ONLY_INNOVATIVE_SME"), (srdi.Value, srdi.Points, srdi.ReasonCode));
        Assert.Equal((Category.Innovation, 2L, 100, 100), (tech.Category, tech.Value, tech.Points, tech.MaxPoints));
        // Below municipal, the SRDI e-Loan's minimum: the Operating Quick Loan, and it says why.
        Assert.Equal((Outcome.Approve, Product.OperatingQuickLoan), (decision.Outcome, decision.Product));
        Assert.Contains(decision.Reasons, r => r.Code == "NOT_ELIGIBLE_FOR_SRDI_E_LOAN");
        Assert.Equal((SrdiLevel.InnovativeSme, true), (recorded.Application.Profile.SrdiLevel, recorded.Application.Innovation.HighTechEnterprise));
        Assert.Equal(decision, recorded.Decision);
    }

    [Fact]
    public async Task An_enterprise_with_a_legacy_Xiamen_code_is_assessed()
    {
        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Sound("91350211M0000XUF46", "assess-xiamen"));

        Assert.Equal((Outcome.Approve, "91350211M0000XUF46"), (assessed.Decision.Outcome, assessed.Line.EnterpriseId));
    }

    [Fact]
    public async Task A_retry_gets_the_first_reply_and_another_application_under_the_same_request_id_is_already_exists()
    {
        var id = TestEnterprises.Unique();
        var first = await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));

        var retry = await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));
        var other = Applications.Sound(id, "assess-1");
        other.Profile.Employees += 1;
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Decisioning.AssessEnterpriseAsync(other));
        var journal = await Lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id });

        Assert.Equal(first, retry);
        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Single(journal.Transactions);
    }

    [Fact]
    public async Task A_line_near_maturity_is_renewed_keeping_its_balance_and_extending_its_maturity_by_the_term()
    {
        var id = TestEnterprises.Unique();
        // Opened by staff for 30 days at 5.00%, so that the renewal window (60 days before maturity) is open now.
        var opened = await fixture.Service.OpenLineByFourEyesAsync(new OpenLineRequest { EnterpriseId = id, RequestId = "open-1", LimitMinor = 5_000_000_00, AnnualRateBps = 500, TermDays = 30, Product = Product.SrdiELoan });
        await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 3_000_000_00 });

        var renewal = await Decisioning.RenewLineAsync(Applications.Renewal(id, "renew-1"));
        var journal = await Lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 1 });

        Assert.True(renewal.Renewed, string.Join(",", renewal.Reasons));
        Assert.Empty(renewal.Reasons);
        // Twelve months on, rolled to a working day when they end on a weekend or a holiday.
        var expected = global::Decisioning.Domain.WorkingCalendar.China.NextWorkingDayOnOrAfter(Date(opened.Line.MaturityDate).AddMonths(12)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((expected, 3_000_000_00L, 1), (renewal.Line.MaturityDate, renewal.Line.DrawnMinor, renewal.Line.RenewalCount));
        Assert.Equal((TransactionType.LineRenewed, expected, renewal.Decision.DecisionId), (journal.Transactions[0].Type, journal.Transactions[0].MaturityDateAfter, journal.Transactions[0].DecisionId));

        // Issue 10: the renewal reprices: the fresh assessment's limit and rate, not the line's 5,000,000 CNY at 5.00%.
        Assert.Equal((renewal.Decision.LimitMinor, renewal.Decision.AnnualRateBps, renewal.Decision.Product), (renewal.Line.LimitMinor, renewal.Line.AnnualRateBps, renewal.Line.Product));
        Assert.NotEqual((5_000_000_00L, 500), (renewal.Line.LimitMinor, renewal.Line.AnnualRateBps));
    }

    [Fact]
    public async Task An_assessment_of_an_enterprise_whose_line_is_due_for_renewal_declines_and_points_to_RenewLine()
    {
        // Issue 10: one door to a new term. The line is inside its renewal window: an approval would
        // reprice a term that is ending; RenewLine, with its rules, is the way.
        var id = TestEnterprises.Unique();
        await fixture.Service.OpenLineByFourEyesAsync(new OpenLineRequest { EnterpriseId = id, RequestId = "open-1", LimitMinor = 1_000_000_00, AnnualRateBps = 500, TermDays = 30, Product = Product.SrdiELoan });

        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));

        Assert.Equal((Outcome.Decline, "LINE_DUE_FOR_RENEWAL_USE_RENEW_LINE"), (assessed.Decision.Outcome, assessed.Decision.Reasons[0].Code));
        Assert.Equal((1_000_000_00L, 500), (assessed.Line.LimitMinor, assessed.Line.AnnualRateBps));
    }

    [Fact]
    public async Task A_renewal_before_the_window_opens_is_declined_with_its_reason_and_journaled()
    {
        var id = TestEnterprises.Unique();
        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));

        var renewal = await Decisioning.RenewLineAsync(Applications.Renewal(id, "renew-1"));
        var journal = await Lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 1 });

        Assert.False(renewal.Renewed);
        Assert.Equal(["RENEWAL_WINDOW_NOT_OPEN"], renewal.Reasons);
        Assert.Equal(assessed.Line.MaturityDate, renewal.Line.MaturityDate);
        Assert.Equal((TransactionType.RenewalDeclined, "RENEWAL_WINDOW_NOT_OPEN"), (journal.Transactions[0].Type, journal.Transactions[0].Note));
    }

    [Fact]
    public async Task A_severe_risk_signal_freezes_the_line_and_repayment_still_works()
    {
        var id = TestEnterprises.Unique();
        await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));
        await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 1_000_000_00 });

        var signal = await Decisioning.ReportRiskSignalAsync(new ReportRiskSignalRequest
        {
            EnterpriseId = id,
            RequestId = "signal-1",
            SignalType = RiskSignalType.Litigation,
            Severity = RiskSeverity.Severe,
            Note = "enforcement order 2026-0117",
        });
        var draw = await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-2", AmountMinor = 1 });
        var repay = await Lines.RepayAsync(new RepayRequest { EnterpriseId = id, RequestId = "repay-1", AmountMinor = 500_000_00 });
        var journal = await Lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 3 });

        Assert.Equal((RiskEffect.Freeze, "SEVERE_LITIGATION_REPORTED", LineStatus.Frozen), (signal.Effect, signal.ReasonCode, signal.Line.Status));
        Assert.Equal((false, DeclineReason.LineFrozen), (draw.Approved, draw.DeclineReason));
        Assert.Equal(500_000_00L, repay.PrincipalPaidMinor);
        var entry = journal.Transactions[2];
        Assert.Equal((TransactionType.RiskSignalApplied, RiskSignalType.Litigation, RiskSeverity.Severe, RiskEffect.Freeze), (entry.Type, entry.SignalType, entry.SignalSeverity, entry.SignalEffect));
        Assert.Equal("SEVERE_LITIGATION_REPORTED: enforcement order 2026-0117", entry.Note);
    }

    [Fact]
    public async Task A_moderate_risk_signal_lowers_the_limit_and_its_retry_changes_nothing()
    {
        var id = TestEnterprises.Unique();
        await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));
        var request = new ReportRiskSignalRequest { EnterpriseId = id, RequestId = "signal-1", SignalType = RiskSignalType.TaxArrears, Severity = RiskSeverity.Moderate };

        var signal = await Decisioning.ReportRiskSignalAsync(request);
        var retry = await Decisioning.ReportRiskSignalAsync(request);

        Assert.Equal((RiskEffect.LowerLimit, 3000, 7_000_000_00L), (signal.Effect, signal.LowerByBps, signal.Line.LimitMinor));
        Assert.Equal(signal, retry);
    }

    [Fact]
    public async Task Provider_answers_are_cached_in_redis_and_reused_by_the_next_assessment()
    {
        var id = TestEnterprises.Unique();
        var consent = await fixture.Consents.GrantAsync(id);

        var first = await Decisioning.AssessEnterpriseAsync(Applications.Fetching(id, "assess-1"));
        var second = await Decisioning.AssessEnterpriseAsync(Applications.Fetching(id, "assess-2"));

        Assert.Equal([DataSource.Fetched, DataSource.Fetched, DataSource.Fetched], first.Decision.ExternalData.Select(u => u.Source));
        Assert.Equal([DataSource.Cached, DataSource.Cached, DataSource.Cached], second.Decision.ExternalData.Select(u => u.Source));
        Assert.Equal(first.Decision.ExternalData.Select(u => u.FetchTime), second.Decision.ExternalData.Select(u => u.FetchTime));
        Assert.All(first.Decision.ExternalData.Concat(second.Decision.ExternalData), u => Assert.Equal(consent.ConsentId, u.ConsentId));
        await using var redis = await fixture.Redis.ConnectAsync();
        // Keyed by enterprise and provider; the entry names the consent it was fetched under.
        var cached = (string?)await redis.GetDatabase().HashGetAsync($"dc:ext:CreditBureau:{id}:", "data");
        Assert.Contains($"\"consentId\":\"{consent.ConsentId}\"", cached, StringComparison.Ordinal);
        var recorded = await Decisioning.GetDecisionAsync(new GetDecisionRequest { EnterpriseId = id, DecisionId = second.Decision.DecisionId });
        Assert.NotNull(recorded.Application.Financing);
        Assert.Equal(12, recorded.Application.FundFlow.Months.Count);
    }

    [Fact]
    public async Task A_provider_that_times_out_refers_the_case_with_the_reason_and_opens_no_line()
    {
        await fixture.Consents.GrantAsync(ServiceFixture.BureauDown);
        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Fetching(ServiceFixture.BureauDown, "assess-1"));

        Assert.Equal(Outcome.Refer, assessed.Decision.Outcome);
        Assert.Contains(assessed.Decision.Reasons, r => r.Code == "EXTERNAL_DATA_UNAVAILABLE_CREDIT_BUREAU" && r.Kind == ReasonKind.Referral);
        Assert.Equal(DataSource.Unavailable, assessed.Decision.ExternalData.Single(u => u.Provider == ExternalProvider.CreditBureau).Source);
        Assert.Null(assessed.Line);
    }

    [Fact]
    public void The_service_says_at_start_that_the_external_systems_are_simulated() =>
        Assert.Contains(
            "External data providers are SIMULATED (Decisioning:ExternalData:Providers=Simulation): the credit bureau, tax bureau and fund-flow platform answer with made-up, deterministic data (simulated outages: 1)",
            fixture.Service.Output,
            StringComparison.Ordinal);

    [Fact]
    public async Task An_approval_under_the_configured_subsidy_programme_opens_a_line_that_carries_its_subsidy()
    {
        // appsettings.json: SRDI e-Loans of provincially or nationally recognised enterprises, 100 bps.
        var id = TestEnterprises.Unique();

        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));
        await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 1_000_00 });
        // Interest accrues by the day: a same-day repayment is all principal, with nothing subsidised.
        var repay = await Lines.RepayAsync(new RepayRequest { EnterpriseId = id, RequestId = "repay-1", AmountMinor = 1_000_00 });

        Assert.Equal(100, assessed.Line.SubsidyBps);
        Assert.Equal((0L, 0L, 1_000_00L), (repay.InterestPaidMinor, repay.SubsidisedInterestMinor, repay.PrincipalPaidMinor));
    }

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
