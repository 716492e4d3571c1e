using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// Checks a model file whole and names every problem with its place in the file. Beyond shapes
/// and ranges it checks the properties the assessor relies on: weights that add up, bins that
/// cover every value, bands that cover every score, and tables that move the right way (a higher
/// score never gives a lower limit or a higher premium).
/// </summary>
internal static class ModelValidator
{
    private const int MaxIndicatorPoints = 1_000;
    private const int MaxMinMonthsInOperation = 120;
    private const int MaxInflowMonths = 24;
    private const int MaxNetInflowMonths = 60;

    public static List<string> Validate(ModelFile file)
    {
        var problems = new List<string>();
        Version(file.Version, problems);
        if (file.MaxScore is < 1 or > AssessmentLimits.MaxScoreCeiling)
        {
            problems.Add($"max_score: must be from 1 to {AssessmentLimits.MaxScoreCeiling}, not {file.MaxScore}");
        }

        Categories(file.Categories, file.MaxScore, problems);
        IndicatorTables(file.Indicators, problems);
        Thresholds(file.Thresholds, file.MaxScore, problems);
        Bands(file.ScoreBands, file.MaxScore, problems);
        KnockOuts(file.KnockOuts, problems);
        Products(file.Products, file.MaxScore, problems);
        LimitRule(file.Limit, file.Products, problems);
        Rate(file.Rate, file.ScoreBands, problems);
        ProductRates(file.Products, file.Rate, file.ScoreBands, problems);
        CashFlow(file.CashFlow, problems);
        CrossCheck(file.RevenueCrossCheck, problems);
        Renewal(file.Renewal, file.MaxScore, problems);
        Signals(file.RiskSignals, problems);
        return problems;
    }

    private static void Version(string version, List<string> problems)
    {
        if (string.IsNullOrEmpty(version) || version.Length > AssessmentLimits.MaxModelVersionLength
            || !version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            problems.Add($"version: must be 1 to {AssessmentLimits.MaxModelVersionLength} letters, digits, '.', '-' or '_', not '{version}'");
        }
    }

    private static void Categories(ImmutableArray<CategoryWeight> categories, int maxScore, List<string> problems)
    {
        if (!AllPresent(categories, "categories", problems))
        {
            return;
        }

        foreach (var category in Enum.GetValues<Category>().Where(c => c != Category.None))
        {
            var count = categories.Count(c => c.Category == category);
            if (count != 1)
            {
                problems.Add($"categories: {Snake(category)} must appear once, not {count} times");
            }
        }

        foreach (var category in categories.Where(c => c.Category == Category.None || !Enum.IsDefined(c.Category)))
        {
            problems.Add($"categories: '{category.Category}' is not a category");
        }

        var sum = 0L;
        foreach (var category in categories)
        {
            var at = $"categories[{Snake(category.Category)}].weight_bps";
            if (category.WeightBps is <= 0 or > AssessmentLimits.BasisPoints)
            {
                problems.Add($"{at}: must be from 1 to {AssessmentLimits.BasisPoints}, not {category.WeightBps}");
                continue;
            }

            sum += category.WeightBps;
            if ((long)maxScore * category.WeightBps % AssessmentLimits.BasisPoints != 0)
            {
                problems.Add($"{at}: {category.WeightBps} bps of max_score {maxScore} is not a whole number of points");
            }
        }

        if (sum != AssessmentLimits.BasisPoints)
        {
            problems.Add($"categories: weights add up to {sum} bps, not {AssessmentLimits.BasisPoints}");
        }
    }

    private static void IndicatorTables(ImmutableArray<IndicatorDefinition> indicators, List<string> problems)
    {
        if (!AllPresent(indicators, "indicators", problems))
        {
            return;
        }

        foreach (var indicator in Indicators.All)
        {
            var count = indicators.Count(i => i.Indicator == indicator);
            if (count != 1)
            {
                problems.Add($"indicators: {Snake(indicator)} must appear once, not {count} times");
            }
        }

        foreach (var definition in indicators)
        {
            if (definition.Indicator == Indicator.None || !Enum.IsDefined(definition.Indicator))
            {
                problems.Add($"indicators: '{definition.Indicator}' is not an indicator");
                continue;
            }

            var at = $"indicators[{Snake(definition.Indicator)}]";
            if (definition.Actionable && !Counterfactuals.HasLever(definition.Indicator))
            {
                problems.Add($"{at}.actionable: {Snake(definition.Indicator)} has no input an enterprise can change, so it cannot be actionable");
            }

            Bins(definition, at, problems);
        }
    }

