using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Metrics;

namespace Decisioning.LoadTest.Tests;

public sealed class SloParserTests
{
    private static Slo Parse(string text) => SloParser.Parse(text, Operations.Names);

    [Theory]
    [InlineData("p99<5ms", 99, 5_000)]
    [InlineData("p999<20ms", 99.9, 20_000)]
    [InlineData("p99.9<20ms", 99.9, 20_000)]
    [InlineData("p9999<1s", 99.99, 1_000_000)]
    [InlineData("p50<250us", 50, 250)]
    [InlineData("p90 < 1.5ms", 90, 1_500)]
    [InlineData("max<2s", 100, 2_000_000)]
    public void Latency_objectives_hold_the_percentile_and_the_threshold_in_microseconds(string text, double percentile, double microseconds)
    {
        var slo = Parse(text);

        Assert.Equal(SloMetric.Latency, slo.Metric);
        Assert.Equal(percentile, slo.Percentile, 6);
        Assert.Equal(microseconds, slo.Threshold, 6);
        Assert.Null(slo.Operation);
        Assert.Equal(text, slo.Expression);
    }

    [Fact]
    public void Errors_with_a_percent_sign_are_a_share_and_without_one_a_count()
    {
        var share = Parse("errors<0.1%");
        var count = Parse("errors<=0");

        Assert.Equal((SloMetric.ErrorRate, 0.001), (share.Metric, share.Threshold));
        Assert.Equal((SloMetric.ErrorCount, 0.0, SloComparison.LessOrEqual), (count.Metric, count.Threshold, count.Comparison));
    }

    [Fact]
    public void Rate_is_requests_per_second_and_compares_upwards()
    {
        var slo = Parse("rate>10000");

        Assert.Equal((SloMetric.Rate, SloComparison.Greater, 10_000.0), (slo.Metric, slo.Comparison, slo.Threshold));
        Assert.True(slo.IsMet(10_001));
        Assert.False(slo.IsMet(10_000));
    }

    [Fact]
    public void A_prefix_names_one_operation()
    {
        var slo = Parse("draw.p99<5ms");
        var hold = Parse("place_hold.p99.9<8ms");

        Assert.Equal(("draw", 99.0), (slo.Operation, slo.Percentile));
        Assert.Equal(("place_hold", 99.9), (hold.Operation, hold.Percentile));
    }

    [Theory]
    [InlineData("p99<5ms", 4_999, true)]
    [InlineData("p99<5ms", 5_000, false)]
    [InlineData("p99<=5ms", 5_000, true)]
    [InlineData("rate>=100", 100, true)]
    [InlineData("errors<0.1%", 0.001, false)]
    [InlineData("errors<0.1%", 0.000999, true)]
    public void Boundaries_follow_the_comparison(string text, double actual, bool met) =>
        Assert.Equal(met, Parse(text).IsMet(actual));

    [Theory]
    [InlineData("p99<5", "unit")]
    [InlineData("p99<5min", "unit")]
    [InlineData("p99=5ms", "comparison")]
    [InlineData("latency<5ms", "metric")]
    [InlineData("withdraw.p99<5ms", "operation")]
    [InlineData("p0<5ms", "percentile")]
    [InlineData("p100.5<5ms", "percentile")]
    [InlineData("px<5ms", "percentile")]
    [InlineData("rate>-1", "number")]
    [InlineData("p99<", "threshold")]
    public void Malformed_objectives_are_refused_with_what_is_wrong(string text, string hint)
    {
        var ex = Assert.Throws<FormatException>(() => Parse(text));

        Assert.Contains(hint, ex.Message, StringComparison.OrdinalIgnoreCase);
    }
}
