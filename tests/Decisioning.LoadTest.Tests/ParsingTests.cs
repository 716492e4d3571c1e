using Decisioning.Domain;
using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Keys;

namespace Decisioning.LoadTest.Tests;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("3", 3_000)]
    [InlineData("0", 0)]
    public void Durations_parse(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationParser.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("ten seconds")]
    [InlineData("10x")]
    [InlineData("s")]
    [InlineData("-1s")]
    public void Bad_durations_are_refused(string text) =>
        Assert.Throws<FormatException>(() => DurationParser.Parse(text));

    [Theory]
    [InlineData("100..10000", 100, 10_000)]
    [InlineData("500", 500, 500)]
    public void Amount_ranges_parse(string text, long min, long max) =>
        Assert.Equal(new AmountRange(min, max), AmountRange.Parse(text));

    [Theory]
    [InlineData("0..10")]
    [InlineData("10..5")]
    [InlineData("1..1000000000000")]
    [InlineData("a..b")]
    public void Bad_amount_ranges_are_refused(string text) =>
        Assert.Throws<FormatException>(() => AmountRange.Parse(text));

    [Fact]
    public void Enterprise_ids_are_valid_codes_distinct_within_a_run_and_between_runs()
    {
        var first = new KeySpace(1, 500);
        var second = new KeySpace(2, 500);
        var noLegacy = new HashSet<string>();

        Assert.All(first.Ids.Concat(second.Ids), id => Assert.Null(EnterpriseId.Validate(id, noLegacy)));
        Assert.Equal(1000, first.Ids.Concat(second.Ids).Distinct().Count());
        Assert.NotEqual(first.Tag, second.Tag);
        Assert.Equal(new KeySpace(1, 3).Ids, new KeySpace(1, 3).Ids);
    }

    [Fact]
    public void Request_ids_name_their_enterprise_and_operation_and_nothing_else_parses()
    {
        var keys = new KeySpace(42, 10);
        var id = keys.RequestId(7, 12345);

        Assert.True(keys.TryParseOperation(id, 7, out var n));
        Assert.Equal(12345, n);
        Assert.False(keys.TryParseOperation(id, 6, out _));
        Assert.False(keys.TryParseOperation(new KeySpace(43, 10).RequestId(7, 12345), 7, out _));
        Assert.False(keys.TryParseOperation(keys.SetupRequestId(7, "open"), 7, out _));
        Assert.Null(Decisioning.Domain.Lines.LineRules.RequestId(keys.RequestId(999_999, long.MaxValue)));
    }
}
