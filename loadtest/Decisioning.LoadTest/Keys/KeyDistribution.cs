using System.Globalization;

namespace Decisioning.LoadTest.Keys;

public enum KeyDistributionKind
{
    Uniform,
    Zipf,

    /// <summary>Every arrival goes to one enterprise: the single-grain worst case.</summary>
    Hot,
}

/// <summary>Which enterprise an arrival goes to: <c>uniform</c>, <c>zipf:&lt;s&gt;</c> or <c>hot</c>.</summary>
public sealed record KeyDistribution(KeyDistributionKind Kind, double Exponent = 0)
{
    /// <summary>Beyond this the first rank takes practically everything; use <c>hot</c> instead.</summary>
    public const double MaxZipfExponent = 10;

    public static readonly KeyDistribution Uniform = new(KeyDistributionKind.Uniform);

    public static KeyDistribution Parse(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s == "uniform")
        {
            return Uniform;
        }

        if (s == "hot")
        {
            return new KeyDistribution(KeyDistributionKind.Hot);
        }

        if (s.StartsWith("zipf:", StringComparison.Ordinal))
        {
            if (double.TryParse(s.AsSpan(5), NumberStyles.Float, CultureInfo.InvariantCulture, out var exponent)
                && exponent > 0 && exponent <= MaxZipfExponent)
            {
                return new KeyDistribution(KeyDistributionKind.Zipf, exponent);
            }

            throw new FormatException($"the zipf exponent in '{text}' must be a number above 0 and at most {MaxZipfExponent}, e.g. zipf:0.99");
        }

        throw new FormatException($"'{text}' is not a distribution: use uniform, zipf:<s> (e.g. zipf:1.1) or hot");
    }

    public IKeySampler CreateSampler(int enterprises) => Kind switch
    {
        KeyDistributionKind.Uniform => new UniformSampler(enterprises),
        KeyDistributionKind.Zipf => new ZipfSampler(enterprises, Exponent),
        _ => new HotSampler(),
    };

    public override string ToString() => Kind switch
    {
        KeyDistributionKind.Zipf => string.Create(CultureInfo.InvariantCulture, $"zipf:{Exponent}"),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
