using System.Text.Json;
using CsCheck;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Simulations;
using Decisioning.Testing;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

/// <summary>
/// Properties over the simulated population (a spread of strong, average, weak and knocked-out
/// enterprises), each perturbed in one input.
/// </summary>
public sealed class PropertyTests
{
    private const long Iterations = 300;

    private static readonly Gen<CreditApplication> Simulated =
        Gen.Select(Gen.Long[0, 10_000_000], Gen.Enum<Product>(), (n, product) => SimulatedEnterprise.Application(TestEnterprises.Id(n), AsOf, product));

    private static readonly Gen<ScorecardModel> Models = Gen.OneOf(Champion, Challenger);

    /// <summary>A change to one input that moves the score and nothing that decides a limit directly.</summary>
    private static readonly Gen<Func<CreditApplication, CreditApplication>> ScoreOnlyChange = Gen.OneOf(
        Gen.Int[0, 12].Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithInnovation(i => i with { InventionPatents = v }))),
        Gen.Int[0, 40].Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithInnovation(i => i with { OtherPatents = v }))),
        Gen.Int[0, 400].Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithProfile(p => p with { Employees = v }))),
        Gen.Int[0, 12].Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithFinancing(f => f with { LendingBanks = v }))),
        Gen.Int[0, 200].Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithFinancing(f => f with { MaxOverdueDaysLast24Months = v, MaxOverdueDaysLast12Months = Math.Min(v, f.MaxOverdueDaysLast12Months) }))),
        Gen.Int[0, SrdiLadder.Levels.Length - 1].Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithProfile(p => p with { SrdiLevel = SrdiLadder.OfRank(v) }))),
        Gen.Select(Gen.Bool, Gen.Bool).Select((highTech, techSme) => (Func<CreditApplication, CreditApplication>)(a => a.WithInnovation(i => i with { HighTechEnterprise = highTech, TechBasedSme = techSme }))),
        Gen.Bool.Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithProfile(p => p with { StrategicEmergingIndustry = v }))),
        Gen.Int[0, 10_000].Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithInnovation(i => i with { RdStaff = (int)((long)i.TotalStaff * v / 10_000) }))),
        Gen.Long[0, 100_000_000_000].Select(v => (Func<CreditApplication, CreditApplication>)(a => a.WithFinancials(f => f with { TotalLiabilitiesMinor = v }))));

    [Fact]
    public void More_overdue_days_never_raise_the_score() =>
        Gen.Select(Simulated, Models, Gen.Int[0, AssessmentLimits.MaxOverdueDaysLast24Months], Gen.Int[0, AssessmentLimits.MaxOverdueDaysLast24Months])
            .Sample(
                (application, model, a, b) =>
                {
                    var (fewer, more) = (Math.Min(a, b), Math.Max(a, b));
                    var withFewer = application.WithFinancing(f => f with { MaxOverdueDaysLast24Months = fewer, MaxOverdueDaysLast12Months = 0 });
                    var withMore = application.WithFinancing(f => f with { MaxOverdueDaysLast24Months = more, MaxOverdueDaysLast12Months = 0 });
                    return Assessor.Assess(withMore, model, AsOf, "p", withCounterfactuals: false).Score
                        <= Assessor.Assess(withFewer, model, AsOf, "p", withCounterfactuals: false).Score;
                },
                iter: Iterations);

    [Fact]
    public void A_higher_score_never_lowers_the_limit_when_nothing_else_changes() =>
        Gen.Select(Simulated, Models, ScoreOnlyChange)
            .Sample(
                (application, model, change) =>
                {
                    // One input apart. (Two enterprises apart in two inputs may rank the other way:
                    // SRDI recognition itself, not only the score, opens the SRDI e-Loan's cap.)
                    var a = Assessor.Assess(application, model, AsOf, "p", withCounterfactuals: false);
                    var b = Assessor.Assess(change(application), model, AsOf, "p", withCounterfactuals: false);
                    var (lower, higher) = a.Score <= b.Score ? (a, b) : (b, a);
                    return lower.Score == higher.Score || lower.LimitMinor <= higher.LimitMinor;
                },
                iter: Iterations);

    [Fact]
    public void No_limit_exceeds_its_product_cap_and_every_limit_is_whole_10000_cny() =>
        Gen.Select(Simulated, Models, ScoreOnlyChange)
            .Sample(
                (application, model, change) =>
                {
                    var decision = Assessor.Assess(change(application), model, AsOf, "p");
                    var capped = decision.Product == Product.None ? decision.LimitMinor == 0 : decision.LimitMinor <= model.ProductDefinition(decision.Product).CapMinor;
                    var positiveOnlyWhenGranted = decision.Outcome == Outcome.Decline ? decision.LimitMinor == 0 : decision.LimitMinor >= 0;
                    return capped && positiveOnlyWhenGranted && decision.LimitMinor % 1_000_000 == 0
                        && decision.Counterfactuals.All(c => c.LimitMinor % 1_000_000 == 0 && c.LimitMinor <= model.ProductDefinition(c.Product).CapMinor);
                },
                iter: Iterations);

    [Fact]
    public void An_approval_is_never_given_on_missing_external_data() =>
        Gen.Select(Simulated, Gen.Int[1, 7])
            .Sample(
                (application, missing) =>
                {
                    var partial = application with
                    {
                        Financing = (missing & 1) != 0 ? null : application.Financing,
                        Tax = (missing & 2) != 0 ? null : application.Tax,
                        FundFlow = (missing & 4) != 0 ? null : application.FundFlow,
                    };
                    var decision = Assess(partial);
                    return decision.Outcome != Outcome.Approve && decision.ReasonCodes.Any(c => c.StartsWith("EXTERNAL_DATA_UNAVAILABLE_", StringComparison.Ordinal));
                },
                iter: Iterations);

    [Fact]
    public void Applying_a_counterfactual_really_gives_the_better_decision_it_promises() =>
        Gen.Select(Simulated, Models, ScoreOnlyChange)
            .Sample(
                (application, model, change) =>
                {
                    var changed = change(application);
                    var baseline = Assessor.Assess(changed, model, AsOf, "p");
                    foreach (var counterfactual in baseline.Counterfactuals)
                    {
                        var applied = Assessor.Assess(changed.SetField(counterfactual.Field, counterfactual.TargetValue), model, AsOf, "p", withCounterfactuals: false);
                        Assert.Equal((counterfactual.Outcome, counterfactual.LimitMinor, counterfactual.Score, counterfactual.AnnualRateBps), (applied.Outcome, applied.LimitMinor, applied.Score, applied.AnnualRateBps));
                        Assert.True(Better(applied, baseline), $"{counterfactual.Field} → {counterfactual.TargetValue} gives {applied.Outcome} {applied.LimitMinor}, no better than {baseline.Outcome} {baseline.LimitMinor}");
                    }
                },
                iter: Iterations);

    [Fact]
    public void A_counterfactual_is_the_smallest_change_of_its_field() =>
        Gen.Select(Simulated, Models, ScoreOnlyChange)
            .Sample(
                (application, model, change) =>
                {
                    var changed = change(application);
                    var baseline = Assessor.Assess(changed, model, AsOf, "p");
                    foreach (var counterfactual in baseline.Counterfactuals.Where(c => c.Indicator != Indicator.None))
                    {
                        // One unit less of the change leaves the decision no better (one step down the ladder for a recognition).
                        var shortOf = counterfactual.Field == Fields.SrdiLevel
                            ? (long)SrdiLadder.OfRank(SrdiLadder.Rank((SrdiLevel)counterfactual.TargetValue) + Math.Sign(SrdiLadder.Rank((SrdiLevel)counterfactual.CurrentValue) - SrdiLadder.Rank((SrdiLevel)counterfactual.TargetValue)))
                            : counterfactual.TargetValue + Math.Sign(counterfactual.CurrentValue - counterfactual.TargetValue);
                        var nearly = Assessor.Assess(changed.SetField(counterfactual.Field, shortOf), model, AsOf, "p", withCounterfactuals: false);
                        Assert.False(Better(nearly, baseline), $"{counterfactual.Field} → {shortOf} is already enough");
                    }
                },
                iter: Iterations);

    [Fact]
    public void Decisions_are_deterministic() =>
        Simulated.Sample(
            application => JsonSerializer.Serialize(Assess(application), Json) == JsonSerializer.Serialize(Assess(application), Json),
            iter: 100);

    [Fact]
    public void Every_simulated_application_is_valid() =>
        Gen.Select(Gen.Long[0, 10_000_000], Gen.Int[0, 3_650]).Sample(
            (n, days) =>
            {
                var asOf = new DateOnly(2026, 1, 1).AddDays(days);
                var errors = ApplicationRules.Validate(SimulatedEnterprise.Application(TestEnterprises.Id(n), asOf), asOf, Xiamen);
                Assert.Empty(errors);
            },
            iter: Iterations);

    private static bool Better(Decision candidate, Decision baseline) =>
        Rank(candidate.Outcome) > Rank(baseline.Outcome) || (candidate.Outcome == Outcome.Approve && baseline.Outcome == Outcome.Approve && candidate.LimitMinor > baseline.LimitMinor);

    private static int Rank(Outcome outcome) => outcome switch { Outcome.Approve => 2, Outcome.Refer => 1, _ => 0 };
}
