using System.Globalization;
using System.Text;
using ICU4N.Text;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// The one way payer and payee names are compared. "ACME", "ACME " and "ACME\u200b" are one payer,
/// and so are "ＡＣＭＥ" (full width) and "acme": otherwise a payer's share is split by spelling and the
/// concentration and recurrence rules are evaded. The name shown keeps the spelling first seen.
/// </summary>
public static class CounterpartyNames
{
    // ICU's NFKC_Casefold: NFKC, full case folding, and the default-ignorable characters (zero-width
    // spaces and joiners, the byte order mark, soft hyphens, bidirectional marks) removed. The
    // runtime's own string.Normalize cannot do NFKC here: the service runs in invariant
    // globalization mode, where it leaves non-ASCII text as it is.
    private static readonly Normalizer2 NfkcCasefold = Normalizer2.NFKCCaseFoldInstance;

    /// <summary>
    /// The comparison key: control characters removed, Unicode NFKC with case folding (which also
    /// drops the invisible format characters), trimmed. Empty when nothing is left.
    /// </summary>
    public static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsPrintableAscii(name))
        {
            // What NFKC_Casefold does to printable ASCII is lower-casing it: the names most payers
            // have skip ICU (a key is taken for every payer of every month, several times an assessment).
            return name.ToLowerInvariant().Trim();
        }

        return NormalizedKey(name);
    }

    /// <summary>The key by ICU, whatever the name holds.</summary>
    private static string NormalizedKey(string name)
    {
        var kept = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (!IsInvisible(c))
            {
                kept.Append(c);
            }
        }

        return NfkcCasefold.Normalize(kept.ToString()).Trim();
    }

    /// <summary>Whether two names stand for the same counterparty.</summary>
    public static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Key(a), Key(b), StringComparison.Ordinal);

    private static bool IsPrintableAscii(string name)
    {
        foreach (var c in name)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Control characters, and the format characters NFKC_Casefold keeps (none today, but cheap to be sure of).</summary>
    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format;
}