    private static void Bins(IndicatorDefinition definition, string at, List<string> problems)
    {
        var bins = definition.Bins;
        if (!AllPresent(bins, $"{at}.bins", problems) || bins.Length == 0)
        {
            if (bins is { IsDefault: false, Length: 0 })
            {
                problems.Add($"{at}.bins: must hold at least one bin");
            }

            return;
        }

        if (bins.Length > AssessmentLimits.MaxBinsPerTable)
        {
            problems.Add($"{at}.bins: at most {AssessmentLimits.MaxBinsPerTable} bins, not {bins.Length}");
        }

        var min = Indicators.MinValue(definition.Indicator);
        if (bins[0].From > min)
        {
            problems.Add($"{at}.bins[0].from: must be at most {min}, the lowest value {Snake(definition.Indicator)} can take ({Indicators.UnitOf(definition.Indicator)}), so that every value falls in a bin; it is {bins[0].From}");
        }

        if (Indicators.LevelsOf(definition.Indicator) is { } levels && !bins.Select(b => b.From).SequenceEqual(Enumerable.Range(0, levels).Select(l => (long)l)))
        {
            problems.Add($"{at}.bins: must be one bin for each level, from 0 to {levels - 1} ({Indicators.UnitOf(definition.Indicator)}), not from {string.Join(", ", bins.Select(b => b.From))}");
        }

        var best = bins.Max(b => b.Points);
        if (best <= 0)
        {
            problems.Add($"{at}.bins: at least one bin must score more than 0 points");
        }

        for (var i = 0; i < bins.Length; i++)
        {
            var bin = bins[i];
            if (i > 0 && bin.From <= bins[i - 1].From)
            {
                problems.Add($"{at}.bins[{i}].from: must be greater than bins[{i - 1}].from ({bins[i - 1].From}), not {bin.From}");
            }

            if (bin.Points is < 0 or > MaxIndicatorPoints)
            {
                problems.Add($"{at}.bins[{i}].points: must be from 0 to {MaxIndicatorPoints}, not {bin.Points}");
            }

            ReasonForShortfall(bin.Reason, bin.Points < best, $"{at}.bins[{i}].reason", "scores less than the best bin", problems);
        }
    }

    private static void Thresholds(ScoreThresholds thresholds, int maxScore, List<string> problems)
    {
        if (thresholds.DeclineBelow < 1 || thresholds.DeclineBelow > thresholds.ApproveFrom || thresholds.ApproveFrom > maxScore)
        {
            problems.Add($"thresholds: must satisfy 1 <= decline_below <= approve_from <= max_score ({maxScore}), not decline_below {thresholds.DeclineBelow}, approve_from {thresholds.ApproveFrom}");
        }
    }

