using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// One version of the credit model: the scorecard, the limit and rate rules, the knock-outs, the
/// products, the cash-flow and cross-check parameters, renewal and risk-signal policy. Read from a
/// versioned file in models/ and validated whole when loaded, so that a bad file stops the service
/// at start with every problem named, rather than mis-deciding later. Immutable and thread-safe.
/// </summary>
public sealed class ScorecardModel
{
    private static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    private readonly IndicatorDefinition[] _byIndicator;
    private readonly int[] _maxPoints;
    private readonly int[] _categoryMaxScore;
    private readonly int[] _categoryMaxPoints;
    private readonly RiskSignalRule[] _signalRules;

    private ScorecardModel(ModelFile file)
    {
        Version = file.Version;
        Description = file.Description ?? "";
        MaxScore = file.MaxScore;
        Categories = file.Categories;
        IndicatorDefinitions = file.Indicators;
        Thresholds = file.Thresholds;
        ScoreBands = file.ScoreBands;
        KnockOuts = file.KnockOuts;
        Products = file.Products;
        Limit = file.Limit;
        Rate = file.Rate;
        CashFlow = file.CashFlow;
        RevenueCrossCheck = file.RevenueCrossCheck;
        Renewal = file.Renewal;
        RiskSignals = file.RiskSignals;

        _byIndicator = new IndicatorDefinition[Indicators.Count + 1];
        _maxPoints = new int[Indicators.Count + 1];
        foreach (var definition in file.Indicators)
        {
            _byIndicator[(int)definition.Indicator] = definition;
            _maxPoints[(int)definition.Indicator] = definition.Bins.Max(b => b.Points);
        }

        _categoryMaxScore = new int[5];
        _categoryMaxPoints = new int[5];
        foreach (var category in file.Categories)
        {
            _categoryMaxScore[(int)category.Category] = MaxScore * category.WeightBps / AssessmentLimits.BasisPoints;
        }

        foreach (var indicator in Indicators.All)
        {
            _categoryMaxPoints[(int)Indicators.CategoryOf(indicator)] += _maxPoints[(int)indicator];
        }

        _signalRules = new RiskSignalRule[SignalIndex(RiskSignalType.CashFlowFall, RiskSeverity.Severe) + 1];
        foreach (var rule in file.RiskSignals)
        {
            _signalRules[SignalIndex(rule.Signal, rule.Severity)] = rule;
        }
    }

    /// <summary>Recorded in every decision made with this model.</summary>
    public string Version { get; }

    public string Description { get; }
    public int MaxScore { get; }
    public ImmutableArray<CategoryWeight> Categories { get; }
    public ImmutableArray<IndicatorDefinition> IndicatorDefinitions { get; }
    public ScoreThresholds Thresholds { get; }
    public ImmutableArray<ScoreBand> ScoreBands { get; }
    public KnockOutRules KnockOuts { get; }
    public ImmutableArray<ProductDefinition> Products { get; }
    public LimitPolicy Limit { get; }
    public RatePolicy Rate { get; }
    public CashFlowPolicy CashFlow { get; }
    public RevenueCrossCheckPolicy RevenueCrossCheck { get; }
    public RenewalPolicy Renewal { get; }
    public ImmutableArray<RiskSignalRule> RiskSignals { get; }

    /// <summary>Parses and validates a model. Throws <see cref="InvalidModelException"/> naming every problem.</summary>
    public static ScorecardModel Load(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ModelFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ModelFile>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidModelException([$"{ex.Path ?? "$"}: {ex.Message}"], ex);
        }

        if (file is null)
        {
            throw new InvalidModelException(["$: the file holds null, not a model"]);
        }

        var problems = ModelValidator.Validate(file);
        if (problems.Count > 0)
        {
            throw new InvalidModelException(problems);
        }

        return new ScorecardModel(file);
    }

    public static ScorecardModel LoadFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new InvalidModelException([$"{path}: no such model file"]);
        }

        if (info.Length > AssessmentLimits.MaxModelFileBytes)
        {
            throw new InvalidModelException([$"{path}: {info.Length} bytes, more than the {AssessmentLimits.MaxModelFileBytes} a model file may have"]);
        }

        try
        {
            return Load(File.ReadAllText(path));
        }
        catch (InvalidModelException ex)
        {
            throw new InvalidModelException(ex.Problems.Select(p => $"{path}: {p}").ToArray(), ex);
        }
    }

    public IndicatorDefinition Definition(Indicator indicator) => _byIndicator[(int)indicator];

    /// <summary>The most points the indicator can score.</summary>
    public int MaxPoints(Indicator indicator) => _maxPoints[(int)indicator];

    /// <summary>The category's share of <see cref="MaxScore"/>.</summary>
    public int CategoryMaxScore(Category category) => _categoryMaxScore[(int)category];

    /// <summary>The most points the category's indicators can score together.</summary>
    public int CategoryMaxPoints(Category category) => _categoryMaxPoints[(int)category];

    public ScoreBand BandOf(int score)
    {
        var band = ScoreBands[0];
        foreach (var candidate in ScoreBands)
        {
            if (candidate.FromScore > score)
            {
                break;
            }

            band = candidate;
        }

        return band;
    }

    public ProductDefinition ProductDefinition(Product product) =>
        Products.FirstOrDefault(p => p.Product == product) ?? throw new ArgumentOutOfRangeException(nameof(product), product, "the model defines no such product");

    public RiskSignalRule SignalRule(RiskSignalType signal, RiskSeverity severity) => _signalRules[SignalIndex(signal, severity)];

    public override string ToString() => Version;

    internal static int SignalIndex(RiskSignalType signal, RiskSeverity severity) => ((int)signal * 4) + (int)severity;

    private static JsonSerializerOptions CreateJsonOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };
}

/// <summary>A model file that cannot be used, with every problem found, each naming where it is.</summary>
public sealed class InvalidModelException(IReadOnlyList<string> problems, Exception? inner = null)
    : Exception("The scorecard model is invalid:" + string.Concat(problems.Select(p => "\n - " + p)), inner)
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The file as written; <see cref="ModelValidator"/> checks it before it becomes a model.</summary>
internal sealed record ModelFile
{
    public required string Version { get; init; }
    public string? Description { get; init; }
    public required int MaxScore { get; init; }
    public required ImmutableArray<CategoryWeight> Categories { get; init; }
    public required ImmutableArray<IndicatorDefinition> Indicators { get; init; }
    public required ScoreThresholds Thresholds { get; init; }
    public required ImmutableArray<ScoreBand> ScoreBands { get; init; }
    public required KnockOutRules KnockOuts { get; init; }
    public required ImmutableArray<ProductDefinition> Products { get; init; }
    public required LimitPolicy Limit { get; init; }
    public required RatePolicy Rate { get; init; }
    public required CashFlowPolicy CashFlow { get; init; }
    public required RevenueCrossCheckPolicy RevenueCrossCheck { get; init; }
    public required RenewalPolicy Renewal { get; init; }
    public required ImmutableArray<RiskSignalRule> RiskSignals { get; init; }
}
