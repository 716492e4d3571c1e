using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Testing;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

/// <summary>
/// Issue 10's recognitions: the innovative SME (创新型中小企业) on the SRDI ladder below municipal,
/// and the high-tech enterprise (高新技术企业) and tech-based SME (科技型中小企业) counted in the
/// innovation category.
/// </summary>
public sealed class RecognitionTests
{
    [Fact]
    public void The_ladder_ranks_the_innovative_sme_above_no_recognition_and_below_municipal()
    {
        Assert.Equal(
            [(SrdiLevel.None, 0), (SrdiLevel.InnovativeSme, 1), (SrdiLevel.Municipal, 2), (SrdiLevel.Provincial, 3), (SrdiLevel.NationalLittleGiant, 4)],
            SrdiLadder.Levels.Select(l => (l, SrdiLadder.Rank(l))));
        Assert.True(SrdiLadder.AtLeast(SrdiLevel.Municipal, SrdiLevel.InnovativeSme));
        Assert.False(SrdiLadder.AtLeast(SrdiLevel.InnovativeSme, SrdiLevel.Municipal)); // though its contract number (5) is the larger
        Assert.True(SrdiLadder.AtLeast(SrdiLevel.InnovativeSme, SrdiLevel.InnovativeSme));
    }

    [Fact]
    public void Every_level_the_contract_defines_is_on_the_ladder_once_and_unspecified_is_not()
    {
        Assert.Equal(Enum.GetValues<SrdiLevel>().Where(l => l != SrdiLevel.Unspecified).Order(), SrdiLadder.Levels.Order());
        Assert.Equal(SrdiLadder.Levels.Length, SrdiLadder.Levels.Distinct().Count());
        Assert.Equal(SrdiLevel.NationalLittleGiant, SrdiLadder.Highest);
    }