    private static void Bands(ImmutableArray<ScoreBand> bands, int maxScore, List<string> problems)
    {
        if (!AllPresent(bands, "score_bands", problems))
        {
            return;
        }

        if (bands.Length is 0 or > AssessmentLimits.MaxScoreBands)
        {
            problems.Add($"score_bands: must hold 1 to {AssessmentLimits.MaxScoreBands} bands, not {bands.Length}");
            return;
        }

        if (bands[0].FromScore != 0)
        {
            problems.Add($"score_bands[0].from_score: must be 0 so that the bands cover every score, not {bands[0].FromScore}");
        }

        for (var i = 0; i < bands.Length; i++)
        {
            var band = bands[i];
            var at = $"score_bands[{i}]";
            if (band.FromScore > maxScore)
            {
                problems.Add($"{at}.from_score: must be at most max_score ({maxScore}), not {band.FromScore}");
            }

            if (band.RiskPremiumBps is < 0 or > AssessmentLimits.MaxRiskPremiumBps)
            {
                problems.Add($"{at}.risk_premium_bps: must be from 0 to {AssessmentLimits.MaxRiskPremiumBps}, not {band.RiskPremiumBps}");
            }

            if (band.RevenueShareBps is < 0 or > AssessmentLimits.BasisPoints)
            {
                problems.Add($"{at}.revenue_share_bps: must be from 0 to {AssessmentLimits.BasisPoints}, not {band.RevenueShareBps}");
            }

            if (band.MaxLimitMinor is < 0 or > Limits.MaxAmountMinor)
            {
                problems.Add($"{at}.max_limit_minor: must be from 0 to {Limits.MaxAmountMinor}, not {band.MaxLimitMinor}");
            }

            if (i == 0)
            {
                continue;
            }

            var previous = bands[i - 1];
            if (band.FromScore <= previous.FromScore)
            {
                problems.Add($"{at}.from_score: must be greater than score_bands[{i - 1}].from_score ({previous.FromScore}), not {band.FromScore}");
            }

            // A higher score must never cost more or give less: the assessor's monotonicity rests on it.
            if (band.RiskPremiumBps > previous.RiskPremiumBps)
            {
                problems.Add($"{at}.risk_premium_bps: must not exceed the lower band's ({previous.RiskPremiumBps}), not {band.RiskPremiumBps}");
            }

            if (band.RevenueShareBps < previous.RevenueShareBps)
            {
                problems.Add($"{at}.revenue_share_bps: must not be below the lower band's ({previous.RevenueShareBps}), not {band.RevenueShareBps}");
            }

            if (band.MaxLimitMinor < previous.MaxLimitMinor)
            {
                problems.Add($"{at}.max_limit_minor: must not be below the lower band's ({previous.MaxLimitMinor}), not {band.MaxLimitMinor}");
            }
        }
    }

    private static void KnockOuts(KnockOutRules knockOuts, List<string> problems)
    {
        ReasonCode(knockOuts.CurrentlyOverdueReason, "knock_outs.currently_overdue_reason", problems);
        ReasonCode(knockOuts.TooYoungReason, "knock_outs.too_young_reason", problems);
        ReasonCode(knockOuts.ExclusionListReason, "knock_outs.exclusion_list_reason", problems);
        if (knockOuts.MinMonthsInOperation is < 1 or > MaxMinMonthsInOperation)
        {
            problems.Add($"knock_outs.min_months_in_operation: must be from 1 to {MaxMinMonthsInOperation}, not {knockOuts.MinMonthsInOperation}");
        }

        if (knockOuts.SeriousOverdue is not { } serious)
        {
            problems.Add("knock_outs.serious_overdue: is required");
            return;
        }

        ReasonCode(serious.Reason, "knock_outs.serious_overdue.reason", problems);
        if (serious.DaysWithin12Months is < 1 or > AssessmentLimits.MaxOverdueDaysLast12Months)
        {
            problems.Add($"knock_outs.serious_overdue.days_within_12_months: must be from 1 to {AssessmentLimits.MaxOverdueDaysLast12Months}, not {serious.DaysWithin12Months}");
        }

        // Any overdue within 12 months is also within 24: a 24-month bar below the 12-month one would make the latter moot.
        if (serious.DaysWithin24Months < serious.DaysWithin12Months || serious.DaysWithin24Months > AssessmentLimits.MaxOverdueDaysLast24Months)
        {
            problems.Add($"knock_outs.serious_overdue.days_within_24_months: must be from days_within_12_months ({serious.DaysWithin12Months}) to {AssessmentLimits.MaxOverdueDaysLast24Months}, not {serious.DaysWithin24Months}");
        }
    }

