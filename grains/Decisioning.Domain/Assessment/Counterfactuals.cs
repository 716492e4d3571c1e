using System.Collections.Immutable;
using System.Diagnostics;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// "What would have been enough": for a decline, a borderline referral or an approval below the
/// product cap, the smallest change to one input at a time that gives a better decision (a better
/// outcome, or a higher limit on an approval), read off the model's own bins and confirmed by
/// assessing the changed application.
/// Only inputs an enterprise can change by acting are searched: the model marks them
/// <see cref="IndicatorDefinition.Actionable"/>, and this class knows which application field
/// moves each indicator. History (years in operation, past overdues, last year's growth) and
/// identity (industry) are never proposed, and neither is clearing the exclusion list. Clearing a
/// current overdue is: it is the first thing a declined enterprise can do.
/// </summary>
internal static class Counterfactuals
{
    /// <param name="Shown">
    /// The field's value as the contract states it, for a lever that moves along something else
    /// (the SRDI ladder's rank, whose levels are numbered in the order they were added); null: the
    /// lever's value is the field's.
    /// </param>
    private sealed record Lever(
        string Field,
        Func<CreditApplication, long> Get,
        Func<CreditApplication, long, CreditApplication> Set,
        Func<CreditApplication, long> Min,
        Func<CreditApplication, long> Max,
        Func<long, long>? Shown = null);

    private static readonly Dictionary<Indicator, Lever> Levers = new()
    {
        [Indicator.SrdiLevel] = new(
            Fields.SrdiLevel,
            a => SrdiLadder.Rank(a.Profile.SrdiLevel),
            (a, v) => a with { Profile = a.Profile with { SrdiLevel = SrdiLadder.OfRank((int)v) } },
            _ => 0,
            _ => SrdiLadder.Rank(SrdiLadder.Highest),
            v => (long)SrdiLadder.OfRank((int)v)),
        [Indicator.Employees] = new(
            Fields.Employees,
            a => a.Profile.Employees,
            (a, v) => a with { Profile = a.Profile with { Employees = (int)v } },
            _ => 0,
            _ => AssessmentLimits.MaxEmployees),
        [Indicator.NetMargin] = new(
            Fields.NetProfit,
            a => a.Financials.NetProfitMinor,
            (a, v) => a with { Financials = a.Financials with { NetProfitMinor = v } },
            _ => -Limits.MaxAmountMinor,
            _ => Limits.MaxAmountMinor),
        [Indicator.DebtToAsset] = new(
            Fields.TotalLiabilities,
            a => a.Financials.TotalLiabilitiesMinor,
            (a, v) => a with { Financials = a.Financials with { TotalLiabilitiesMinor = v } },
            _ => 0,
            _ => Limits.MaxAmountMinor),
        [Indicator.TaxPaid] = new(
            Fields.TaxPaidLast12Months,
            a => a.Tax!.TaxPaidLast12MonthsMinor,
            (a, v) => a with { Tax = a.Tax! with { TaxPaidLast12MonthsMinor = v } },
            _ => 0,
            _ => Limits.MaxAmountMinor),
        [Indicator.InventionPatents] = new(
            Fields.InventionPatents,
            a => a.Innovation.InventionPatents,
            (a, v) => a with { Innovation = a.Innovation with { InventionPatents = (int)v } },
            _ => 0,
            _ => AssessmentLimits.MaxPatents),
        [Indicator.OtherPatents] = new(
            Fields.OtherPatents,
            a => a.Innovation.OtherPatents,
            (a, v) => a with { Innovation = a.Innovation with { OtherPatents = (int)v } },
            _ => 0,
            _ => AssessmentLimits.MaxPatents),
        [Indicator.RdSpendShare] = new(
            Fields.RdSpend,
            a => a.Innovation.RdSpendMinor,
            (a, v) => a with { Innovation = a.Innovation with { RdSpendMinor = v } },
            _ => 0,
            _ => Limits.MaxAmountMinor),
        [Indicator.RdStaffShare] = new(
            Fields.RdStaff,
            a => a.Innovation.RdStaff,
            (a, v) => a with { Innovation = a.Innovation with { RdStaff = (int)v } },
            _ => 0,
            a => a.Innovation.TotalStaff),
        [Indicator.BankDebtToRevenue] = new(
            Fields.ExistingBankDebt,
            a => a.Financing!.ExistingBankDebtMinor,
            (a, v) => a with { Financing = a.Financing! with { ExistingBankDebtMinor = v } },
            _ => 0,
            _ => Limits.MaxAmountMinor),
        [Indicator.LendingBanks] = new(
            Fields.LendingBanks,
            a => a.Financing!.LendingBanks,
            (a, v) => a with { Financing = a.Financing! with { LendingBanks = (int)v } },
            _ => 0,
            _ => AssessmentLimits.MaxLendingBanks),

        // The certificate that scores most; a tech-based SME's registration is never proposed,
        // since one field moves the lever.
        [Indicator.TechRecognition] = new(
            Fields.HighTechEnterprise,
            a => a.Innovation.HighTechEnterprise ? 1 : 0,
            (a, v) => a with { Innovation = a.Innovation with { HighTechEnterprise = v == 1 } },
            _ => 0,
            _ => 1),
    };

