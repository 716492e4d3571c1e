using Decisioning.Domain.Assessment;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class FundFlowRecencyTests
{
    private static readonly IReadOnlySet<string> NoLegacy = new HashSet<string>();

    /// <summary>The perfect application with its 12 months shifted so that the last one is <paramref name="lastMonth"/>.</summary>
    private static CreditApplication EndingIn(DateOnly lastMonth)
    {
        var first = lastMonth.AddMonths(-(AssessmentLimits.FundFlowMonths - 1));
        var months = Perfect().FundFlow!.Months.Select((m, i) => m with { Month = first.AddMonths(i) });
        return Perfect() with { FundFlow = new FundFlowStatement { Months = [.. months] } };
    }

    [Theory]
    [InlineData("2026-03-01", "2026-02-01")] // the first day of a month: last month is complete
    [InlineData("2026-03-01", "2026-01-01")] // and so is the one before: the oldest end accepted
    [InlineData("2026-03-31", "2026-01-01")] // to the month's last day
    [InlineData("2026-01-15", "2025-11-01")] // across a year
    public void A_statement_ending_in_one_of_the_last_two_complete_months_is_accepted(string asOf, string lastMonth) =>
        Assert.Empty(ApplicationRules.Validate(EndingIn(DateOnly.Parse(lastMonth)), DateOnly.Parse(asOf), NoLegacy));

    [Theory]
    [InlineData("2026-03-01", "2025-12-01")]
    [InlineData("2026-03-31", "2025-12-01")]
    [InlineData("2026-01-15", "2025-10-01")]
    [InlineData("2026-03-31", "2024-03-01")]
    public void A_statement_ending_three_or_more_complete_months_ago_is_rejected_naming_fund_flow(string asOf, string lastMonth)
    {
        var error = Assert.Single(ApplicationRules.Validate(EndingIn(DateOnly.Parse(lastMonth)), DateOnly.Parse(asOf), NoLegacy));
        Assert.Equal((ErrorKind.InvalidArgument, "FUND_FLOW_OUT_OF_DATE", Fields.FundFlow), (error.Kind, error.Reason, error.Field));
        Assert.StartsWith("fund_flow must end in one of the last 2 complete months", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_assessor_refuses_an_out_of_date_statement_as_it_refuses_any_invalid_application() =>
        Assert.Throws<ArgumentException>(() => Assessor.Assess(EndingIn(new DateOnly(2025, 12, 1)), Champion, new DateOnly(2026, 3, 1), "decision-1"));
}
