using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

/// <summary>
/// Issue 10: an enterprise 120 days overdue within the last year, paid up today, was approved for
/// the full limit while the same history refused a renewal. A serious overdue now declines both;
/// a milder one costs points.
/// </summary>
public sealed class CreditHistoryTests
{
    private const string Serious = "SERIOUS_OVERDUE_IN_CREDIT_HISTORY";

    private static Decision Assess(int days12, int days24) =>
        Assessor.Assess(Perfect().WithFinancing(f => f with { MaxOverdueDaysLast12Months = days12, MaxOverdueDaysLast24Months = days24 }), Champion, AsOf, "history-1");

    [Fact]
    public void The_issues_case_120_days_overdue_within_the_year_and_paid_up_today_is_declined()
    {
        var decision = Assess(120, 120);

        Assert.Equal(Outcome.Decline, decision.Outcome);
        Assert.Equal(Serious, decision.ReasonCodes.First());
        Assert.Equal(0, decision.LimitMinor);
        Assert.Empty(decision.Counterfactuals); // history cannot be changed by acting
    }

    [Fact]
    public void The_same_history_refuses_a_renewal_with_the_same_knock_out()
    {
        var fresh = Assess(120, 120);
        var line = RenewalTests.Line();

        var renewal = Renewal.Decide(fresh, line, Champion, AsOf);

        Assert.False(renewal.Eligible);
        Assert.Equal([Serious, "OVERDUE_IN_LAST_12_MONTHS"], renewal.Reasons.ToArray());
    }

    [Theory]
    [InlineData(29, 29, Outcome.Approve)] // milder within 12 months: points only
    [InlineData(30, 30, Outcome.Decline)] // 30 days within 12 months: serious
    [InlineData(0, 89, Outcome.Approve)] // 89 days 13 to 24 months ago: points only
    [InlineData(0, 90, Outcome.Decline)] // 90 days within 24 months: serious
    public void Overdues_are_serious_from_30_days_within_12_months_or_90_within_24(int days12, int days24, Outcome outcome)
    {
        var decision = Assess(days12, days24);
        Assert.Equal(outcome, decision.Outcome);
        Assert.Equal(outcome == Outcome.Decline, decision.ReasonCodes.Contains(Serious));
    }

    [Fact]
    public void A_milder_overdue_lowers_the_score_and_says_so()
    {
        var clean = Assess(0, 0);
        var mild = Assess(10, 10);

        Assert.True(mild.Score < clean.Score, $"{mild.Score} < {clean.Score}");
        Assert.Contains(mild.Reasons, r => r.Kind == ReasonKind.Score && r.Code == Champion.Definition(Indicator.CreditRecord).Bins[1].Reason);
    }

    [Theory]
    [InlineData(0, 90, "days_within_12_months: must be from 1")]
    [InlineData(60, 30, "days_within_24_months: must be from days_within_12_months (60)")]
    public void The_model_refuses_serious_overdue_bars_that_make_no_sense(int days12, int days24, string problem)
    {
        var json = File.ReadAllText("models/scorecard-2026.1.json")
            .Replace("\"days_within_12_months\": 30", $"\"days_within_12_months\": {days12}", StringComparison.Ordinal)
            .Replace("\"days_within_24_months\": 90", $"\"days_within_24_months\": {days24}", StringComparison.Ordinal);
        var error = Assert.ThrowsAny<Exception>(() => ScorecardModel.Load(json));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
