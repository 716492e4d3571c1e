using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Assessment;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>The assessment grain over a real silo and a real Redis: decisions recorded with the line, atomically, and read back.</summary>
public sealed class AssessmentGrainTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>
{
    private static readonly DateOnly Today = BusinessCalendar.DateOf(LineCluster.Start);

    private LineCluster Cluster => shared.Line;

    private static AssessRequest Request(CreditApplication application, string requestId = "assess-1", bool fetch = false) =>
        new() { Actor = LineCluster.Caller, RequestId = requestId, Application = application, FetchExternalData = fetch };

    [Fact]
    public async Task An_approval_opens_the_line_for_the_product_term_and_records_the_decision_with_its_inputs()
    {
        var id = TestEnterprises.Unique();

        var reply = await Cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today)));

        Assert.Null(reply.Error);
        var decision = reply.Value!.Decision!;
        Assert.Equal((Outcome.Approve, TestApplications.ApprovedLimitMinor, TestApplications.ApprovedRateBps), (decision.Outcome, decision.LimitMinor, decision.AnnualRateBps));
        Assert.Equal((LineStatus.Active, TestApplications.ApprovedLimitMinor, Today.AddMonths(12)), (reply.Value!.Line!.Status, reply.Value!.Line.LimitMinor, reply.Value!.Line.MaturesOn));
        Assert.Equal(decision.DecisionId, reply.Value!.Line.LastDecisionId);

        var stored = (await Cluster.Line(id).GetDecision(decision.DecisionId)).Value!;
        Assert.Equal(decision.Score, stored.Champion.Score);
        Assert.Equal(decision.Reasons.AsEnumerable(), stored.Champion.Reasons.AsEnumerable());
        Assert.Equal(decision.Indicators.AsEnumerable(), stored.Champion.Indicators.AsEnumerable());
        Assert.Equal("scorecard-2026.2-challenger", stored.Challenger!.ModelVersion);
        Assert.Equal(TestApplications.Sound(id, Today).Financials, stored.Application.Financials);
        Assert.Equal(DecisionPurpose.Origination, stored.Purpose);

        var journal = (await Cluster.Line(id).ListTransactions(10, 0)).Value!.Entries;
        var entry = Assert.Single(journal);
        Assert.Equal((EntryKind.LineOpened, decision.DecisionId, Outcome.Approve), (entry.Kind, entry.DecisionId, entry.DecisionOutcome));
    }

    [Fact]
    public async Task A_decline_opens_no_line_but_stands_in_the_enterprises_journal()
    {
        var id = TestEnterprises.Unique();
        var application = TestApplications.Sound(id, Today) with
        {
            Financing = TestApplications.Sound(id, Today).Financing! with { CurrentlyOverdue = true, MaxOverdueDaysLast12Months = 12, MaxOverdueDaysLast24Months = 12 },
        };

        var reply = (await Cluster.Assessment.Assess(Request(application))).Value!;

        Assert.Equal(Outcome.Decline, reply.Decision!.Outcome);
        Assert.Null(reply.Line);
        Assert.Equal(ErrorKind.NotFound, (await Cluster.Line(id).GetLine()).Error!.Kind);
        var entry = Assert.Single((await Cluster.Line(id).ListTransactions(10, 0)).Value!.Entries);
        Assert.Equal((EntryKind.DecisionRecorded, Outcome.Decline), (entry.Kind, entry.DecisionOutcome));
    }

    [Fact]
    public async Task A_retry_gets_the_first_decision_and_another_application_under_the_same_request_id_is_refused()
    {
        var id = TestEnterprises.Unique();
        var first = (await Cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today)))).Value!;

        var retry = (await Cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today)))).Value!;
        var other = await Cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today) with { Product = Product.OperatingQuickLoan }));

        Assert.Equal((first.Decision!.DecisionId, first.Sequence), (retry.Decision!.DecisionId, retry.Sequence));
        Assert.Equal(first.Decision.Reasons.AsEnumerable(), retry.Decision.Reasons.AsEnumerable());
        Assert.Equal("REQUEST_ID_REUSED", other.Error!.Reason);
        Assert.Single((await Cluster.Line(id).ListTransactions(10, 0)).Value!.Entries);
    }

    [Fact]
    public async Task Ten_concurrent_attempts_of_one_request_record_one_decision_and_all_agree()
    {
        var id = TestEnterprises.Unique();

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today))).AsTask()));

        Assert.All(replies, r => Assert.Null(r.Error));
        Assert.Single(replies.Select(r => (r.Value!.Decision.DecisionId, r.Value.Sequence, r.Value.Decision.Score)).Distinct());
        Assert.Single((await Cluster.Line(id).ListTransactions(10, 0)).Value!.Entries);
    }

    [Fact]
    public async Task An_approval_on_an_open_line_sets_its_new_limit_and_rate_and_keeps_the_balance()
    {
        var id = TestEnterprises.Unique();
        await Cluster.Line(id).OpenApproved("open", 100_000_000, 500, 365, Product.OperatingQuickLoan, "staff");
        await Cluster.Line(id).Draw("draw", 40_000_000, "test");

        var reply = (await Cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today)))).Value!;

        Assert.Equal((TestApplications.ApprovedLimitMinor, TestApplications.ApprovedRateBps, 40_000_000L), (reply.Line!.LimitMinor, reply.Line.AnnualRateBps, reply.Line.DrawnMinor));
        // The opening's 365 days, rolled to a working day when they end on a weekend or a holiday.
        Assert.Equal(WorkingCalendar.China.NextWorkingDayOnOrAfter(Today.AddDays(365)), reply.Line.MaturesOn);
    }

    [Fact]
    public async Task An_approval_on_a_line_inside_its_renewal_window_is_a_decline_pointing_to_RenewLine()
    {
        // Issue 10: one door to a new term. 30 days before maturity the 60-day renewal window is open.
        var id = TestEnterprises.Unique();
        await Cluster.Line(id).OpenApproved("open", 100_000_000, 500, 30, Product.OperatingQuickLoan, "staff");

        var reply = (await Cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today)))).Value!;
        var document = (await Cluster.Line(id).GetDecision(reply.Decision!.DecisionId)).Value!;

        Assert.Equal((Outcome.Decline, ReasonCodes.LineDueForRenewal), (reply.Decision.Outcome, reply.Decision.ReasonCodes.First()));
        Assert.Equal((100_000_000L, 500, WorkingCalendar.China.NextWorkingDayOnOrAfter(Today.AddDays(30))), (reply.Line!.LimitMinor, reply.Line.AnnualRateBps, reply.Line.MaturesOn));
        Assert.Equal(Outcome.Decline, document.Champion.Outcome);
    }

    [Fact]
    public async Task Fetched_provider_answers_are_cached_and_a_reassessment_does_not_query_the_providers_again()
    {
        var id = TestApplications.SimulatedApprovedEnterprise(Cluster.SiloService<DecisionModels>().Champion, Today, 700_000);
        var gateway = Cluster.SiloService<ExternalDataGateway>();
        var application = TestApplications.ToFetch(id, Today);
        // Tests of one class run one at a time: the gateway's counts move only for this test here.
        var before = Enum.GetValues<ExternalProvider>().Skip(1).ToDictionary(p => p, gateway.ProviderCalls);
        await Cluster.GrantConsent(id);

        var first = (await Cluster.Assessment.Assess(Request(application, "assess-1", fetch: true))).Value!;
        var second = (await Cluster.Assessment.Assess(Request(application, "assess-2", fetch: true))).Value!;

        Assert.All(first.ExternalData, use => Assert.Equal(DataSource.Fetched, use.Source));
        Assert.All(second.ExternalData, use => Assert.Equal(DataSource.Cached, use.Source));
        Assert.Equal(first.ExternalData.Select(u => u.FetchedAt), second.ExternalData.Select(u => u.FetchedAt));
        Assert.All(before, b => Assert.Equal(b.Value + 1, gateway.ProviderCalls(b.Key)));
        Assert.Equal((Outcome.Approve, Outcome.Approve, first.Decision!.Score), (first.Decision.Outcome, second.Decision!.Outcome, second.Decision.Score));
    }

    [Fact]
    public async Task A_signal_on_an_enterprise_without_a_line_is_not_found()
    {
        var reply = await Cluster.Assessment.ReportRiskSignal(TestEnterprises.Unique(), "signal-1", RiskSignalType.Overdue, RiskSeverity.Severe, "", "test");

        Assert.Equal(("LINE_NOT_FOUND", ErrorKind.NotFound), (reply.Error!.Reason, reply.Error.Kind));
    }

    [Fact]
    public async Task A_severe_signal_freezes_the_line_a_moderate_one_lowers_its_limit_and_a_retry_changes_nothing()
    {
        var id = TestEnterprises.Unique();
        await Cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today)));

        var moderate = (await Cluster.Assessment.ReportRiskSignal(id, "signal-1", RiskSignalType.CashFlowFall, RiskSeverity.Moderate, "", "test")).Value!;
        var retry = (await Cluster.Assessment.ReportRiskSignal(id, "signal-1", RiskSignalType.CashFlowFall, RiskSeverity.Moderate, "", "test")).Value!;
        var severe = (await Cluster.Assessment.ReportRiskSignal(id, "signal-2", RiskSignalType.Overdue, RiskSeverity.Severe, "", "test")).Value!;

        Assert.Equal((RiskEffect.LowerLimit, 700_000_000L), (moderate.SignalEffect, moderate.Line!.LimitMinor));
        Assert.Equal((moderate.Sequence, 700_000_000L), (retry.Sequence, retry.Line!.LimitMinor));
        Assert.Equal((RiskEffect.Freeze, LineStatus.Frozen), (severe.SignalEffect, severe.Line!.Status));
        Assert.Equal("SEVERE_OVERDUE_REPORTED", severe.Note);
    }
}

