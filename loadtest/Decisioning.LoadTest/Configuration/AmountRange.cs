using System.Globalization;
using Decisioning.Domain;

namespace Decisioning.LoadTest.Configuration;

/// <summary>Amounts in fen drawn uniformly from [Min, Max]: <c>100..10000</c>, or one number for a fixed amount.</summary>
public sealed record AmountRange(long Min, long Max)
{
    public static readonly AmountRange Default = new(100, 10_000);

    /// <summary>A hundredth of the largest limit a line can have, so that a run does not end in declines.</summary>
    public const long MaxAmountMinor = Limits.MaxAmountMinor / 100;

    public static AmountRange Parse(string text)
    {
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            || !long.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            throw new FormatException($"'{text}' is not an amount range in fen: use min..max (e.g. 100..10000) or one number");
        }

        if (min < 1 || max < min || max > MaxAmountMinor)
        {
            throw new FormatException($"amounts must satisfy 1 <= min <= max <= {MaxAmountMinor} fen, not {min}..{max}");
        }

        return new AmountRange(min, max);
    }

    public long Next(Random random) => Min == Max ? Min : random.NextInt64(Min, Max + 1);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min}..{Max}");
}
