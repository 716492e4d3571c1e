using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class RenewalTests
{
    private static readonly DateOnly MaturesOn = AsOf.AddDays(30);

    internal static LineView Line(LineStatus status = LineStatus.Active, long originationInflow = 565_000_000) => new()
    {
        Status = status,
        Product = Product.SrdiELoan,
        LimitMinor = 1_000_000_00,
        DrawnMinor = 0,
        HeldMinor = 0,
        AccruedInterestMinor = 0,
        AnnualRateBps = 345,
        OpenedOn = MaturesOn.AddYears(-1),
        MaturesOn = MaturesOn,
        RenewalCount = 0,
        Sequence = 1,
        OriginationAverageMonthlyInflowMinor = originationInflow,
    };

    /// <summary>Many weak indicators: a score just below or above the renewal threshold, by the invention patents.</summary>
    private static CreditApplication Weak(int inventionPatents) => Perfect()
        .WithProfile(p => p with { SrdiLevel = SrdiLevel.Municipal })
        .WithInnovation(i => i with { InventionPatents = inventionPatents, OtherPatents = 0, RdSpendMinor = 0, RdStaff = 0, HighTechEnterprise = false })
        .WithFinancials(f => f with { TotalLiabilitiesMinor = 42_000_000 * Cny, NetProfitMinor = 1_000_000 * Cny })
        .WithFinancing(f => f with { ExistingBankDebtMinor = 27_000_000 * Cny, LendingBanks = 5 });

    private static RenewalDecision Decide(CreditApplication application, LineView? line = null, DateOnly? asOf = null) =>
        Renewal.Decide(Assessor.Assess(application, Champion, asOf ?? AsOf, "renewal-1"), line ?? Line(), Champion, asOf ?? AsOf);

    [Fact]
    public void A_line_that_still_qualifies_is_extended_by_the_product_term()
    {
        var renewal = Decide(Perfect());
        Assert.True(renewal.Eligible);
        Assert.Equal(MaturesOn.AddMonths(12), renewal.NewMaturesOn);
        Assert.Empty(renewal.Reasons);
        Assert.Equal(0, renewal.CashFlowFallBps);
    }

    [Fact]
    public void A_frozen_line_is_not_renewed() =>
        Assert.Equal(["LINE_FROZEN"], Decide(Perfect(), Line(LineStatus.Frozen)).Reasons.ToArray());

    [Fact]
    public void An_overdue_in_the_last_12_months_stops_renewal_even_when_settled() =>
        Assert.Equal(["OVERDUE_IN_LAST_12_MONTHS"], Decide(Perfect().WithFinancing(f => f with { MaxOverdueDaysLast12Months = 3, MaxOverdueDaysLast24Months = 3 })).Reasons.ToArray());

    [Fact]
    public void An_overdue_before_the_last_12_months_does_not_stop_renewal() =>
        Assert.True(Decide(Perfect().WithFinancing(f => f with { MaxOverdueDaysLast24Months = 20 })).Eligible);

    [Fact]
    public void A_current_overdue_stops_renewal_as_a_knock_out_and_as_an_overdue() =>
        Assert.Equal(["CURRENTLY_OVERDUE_AT_CREDIT_BUREAU", "OVERDUE_IN_LAST_12_MONTHS"], Decide(Perfect().WithFinancing(f => f with { CurrentlyOverdue = true, MaxOverdueDaysLast12Months = 5, MaxOverdueDaysLast24Months = 5 })).Reasons.ToArray());

    [Fact]
    public void A_score_below_the_renewal_threshold_stops_renewal_though_above_the_decline_threshold_it_would_only_be_referred()
    {
        // Many weak indicators: a score of 548, referred at origination, too low to renew.
        var application = Weak(inventionPatents: 0);
        var decision = Assessor.Assess(application, Champion, AsOf, "renewal-1");
        Assert.Equal(548, decision.Score);
        Assert.Equal(Outcome.Refer, decision.Outcome);
        Assert.Contains("SCORE_BELOW_RENEWAL_THRESHOLD", Decide(application).Reasons.ToArray());
    }

    [Theory]
    [InlineData(807_142_857, true, 2_999)] // fell from 8.07M to 5.65M a month: 29.99…%
    [InlineData(807_142_858, false, 3_000)] // just over 30%
    public void Cash_flow_may_have_fallen_by_the_configured_share_and_no_more(long originationInflow, bool eligible, long fallBps)
    {
        var renewal = Decide(Perfect(), Line(originationInflow: originationInflow));
        Assert.Equal(eligible, renewal.Eligible);
        Assert.Equal(eligible ? [] : new[] { "CASH_FLOW_FELL_SINCE_ORIGINATION" }, renewal.Reasons.ToArray());
        Assert.Equal(fallBps, renewal.CashFlowFallBps);
    }

    [Fact]
    public void Cash_flow_exactly_30_percent_lower_is_allowed() =>
        Assert.False(Renewal.FellTooFar(1_000, 700, 3_000));

    [Fact]
    public void A_rise_in_cash_flow_is_a_negative_fall() => Assert.Equal(-2_000, Renewal.CashFlowFallBps(1_000, 1_200));

    [Theory]
    [InlineData(-61, "RENEWAL_WINDOW_NOT_OPEN")] // asOf 61 days before maturity
    [InlineData(1, "LINE_PAST_MATURITY")]
    public void Renewal_is_possible_only_in_the_window_before_maturity(int daysFromMaturity, string reason) =>
        Assert.Equal([reason], Decide(Perfect(), Line() with { MaturesOn = AsOf.AddDays(-daysFromMaturity) }).Reasons.ToArray());

    [Theory]
    [InlineData(60)]
    [InlineData(0)]
    public void The_window_opens_60_days_before_maturity_and_closes_on_the_maturity_date(int daysBeforeMaturity) =>
        Assert.True(Decide(Perfect(), Line() with { MaturesOn = AsOf.AddDays(daysBeforeMaturity) }).Eligible);

    [Fact]
    public void Missing_external_data_stops_renewal_with_the_provider_named() =>
        Assert.Equal(["EXTERNAL_DATA_UNAVAILABLE_FUND_FLOW_PLATFORM"], Decide(Perfect() with { FundFlow = null }).Reasons.ToArray());

    [Fact]
    public void Every_reason_is_given_at_once_so_the_enterprise_knows_all_it_must_fix()
    {
        var renewal = Decide(Perfect().WithFinancing(f => f with { MaxOverdueDaysLast12Months = 3, MaxOverdueDaysLast24Months = 3 }), Line(LineStatus.Frozen, originationInflow: 1_000_000_000));
        Assert.Equal(["LINE_FROZEN", "OVERDUE_IN_LAST_12_MONTHS", "CASH_FLOW_FELL_SINCE_ORIGINATION"], renewal.Reasons.ToArray());
        Assert.Null(renewal.NewMaturesOn);
    }

    /// <summary>Issue 10: a fresh score of about 560 (at most 1,000,000 CNY at 5.00%) renewed a 5,480,000 CNY line at 3.40%.</summary>
    [Fact]
    public void A_renewal_reprices_to_the_fresh_assessment_and_a_balance_above_it_is_said()
    {
        var application = Weak(inventionPatents: 1);
        var fresh = Assessor.Assess(application, Champion, AsOf, "renewal-1");
        var line = Line() with { LimitMinor = 5_480_000 * Cny, AnnualRateBps = 340, DrawnMinor = 5_000_000 * Cny };

        var renewal = Renewal.Decide(fresh, line, Champion, AsOf);

        Assert.Equal((573, Outcome.Refer), (fresh.Score, fresh.Outcome)); // above the renewal threshold (550), below approval (600)
        Assert.True(renewal.Eligible);
        // Weak innovation now: the Operating Quick Loan, without the re-lending discount (3.00 + 2.50).
        Assert.Equal((Product.OperatingQuickLoan, 1_000_000 * Cny, 550), (renewal.Product, renewal.LimitMinor, renewal.AnnualRateBps));
        Assert.Equal(["BALANCE_EXCEEDS_RENEWED_LIMIT"], renewal.Reasons.ToArray());
    }

    [Fact]
    public void A_renewal_of_a_line_within_the_fresh_limit_carries_no_note_and_the_fresh_terms()
    {
        var fresh = Assessor.Assess(Perfect(), Champion, AsOf, "renewal-1");
        var renewal = Decide(Perfect(), Line() with { LimitMinor = 2_000_000 * Cny, AnnualRateBps = 420, DrawnMinor = 2_000_000 * Cny });

        Assert.Equal((Product.SrdiELoan, fresh.LimitMinor, fresh.AnnualRateBps, 10_000_000 * Cny, 270), (renewal.Product, renewal.LimitMinor, renewal.AnnualRateBps, fresh.LimitMinor, fresh.AnnualRateBps));
        Assert.Empty(renewal.Reasons);
    }

    [Fact]
    public void A_fresh_limit_below_the_product_minimum_renews_nothing()
    {
        // Hardly any net inflow: the cash-flow limit is below 100,000 CNY.
        var application = Perfect() with { FundFlow = Steady(5_650_000 * Cny, 5_649_800 * Cny, ("A", 1_000_000 * Cny), ("B", 1_000_000 * Cny), ("C", 1_000_000 * Cny)) };
        var fresh = Assessor.Assess(application, Champion, AsOf, "renewal-1");
        Assert.Contains("LIMIT_BELOW_PRODUCT_MINIMUM", fresh.ReasonCodes);

        var renewal = Renewal.Decide(fresh, Line(originationInflow: 5_650_000 * Cny), Champion, AsOf);

        Assert.Equal(["LIMIT_BELOW_PRODUCT_MINIMUM"], renewal.Reasons.ToArray());
        Assert.Equal((Product.None, 0L, 0), (renewal.Product, renewal.LimitMinor, renewal.AnnualRateBps));
    }

    [Theory]
    [InlineData(-61, null)] // before the window: mid-term, an approval reprices the line
    [InlineData(-60, "LINE_DUE_FOR_RENEWAL_USE_RENEW_LINE")]
    [InlineData(-1, "LINE_DUE_FOR_RENEWAL_USE_RENEW_LINE")]
    [InlineData(0, "LINE_PAST_MATURITY")]
    [InlineData(30, "LINE_PAST_MATURITY")]
    public void An_approval_on_a_line_near_or_past_maturity_declines_pointing_to_renewal(int daysFromMaturity, string? reason)
    {
        var approved = Assessor.Assess(Perfect(), Champion, AsOf, "assess-1");

        var decision = Renewal.OnExistingLine(approved, Line() with { MaturesOn = AsOf.AddDays(-daysFromMaturity) }, Champion, AsOf);

        if (reason is null)
        {
            Assert.Same(approved, decision);
            return;
        }

        Assert.Equal((Outcome.Decline, 0L, 0), (decision.Outcome, decision.LimitMinor, decision.AnnualRateBps));
        Assert.Equal(new Reason(reason, ReasonKind.KnockOut), decision.Reasons[0]);
        Assert.Equal(approved.Score, decision.Score);
    }

    [Fact]
    public void Without_a_line_or_with_a_closed_one_an_approval_stands()
    {
        var approved = Assessor.Assess(Perfect(), Champion, AsOf, "assess-1");
        Assert.Same(approved, Renewal.OnExistingLine(approved, null, Champion, AsOf));
        Assert.Same(approved, Renewal.OnExistingLine(approved, Line(LineStatus.Closed) with { MaturesOn = AsOf }, Champion, AsOf));
    }
}
