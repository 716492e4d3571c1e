using System.Globalization;

namespace Decisioning.LoadTest.Configuration;

/// <summary>Durations as people type them: <c>10s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c>, <c>1m30s</c>; a bare number is seconds.</summary>
public static class DurationParser
{
    public static TimeSpan Parse(string text)
    {
        var s = text.Trim();
        if (s.Length == 0)
        {
            throw new FormatException("a duration is required, e.g. 10s, 500ms, 2m, 1h");
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var bareSeconds))
        {
            return FromSeconds(bareSeconds, text);
        }

        var total = 0.0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < s.Length && (char.IsAsciiLetter(s[i]) || s[i] == 'µ'))
            {
                i++;
            }

            if (start == unitStart || unitStart == i
                || !double.TryParse(s.AsSpan(start, unitStart - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"'{text}' is not a duration: use a number and a unit (us, ms, s, m, h), e.g. 10s or 1m30s");
            }

            total += value * s[unitStart..i].ToLowerInvariant() switch
            {
                "us" or "µs" => 1e-6,
                "ms" => 1e-3,
                "s" => 1,
                "m" or "min" => 60,
                "h" => 3600,
                var unit => throw new FormatException($"'{unit}' in '{text}' is not a unit: use us, ms, s, m or h"),
            };
        }

        return FromSeconds(total, text);
    }

    private static TimeSpan FromSeconds(double seconds, string text) =>
        seconds is < 0 or > 366 * 24 * 3600 || double.IsNaN(seconds)
            ? throw new FormatException($"'{text}' is out of range")
            : TimeSpan.FromSeconds(seconds);

    public static string Format(TimeSpan duration) => duration.TotalSeconds switch
    {
        0 => "0s",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.###}ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s"),
    };
}