/// <summary>Assessment tests that need a cluster of their own: a moving clock, a provider outage.</summary>
public sealed class AssessmentClockTests
{
    private static readonly DateOnly Today = BusinessCalendar.DateOf(LineCluster.Start);

    // A line opened by staff for a short term, then assessed (the approval sets its limit and rate
    // and keeps its maturity): the renewal window is near without moving the fake clock far, whose
    // every periodic timer fires once per period on Advance.
    [Fact]
    public async Task A_line_is_renewed_within_its_window_before_maturity_keeping_its_balance_and_not_before()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var id = TestEnterprises.Unique();
        await cluster.Line(id).OpenApproved("open", 100_000_000, 500, 62, Product.SrdiELoan, "staff");
        await cluster.Assessment.Assess(new AssessRequest { Actor = LineCluster.Caller, RequestId = "assess-1", Application = TestApplications.Sound(id, Today) });
        await cluster.Line(id).Draw("draw-1", 300_000_000, "test");
        var maturity = Today.AddDays(62);

        var early = (await cluster.Assessment.Renew(new AssessRequest { Actor = LineCluster.Caller, RequestId = "renew-1", Application = TestApplications.Sound(id, Today) })).Value!;
        cluster.Clock.Advance(TimeSpan.FromDays(2));
        var renewed = (await cluster.Assessment.Renew(new AssessRequest { Actor = LineCluster.Caller, RequestId = "renew-2", Application = TestApplications.Sound(id, Today.AddDays(2)) })).Value!;
        var journal = (await cluster.Line(id).ListTransactions(10, 0)).Value!.Entries;

