using System.Text.Json.Nodes;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class ModelLoadingTests
{
    private static readonly string ChampionJson = File.ReadAllText("models/scorecard-2026.1.json");

    [Theory]
    [InlineData("models/scorecard-2026.1.json", "scorecard-2026.1")]
    [InlineData("models/scorecard-2026.2-challenger.json", "scorecard-2026.2-challenger")]
    public void The_models_in_the_repository_load_with_their_version(string path, string version) =>
        Assert.Equal(version, ScorecardModel.LoadFile(path).Version);

    [Fact]
    public void The_champion_holds_what_the_product_requires()
    {
        var model = Fixtures.Champion;
        Assert.Equal(1_000_000_000, model.ProductDefinition(Product.SrdiELoan).CapMinor);
        Assert.True(model.ProductDefinition(Product.SrdiELoan).TechRelendingEligible);
        Assert.False(model.ProductDefinition(Product.OperatingQuickLoan).TechRelendingEligible);
        Assert.Equal(16, model.IndicatorDefinitions.Length);
        Assert.Equal(1000, model.Categories.Sum(c => model.CategoryMaxScore(c.Category)));
        Assert.Equal(12, model.KnockOuts.MinMonthsInOperation);
    }

    [Fact]
    public void An_srdi_table_written_for_the_ladder_without_the_innovative_sme_is_named() =>
        AssertProblem(
            j => j["indicators"]![1]!["bins"]!.AsArray().RemoveAt(4),
            "indicators[srdi_level].bins: must be one bin for each level, from 0 to 4 (rank on the ladder: 0 none, 1 innovative SME, 2 municipal, 3 provincial, 4 national little giant), not from 0, 1, 2, 3");

    [Fact]
    public void A_tech_recognition_table_that_merges_two_levels_is_named() =>
        AssertProblem(
            j => j["indicators"]![12]!["bins"]!.AsArray().RemoveAt(1),
            "indicators[tech_recognition].bins: must be one bin for each level, from 0 to 2 (level: 0 none, 1 tech-based SME, 2 high-tech enterprise), not from 0, 2");

    [Fact]
    public void A_model_without_the_tech_recognition_indicator_is_named() =>
        AssertProblem(j => j["indicators"]!.AsArray().RemoveAt(12), "indicators: tech_recognition must appear once, not 0 times");

    [Fact]
    public void A_minimum_srdi_level_of_innovative_sme_is_accepted() =>
        Assert.Equal(SrdiLevel.InnovativeSme, Fixtures.ChampionWith(j => j["products"]![0]!["min_srdi_level"] = "innovative_sme").ProductDefinition(Product.SrdiELoan).MinSrdiLevel);

    [Fact]
    public void Category_weights_that_do_not_add_up_are_named() =>
        AssertProblem(j => j["categories"]![0]!["weight_bps"] = 1500, "categories: weights add up to 9500 bps, not 10000");

    [Fact]
    public void A_missing_category_is_named() =>
        AssertProblem(j => j["categories"]!.AsArray().RemoveAt(3), "categories: financing must appear once, not 0 times");

    [Fact]
    public void A_weight_that_gives_a_fraction_of_a_point_is_named() =>
        AssertProblem(
            j =>
            {
                j["categories"]![0]!["weight_bps"] = 2001;
                j["categories"]![1]!["weight_bps"] = 2999;
            },
            "categories[basic].weight_bps: 2001 bps of max_score 1000 is not a whole number of points");

    [Fact]
    public void A_missing_indicator_is_named() =>
        AssertProblem(j => j["indicators"]!.AsArray().RemoveAt(6), "indicators: debt_to_asset must appear once, not 0 times");

    [Fact]
    public void Bins_out_of_order_are_named() =>
        AssertProblem(j => Bins(j, "debt_to_asset")[2]!["from"] = 5000, "indicators[debt_to_asset].bins[2].from: must be greater than bins[1].from (5000), not 5000");

    [Fact]
    public void Bins_that_leave_the_lowest_values_uncovered_are_named() =>
        AssertProblem(j => Bins(j, "revenue_growth")[0]!["from"] = -5000, "indicators[revenue_growth].bins[0].from: must be at most -10000");

    [Fact]
    public void A_bin_that_costs_points_without_a_reason_is_named() =>
        AssertProblem(j => Bins(j, "debt_to_asset")[1]!.AsObject().Remove("reason"), "indicators[debt_to_asset].bins[1].reason: is required");

    [Fact]
    public void A_reason_that_is_not_upper_snake_case_is_named() =>
        AssertProblem(j => Bins(j, "debt_to_asset")[1]!["reason"] = "debt high", "must be UPPER_SNAKE_CASE");

    [Fact]
    public void An_actionable_flag_on_history_is_refused() =>
        AssertProblem(j => Indicator(j, "years_in_operation")["actionable"] = true, "indicators[years_in_operation].actionable: years_in_operation has no input an enterprise can change");

    [Fact]
    public void Bands_that_do_not_start_at_zero_are_named() =>
        AssertProblem(j => j["score_bands"]![0]!["from_score"] = 1, "score_bands[0].from_score: must be 0 so that the bands cover every score, not 1");

    [Fact]
    public void A_band_beyond_the_maximum_score_is_named() =>
        AssertProblem(j => j["score_bands"]![5]!["from_score"] = 1001, "score_bands[5].from_score: must be at most max_score (1000), not 1001");

    [Fact]
    public void A_higher_band_with_a_lower_limit_share_is_named() =>
        AssertProblem(j => j["score_bands"]![3]!["revenue_share_bps"] = 1400, "score_bands[3].revenue_share_bps: must not be below the lower band's (1500), not 1400");

    [Fact]
    public void A_higher_band_with_a_higher_premium_is_named() =>
        AssertProblem(j => j["score_bands"]![2]!["risk_premium_bps"] = 300, "score_bands[2].risk_premium_bps: must not exceed the lower band's (250), not 300");

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    [InlineData(150)]
    public void A_product_cap_that_is_not_a_positive_multiple_of_10000_cny_is_named(long cap) =>
        AssertProblem(j => j["products"]![1]!["cap_minor"] = cap, $"products[operating_quick_loan].cap_minor: must be a positive multiple of 1000000 fen (10,000 CNY) up to 100000000000, not {cap}");

    [Fact]
    public void Thresholds_in_the_wrong_order_are_named() =>
        AssertProblem(j => j["thresholds"]!["decline_below"] = 700, "thresholds: must satisfy 1 <= decline_below <= approve_from <= max_score (1000), not decline_below 700, approve_from 600");

    [Fact]
    public void A_rate_floor_above_the_base_rate_is_named() =>
        AssertProblem(j => j["rate"]!["floor_bps"] = 301, "rate.floor_bps: must be from 0 to base_rate_bps (300), not 301");

    [Fact]
    public void A_minimum_limit_above_a_product_cap_is_named() =>
        AssertProblem(j => j["limit"]!["min_limit_minor"] = 400_000_000, "limit.min_limit_minor: 400000000 exceeds a product's cap_minor");

    [Fact]
    public void A_cash_flow_factor_table_that_rewards_instability_is_named() =>
        AssertProblem(j => j["cash_flow"]!["stability"]![2]!["factor_bps"] = 9000, "cash_flow.stability[2].factor_bps: must not rise above the previous bin's (8500), not 9000");

    [Fact]
    public void A_risk_signal_without_a_rule_is_named() =>
        AssertProblem(j => j["risk_signals"]!.AsArray().RemoveAt(0), "risk_signals: overdue at low severity must have one rule, not 0");

    [Fact]
    public void Lowering_a_limit_by_all_of_it_is_refused() =>
        AssertProblem(j => j["risk_signals"]![1]!["lower_by_bps"] = 10000, "risk_signals[1].lower_by_bps: must be from 1 to 9999 for lower_limit");

    [Fact]
    public void An_unknown_field_is_refused_so_that_a_typo_cannot_pass_unnoticed() =>
        AssertProblem(j => j["rate"]!["floor_bp"] = 270, "floor_bp");

    [Fact]
    public void A_missing_section_is_named() =>
        AssertProblem(j => j.AsObject().Remove("renewal"), "renewal");

    [Fact]
    public void An_unknown_enum_name_is_refused() =>
        AssertProblem(j => j["products"]![0]!["product"] = "srdi_loan", "$.products[0].product");

    [Fact]
    public void Malformed_json_is_refused_with_its_position() =>
        Assert.Throws<InvalidModelException>(() => ScorecardModel.Load("{ \"version\": "));

    [Fact]
    public void A_missing_file_is_named() =>
        Assert.Contains("no such model file", Assert.Throws<InvalidModelException>(() => ScorecardModel.LoadFile("models/nope.json")).Message);

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ex = Load(j =>
        {
            j["categories"]![0]!["weight_bps"] = 1500;
            j["rate"]!["floor_bps"] = 301;
            j["renewal"]!["window_days"] = 0;
        });
        Assert.Equal(3, ex.Problems.Count);
    }

    private static void AssertProblem(Action<JsonNode> change, string expected)
    {
        var ex = Load(change);
        Assert.True(ex.Problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected a problem containing\n  {expected}\nbut got\n  {string.Join("\n  ", ex.Problems)}");
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static InvalidModelException Load(Action<JsonNode> change)
    {
        var json = JsonNode.Parse(ChampionJson)!;
        change(json);
        return Assert.Throws<InvalidModelException>(() => ScorecardModel.Load(json.ToJsonString()));
    }

    private static JsonObject Indicator(JsonNode json, string name) =>
        json["indicators"]!.AsArray().Single(i => (string?)i!["indicator"] == name)!.AsObject();

    private static JsonArray Bins(JsonNode json, string name) => Indicator(json, name)["bins"]!.AsArray();
}