    private static void Products(ImmutableArray<ProductDefinition> products, int maxScore, List<string> problems)
    {
        if (!AllPresent(products, "products", problems))
        {
            return;
        }

        foreach (var product in new[] { Product.SrdiELoan, Product.OperatingQuickLoan })
        {
            var count = products.Count(p => p.Product == product);
            if (count != 1)
            {
                problems.Add($"products: {Snake(product)} must appear once, not {count} times");
            }
        }

        foreach (var product in products)
        {
            var at = $"products[{Snake(product.Product)}]";
            if (product.Product is not (Product.SrdiELoan or Product.OperatingQuickLoan))
            {
                problems.Add($"products: '{product.Product}' is not a product");
                continue;
            }

            if (product.CapMinor is <= 0 or > Limits.MaxAmountMinor || product.CapMinor % AssessmentLimits.LimitRoundingMinor != 0)
            {
                problems.Add($"{at}.cap_minor: must be a positive multiple of {AssessmentLimits.LimitRoundingMinor} fen (10,000 CNY) up to {Limits.MaxAmountMinor}, not {product.CapMinor}");
            }

            if (product.TermMonths is < 1 or > AssessmentLimits.MaxTermMonths)
            {
                problems.Add($"{at}.term_months: must be from 1 to {AssessmentLimits.MaxTermMonths}, not {product.TermMonths}");
            }

            if (!SrdiLadder.IsDefined(product.MinSrdiLevel))
            {
                problems.Add($"{at}.min_srdi_level: must be one of {string.Join(", ", SrdiLadder.Levels.Select(Snake))}, not {product.MinSrdiLevel}");
            }

            if (product.MinInnovationScore < 0 || product.MinInnovationScore > maxScore)
            {
                problems.Add($"{at}.min_innovation_score: must be from 0 to max_score ({maxScore}), not {product.MinInnovationScore}");
            }
        }

        var quick = products.FirstOrDefault(p => p.Product == Product.OperatingQuickLoan);
        if (quick is not null && (quick.MinSrdiLevel != SrdiLevel.None || quick.MinInnovationScore > 0))
        {
            problems.Add("products[operating_quick_loan]: must be open to every enterprise (min_srdi_level none, min_innovation_score 0): it is where an enterprise that does not qualify for the SRDI e-Loan goes");
        }
    }

    /// <summary>Each product's rate bounds hold every rate the model itself gives the product.</summary>
    private static void ProductRates(ImmutableArray<ProductDefinition> products, RatePolicy rate, ImmutableArray<ScoreBand> bands, List<string> problems)
    {
        if (products.IsDefault || rate is null)
        {
            return;
        }

        foreach (var product in products.Where(p => p is not null))
        {
            var at = $"products[{Snake(product.Product)}]";
            if (product.RateFloorBps < 0 || product.RateFloorBps > product.RateCeilingBps || product.RateCeilingBps > Limits.MaxAnnualRateBps)
            {
                problems.Add($"{at}: must have 0 <= rate_floor_bps <= rate_ceiling_bps <= {Limits.MaxAnnualRateBps}, not {product.RateFloorBps} and {product.RateCeilingBps}");
                continue;
            }

            if (bands.IsDefault)
            {
                continue;
            }

            foreach (var band in bands.Where(b => b is not null))
            {
                var given = Assessor.Rate(rate, band, product).AnnualRateBps;
                if (given < product.RateFloorBps || given > product.RateCeilingBps)
                {
                    problems.Add($"{at}: the model gives {given} bps from score {band.FromScore}, outside rate_floor_bps {product.RateFloorBps} to rate_ceiling_bps {product.RateCeilingBps}");
                }
            }
        }
    }

    private static void LimitRule(LimitPolicy limit, ImmutableArray<ProductDefinition> products, List<string> problems)
    {
        if (limit.MinLimitMinor <= 0 || limit.MinLimitMinor % AssessmentLimits.LimitRoundingMinor != 0)
        {
            problems.Add($"limit.min_limit_minor: must be a positive multiple of {AssessmentLimits.LimitRoundingMinor} fen (10,000 CNY), not {limit.MinLimitMinor}");
        }

        if (!products.IsDefault && products.Any(p => p is not null && limit.MinLimitMinor > p.CapMinor))
        {
            problems.Add($"limit.min_limit_minor: {limit.MinLimitMinor} exceeds a product's cap_minor, so that product could never be granted");
        }
    }

    private static void Rate(RatePolicy rate, ImmutableArray<ScoreBand> bands, List<string> problems)
    {
        if (rate.BaseRateBps is < 1 or > Limits.MaxAnnualRateBps)
        {
            problems.Add($"rate.base_rate_bps: must be from 1 to {Limits.MaxAnnualRateBps}, not {rate.BaseRateBps}");
        }

        if (rate.RelendingDiscountBps < 0 || rate.RelendingDiscountBps > rate.BaseRateBps)
        {
            problems.Add($"rate.relending_discount_bps: must be from 0 to base_rate_bps ({rate.BaseRateBps}), not {rate.RelendingDiscountBps}");
        }

        if (rate.FloorBps < 0 || rate.FloorBps > rate.BaseRateBps)
        {
            problems.Add($"rate.floor_bps: must be from 0 to base_rate_bps ({rate.BaseRateBps}), not {rate.FloorBps}");
        }

        if (!bands.IsDefaultOrEmpty && bands.All(b => b is not null))
        {
            var highest = (long)rate.BaseRateBps + bands.Max(b => b.RiskPremiumBps);
            if (highest > Limits.MaxAnnualRateBps)
            {
                problems.Add($"rate.base_rate_bps: with the highest risk premium the rate reaches {highest} bps, above the {Limits.MaxAnnualRateBps} a line may carry");
            }
        }
    }