        Assert.False(early.Renewed);
        Assert.Equal([ReasonCodes.RenewalWindowNotOpen], early.RenewalReasons.AsEnumerable());
        Assert.Equal(maturity, early.Line!.MaturesOn);
        Assert.True(renewed.Renewed, string.Join(",", renewed.RenewalReasons));
        Assert.Equal((maturity.AddMonths(12), 300_000_000L, 1), (renewed.Line!.MaturesOn, renewed.Line.DrawnMinor, renewed.Line.RenewalCount));
        Assert.Equal([EntryKind.LineRenewed, EntryKind.RenewalDeclined, EntryKind.Draw, EntryKind.LimitAdjusted, EntryKind.LineOpened, EntryKind.ProposalRecorded], journal.Select(e => e.Kind));
        Assert.Equal(renewed.Decision!.DecisionId, journal[0].DecisionId);
        var document = (await cluster.Line(id).GetDecision(renewed.Decision.DecisionId)).Value!;
        Assert.Equal((DecisionPurpose.Renewal, true), (document.Purpose, document.Renewal!.Eligible));
    }

    [Fact]
    public async Task A_line_not_renewed_by_its_maturity_takes_no_new_draws_and_can_no_longer_be_renewed()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var id = TestEnterprises.Unique();
        await cluster.Line(id).OpenApproved("open", 100_000_000, 500, 2, Product.SrdiELoan, "staff");

        // Two days, rolled to a working day when they end on a weekend or a holiday.
        var days = (await cluster.Line(id).GetLine()).Value!.MaturesOn.DayNumber - Today.DayNumber;
        cluster.Clock.Advance(TimeSpan.FromDays(days));
        var draw = (await cluster.Line(id).Draw("draw-1", 1_000_000, "test")).Value!;
        var renewal = (await cluster.Assessment.Renew(new AssessRequest { Actor = LineCluster.Caller, RequestId = "renew-1", Application = TestApplications.Sound(id, Today.AddDays(days)) })).Value!;

        Assert.Equal(DeclineReason.LineMatured, draw.DeclineReason);
        Assert.False(renewal.Renewed);
        Assert.Contains(ReasonCodes.LinePastMaturity, renewal.RenewalReasons);
    }

    [Fact]
    public async Task A_provider_that_times_out_refers_the_case_and_never_approves_on_missing_data()
    {
        await using var redis = await RedisServer.StartAsync();
        var id = TestEnterprises.Unique();
        await using var cluster = await LineCluster.StartAsync(redis, settings: new Dictionary<string, string?>
        {
            ["Decisioning:ExternalData:SimulatedOutages:0:Provider"] = "CreditBureau",
            ["Decisioning:ExternalData:SimulatedOutages:0:EnterpriseId"] = id,
        });
        await cluster.GrantConsent(id);

        var reply = (await cluster.Assessment.Assess(new AssessRequest { Actor = LineCluster.Caller, RequestId = "assess-1", Application = TestApplications.ToFetch(id, Today), FetchExternalData = true })).Value!;

        Assert.NotEqual(Outcome.Approve, reply.Decision!.Outcome);
        Assert.Contains(ReasonCodes.CreditBureauUnavailable, reply.Decision.ReasonCodes);
        Assert.Equal(DataSource.Unavailable, reply.ExternalData.Single(u => u.Provider == ExternalProvider.CreditBureau).Source);
        Assert.Null(reply.Line);
    }

    [Fact]
    public async Task The_silo_refuses_to_start_without_external_data_providers()
    {
        await using var redis = await RedisServer.StartAsync();

        var refusal = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var cluster = await LineCluster.StartAsync(redis, simulatedProviders: false);
        });

        Assert.Contains("No external data providers are registered", refusal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_silo_refuses_to_start_on_an_invalid_model()
    {
        await using var redis = await RedisServer.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"broken-model-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"version": "broken", "max_score": 0}""");
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var cluster = await LineCluster.StartAsync(redis, settings: new Dictionary<string, string?> { ["Decisioning:Model:Champion"] = path });
            });
        }
        finally
        {
            File.Delete(path);
        }
    }
}