    /// <summary>Whether some application field moves the indicator, so that it may be marked actionable.</summary>
    public static bool HasLever(Indicator indicator) => Levers.ContainsKey(indicator);

    /// <summary>
    /// Whether a decision calls for counterfactuals: not when a person must look anyway (missing or
    /// disagreeing data), not when a knock-out no action can clear stands, not at the cap.
    /// </summary>
    public static bool Apply(Decision decision, ScorecardModel model)
    {
        if (decision.Reasons.Any(r => r.Kind == ReasonKind.Referral) || decision.Indicators.IsEmpty)
        {
            return false;
        }

        // No lever touches the fund flow, so the cash-flow limit is fixed: when it alone stands in
        // the way, no change to one input can help, and searching would only cost time.
        var cashFlowCeiling = Assessor.RoundDownToLimitUnit(decision.Limit.CashFlowLimitMinor);
        if (cashFlowCeiling < model.Limit.MinLimitMinor)
        {
            return false;
        }

        return decision.Outcome != Outcome.Approve
            || (decision.LimitMinor < decision.Limit.ProductCapMinor && decision.LimitMinor < cashFlowCeiling);
    }

    public static ImmutableArray<Counterfactual> Find(CreditApplication application, ScorecardModel model, DateOnly asOf, Decision baseline)
    {
        var knockOuts = baseline.Reasons.Where(r => r.Kind == ReasonKind.KnockOut).Select(r => r.Code).ToList();
        var found = new List<Counterfactual>();
        if (knockOuts.Count > 0)
        {
            // Only a current overdue can be cleared; with any other knock-out nothing one change does helps.
            if (knockOuts is [var only] && only == model.KnockOuts.CurrentlyOverdueReason)
            {
                var cleared = application with { Financing = application.Financing! with { CurrentlyOverdue = false } };
                var decision = Reassess(application, cleared, model, asOf, baseline);
                if (Better(decision, baseline))
                {
                    found.Add(Describe(Fields.CurrentlyOverdue, Indicator.None, 1, 0, 1, 0, decision));
                }
            }

            return [.. found];
        }

        foreach (var definition in model.IndicatorDefinitions.Where(d => d.Actionable).OrderBy(d => d.Indicator))
        {
            if (Levers.TryGetValue(definition.Indicator, out var lever) && Search(application, model, asOf, baseline, definition, lever) is { } counterfactual)
            {
                found.Add(counterfactual);
            }
        }

        return
        [
            .. found
                .OrderByDescending(c => Rank(c.Outcome))
                .ThenByDescending(c => c.LimitMinor)
                .ThenBy(c => c.Indicator)
                .Take(AssessmentLimits.MaxCounterfactuals),
        ];
    }