    private static void CashFlow(CashFlowPolicy cashFlow, List<string> problems)
    {
        if (cashFlow.InflowMonths is < 1 or > MaxInflowMonths)
        {
            problems.Add($"cash_flow.inflow_months: must be from 1 to {MaxInflowMonths}, not {cashFlow.InflowMonths}");
        }

        if (cashFlow.NetInflowMonths is < 1 or > MaxNetInflowMonths)
        {
            problems.Add($"cash_flow.net_inflow_months: must be from 1 to {MaxNetInflowMonths}, not {cashFlow.NetInflowMonths}");
        }

        if (cashFlow.RecurringCounterpartyMinMonths is < 2 or > AssessmentLimits.FundFlowMonths)
        {
            problems.Add($"cash_flow.recurring_counterparty_min_months: must be from 2 to {AssessmentLimits.FundFlowMonths}, not {cashFlow.RecurringCounterpartyMinMonths}");
        }

        Factors(cashFlow.Stability, "cash_flow.stability", rising: false, problems);
        Factors(cashFlow.Regularity, "cash_flow.regularity", rising: true, problems);
        Factors(cashFlow.Concentration, "cash_flow.concentration", rising: false, problems);
    }

    private static void Factors(ImmutableArray<FactorBin> bins, string at, bool rising, List<string> problems)
    {
        if (!AllPresent(bins, at, problems))
        {
            return;
        }

        if (bins.Length is 0 or > AssessmentLimits.MaxBinsPerTable)
        {
            problems.Add($"{at}: must hold 1 to {AssessmentLimits.MaxBinsPerTable} bins, not {bins.Length}");
            return;
        }

        if (bins[0].From != 0)
        {
            problems.Add($"{at}[0].from: must be 0 so that every figure falls in a bin, not {bins[0].From}");
        }

        for (var i = 0; i < bins.Length; i++)
        {
            var bin = bins[i];
            if (bin.FactorBps is < 1 or > AssessmentLimits.BasisPoints)
            {
                problems.Add($"{at}[{i}].factor_bps: must be from 1 to {AssessmentLimits.BasisPoints}, not {bin.FactorBps}");
            }

            ReasonForShortfall(bin.Reason, bin.FactorBps < AssessmentLimits.BasisPoints, $"{at}[{i}].reason", "cuts the limit", problems);
            if (i == 0)
            {
                continue;
            }

            if (bin.From <= bins[i - 1].From)
            {
                problems.Add($"{at}[{i}].from: must be greater than [{i - 1}].from ({bins[i - 1].From}), not {bin.From}");
            }

            if (rising ? bin.FactorBps < bins[i - 1].FactorBps : bin.FactorBps > bins[i - 1].FactorBps)
            {
                problems.Add($"{at}[{i}].factor_bps: must {(rising ? "not fall below" : "not rise above")} the previous bin's ({bins[i - 1].FactorBps}), not {bin.FactorBps}");
            }
        }
    }

    private static void CrossCheck(RevenueCrossCheckPolicy check, List<string> problems)
    {
        if (check.DeclaredVsTaxedToleranceBps is < 1 or > AssessmentLimits.BasisPoints)
        {
            problems.Add($"revenue_cross_check.declared_vs_taxed_tolerance_bps: must be from 1 to {AssessmentLimits.BasisPoints}, not {check.DeclaredVsTaxedToleranceBps}");
        }

        if (check.FundFlowToleranceBps is < 1 or > AssessmentLimits.BasisPoints)
        {
            problems.Add($"revenue_cross_check.fund_flow_tolerance_bps: must be from 1 to {AssessmentLimits.BasisPoints}, not {check.FundFlowToleranceBps}");
        }

        if (check.FundFlowGrossUpBps is < AssessmentLimits.BasisPoints or > 2 * AssessmentLimits.BasisPoints)
        {
            problems.Add($"revenue_cross_check.fund_flow_gross_up_bps: must be from {AssessmentLimits.BasisPoints} to {2 * AssessmentLimits.BasisPoints}, not {check.FundFlowGrossUpBps}");
        }
    }

