namespace Decisioning.LoadTest.Keys;

/// <summary>Picks an enterprise index in [0, count). Stateless: the caller's Random carries the state.</summary>
public interface IKeySampler
{
    int Next(Random random);
}

public sealed class UniformSampler(int count) : IKeySampler
{
    public int Next(Random random) => random.Next(count);
}

public sealed class HotSampler : IKeySampler
{
    public int Next(Random random) => 0;
}

/// <summary>
/// Zipf over ranks 1..n with P(k) ∝ 1/k^s, rank k being enterprise k-1. Exact: a precomputed
/// cumulative distribution and a binary search, O(n) memory once and O(log n) a draw, which is
/// cheap next to an RPC and avoids the approximation error of rejection samplers.
/// </summary>
public sealed class ZipfSampler : IKeySampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exponent);
        _cumulative = new double[count];
        var sum = 0.0;
        for (var k = 1; k <= count; k++)
        {
            sum += 1.0 / Math.Pow(k, exponent);
            _cumulative[k - 1] = sum;
        }

        for (var i = 0; i < count; i++)
        {
            _cumulative[i] /= sum;
        }

        // Rounding must never leave a draw of u close to 1 without a rank.
        _cumulative[^1] = 1.0;
    }

    /// <summary>P(rank k+1), for tests and for the report.</summary>
    public double Probability(int index) => index == 0 ? _cumulative[0] : _cumulative[index] - _cumulative[index - 1];

    public int Next(Random random)
    {
        var u = random.NextDouble();
        var index = Array.BinarySearch(_cumulative, u);
        // No exact hit: the complement is the first entry above u, whose rank owns u.
        return index >= 0 ? index : Math.Min(~index, _cumulative.Length - 1);
    }
}
