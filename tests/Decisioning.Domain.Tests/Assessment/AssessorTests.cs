using System.Text.Json;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Simulations;
using Decisioning.Testing;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class AssessorTests
{
    [Fact]
    public void Assessing_with_a_shadow_challenger_gives_the_decisions_each_model_gives_alone()
    {
        foreach (var n in Enumerable.Range(1, 60))
        {
            var application = SimulatedEnterprise.Application(TestEnterprises.Id(n), AsOf);
            var (champion, challenger) = Assessor.AssessWithShadow(application, Champion, Challenger, AsOf, "decision-1");

            // Records holding ImmutableArrays compare those by reference: JSON compares the values.
            Assert.Equal(JsonSerializer.Serialize(Assessor.Assess(application, Champion, AsOf, "decision-1")), JsonSerializer.Serialize(champion));
            Assert.Equal(JsonSerializer.Serialize(Assessor.Assess(application, Challenger, AsOf, "decision-1", withCounterfactuals: false)), JsonSerializer.Serialize(challenger));
        }

        Assert.Null(Assessor.AssessWithShadow(Perfect(), Champion, null, AsOf, "decision-1").Challenger);
    }

    [Fact]
    public void Assessing_with_a_shadow_challenger_refuses_an_application_that_is_not_valid_as_assessing_alone_does() =>
        Assert.Throws<ArgumentException>(() => Assessor.AssessWithShadow(Perfect() with { Product = (Product)99 }, Champion, Challenger, AsOf, "decision-1"));

    [Fact]
    public void A_perfect_application_scores_the_maximum_and_gets_the_srdi_cap_at_the_floor_rate()
    {
        var decision = Assess(Perfect());

        Assert.Equal(Outcome.Approve, decision.Outcome);
        Assert.Equal(1000, decision.Score);
        Assert.Equal([200, 300, 250, 250], decision.Categories.Select(c => c.Score));
        Assert.All(decision.Indicators, i => Assert.Equal(i.MaxPoints, i.Points));
        Assert.Equal(16, decision.Indicators.Length);
        Assert.Equal(Product.SrdiELoan, decision.Product);
        Assert.Equal(1_000_000_000, decision.LimitMinor);
        Assert.Equal(LimitBasis.ProductCap, decision.Limit.Basis);
        Assert.Equal(1_000_000_000, decision.Limit.ScorecardLimitMinor); // 30% of 58M, capped at 10M by the band
        Assert.Equal(1_560_000_000, decision.Limit.CashFlowLimitMinor); // min(3 × 5.65M, 24 × 0.65M)
        Assert.Equal(new RateBreakdown { BaseRateBps = 300, RiskPremiumBps = 0, RelendingDiscountBps = 50, FloorBps = 270, FloorApplied = true, AnnualRateBps = 270 }, decision.Rate);
        Assert.Empty(decision.Reasons);
        Assert.Empty(decision.Counterfactuals);
        Assert.Equal("scorecard-2026.1", decision.ModelVersion);
        Assert.Equal("decision-1", decision.DecisionId);
        Assert.Equal(5_800_000_000, decision.Facts.RevenueBasisMinor);
        Assert.Equal(565_000_000, decision.Facts.AverageMonthlyInflowMinor);
    }

    [Fact]
    public void The_indicator_values_are_those_computed_by_hand()
    {
        var values = Assess(Perfect()).Indicators.ToDictionary(i => i.Indicator, i => i.Value);
        Assert.Equal(13, values[Indicator.YearsInOperation]); // 2012-05-01 to 2026-03-31
        Assert.Equal(4, values[Indicator.SrdiLevel]); // the ladder's rank of national little giant, not its contract number
        Assert.Equal(2, values[Indicator.TechRecognition]); // high-tech enterprise
        Assert.Equal(2_500, values[Indicator.RevenueGrowth]); // 60M over 48M
        Assert.Equal(1_600, values[Indicator.NetMargin]); // 9.6M of 60M
        Assert.Equal(4_000, values[Indicator.DebtToAsset]); // 20M of 50M
        Assert.Equal(300_000_000, values[Indicator.TaxPaid]);
        Assert.Equal(1_100, values[Indicator.RdSpendShare]); // 6.6M of 60M
        Assert.Equal(2_400, values[Indicator.RdStaffShare]); // 60 of 250
        Assert.Equal(1_000, values[Indicator.BankDebtToRevenue]); // 6M of 60M
    }

    [Fact]
    public void Reasons_are_ordered_by_the_weighted_points_each_cost()
    {
        // Invention patents 0 cost 100 of the innovation category's 500 points (×250/500 = 50);
        // debt-to-asset 65% costs 45 of financial's 400 (×300/400 = 33.75); 3 lending banks cost 30
        // of financing's 300 (×250/300 = 25).
        var decision = Assess(Perfect()
            .WithInnovation(i => i with { InventionPatents = 0 })
            .WithFinancials(f => f with { TotalLiabilitiesMinor = 32_500_000 * Cny })
            .WithFinancing(f => f with { LendingBanks = 3 }));

        Assert.Equal(["NO_INVENTION_PATENTS", "DEBT_TO_ASSET_RATIO_HIGH", "BORROWS_FROM_SEVERAL_BANKS"], decision.ReasonCodes);
        Assert.Equal([50m, 33.75m, 25m], decision.Reasons.Select(r => r.ScoreLost));
        Assert.Equal([200, 266, 200, 225], decision.Categories.Select(c => c.Score)); // each rounded down
        Assert.Equal(891, decision.Score);
        Assert.Equal(290, decision.AnnualRateBps); // 300 + 40 (band 800) − 50
        Assert.False(decision.Rate.FloorApplied);
    }

    [Fact]
    public void The_operating_quick_loan_is_capped_at_its_own_cap_without_the_relending_discount()
    {
        var decision = Assess(Perfect() with { Product = Product.OperatingQuickLoan });
        Assert.Equal((Outcome.Approve, Product.OperatingQuickLoan, 300_000_000L), (decision.Outcome, decision.Product, decision.LimitMinor));
        Assert.Equal(new RateBreakdown { BaseRateBps = 300, RiskPremiumBps = 0, RelendingDiscountBps = 0, FloorBps = 270, FloorApplied = false, AnnualRateBps = 300 }, decision.Rate);
    }

    [Fact]
    public void An_enterprise_without_srdi_recognition_asking_for_the_srdi_e_loan_gets_the_operating_quick_loan_with_the_reason()
    {
        var decision = Assess(Perfect().WithProfile(p => p with { SrdiLevel = SrdiLevel.None }) with { Product = Product.SrdiELoan });
        Assert.Equal(Product.OperatingQuickLoan, decision.Product);
        Assert.Equal("NOT_ELIGIBLE_FOR_SRDI_E_LOAN", decision.Reasons[0].Code);
        Assert.Equal(ReasonKind.Product, decision.Reasons[0].Kind);
    }

    [Fact]
    public void An_enterprise_asking_for_any_product_gets_the_one_it_qualifies_for_without_a_product_reason()
    {
        var decision = Assess(Perfect().WithProfile(p => p with { SrdiLevel = SrdiLevel.None }));
        Assert.Equal(Product.OperatingQuickLoan, decision.Product);
        Assert.DoesNotContain(decision.Reasons, r => r.Kind == ReasonKind.Product);
    }

    [Fact]
    public void Weak_innovation_keeps_an_srdi_enterprise_from_the_srdi_e_loan()
    {
        // Innovation sub-score 75 (one invention patent and the high-tech recognition: 150 of 500 points) is below the product's 100.
        var decision = Assess(Perfect().WithInnovation(i => i with { InventionPatents = 1, OtherPatents = 0, RdSpendMinor = 0, RdStaff = 0 }));
        Assert.Equal(75, decision.Categories[2].Score);
        Assert.Equal(Product.OperatingQuickLoan, decision.Product);
    }

    [Fact]
    public void The_limit_is_rounded_down_to_10000_cny()
    {
        // Net inflow 144,032.88 CNY a month × 24 = 3,456,789.12 CNY → 3,450,000 CNY.
        var decision = Assess(Perfect() with { FundFlow = Steady(565_000_000, 565_000_000 - 14_403_288, ("A", 150_000_000), ("B", 150_000_000), ("C", 150_000_000)) });
        Assert.Equal(345_678_912, decision.Limit.CashFlowLimitMinor);
        Assert.Equal(345_000_000, decision.LimitMinor);
        Assert.Equal(LimitBasis.CashFlow, decision.Limit.Basis);
        Assert.Equal(["LIMIT_SET_BY_CASH_FLOW", "NET_CASH_INFLOW_LIMITS_CREDIT"], decision.ReasonCodes);
        Assert.Empty(decision.Counterfactuals); // nothing an enterprise can change moves its past fund flow
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(999_999, 0)]
    [InlineData(1_000_000, 1_000_000)]
    [InlineData(1_999_999, 1_000_000)]
    [InlineData(-5, 0)]
    [InlineData(100_000_000_000, 100_000_000_000)]
    public void Rounding_to_the_limit_unit_never_rounds_up(long amount, long rounded) =>
        Assert.Equal(rounded, Assessor.RoundDownToLimitUnit(amount));

    [Fact]
    public void A_limit_below_the_product_minimum_declines()
    {
        var decision = Assess(Perfect() with { FundFlow = Steady(565_000_000, 565_000_000 - 400_000, ("A", 150_000_000), ("B", 150_000_000), ("C", 150_000_000)) });
        Assert.Equal(Outcome.Decline, decision.Outcome);
        Assert.Equal(["LIMIT_BELOW_PRODUCT_MINIMUM", "LIMIT_SET_BY_CASH_FLOW", "NET_CASH_INFLOW_LIMITS_CREDIT"], decision.ReasonCodes);
        Assert.Equal((0L, 0), (decision.LimitMinor, decision.AnnualRateBps));
        Assert.Equal(9_600_000, decision.Limit.CashFlowLimitMinor); // kept to explain the decline
    }

    [Fact]
    public void The_minimum_limit_itself_is_granted()
    {
        var decision = Assess(Perfect() with { FundFlow = Steady(565_000_000, 565_000_000 - 416_667, ("A", 150_000_000), ("B", 150_000_000), ("C", 150_000_000)) });
        Assert.Equal((Outcome.Approve, 10_000_000L), (decision.Outcome, decision.LimitMinor));
    }

    [Fact]
    public void Each_knock_out_declines_with_its_reason_first_and_the_score_still_shown()
    {
        var overdue = Assess(Perfect().WithFinancing(f => f with { CurrentlyOverdue = true, MaxOverdueDaysLast12Months = 10, MaxOverdueDaysLast24Months = 10 }));
        var young = Assess(Perfect().WithProfile(p => p with { FoundedOn = new DateOnly(2025, 4, 1) }));
        var excluded = Assess(Perfect() with { OnExclusionList = true });

        Assert.All([overdue, young, excluded], d =>
        {
            Assert.Equal(Outcome.Decline, d.Outcome);
            Assert.Equal(ReasonKind.KnockOut, d.Reasons[0].Kind);
            Assert.Equal((0L, 0), (d.LimitMinor, d.AnnualRateBps));
            Assert.True(d.Score > 0);
        });
        Assert.Equal("CURRENTLY_OVERDUE_AT_CREDIT_BUREAU", overdue.Reasons[0].Code);
        Assert.Equal("IN_OPERATION_UNDER_ONE_YEAR", young.Reasons[0].Code);
        Assert.Equal("ON_BANK_EXCLUSION_LIST", excluded.Reasons[0].Code);
    }

    [Theory]
    [InlineData("2025-03-31", Outcome.Approve)] // 12 months to the day
    [InlineData("2025-04-01", Outcome.Decline)] // one day short
    [InlineData("2026-03-31", Outcome.Decline)] // founded today
    public void One_year_in_operation_is_counted_to_the_day(string foundedOn, Outcome outcome) =>
        Assert.Equal(outcome, Assess(Perfect().WithProfile(p => p with { FoundedOn = DateOnly.Parse(foundedOn, System.Globalization.CultureInfo.InvariantCulture) })).Outcome);

    [Fact]
    public void All_knock_outs_are_listed_when_several_apply()
    {
        var decision = Assess(Perfect().WithFinancing(f => f with { CurrentlyOverdue = true }) with { OnExclusionList = true });
        Assert.Equal(["CURRENTLY_OVERDUE_AT_CREDIT_BUREAU", "ON_BANK_EXCLUSION_LIST"], decision.Reasons.TakeWhile(r => r.Kind == ReasonKind.KnockOut).Select(r => r.Code));
        Assert.Empty(decision.Counterfactuals); // clearing the overdue alone would not help
    }

    [Theory]
    [InlineData(ExternalProvider.CreditBureau, "EXTERNAL_DATA_UNAVAILABLE_CREDIT_BUREAU")]
    [InlineData(ExternalProvider.TaxBureau, "EXTERNAL_DATA_UNAVAILABLE_TAX_BUREAU")]
    [InlineData(ExternalProvider.FundFlowPlatform, "EXTERNAL_DATA_UNAVAILABLE_FUND_FLOW_PLATFORM")]
    public void A_provider_that_did_not_answer_refers_a_perfect_application_instead_of_approving_it(ExternalProvider provider, string reason)
    {
        var failure = ProviderResult<CreditBureauReport>.Failed(new ProviderFailure(provider, ProviderFailureKind.Timeout, "timed out"));
        var application = Perfect().WithExternalData(
            provider == ExternalProvider.CreditBureau ? failure : ProviderResult<CreditBureauReport>.Ok(Perfect().Financing!),
            provider == ExternalProvider.TaxBureau ? ProviderResult<TaxRecord>.Failed(failure.Failure!) : ProviderResult<TaxRecord>.Ok(Perfect().Tax!),
            provider == ExternalProvider.FundFlowPlatform ? ProviderResult<FundFlowStatement>.Failed(failure.Failure!) : ProviderResult<FundFlowStatement>.Ok(Perfect().FundFlow!));

        var decision = Assess(application);

        Assert.Equal(Outcome.Refer, decision.Outcome);
        Assert.Equal([reason], decision.ReasonCodes);
        Assert.Equal(reason, failure.Failure!.ReasonCode);
        Assert.Equal((Product.None, 0, 0L, 0), (decision.Product, decision.Score, decision.LimitMinor, decision.AnnualRateBps));
        Assert.Empty(decision.Indicators);
        Assert.Empty(decision.Counterfactuals);
    }

    [Fact]
    public void Every_missing_provider_is_named()
    {
        var decision = Assess(Perfect() with { Financing = null, Tax = null, FundFlow = null });
        Assert.Equal(["EXTERNAL_DATA_UNAVAILABLE_CREDIT_BUREAU", "EXTERNAL_DATA_UNAVAILABLE_TAX_BUREAU", "EXTERNAL_DATA_UNAVAILABLE_FUND_FLOW_PLATFORM"], decision.ReasonCodes);
    }

    [Fact]
    public void A_knock_out_shown_by_the_data_at_hand_still_declines_when_other_data_is_missing()
    {
        var decision = Assess(Perfect() with { Tax = null, OnExclusionList = true });
        Assert.Equal(Outcome.Decline, decision.Outcome);
        Assert.Equal(["ON_BANK_EXCLUSION_LIST", "EXTERNAL_DATA_UNAVAILABLE_TAX_BUREAU"], decision.ReasonCodes);
    }

    [Theory]
    [InlineData(48_000_000, Outcome.Approve)] // 12M of 60M: exactly the 20% tolerance
    [InlineData(47_999_999, Outcome.Refer)] // a yuan beyond it
    public void Declared_and_taxed_revenue_may_differ_by_the_tolerance_and_no_more(long taxedCny, Outcome outcome)
    {
        var decision = Assess(Perfect().WithTax(t => t with { TaxedRevenueLast12MonthsMinor = taxedCny * Cny }));
        Assert.Equal(outcome, decision.Outcome);
        if (outcome == Outcome.Refer)
        {
            Assert.Equal(("DECLARED_REVENUE_DISAGREES_WITH_TAX", ReasonKind.Referral), (decision.Reasons[0].Code, decision.Reasons[0].Kind));
            Assert.True(decision.LimitMinor > 0); // indicative, for the person who decides
            Assert.Empty(decision.Counterfactuals);
        }
    }

    [Fact]
    public void Fund_flow_far_below_declared_and_taxed_revenue_refers_with_both_disagreements_the_larger_first()
    {
        // Inflow of 3M a month implies 31.9M of revenue against 60M declared and 58M taxed.
        var decision = Assess(Perfect() with { FundFlow = Steady(300_000_000, 250_000_000, ("A", 90_000_000), ("B", 90_000_000), ("C", 60_000_000)) });
        Assert.Equal(Outcome.Refer, decision.Outcome);
        Assert.Equal(["DECLARED_REVENUE_DISAGREES_WITH_FUND_FLOW", "TAXED_REVENUE_DISAGREES_WITH_FUND_FLOW"], decision.ReasonCodes.Take(2));
        Assert.Equal(3_185_840_707, decision.RevenueCheck!.FundFlowImpliedMinor);
    }

    [Fact]
    public void Score_thresholds_are_inclusive_where_the_model_says_from()
    {
        var application = Perfect().WithFinancials(f => f with { TotalLiabilitiesMinor = 32_500_000 * Cny }); // score 966
        var score = Assess(application).Score;

        Assert.Equal(Outcome.Approve, Assess(application, ChampionWith(j => j["thresholds"]!["approve_from"] = score)).Outcome);
        Assert.Equal(Outcome.Refer, Assess(application, ChampionWith(j => j["thresholds"]!["approve_from"] = score + 1)).Outcome);
        Assert.Equal(Outcome.Refer, Assess(application, ChampionWith(j => { j["thresholds"]!["decline_below"] = score; j["thresholds"]!["approve_from"] = score + 1; })).Outcome);
        Assert.Equal(Outcome.Decline, Assess(application, ChampionWith(j => { j["thresholds"]!["decline_below"] = score + 1; j["thresholds"]!["approve_from"] = score + 1; })).Outcome);
    }

    [Fact]
    public void A_referral_on_score_carries_an_indicative_limit_and_rate_and_what_would_approve_it()
    {
        var application = Perfect().WithFinancials(f => f with { TotalLiabilitiesMinor = 32_500_000 * Cny }); // score 966
        var decision = Assess(application, ChampionWith(j => j["thresholds"]!["approve_from"] = 967));

        Assert.Equal(Outcome.Refer, decision.Outcome);
        Assert.Equal(1_000_000_000, decision.LimitMinor);
        Assert.Equal(270, decision.AnnualRateBps);
        var counterfactual = Assert.Single(decision.Counterfactuals);
        Assert.Equal((Fields.TotalLiabilities, 3_250_000_000L, 2_999_999_999L), (counterfactual.Field, counterfactual.CurrentValue, counterfactual.TargetValue));
        Assert.Equal((6_500L, 5_999L, Outcome.Approve), (counterfactual.CurrentIndicatorValue, counterfactual.TargetIndicatorValue, counterfactual.Outcome));
    }

    [Fact]
    public void The_same_application_gives_the_same_decision() =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Assess(Perfect()), Json), System.Text.Json.JsonSerializer.Serialize(Assess(Perfect()), Json));

    [Fact]
    public void The_challenger_decides_the_same_application_under_its_own_version()
    {
        var decision = Assess(Perfect(), Challenger);
        Assert.Equal("scorecard-2026.2-challenger", decision.ModelVersion);
        Assert.Equal([150, 300, 300, 250], decision.Categories.Select(c => c.MaxScore));
    }
}
