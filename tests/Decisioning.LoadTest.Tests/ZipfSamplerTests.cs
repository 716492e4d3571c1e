using Decisioning.LoadTest.Keys;

namespace Decisioning.LoadTest.Tests;

public sealed class ZipfSamplerTests
{
    [Theory]
    [InlineData(10, 1.0)]
    [InlineData(1000, 0.99)]
    [InlineData(5, 2.5)]
    public void Probabilities_follow_the_power_law_and_sum_to_one(int count, double exponent)
    {
        var sampler = new ZipfSampler(count, exponent);
        var probabilities = Enumerable.Range(0, count).Select(sampler.Probability).ToArray();

        Assert.Equal(1.0, probabilities.Sum(), 9);
        for (var k = 1; k < count; k++)
        {
            // P(rank k) / P(rank k+1) = ((k+1)/k)^s
            Assert.Equal(Math.Pow((k + 1.0) / k, exponent), probabilities[k - 1] / probabilities[k], 6);
        }
    }

    [Fact]
    public void Draws_match_the_distribution()
    {
        const int Count = 100, Draws = 400_000;
        var sampler = new ZipfSampler(Count, 1.0);
        var random = new Random(12345);
        var seen = new int[Count];
        for (var i = 0; i < Draws; i++)
        {
            seen[sampler.Next(random)]++;
        }

        // The first rank holds 1/H(100) ≈ 19.3%; each frequency is within five standard errors of its probability.
        Assert.Equal(1 / Enumerable.Range(1, Count).Sum(k => 1.0 / k), sampler.Probability(0), 9);
        for (var k = 0; k < Count; k++)
        {
            var p = sampler.Probability(k);
            var tolerance = 5 * Math.Sqrt(p * (1 - p) / Draws);
            Assert.InRange((double)seen[k] / Draws, p - tolerance, p + tolerance);
        }
    }

    [Fact]
    public void Every_draw_is_an_index_of_the_key_space_even_at_the_edges()
    {
        var sampler = new ZipfSampler(3, 0.5);
        var random = new EdgeRandom([0.0, 0.9999999999999999, 0.5]);

        Assert.All(Enumerable.Range(0, 3).Select(_ => sampler.Next(random)), i => Assert.InRange(i, 0, 2));
    }

    [Fact]
    public void One_enterprise_always_gets_every_draw()
    {
        var sampler = new ZipfSampler(1, 1.2);

        Assert.All(Enumerable.Range(0, 100).Select(_ => sampler.Next(Random.Shared)), i => Assert.Equal(0, i));
    }

    [Fact]
    public void The_same_seed_gives_the_same_sequence()
    {
        var sampler = new ZipfSampler(1000, 1.1);
        int[] Run() { var r = new Random(7); return [.. Enumerable.Range(0, 50).Select(_ => sampler.Next(r))]; }

        Assert.Equal(Run(), Run());
    }

    [Theory]
    [InlineData("uniform", KeyDistributionKind.Uniform, 0)]
    [InlineData("hot", KeyDistributionKind.Hot, 0)]
    [InlineData("zipf:0.99", KeyDistributionKind.Zipf, 0.99)]
    [InlineData("ZIPF:1.2", KeyDistributionKind.Zipf, 1.2)]
    public void Distributions_parse(string text, KeyDistributionKind kind, double exponent) =>
        Assert.Equal(new KeyDistribution(kind, exponent), KeyDistribution.Parse(text));

    [Theory]
    [InlineData("zipf")]
    [InlineData("zipf:")]
    [InlineData("zipf:0")]
    [InlineData("zipf:-1")]
    [InlineData("zipf:11")]
    [InlineData("pareto")]
    public void Bad_distributions_are_refused(string text) =>
        Assert.Throws<FormatException>(() => KeyDistribution.Parse(text));

    [Fact]
    public void Hot_sends_everything_to_the_first_enterprise() =>
        Assert.All(Enumerable.Range(0, 20).Select(_ => new HotSampler().Next(Random.Shared)), i => Assert.Equal(0, i));

    private sealed class EdgeRandom(double[] values) : Random
    {
        private int _next;

        public override double NextDouble() => values[_next++ % values.Length];
    }
}
