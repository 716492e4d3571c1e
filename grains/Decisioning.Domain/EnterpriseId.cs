namespace Decisioning.Domain;

/// <summary>
/// The unified social credit code (统一社会信用代码, GB 32100-2015) that identifies an enterprise.
/// </summary>
public static class EnterpriseId
{
    public const int Length = 18;

    // The 31 characters of the code: digits and capitals without I, O, S, V and Z. A character's
    // value is its index here.
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    // 3^(i-1) mod 31 for positions 1..17.
    private static ReadOnlySpan<byte> Weights => [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>
    /// Checks a code. Returns null when it is valid, else a sentence that says what is wrong.
    /// Codes on the legacy allow-list (early Xiamen pilot codes that fail the check character) are
    /// valid as long as they are well formed.
    /// </summary>
    public static string? Validate(string? code, IReadOnlySet<string> legacyCodes)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "is required";
        }

        if (code.Length != Length)
        {
            return $"must be {Length} characters, not {code.Length}";
        }

        var sum = 0;
        for (var i = 0; i < Length; i++)
        {
            var value = Alphabet.IndexOf(code[i], StringComparison.Ordinal);
            if (value < 0)
            {
                return $"has '{Printable(code[i])}' at position {i + 1}; only 0-9 and A-Z without I, O, S, V, Z are allowed";
            }

            if (i < Length - 1)
            {
                sum += value * Weights[i];
            }
        }

        var expected = Alphabet[(31 - (sum % 31)) % 31];
        if (code[Length - 1] == expected || legacyCodes.Contains(code))
        {
            return null;
        }

        return $"fails its check character: position 18 is '{code[Length - 1]}', the code's first 17 characters give '{expected}'";
    }

    /// <summary>The check character for 17 leading characters (used to build test and simulation codes).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException("17 characters are needed", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i]);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not a code character", nameof(first17));
            }

            sum += value * Weights[i];
        }

        return Alphabet[(31 - (sum % 31)) % 31];
    }

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString();
}
