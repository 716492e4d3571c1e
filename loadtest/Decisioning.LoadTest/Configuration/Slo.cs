using System.Globalization;

namespace Decisioning.LoadTest.Configuration;

public enum SloMetric
{
    /// <summary>A latency percentile; <see cref="Slo.Percentile"/> says which (100 is the maximum).</summary>
    Latency,
    Mean,

    /// <summary>Errors as a share of requests (threshold as a fraction: 0.1% is 0.001).</summary>
    ErrorRate,

    /// <summary>Errors as a count.</summary>
    ErrorCount,

    /// <summary>Completed requests per second over the measured window.</summary>
    Rate,
}

public enum SloComparison
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// One gate of the run: <c>p99&lt;5ms</c>, <c>p999&lt;20ms</c>, <c>max&lt;=1s</c>, <c>mean&lt;2ms</c>,
/// <c>errors&lt;0.1%</c>, <c>errors&lt;=0</c>, <c>rate&gt;10000</c>; optionally for one operation,
/// <c>draw.p99&lt;5ms</c>. Latencies are held in microseconds.
/// </summary>
public sealed record Slo(string Expression, string? Operation, SloMetric Metric, double Percentile, SloComparison Comparison, double Threshold)
{
    public bool IsMet(double actual) => Comparison switch
    {
        SloComparison.Less => actual < Threshold,
        SloComparison.LessOrEqual => actual <= Threshold,
        SloComparison.Greater => actual > Threshold,
        _ => actual >= Threshold,
    };

    /// <summary>The value in the units the expression used, for people reading the result.</summary>
    public string Describe(double actual) => Metric switch
    {
        SloMetric.Latency or SloMetric.Mean => FormatLatency(actual),
        SloMetric.ErrorRate => string.Create(CultureInfo.InvariantCulture, $"{actual * 100:0.####}%"),
        SloMetric.ErrorCount => string.Create(CultureInfo.InvariantCulture, $"{actual:0} errors"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{actual:0.#} req/s"),
    };

    public static string FormatLatency(double microseconds) => microseconds switch
    {
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds:0.#}us"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000:0.###}ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000:0.###}s"),
    };
}

public static class SloParser
{
    private static readonly string[] Operators = ["<=", ">=", "<", ">"];

    /// <summary>Parses one expression; <paramref name="operations"/> are the operation names a prefix may use.</summary>
    public static Slo Parse(string expression, IReadOnlyCollection<string> operations)
    {
        var text = expression.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        var (at, op) = FindOperator(text)
            ?? throw new FormatException($"'{expression}' has no comparison: write e.g. p99<5ms, errors<0.1% or rate>10000");
        var left = text[..at];
        var right = text[(at + op.Length)..];
        var comparison = op switch
        {
            "<" => SloComparison.Less,
            "<=" => SloComparison.LessOrEqual,
            ">" => SloComparison.Greater,
            _ => SloComparison.GreaterOrEqual,
        };

        string? operation = null;
        var dot = left.IndexOf('.', StringComparison.Ordinal);
        // "p99.9" is a metric, not an operation named p99.
        if (dot > 0 && !IsPercentileWithFraction(left))
        {
            operation = left[..dot];
            left = left[(dot + 1)..];
            if (!operations.Contains(operation))
            {
                throw new FormatException($"'{operation}' in '{expression}' is not an operation: use one of {string.Join(", ", operations)}");
            }
        }

        if (right.Length == 0)
        {
            throw new FormatException($"'{expression}' has no threshold after '{op}'");
        }

        return left switch
        {
            "errors" or "error" => ParseErrors(expression, operation, comparison, right),
            "rate" or "throughput" => new Slo(expression, operation, SloMetric.Rate, 0, comparison, Number(expression, right.EndsWith("/s", StringComparison.Ordinal) ? right[..^2] : right)),
            "max" => new Slo(expression, operation, SloMetric.Latency, 100, comparison, Latency(expression, right)),
            "mean" or "avg" => new Slo(expression, operation, SloMetric.Mean, 0, comparison, Latency(expression, right)),
            _ when left.StartsWith('p') => new Slo(expression, operation, SloMetric.Latency, Percentile(expression, left[1..]), comparison, Latency(expression, right)),
            _ => throw new FormatException($"'{left}' in '{expression}' is not a metric: use p50, p90, p99, p999 (or p99.9), max, mean, errors or rate"),
        };
    }

    /// <summary><c>p50</c> is 50, <c>p999</c> is 99.9, <c>p9999</c> is 99.99, <c>p99.9</c> is 99.9.</summary>
    public static double Percentile(string expression, string digits)
    {
        double value;
        if (digits.Contains('.', StringComparison.Ordinal))
        {
            value = Number(expression, digits);
        }
        else if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
        {
            value = digits.Length <= 2 || digits == "100"
                ? double.Parse(digits, CultureInfo.InvariantCulture)
                : double.Parse(digits[..2] + "." + digits[2..], CultureInfo.InvariantCulture);
        }
        else
        {
            throw new FormatException($"'p{digits}' in '{expression}' is not a percentile: use p50, p90, p99, p999 or p99.9");
        }

        return value is > 0 and <= 100
            ? value
            : throw new FormatException($"the percentile in '{expression}' must be above 0 and at most 100");
    }

    private static Slo ParseErrors(string expression, string? operation, SloComparison comparison, string right) =>
        right.EndsWith('%')
            ? new Slo(expression, operation, SloMetric.ErrorRate, 0, comparison, Number(expression, right[..^1]) / 100)
            : new Slo(expression, operation, SloMetric.ErrorCount, 0, comparison, Number(expression, right));

    /// <summary>A latency threshold in microseconds; the unit is required because 5 alone is ambiguous.</summary>
    private static double Latency(string expression, string text)
    {
        var unitStart = 0;
        while (unitStart < text.Length && (char.IsAsciiDigit(text[unitStart]) || text[unitStart] == '.'))
        {
            unitStart++;
        }

        var scale = text[unitStart..] switch
        {
            "us" or "µs" => 1.0,
            "ms" => 1_000.0,
            "s" => 1_000_000.0,
            "" => throw new FormatException($"the threshold in '{expression}' needs a unit: us, ms or s (e.g. 5ms)"),
            var unit => throw new FormatException($"'{unit}' in '{expression}' is not a latency unit: use us, ms or s"),
        };
        return Number(expression, text[..unitStart]) * scale;
    }

    private static double Number(string expression, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new FormatException($"'{text}' in '{expression}' is not a non-negative number");

    private static (int At, string Operator)? FindOperator(string text)
    {
        foreach (var op in Operators)
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (at, op);
            }
        }

        return null;
    }

    private static bool IsPercentileWithFraction(string left) =>
        left.Length > 1 && left[0] == 'p' && left[1..].All(c => char.IsAsciiDigit(c) || c == '.');
}
