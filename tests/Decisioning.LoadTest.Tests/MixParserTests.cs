using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Workloads;

namespace Decisioning.LoadTest.Tests;

public sealed class MixParserTests
{
    [Fact]
    public void Weights_are_kept_in_order()
    {
        var mix = Mix.Parse("check=70,draw=20,repay=10");

        Assert.Equal([(WorkloadKind.Check, 70), (WorkloadKind.Draw, 20), (WorkloadKind.Repay, 10)], mix.Entries);
        Assert.Equal(100, mix.TotalWeight);
        Assert.Equal("check=70,draw=20,repay=10", mix.ToString());
    }

    [Fact]
    public void Spaces_and_case_do_not_matter_and_weights_are_relative()
    {
        var mix = Mix.Parse(" Draw = 1 , HOLD=3, noop=1 ");

        Assert.Equal([(WorkloadKind.Draw, 1), (WorkloadKind.Hold, 3), (WorkloadKind.Noop, 1)], mix.Entries);
    }

    [Fact]
    public void Picks_follow_the_weights()
    {
        var mix = Mix.Parse("check=70,draw=20,repay=10");
        var random = new Random(99);
        var picks = Enumerable.Range(0, 100_000).Select(_ => mix.Pick(random)).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());

        Assert.InRange(picks[WorkloadKind.Check], 69_000, 71_000);
        Assert.InRange(picks[WorkloadKind.Draw], 19_200, 20_800);
        Assert.InRange(picks[WorkloadKind.Repay], 9_400, 10_600);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("check", "name=weight")]
    [InlineData("check=0", "weight")]
    [InlineData("check=-5", "weight")]
    [InlineData("check=1.5", "weight")]
    [InlineData("check=abc", "weight")]
    [InlineData("check=1,check=2", "twice")]
    [InlineData("withdraw=5", "not a workload")]
    [InlineData("mix=5", "not a workload")]
    [InlineData("=5", "name=weight")]
    public void Bad_mixes_are_refused_with_what_is_wrong(string text, string hint)
    {
        var ex = Assert.Throws<FormatException>(() => Mix.Parse(text));

        Assert.Contains(hint, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Assess_is_a_workload_that_needs_enterprises_but_no_lines()
    {
        var mix = Mix.Parse("check=50,assess=50");
        var assess = Workloads.Workloads.For(WorkloadKind.Assess);

        Assert.Contains(WorkloadKind.Assess, mix.Kinds);
        Assert.Equal((true, false, false), (assess.NeedsEnterprises, assess.NeedsLines, assess.Mutates));
    }
}