    private static void Renewal(RenewalPolicy renewal, int maxScore, List<string> problems)
    {
        if (renewal.WindowDays is < 1 or > AssessmentLimits.MaxRenewalWindowDays)
        {
            problems.Add($"renewal.window_days: must be from 1 to {AssessmentLimits.MaxRenewalWindowDays}, not {renewal.WindowDays}");
        }

        if (renewal.MinScore < 0 || renewal.MinScore > maxScore)
        {
            problems.Add($"renewal.min_score: must be from 0 to max_score ({maxScore}), not {renewal.MinScore}");
        }

        if (renewal.MaxCashFlowFallBps is < 0 or > AssessmentLimits.BasisPoints)
        {
            problems.Add($"renewal.max_cash_flow_fall_bps: must be from 0 to {AssessmentLimits.BasisPoints}, not {renewal.MaxCashFlowFallBps}");
        }
    }

    private static void Signals(ImmutableArray<RiskSignalRule> rules, List<string> problems)
    {
        if (!AllPresent(rules, "risk_signals", problems))
        {
            return;
        }

        foreach (var signal in Enum.GetValues<RiskSignalType>().Where(s => s != RiskSignalType.None))
        {
            foreach (var severity in Enum.GetValues<RiskSeverity>().Where(s => s != RiskSeverity.None))
            {
                var count = rules.Count(r => r.Signal == signal && r.Severity == severity);
                if (count != 1)
                {
                    problems.Add($"risk_signals: {Snake(signal)} at {Snake(severity)} severity must have one rule, not {count}");
                }
            }
        }

        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i];
            var at = $"risk_signals[{i}]";
            if (rule.Signal is <= RiskSignalType.None or > RiskSignalType.CashFlowFall || rule.Severity is <= RiskSeverity.None or > RiskSeverity.Severe)
            {
                problems.Add($"{at}: '{rule.Signal}' at '{rule.Severity}' is not a signal and severity");
            }

            switch (rule.Effect)
            {
                case RiskEffect.LowerLimit when rule.LowerByBps is < 1 or >= AssessmentLimits.BasisPoints:
                    problems.Add($"{at}.lower_by_bps: must be from 1 to {AssessmentLimits.BasisPoints - 1} for lower_limit (freeze the line to stop all draws), not {rule.LowerByBps}");
                    break;
                case RiskEffect.RecordOnly or RiskEffect.Freeze when rule.LowerByBps != 0:
                    problems.Add($"{at}.lower_by_bps: only lower_limit lowers the limit; must be 0 for {Snake(rule.Effect)}, not {rule.LowerByBps}");
                    break;
                case RiskEffect.None:
                    problems.Add($"{at}.effect: must be record_only, lower_limit or freeze");
                    break;
            }
        }
    }

    private static void ReasonForShortfall(string? reason, bool needed, string at, string what, List<string> problems)
    {
        if (needed)
        {
            ReasonCode(reason, at, problems, $"is required: the bin {what}, and a decision must say why");
        }
        else if (reason is not null)
        {
            problems.Add($"{at}: must be absent: the bin takes nothing away, so no decision would cite it");
        }
    }

    private static void ReasonCode(string? reason, string at, List<string> problems, string missing = "is required")
    {
        if (string.IsNullOrEmpty(reason))
        {
            problems.Add($"{at}: {missing}");
        }
        else if (!IsReasonCode(reason))
        {
            problems.Add($"{at}: must be UPPER_SNAKE_CASE of at most {AssessmentLimits.MaxReasonCodeLength} characters, not '{reason}'");
        }
    }

    private static bool IsReasonCode(string code) =>
        code.Length <= AssessmentLimits.MaxReasonCodeLength
        && code[0] is >= 'A' and <= 'Z'
        && code.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

    private static bool AllPresent<T>(ImmutableArray<T> items, string at, List<string> problems)
        where T : class
    {
        if (items.IsDefault)
        {
            problems.Add($"{at}: is required");
            return false;
        }

        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is null)
            {
                problems.Add($"{at}[{i}]: must not be null");
                return false;
            }
        }

        return true;
    }

    private static string Snake<T>(T value)
        where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
