using System.Globalization;
using Decisioning.Domain;

namespace Decisioning.LoadTest.Keys;

/// <summary>
/// The enterprises of one run and the request ids of their operations, all derived from the run
/// seed. A run tag of 7 code characters (31^7 ≈ 2.8e10 values, from a random seed unless one is
/// given) sits in every enterprise id and request id, so two runs never share a line or an id, and
/// the ledger check can tell this run's journal entries from anyone else's.
/// </summary>
public sealed class KeySpace
{
    public const int MaxEnterprises = 1_000_000;

    // The characters of a unified social credit code (GB 32100-2015).
    private const string CodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private const int TagLength = 7;
    private const int IndexLength = 8;
    private const string RequestPrefix = "dl-";

    private readonly string[] _ids;

    public KeySpace(ulong seed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxEnterprises);
        Seed = seed;
        Tag = Encode(Mix64(seed), TagLength);
        _ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            // 9 (registered with market regulation) 1 (enterprise), the run tag, the index: 17 characters.
            var body = "91" + Tag + Encode((ulong)i, IndexLength);
            _ids[i] = body + EnterpriseId.CheckCharacter(body);
        }
    }

    public ulong Seed { get; }

    public string Tag { get; }

    public int Count => _ids.Length;

    public string Id(int index) => _ids[index];

    public IReadOnlyList<string> Ids => _ids;

    /// <summary><c>dl-TAG-enterprise-n</c>: n numbers the operations of one enterprise from 1.</summary>
    public string RequestId(int enterprise, long operation) =>
        string.Create(CultureInfo.InvariantCulture, $"{RequestPrefix}{Tag}-{enterprise}-{operation}");

    /// <summary>Request ids of the set-up calls, which are not operations of the load.</summary>
    public string SetupRequestId(int enterprise, string step) =>
        string.Create(CultureInfo.InvariantCulture, $"{RequestPrefix}{Tag}-{enterprise}-{step}");

    /// <summary>The operation number of a request id this run gave to this enterprise; false for any other id.</summary>
    public bool TryParseOperation(string requestId, int enterprise, out long operation)
    {
        operation = 0;
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{RequestPrefix}{Tag}-{enterprise}-");
        return requestId.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(requestId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out operation)
            && operation > 0;
    }

    public static ulong NewSeed() => BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private static string Encode(ulong value, int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = length - 1; i >= 0; i--)
        {
            chars[i] = CodeAlphabet[(int)(value % (ulong)CodeAlphabet.Length)];
            value /= (ulong)CodeAlphabet.Length;
        }

        return new string(chars);
    }

    // SplitMix64's finaliser: neighbouring seeds give unrelated tags.
    private static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
