using System.Text.Json;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

/// <summary>
/// Applications in files (Golden/*.json) with the decision each must get: outcome, product,
/// score and sub-scores, limit, rate, the leading reasons and the counterfactuals. A change to the
/// model or the assessor that moves any of them shows here, case by case.
/// </summary>
public sealed class GoldenTests
{
    private static readonly JsonSerializerOptions Compact = new(Json) { WriteIndented = false, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Assessment", "Golden");

    public static TheoryData<string> Files => [.. Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Files))]
    public void A_golden_application_gets_its_recorded_decision(string file)
    {
        var golden = Read(file);
        var expected = golden.Expected ?? throw new InvalidOperationException($"{file} has no expected block; actual:\n{Describe(golden)}");
        var errors = ApplicationRules.Validate(golden.Application, golden.AsOf, Xiamen);
        if (expected.InvalidFields is { Length: > 0 })
        {
            Assert.Equal(expected.InvalidFields, errors.Select(e => e.Field!).ToArray());
            return;
        }

        Assert.Empty(errors);
        var decision = Assessor.Assess(golden.Application, ScorecardModel.LoadFile($"models/{golden.Model}.json"), golden.AsOf, golden.Case);
        var actual = Expectation.Of(decision, expected.TopReasons?.Length ?? 0);
        Assert.True(
            JsonSerializer.Serialize(expected, Compact) == JsonSerializer.Serialize(actual, Compact),
            $"{file}: expected\n{JsonSerializer.Serialize(expected, Compact)}\nactual\n{JsonSerializer.Serialize(actual, Compact)}");
    }

    [Fact]
    public void The_golden_cases_cover_every_knock_out_each_product_the_cap_referrals_and_the_legacy_codes()
    {
        var cases = Directory.GetFiles(Folder, "*.json").Select(f => Read(Path.GetFileName(f))).ToList();
        var expectations = cases.Select(c => c.Expected!).ToList();
        var reasons = expectations.SelectMany(e => e.TopReasons ?? []).ToHashSet();

        Assert.True(cases.Count >= 20, $"{cases.Count} golden cases");
        Assert.Superset(
            new HashSet<string>
            {
                "CURRENTLY_OVERDUE_AT_CREDIT_BUREAU", "SERIOUS_OVERDUE_IN_CREDIT_HISTORY", "IN_OPERATION_UNDER_ONE_YEAR", "ON_BANK_EXCLUSION_LIST",
                "DECLARED_REVENUE_DISAGREES_WITH_TAX", "EXTERNAL_DATA_UNAVAILABLE_CREDIT_BUREAU", "NOT_ELIGIBLE_FOR_SRDI_E_LOAN",
            },
            reasons);
        Assert.Contains(expectations, e => e.Product == Product.SrdiELoan && e.Outcome == Outcome.Approve && e.LimitMinor == 1_000_000_000);
        Assert.Contains(expectations, e => e.Product == Product.OperatingQuickLoan && e.Outcome == Outcome.Approve && e.LimitMinor == 300_000_000);
        Assert.Contains(expectations, e => e.Outcome == Outcome.Refer);
        Assert.Contains(expectations, e => e.Counterfactuals is { Length: > 0 });
        Assert.Contains(expectations, e => e.InvalidFields is { Length: > 0 });
        Assert.Superset(new HashSet<string>(Xiamen), cases.Where(c => c.Expected!.InvalidFields is null).Select(c => c.Application.EnterpriseId).ToHashSet());
    }

    private static Golden Read(string file) =>
        JsonSerializer.Deserialize<Golden>(File.ReadAllText(Path.Combine(Folder, file)), Json) ?? throw new InvalidOperationException($"{file} is empty");

    private static string Describe(Golden golden)
    {
        var errors = ApplicationRules.Validate(golden.Application, golden.AsOf, Xiamen);
        if (errors.Count > 0)
        {
            return JsonSerializer.Serialize(new Expectation { InvalidFields = [.. errors.Select(e => e.Field!)] }, Compact);
        }

        var decision = Assessor.Assess(golden.Application, ScorecardModel.LoadFile($"models/{golden.Model}.json"), golden.AsOf, golden.Case);
        return JsonSerializer.Serialize(Expectation.Of(decision, 4), Compact);
    }

    private sealed record Golden
    {
        public required string Case { get; init; }
        public required string Covers { get; init; }
        public required string Model { get; init; }
        public required DateOnly AsOf { get; init; }
        public required CreditApplication Application { get; init; }
        public Expectation? Expected { get; init; }
    }

    private sealed record Expectation
    {
        public Outcome Outcome { get; init; }
        public Product Product { get; init; }
        public int Score { get; init; }
        public int[]? Categories { get; init; }
        public long LimitMinor { get; init; }
        public int AnnualRateBps { get; init; }
        public string[]? TopReasons { get; init; }
        public GoldenCounterfactual[]? Counterfactuals { get; init; }

        /// <summary>For an application that must be refused: the fields named, in order.</summary>
        public string[]? InvalidFields { get; init; }

        public static Expectation Of(Decision decision, int topReasons) => new()
        {
            Outcome = decision.Outcome,
            Product = decision.Product,
            Score = decision.Score,
            Categories = [.. decision.Categories.Select(c => c.Score)],
            LimitMinor = decision.LimitMinor,
            AnnualRateBps = decision.AnnualRateBps,
            TopReasons = [.. decision.ReasonCodes.Take(topReasons)],
            Counterfactuals = [.. decision.Counterfactuals.Select(c => new GoldenCounterfactual(c.Field, c.CurrentValue, c.TargetValue, c.Outcome, c.LimitMinor))],
        };
    }

    private sealed record GoldenCounterfactual(string Field, long CurrentValue, long TargetValue, Outcome Outcome, long LimitMinor);
}