    /// <summary>
    /// Tries the bins that score more than the current one, nearest first, and returns the first
    /// whose reassessment is better. Every lever moves its indicator monotonically (never down as
    /// the field goes up), so the field value nearest the current one that reaches a bin is found
    /// by bisection.
    /// </summary>
    private static Counterfactual? Search(CreditApplication application, ScorecardModel model, DateOnly asOf, Decision baseline, IndicatorDefinition definition, Lever lever)
    {
        var indicator = definition.Indicator;
        var current = lever.Get(application);
        var currentValue = Indicators.ValueOf(indicator, application, asOf);
        var bins = definition.Bins;
        var currentPoints = Assessor.BinOf(bins, currentValue).Points;

        var targets = new List<(long Distance, long Low, long High)>();
        for (var i = 0; i < bins.Length; i++)
        {
            if (bins[i].Points <= currentPoints)
            {
                continue;
            }

            var low = bins[i].From;
            var high = i + 1 < bins.Length ? bins[i + 1].From - 1 : long.MaxValue;
            targets.Add((low > currentValue ? low - currentValue : currentValue - high, low, high));
        }

        foreach (var (_, low, high) in targets.OrderBy(t => t.Distance))
        {
            long? target = low > currentValue
                ? Smallest(current + 1, lever.Max(application), f => Indicators.ValueOf(indicator, lever.Set(application, f), asOf) >= low)
                : Largest(lever.Min(application), current - 1, f => Indicators.ValueOf(indicator, lever.Set(application, f), asOf) <= high);
            if (target is not { } field)
            {
                continue;
            }

            var changed = lever.Set(application, field);
            var decision = Reassess(application, changed, model, asOf, baseline);
            if (Better(decision, baseline))
            {
                var shown = lever.Shown ?? (v => v);
                return Describe(lever.Field, indicator, shown(current), shown(field), currentValue, Indicators.ValueOf(indicator, changed, asOf), decision);
            }
        }

        return null;
    }

    /// <summary>The smallest f in [from, to] with reached(f), for reached false then true along the range.</summary>
    private static long? Smallest(long from, long to, Func<long, bool> reached)
    {
        if (from > to || !reached(to))
        {
            return null;
        }

        while (from < to)
        {
            var middle = from + ((to - from) / 2);
            if (reached(middle))
            {
                to = middle;
            }
            else
            {
                from = middle + 1;
            }
        }

        return from;
    }

    /// <summary>The largest f in [from, to] with reached(f), for reached true then false along the range.</summary>
    private static long? Largest(long from, long to, Func<long, bool> reached)
    {
        if (from > to || !reached(from))
        {
            return null;
        }

        while (from < to)
        {
            var middle = to - ((to - from) / 2);
            if (reached(middle))
            {
                from = middle;
            }
            else
            {
                to = middle - 1;
            }
        }

        return from;
    }

    /// <summary>
    /// The changed application decided by the assessor itself. Not validated again: every lever
    /// keeps its field within the bounds validation checks (the tests apply each counterfactual
    /// through the validating <see cref="Assessor.Assess"/>), and no lever touches the fund flow,
    /// so its figures are the baseline's.
    /// </summary>
    private static Decision Reassess(CreditApplication original, CreditApplication changed, ScorecardModel model, DateOnly asOf, Decision baseline)
    {
        Debug.Assert(ReferenceEquals(changed.FundFlow, original.FundFlow), "a lever changed the fund flow");
        return Assessor.Decide(changed, model, asOf, baseline.DecisionId, baseline.CashFlow);
    }

    internal static bool Better(Decision candidate, Decision baseline) =>
        Rank(candidate.Outcome) > Rank(baseline.Outcome)
        || (candidate.Outcome == Outcome.Approve && baseline.Outcome == Outcome.Approve && candidate.LimitMinor > baseline.LimitMinor);

    internal static int Rank(Outcome outcome) => outcome switch
    {
        Outcome.Approve => 2,
        Outcome.Refer => 1,
        _ => 0,
    };

    private static Counterfactual Describe(string field, Indicator indicator, long current, long target, long currentValue, long targetValue, Decision decision) => new()
    {
        Field = field,
        Indicator = indicator,
        CurrentValue = current,
        TargetValue = target,
        CurrentIndicatorValue = currentValue,
        TargetIndicatorValue = targetValue,
        Outcome = decision.Outcome,
        Score = decision.Score,
        Product = decision.Product,
        LimitMinor = decision.LimitMinor,
        AnnualRateBps = decision.AnnualRateBps,
    };
}
