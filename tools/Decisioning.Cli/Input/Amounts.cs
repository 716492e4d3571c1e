using System.Globalization;

namespace Decisioning.Cli.Input;

/// <summary>
/// Amounts as staff write them: yuan, with at most two decimals (fen) and optional thousands
/// separators, e.g. 1200000, 1,200,000 or 1200000.50. The contract's minor units are exact fen, so
/// a third decimal is refused rather than rounded. Whether the amount is allowed (positive, within
/// the maximum) is the service's to say, with the field it names.
/// </summary>
internal static class Amounts
{
    public static long ParseCny(string text)
    {
        var cleaned = text.Trim().Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (!decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
        {
            throw new FormatException($"'{text}' is not an amount in CNY (yuan, at most two decimals: 1200000 or 1,200,000.50)");
        }

        var fen = yuan * 100;
        if (fen != decimal.Truncate(fen))
        {
            throw new FormatException($"'{text}' has more than two decimals: the smallest amount is one fen (0.01)");
        }

        return fen is >= long.MinValue and <= long.MaxValue
            ? (long)fen
            : throw new FormatException($"'{text}' is too large an amount");
    }
}
