using CsCheck;
using Decisioning.Domain.Assessment;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class RiskSignalAndSubsidyTests
{
    [Theory]
    [InlineData(RiskSignalType.Overdue, RiskSeverity.Severe, RiskEffect.Freeze, "SEVERE_OVERDUE_REPORTED")]
    [InlineData(RiskSignalType.Litigation, RiskSeverity.Severe, RiskEffect.Freeze, "SEVERE_LITIGATION_REPORTED")]
    [InlineData(RiskSignalType.TaxArrears, RiskSeverity.Low, RiskEffect.RecordOnly, "LOW_TAX_ARREARS_REPORTED")]
    [InlineData(RiskSignalType.CashFlowFall, RiskSeverity.Low, RiskEffect.RecordOnly, "LOW_CASH_FLOW_FALL_REPORTED")]
    public void Severe_signals_freeze_and_low_ones_are_only_recorded_leaving_the_limit(RiskSignalType type, RiskSeverity severity, RiskEffect effect, string reason) =>
        Assert.Equal(new RiskSignalEffect(effect, 500_000_000, 0, reason), RiskSignals.Evaluate(new RiskSignal(type, severity), 500_000_000, Champion));

    [Theory]
    [InlineData(RiskSignalType.Overdue, 500_000_000, 5_000, 250_000_000)]
    [InlineData(RiskSignalType.Litigation, 500_000_000, 2_000, 400_000_000)]
    [InlineData(RiskSignalType.TaxArrears, 123_000_000, 3_000, 86_000_000)] // 86.1M rounded down to 10,000 CNY
    [InlineData(RiskSignalType.CashFlowFall, 1_000_000, 3_000, 0)] // 7,000 CNY rounds down to nothing
    [InlineData(RiskSignalType.CashFlowFall, 0, 3_000, 0)]
    public void Moderate_signals_lower_the_limit_by_the_configured_share_rounded_down(RiskSignalType type, long limit, int share, long lowered)
    {
        var effect = RiskSignals.Evaluate(new RiskSignal(type, RiskSeverity.Moderate), limit, Champion);
        Assert.Equal((RiskEffect.LowerLimit, lowered, share), (effect.Effect, effect.NewLimitMinor, effect.LowerByBps));
    }

    [Fact]
    public void Every_signal_at_every_severity_has_an_effect()
    {
        foreach (var type in new[] { RiskSignalType.Overdue, RiskSignalType.Litigation, RiskSignalType.TaxArrears, RiskSignalType.CashFlowFall })
        {
            foreach (var severity in new[] { RiskSeverity.Low, RiskSeverity.Moderate, RiskSeverity.Severe })
            {
                Assert.NotEqual(RiskEffect.None, RiskSignals.Evaluate(new RiskSignal(type, severity), 100_000_000, Champion).Effect);
            }
        }
    }

    [Theory]
    [InlineData(RiskSignalType.None, RiskSeverity.Severe, "signal_type")]
    [InlineData(RiskSignalType.Overdue, RiskSeverity.None, "severity")]
    [InlineData((RiskSignalType)9, RiskSeverity.Low, "signal_type")]
    public void An_unspecified_signal_or_severity_is_invalid(RiskSignalType type, RiskSeverity severity, string field) =>
        Assert.Equal(field, RiskSignals.Validate(new RiskSignal(type, severity))?.Field);

    [Fact]
    public void The_largest_limit_is_lowered_without_overflow() =>
        Assert.Equal(50_000_000_000, RiskSignals.Evaluate(new RiskSignal(RiskSignalType.Overdue, RiskSeverity.Moderate), Domain.Limits.MaxAmountMinor, Champion).NewLimitMinor);

    [Theory]
    [InlineData(3_000, 300, 100, 2_000, 1_000)] // a third of the rate: a third of the interest
    [InlineData(1_000, 300, 100, 667, 333)] // 333.33 rounded down: the odd fen is the enterprise's
    [InlineData(1, 300, 100, 1, 0)]
    [InlineData(12_345, 270, 0, 12_345, 0)]
    [InlineData(12_345, 270, 270, 0, 12_345)] // fully subsidised
    [InlineData(0, 300, 100, 0, 0)]
    public void Interest_is_split_with_the_subsidised_share_rounded_down(long interest, int rate, int subsidy, long enterprise, long subsidised) =>
        Assert.Equal(new InterestSplit(enterprise, subsidised), InterestSubsidy.Split(interest, rate, subsidy));

    [Fact]
    public void The_two_shares_always_add_up_to_the_interest_paid() =>
        Gen.Select(Gen.Long[0, Domain.Limits.MaxAmountMinor], Gen.Int[1, Domain.Limits.MaxAnnualRateBps], Gen.Int[0, Domain.Limits.MaxAnnualRateBps])
            .Where((_, rate, subsidy) => subsidy <= rate)
            .Sample((interest, rate, subsidy) =>
            {
                var split = InterestSubsidy.Split(interest, rate, subsidy);
                return split.EnterpriseMinor + split.SubsidisedMinor == interest && split.SubsidisedMinor >= 0 && split.EnterpriseMinor >= 0
                    && (long)split.SubsidisedMinor * rate <= (long)interest * subsidy;
            });

    [Theory]
    [InlineData(-1, 300)]
    [InlineData(301, 300)]
    public void A_subsidy_beyond_the_rate_is_invalid(int subsidy, int rate)
    {
        Assert.Equal("SUBSIDY_OUT_OF_RANGE", InterestSubsidy.Validate(subsidy, rate)?.Reason);
        Assert.Throws<ArgumentOutOfRangeException>(() => InterestSubsidy.Split(100, rate, subsidy));
    }
}
