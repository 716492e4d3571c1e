using System.Globalization;
using Decisioning.Domain;

namespace Decisioning.Testing;

/// <summary>Valid unified social credit codes, distinct for distinct numbers.</summary>
public static class TestEnterprises
{
    /// <summary>The legacy Xiamen codes named in the product description: real, and failing the check character.</summary>
    public static readonly string[] XiamenLegacy = ["91350211M0000XUF46", "91350203M0001FUE2P"];

    public static string Id(long n)
    {
        // 91 (enterprise), 350100 (Fuzhou), then nine characters from n, then the check character.
        var body = "91350100" + n.ToString("D9", CultureInfo.InvariantCulture);
        return body + EnterpriseId.CheckCharacter(body);
    }

    /// <summary>A fresh id per call, so that tests sharing one Redis never share a line.</summary>
    public static string Unique() => Id(Interlocked.Increment(ref _next) + (Environment.ProcessId % 1000 * 1_000_000L));

    private static long _next;
}