    [Theory]
    [InlineData(SrdiLevel.Unspecified)]
    [InlineData((SrdiLevel)6)]
    public void A_level_off_the_ladder_has_no_rank_and_reaches_no_minimum(SrdiLevel level)
    {
        Assert.False(SrdiLadder.IsDefined(level));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrdiLadder.Rank(level));
        Assert.False(SrdiLadder.AtLeast(level, SrdiLevel.None));
        Assert.Equal(-1, SrdiLadder.SortKey(level));
    }

    [Fact]
    public void An_innovative_sme_scores_between_no_recognition_and_municipal_on_the_srdi_indicator()
    {
        var scored = new[] { SrdiLevel.None, SrdiLevel.InnovativeSme, SrdiLevel.Municipal }
            .Select(level => Assess(Perfect().WithProfile(p => p with { SrdiLevel = level })).Indicators.Single(i => i.Indicator == Indicator.SrdiLevel))
            .Select(i => (i.Value, i.Points, i.Reason));

        Assert.Equal(
            [(0L, 20, "NOT_RECOGNISED_AS_SRDI_ENTERPRISE"), (1L, 40, "SRDI_RECOGNITION_ONLY_INNOVATIVE_SME"), (2L, 60, "SRDI_RECOGNITION_ONLY_MUNICIPAL")],
            scored);
    }

    [Fact]
    public void An_innovative_sme_is_below_the_srdi_e_loans_municipal_minimum_and_reaches_a_minimum_set_at_its_own_level()
    {
        var application = Perfect().WithProfile(p => p with { SrdiLevel = SrdiLevel.InnovativeSme }) with { Product = Product.SrdiELoan };

        var champion = Assess(application);
        var lowered = Assess(application, ChampionWith(j => j["products"]![0]!["min_srdi_level"] = "innovative_sme"));

        Assert.Equal((Product.OperatingQuickLoan, "NOT_ELIGIBLE_FOR_SRDI_E_LOAN"), (champion.Product, champion.Reasons[0].Code));
        Assert.Equal(Product.SrdiELoan, lowered.Product);
        Assert.DoesNotContain(lowered.Reasons, r => r.Kind == ReasonKind.Product);
    }

    [Fact]
    public void The_srdi_counterfactual_climbs_the_ladder_and_names_the_level_by_its_contract_number()
    {
        // 970 with the innovative SME's 40 of 100 points; municipal gives 980.
        var application = Perfect().WithProfile(p => p with { SrdiLevel = SrdiLevel.InnovativeSme });
        var decision = Assess(application, ChampionWith(j => j["thresholds"]!["approve_from"] = 980));

        Assert.Equal((Outcome.Refer, 970), (decision.Outcome, decision.Score));
        var counterfactual = Assert.Single(decision.Counterfactuals);
        Assert.Equal((Fields.SrdiLevel, (long)SrdiLevel.InnovativeSme, (long)SrdiLevel.Municipal), (counterfactual.Field, counterfactual.CurrentValue, counterfactual.TargetValue));
        Assert.Equal((1L, 2L, Outcome.Approve, 980), (counterfactual.CurrentIndicatorValue, counterfactual.TargetIndicatorValue, counterfactual.Outcome, counterfactual.Score));
    }

    [Theory]
    [InlineData(false, false, 0)]
    [InlineData(false, true, 1)]
    [InlineData(true, false, 2)]
    [InlineData(true, true, 2)]
    public void The_tech_recognition_indicator_counts_the_higher_recognition_held(bool highTech, bool techSme, int value) =>
        Assert.Equal(value, Indicators.TechRecognition(new InnovationProfile { InventionPatents = 0, OtherPatents = 0, RdSpendMinor = 0, RdStaff = 0, TotalStaff = 1, HighTechEnterprise = highTech, TechBasedSme = techSme }));

    [Theory]
    [InlineData(false, false, 220, "NOT_RECOGNISED_AS_TECH_ENTERPRISE")] // 440 of 500 points
    [InlineData(false, true, 235, "TECH_RECOGNITION_ONLY_TECH_BASED_SME")] // 470 of 500
    [InlineData(true, false, 250, null)]
    public void A_tech_recognition_counts_in_the_innovation_category(bool highTech, bool techSme, int innovation, string? reason)
    {
        var decision = Assess(Perfect().WithInnovation(i => i with { HighTechEnterprise = highTech, TechBasedSme = techSme }));

        var indicator = decision.Indicators.Single(i => i.Indicator == Indicator.TechRecognition);
        Assert.Equal(Category.Innovation, indicator.Category);
        Assert.Equal(innovation, decision.Categories[(int)Category.Innovation - 1].Score);
        Assert.Equal(reason, indicator.Reason);
        Assert.Equal(reason is null ? [] : [reason], decision.ReasonCodes);
    }

    [Fact]
    public void The_high_tech_recognition_lifts_weak_innovation_to_the_srdi_e_loan()
    {
        // One invention patent and little R&D: 50 + 40 + 40 of the four indicators' 400 points.
        var weak = Perfect().WithInnovation(i => i with { InventionPatents = 1, OtherPatents = 1, RdSpendMinor = 1_200_000 * Cny, RdStaff = 0, HighTechEnterprise = false });

        var unrecognised = Assess(weak);
        var highTech = Assess(weak.WithInnovation(i => i with { HighTechEnterprise = true }));

        Assert.Equal((85, Product.OperatingQuickLoan), (unrecognised.Categories[2].Score, unrecognised.Product)); // 170 of 500: under the e-Loan's 100
        Assert.Equal((115, Product.SrdiELoan), (highTech.Categories[2].Score, highTech.Product)); // 230 of 500
    }

    [Fact]
    public void The_high_tech_recognition_is_proposed_as_a_counterfactual()
    {
        var decision = Assess(Perfect().WithInnovation(i => i with { HighTechEnterprise = false }), ChampionWith(j => j["thresholds"]!["approve_from"] = 971));

        Assert.Equal((Outcome.Refer, 970), (decision.Outcome, decision.Score));
        var counterfactual = Assert.Single(decision.Counterfactuals);
        Assert.Equal((Fields.HighTechEnterprise, 0L, 1L, 0L, 2L), (counterfactual.Field, counterfactual.CurrentValue, counterfactual.TargetValue, counterfactual.CurrentIndicatorValue, counterfactual.TargetIndicatorValue));
        Assert.Equal((Outcome.Approve, 1000), (counterfactual.Outcome, counterfactual.Score));
    }

    [Fact]
    public void A_risk_fund_open_from_the_innovative_sme_covers_it_and_every_level_above_but_not_none()
    {
        var fund = TestRiskFunds.Enhancement with { MinSrdiLevel = SrdiLevel.InnovativeSme };
        var covered = SrdiLadder.Levels.Where(l => fund.Qualifies(new LoanWrittenOff("E", 5, DateTimeOffset.UnixEpoch, Product.SrdiELoan, 1_000_000, 0, false, true, l)));

        Assert.Equal([SrdiLevel.InnovativeSme, SrdiLevel.Municipal, SrdiLevel.Provincial, SrdiLevel.NationalLittleGiant], covered);
    }
}
