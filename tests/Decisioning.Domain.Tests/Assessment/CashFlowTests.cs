using CsCheck;
using Decisioning.Domain.Assessment;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class CashFlowTests
{
    private static readonly CashFlowPolicy Policy = Champion.CashFlow;

    [Fact]
    public void Alternating_months_give_the_figures_computed_by_hand()
    {
        // Inflow 1M, 3M, 1M, 3M, ...: mean 2M, σ 1M, so CV is exactly 50%, the edge of the
        // 65% stability factor. A pays every month, C every other month (6 months: recurring),
        // B in 5 months only (not recurring).
        var inflows = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? 1_000_000L : 3_000_000L).ToArray();
        var statement = Statement(inflows, Enumerable.Repeat(1_500_000L, 12).ToArray(), i =>
        [
            ("A", 600_000),
            .. i % 2 == 1 ? new[] { ("C", 1_000_000L) } : [],
            .. i < 5 ? new[] { ("B", 400_000L) } : [],
        ]);

        var figures = CashFlowAnalysis.Analyse(statement, Policy);

        Assert.Equal(24_000_000, figures.AnnualInflowMinor);
        Assert.Equal(18_000_000, figures.AnnualOutflowMinor);
        Assert.Equal(2_000_000, figures.AverageMonthlyInflowMinor);
        Assert.Equal(500_000, figures.AverageMonthlyNetInflowMinor);
        Assert.Equal(5_000, figures.CoefficientOfVariationBps);
        Assert.Equal(2, figures.RecurringCounterparties);
        Assert.Equal(12, figures.MonthsWithRecurringInflow);
        Assert.Equal(10_000, figures.RegularityBps);
        Assert.Equal("A", figures.TopCounterparty);
        Assert.Equal(3_000, figures.TopCounterpartyShareBps); // 7.2M of 24M
        Assert.Equal((6_500, 10_000, 10_000), (figures.StabilityFactorBps, figures.RegularityFactorBps, figures.ConcentrationFactorBps));
        Assert.Equal(6_000_000, figures.ReceiptsLimitMinor); // 3 months × 2M
        Assert.Equal(12_000_000, figures.NetInflowLimitMinor); // 24 months × 0.5M
        Assert.Equal(3_900_000, figures.LimitMinor); // 6M × 65%
        Assert.Equal(["CASH_FLOW_UNSTABLE"], figures.Reasons.ToArray());
    }

    [Fact]
    public void An_irregular_concentrated_payer_and_a_thin_net_inflow_cut_the_limit_in_that_order()
    {
        // Steady 1M inflow; "Big" pays 0.9M in months 0-6 (7 of 12: recurring), "Small" 50k in months 0-2.
        var statement = Statement(Enumerable.Repeat(1_000_000L, 12).ToArray(), Enumerable.Repeat(900_000L, 12).ToArray(), i =>
        [
            .. i < 7 ? new[] { ("Big", 900_000L) } : [],
            .. i < 3 ? new[] { ("Small", 50_000L) } : [],
        ]);

        var figures = CashFlowAnalysis.Analyse(statement, Policy);

        Assert.Equal(0, figures.CoefficientOfVariationBps);
        Assert.Equal(5_833, figures.RegularityBps); // 7 of 12 months
        Assert.Equal(5_250, figures.TopCounterpartyShareBps); // 6.3M of 12M
        Assert.Equal(3_000_000, figures.ReceiptsLimitMinor);
        Assert.Equal(2_400_000, figures.NetInflowLimitMinor);
        Assert.Equal(1_428_000, figures.LimitMinor); // 2.4M × 70% × 85%
        Assert.Equal(["NET_CASH_INFLOW_LIMITS_CREDIT", "RECEIVABLES_PARTLY_IRREGULAR", "COUNTERPARTY_CONCENTRATION_ELEVATED"], figures.Reasons.ToArray());
    }

    [Fact]
    public void A_net_outflow_of_one_fen_a_month_supports_no_limit()
    {
        var figures = CashFlowAnalysis.Analyse(Steady(1_000_000, 1_000_001, ("A", 500_000)), Policy);
        Assert.Equal(-1, figures.AverageMonthlyNetInflowMinor);
        Assert.Equal(0, figures.LimitMinor);
        Assert.Equal("NET_CASH_INFLOW_NOT_POSITIVE", figures.Reasons[0]);
    }

    [Fact]
    public void A_net_outflow_that_does_not_divide_evenly_is_rounded_toward_minus_infinity()
    {
        var outflows = Enumerable.Repeat(1_000_000L, 12).ToArray();
        outflows[0] = 1_000_001;
        Assert.Equal(-1, CashFlowAnalysis.Analyse(Statement(Enumerable.Repeat(1_000_000L, 12).ToArray(), outflows, _ => []), Policy).AverageMonthlyNetInflowMinor);
    }

    [Fact]
    public void No_inflow_at_all_is_as_unstable_as_can_be_and_supports_no_limit()
    {
        var figures = CashFlowAnalysis.Analyse(Steady(0, 0), Policy);
        Assert.Equal(AssessmentLimits.MaxRatioBps, figures.CoefficientOfVariationBps);
        Assert.Equal((0L, 0L, ""), (figures.RegularityBps, figures.TopCounterpartyShareBps, figures.TopCounterparty));
        Assert.Equal(0, figures.LimitMinor);
    }

    [Theory]
    [InlineData(750, 1250, 2500, 8500)] // CV exactly 25%: the second stability bin
    [InlineData(751, 1249, 2490, 10000)] // just below
    [InlineData(1000, 1000, 0, 10000)]
    [InlineData(0, 2000, 10000, 4000)] // half the months empty: CV 100%
    public void The_coefficient_of_variation_is_exact_at_bin_edges(long low, long high, long cvBps, int factorBps)
    {
        var inflows = Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? low : high) * 1_000).ToArray();
        var figures = CashFlowAnalysis.Analyse(Statement(inflows, new long[12], _ => []), Policy);
        Assert.Equal(cvBps, figures.CoefficientOfVariationBps);
        Assert.Equal(factorBps, figures.StabilityFactorBps);
    }

    [Fact]
    public void All_inflow_in_one_month_gives_the_largest_possible_variation()
    {
        var inflows = new long[12];
        inflows[5] = 12_000_000;
        Assert.Equal(33_166, CashFlowAnalysis.Analyse(Statement(inflows, new long[12], _ => []), Policy).CoefficientOfVariationBps); // √11 = 3.3166…
    }

    [Fact]
    public void Equal_top_payers_are_told_apart_by_name_not_by_order()
    {
        var ab = CashFlowAnalysis.Analyse(Steady(1_000, 0, ("B", 400), ("A", 400)), Policy);
        var ba = CashFlowAnalysis.Analyse(Steady(1_000, 0, ("A", 400), ("B", 400)), Policy);
        Assert.Equal("A", ab.TopCounterparty);
        Assert.Equal("A", ba.TopCounterparty);
    }

    [Fact]
    public void The_largest_monthly_inflows_do_not_overflow()
    {
        var max = Domain.Limits.MaxAmountMinor;
        var inflows = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? max : 0).ToArray();
        var figures = CashFlowAnalysis.Analyse(Statement(inflows, new long[12], _ => []), Policy);
        Assert.Equal(10_000, figures.CoefficientOfVariationBps);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(1UL, 1UL)]
    [InlineData(3UL, 1UL)]
    [InlineData(4UL, 2UL)]
    [InlineData(15UL, 3UL)]
    [InlineData(16UL, 4UL)]
    [InlineData(ulong.MaxValue, 4_294_967_295UL)]
    public void The_integer_square_root_rounds_down(ulong value, ulong root) =>
        Assert.Equal((UInt128)root, CashFlowAnalysis.IntegerSquareRoot(value));

    [Fact]
    public void The_integer_square_root_of_the_largest_value_is_exact() =>
        Assert.Equal((UInt128)ulong.MaxValue, CashFlowAnalysis.IntegerSquareRoot(UInt128.MaxValue));

    [Fact]
    public void The_integer_square_root_brackets_every_value() =>
        Gen.UInt128.Sample(v =>
        {
            var r = CashFlowAnalysis.IntegerSquareRoot(v);
            return r * r <= v && (r == ulong.MaxValue || (r + 1) * (r + 1) > v);
        });

    [Fact]
    public void The_coefficient_of_variation_is_the_exact_floor_for_any_twelve_months() =>
        Gen.Long[0, Domain.Limits.MaxAmountMinor].Array[12].Sample(inflows =>
        {
            long sum = 0;
            UInt128 squares = 0;
            foreach (var x in inflows)
            {
                sum += x;
                squares += (UInt128)(ulong)x * (ulong)x;
            }

            if (sum == 0)
            {
                return true;
            }

            // cv ≤ 10,000·σ/μ < cv + 1, squared: (cv·S)² ≤ (nQ − S²)·10⁸ < ((cv + 1)·S)².
            var cv = (UInt128)(ulong)CashFlowAnalysis.CoefficientOfVariationBps(12, sum, squares);
            var n = ((12 * squares) - ((UInt128)(ulong)sum * (ulong)sum)) * 100_000_000;
            var s = (UInt128)(ulong)sum;
            return cv * s * (cv * s) <= n && n < (cv + 1) * s * ((cv + 1) * s);
        });
}
