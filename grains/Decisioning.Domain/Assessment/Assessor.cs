using System.Collections.Immutable;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// Decides an application with one model version. Pure: the same application, model, date and id
/// always give the same decision; nothing is read from a clock, a store or a network.
/// </summary>
public static class Assessor
{
    /// <summary>
    /// Assesses an application that <see cref="ApplicationRules.Validate"/> accepted. An invalid
    /// application is a caller's bug here, so it throws; every business answer (decline,
    /// referral, missing data) is a <see cref="Decision"/>.
    /// </summary>
    /// <param name="withCounterfactuals">
    /// Search for counterfactuals (each one a further assessment); a shadow challenger run can skip them.
    /// </param>
    /// <param name="notAuthorised">
    /// The providers not queried for want of the enterprise's consent: their missing parts refer the
    /// case with <see cref="ReasonCodes.ConsentMissing"/> rather than as unavailable.
    /// </param>
    public static Decision Assess(CreditApplication application, ScorecardModel model, DateOnly asOf, string decisionId, bool withCounterfactuals = true, IReadOnlyCollection<ExternalProvider>? notAuthorised = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        EnsureValid(application, asOf, decisionId);
        return Validated(application, model, asOf, decisionId, withCounterfactuals, notAuthorised);
    }

    /// <summary>
    /// The champion's decision, with its counterfactuals, and the <paramref name="challenger"/>'s
    /// shadow decision without them (null when there is no challenger), from one check of the
    /// application: each <see cref="Assess"/> would check it again.
    /// </summary>
    public static (Decision Champion, Decision? Challenger) AssessWithShadow(CreditApplication application, ScorecardModel champion, ScorecardModel? challenger, DateOnly asOf, string decisionId, IReadOnlyCollection<ExternalProvider>? notAuthorised = null)
    {
        ArgumentNullException.ThrowIfNull(champion);
        EnsureValid(application, asOf, decisionId);
        return (
            Validated(application, champion, asOf, decisionId, withCounterfactuals: true, notAuthorised),
            challenger is null ? null : Validated(application, challenger, asOf, decisionId, withCounterfactuals: false, notAuthorised));
    }

    private static void EnsureValid(CreditApplication application, DateOnly asOf, string decisionId)
    {
        ArgumentNullException.ThrowIfNull(application);
        var problem = ApplicationRules.DecisionId(decisionId) ?? ApplicationRules.ValidateContent(application, asOf).FirstOrDefault();
        if (problem is not null)
        {
            throw new ArgumentException($"The application must be validated before it is assessed: {problem.Message}", nameof(application));
        }
    }

    private static Decision Validated(CreditApplication application, ScorecardModel model, DateOnly asOf, string decisionId, bool withCounterfactuals, IReadOnlyCollection<ExternalProvider>? notAuthorised)
    {
        var decision = Decide(application, model, asOf, decisionId, knownCashFlow: null, notAuthorised);
        return withCounterfactuals && Counterfactuals.Apply(decision, model)
            ? decision with { Counterfactuals = Counterfactuals.Find(application, model, asOf, decision) }
            : decision;
    }

    /// <summary>
    /// The decision itself. <paramref name="knownCashFlow"/> lets a counterfactual re-run reuse the
    /// figures of the same fund flow (no counterfactual changes it) instead of recomputing them.
    /// </summary>
    internal static Decision Decide(CreditApplication application, ScorecardModel model, DateOnly asOf, string decisionId, CashFlowFigures? knownCashFlow, IReadOnlyCollection<ExternalProvider>? notAuthorised = null)
    {
        var months = Indicators.MonthsInOperation(application.Profile.FoundedOn, asOf);
        var knockOuts = KnockOuts(application, model, months);
        var facts = new AssessmentFacts
        {
            MonthsInOperation = months,
            CurrentlyOverdue = application.Financing?.CurrentlyOverdue,
            MaxOverdueDaysLast12Months = application.Financing?.MaxOverdueDaysLast12Months,
            AverageMonthlyInflowMinor = null,
        };

        var missing = Missing(application, notAuthorised ?? []);
        if (missing.Count > 0)
        {
            // Never approve on missing data; a knock-out the data we have shows still declines.
            return Unscored(application, model, asOf, decisionId, knockOuts.Count > 0 ? Outcome.Decline : Outcome.Refer, [.. knockOuts, .. missing], facts);
        }

        var scored = Score(application, model, asOf);
        var cashFlow = knownCashFlow ?? CashFlowAnalysis.Analyse(application.FundFlow!, model.CashFlow);
        var declared = application.Financials.DeclaredAnnualRevenueMinor;
        var taxed = application.Tax!.TaxedRevenueLast12MonthsMinor;
        var crossCheck = RevenueCrossCheck.Compare(declared, taxed, cashFlow.AnnualInflowMinor, model.RevenueCrossCheck);
        var revenueBasis = Math.Min(declared, taxed);

        var (product, productReason) = AssignProduct(application, model, scored.Categories[(int)Category.Innovation - 1].Score);
        var definition = model.ProductDefinition(product);
        var band = model.BandOf(scored.Total);
        var limit = Limit(definition.CapMinor, checked(revenueBasis * band.RevenueShareBps) / AssessmentLimits.BasisPoints, band, cashFlow.LimitMinor);
        var rate = Rate(model.Rate, band, definition);

        var outcome = OutcomeOf(knockOuts.Count > 0, scored.Total, crossCheck, limit.LimitMinor, model, out var belowMinimum);

        var reasons = new List<Reason>(knockOuts);
        reasons.AddRange(crossCheck.Disagreements.Select(code => new Reason(code, ReasonKind.Referral)));
        if (belowMinimum)
        {
            reasons.Add(new Reason(ReasonCodes.LimitBelowProductMinimum, ReasonKind.Limit));
        }

        var limitExplains = belowMinimum || outcome is Outcome.Approve or Outcome.Refer;
        if (limitExplains && limit.Basis == LimitBasis.Scorecard)
        {
            reasons.Add(new Reason(ReasonCodes.LimitSetByScorecard, ReasonKind.Limit));
        }
        else if (limitExplains && limit.Basis == LimitBasis.CashFlow)
        {
            reasons.Add(new Reason(ReasonCodes.LimitSetByCashFlow, ReasonKind.Limit));
            reasons.AddRange(cashFlow.Reasons.Select(code => new Reason(code, ReasonKind.CashFlow)));
        }

        if (productReason is not null)
        {
            reasons.Add(new Reason(productReason, ReasonKind.Product));
        }

        reasons.AddRange(scored.Indicators
            .Where(i => i.Reason is not null && i.Points < i.MaxPoints)
            .OrderByDescending(i => i.ScoreLost)
            .ThenBy(i => i.Indicator)
            .Select(i => new Reason(i.Reason!, ReasonKind.Score, decimal.Round(i.ScoreLost, 2, MidpointRounding.ToZero))));

        var declined = outcome == Outcome.Decline;
        return new Decision
        {
            DecisionId = decisionId,
            EnterpriseId = application.EnterpriseId,
            AsOf = asOf,
            ModelVersion = model.Version,
            Outcome = outcome,
            RequestedProduct = application.Product,
            Product = product,
            Score = scored.Total,
            MaxScore = model.MaxScore,
            Categories = scored.Categories,
            Indicators = scored.Indicators,
            Limit = declined ? limit with { LimitMinor = 0 } : limit,
            Rate = declined ? RateBreakdown.None : rate,
            Reasons = [.. reasons],
            Counterfactuals = [],
            Facts = facts with { RevenueBasisMinor = revenueBasis, AverageMonthlyInflowMinor = cashFlow.AverageMonthlyInflowMinor },
            CashFlow = cashFlow,
            RevenueCheck = crossCheck,
            FirstLoan = FirstLoans.Is(application),
        };
    }

    private static List<Reason> KnockOuts(CreditApplication application, ScorecardModel model, int monthsInOperation)
    {
        var knockOuts = new List<Reason>(4);
        if (application.Financing is { CurrentlyOverdue: true })
        {
            knockOuts.Add(new Reason(model.KnockOuts.CurrentlyOverdueReason, ReasonKind.KnockOut));
        }

        if (application.Financing is { } report && model.KnockOuts.SeriousOverdue.IsSerious(report))
        {
            knockOuts.Add(new Reason(model.KnockOuts.SeriousOverdue.Reason, ReasonKind.KnockOut));
        }

        if (monthsInOperation < model.KnockOuts.MinMonthsInOperation)
        {
            knockOuts.Add(new Reason(model.KnockOuts.TooYoungReason, ReasonKind.KnockOut));
        }

        if (application.OnExclusionList)
        {
            knockOuts.Add(new Reason(model.KnockOuts.ExclusionListReason, ReasonKind.KnockOut));
        }

        return knockOuts;
    }

    private static List<Reason> Missing(CreditApplication application, IReadOnlyCollection<ExternalProvider> notAuthorised)
    {
        var missing = new List<Reason>(0);
        if (application.Financing is null)
        {
            missing.Add(MissingPart(ExternalProvider.CreditBureau, notAuthorised));
        }

        if (application.Tax is null)
        {
            missing.Add(MissingPart(ExternalProvider.TaxBureau, notAuthorised));
        }

        if (application.FundFlow is null)
        {
            missing.Add(MissingPart(ExternalProvider.FundFlowPlatform, notAuthorised));
        }

        return missing;
    }

    private static Reason MissingPart(ExternalProvider provider, IReadOnlyCollection<ExternalProvider> notAuthorised) =>
        new(notAuthorised.Contains(provider) ? ReasonCodes.ConsentMissing(provider) : ReasonCodes.Unavailable(provider), ReasonKind.Referral);

    private static Decision Unscored(CreditApplication application, ScorecardModel model, DateOnly asOf, string decisionId, Outcome outcome, List<Reason> reasons, AssessmentFacts facts) => new()
    {
        DecisionId = decisionId,
        EnterpriseId = application.EnterpriseId,
        AsOf = asOf,
        ModelVersion = model.Version,
        Outcome = outcome,
        RequestedProduct = application.Product,
        Product = Product.None,
        Score = 0,
        MaxScore = model.MaxScore,
        Categories = [],
        Indicators = [],
        Limit = LimitBreakdown.None,
        Rate = RateBreakdown.None,
        Reasons = [.. reasons],
        Counterfactuals = [],
        Facts = facts,
        FirstLoan = FirstLoans.Is(application),
    };

    private sealed record Scored(int Total, ImmutableArray<CategoryScore> Categories, ImmutableArray<IndicatorScore> Indicators);

    /// <summary>
    /// Each category scores its weight's share of the maximum in proportion to the points its
    /// indicators earn, rounded down; the total is the sum of the categories.
    /// </summary>
    private static Scored Score(CreditApplication application, ScorecardModel model, DateOnly asOf)
    {
        Span<int> categoryPoints = stackalloc int[5];
        var values = new (long Value, Bin Bin)[Indicators.Count + 1];
        foreach (var indicator in Indicators.All)
        {
            var value = Indicators.ValueOf(indicator, application, asOf);
            var bin = BinOf(model.Definition(indicator).Bins, value);
            values[(int)indicator] = (value, bin);
            categoryPoints[(int)Indicators.CategoryOf(indicator)] += bin.Points;
        }

        var categories = ImmutableArray.CreateBuilder<CategoryScore>(4);
        var total = 0;
        foreach (var category in (ReadOnlySpan<Category>)[Category.Basic, Category.Financial, Category.Innovation, Category.Financing])
        {
            var max = model.CategoryMaxScore(category);
            var score = (int)((long)max * categoryPoints[(int)category] / model.CategoryMaxPoints(category));
            categories.Add(new CategoryScore(category, score, max));
            total += score;
        }

        var indicators = ImmutableArray.CreateBuilder<IndicatorScore>(Indicators.Count);
        foreach (var indicator in Indicators.All)
        {
            var (value, bin) = values[(int)indicator];
            var category = Indicators.CategoryOf(indicator);
            var maxPoints = model.MaxPoints(indicator);
            var lost = (decimal)(maxPoints - bin.Points) * model.CategoryMaxScore(category) / model.CategoryMaxPoints(category);
            indicators.Add(new IndicatorScore(indicator, category, value, bin.Points, maxPoints, lost, bin.Points < maxPoints ? bin.Reason : null));
        }

        return new Scored(total, categories.MoveToImmutable(), indicators.MoveToImmutable());
    }

    internal static Bin BinOf(ImmutableArray<Bin> bins, long value)
    {
        var chosen = bins[0];
        foreach (var bin in bins)
        {
            if (bin.From > value)
            {
                break;
            }

            chosen = bin;
        }

        return chosen;
    }

    /// <summary>
    /// The SRDI e-Loan goes to enterprises with the SRDI recognition and the innovation it is meant
    /// for; everyone else, and whoever asks for it, gets the Operating Quick Loan.
    /// </summary>
    private static (Product Product, string? Reason) AssignProduct(CreditApplication application, ScorecardModel model, int innovationScore)
    {
        if (application.Product == Product.OperatingQuickLoan)
        {
            return (Product.OperatingQuickLoan, null);
        }

        var srdi = model.ProductDefinition(Product.SrdiELoan);
        var eligible = SrdiLadder.AtLeast(application.Profile.SrdiLevel, srdi.MinSrdiLevel) && innovationScore >= srdi.MinInnovationScore;
        if (eligible)
        {
            return (Product.SrdiELoan, null);
        }

        return (Product.OperatingQuickLoan, application.Product == Product.SrdiELoan ? ReasonCodes.NotEligibleForSrdiELoan : null);
    }

    private static LimitBreakdown Limit(long capMinor, long revenueShareMinor, ScoreBand band, long cashFlowMinor)
    {
        var scorecard = Math.Min(revenueShareMinor, band.MaxLimitMinor);

        // On a tie the cap is named: nothing the enterprise does would raise a capped limit.
        var (lowest, basis) = (capMinor, LimitBasis.ProductCap);
        if (scorecard < lowest)
        {
            (lowest, basis) = (scorecard, LimitBasis.Scorecard);
        }

        if (cashFlowMinor < lowest)
        {
            (lowest, basis) = (cashFlowMinor, LimitBasis.CashFlow);
        }

        return new LimitBreakdown
        {
            ProductCapMinor = capMinor,
            ScorecardLimitMinor = scorecard,
            CashFlowLimitMinor = cashFlowMinor,
            LimitMinor = RoundDownToLimitUnit(lowest),
            Basis = basis,
        };
    }

    /// <summary>Limits are granted in whole 10,000 CNY, rounded down so that no rounding grants more than the rules allow.</summary>
    public static long RoundDownToLimitUnit(long amountMinor) =>
        amountMinor <= 0 ? 0 : amountMinor / AssessmentLimits.LimitRoundingMinor * AssessmentLimits.LimitRoundingMinor;

    public static RateBreakdown Rate(RatePolicy policy, ScoreBand band, ProductDefinition product)
    {
        var discount = product.TechRelendingEligible ? policy.RelendingDiscountBps : 0;
        var computed = policy.BaseRateBps + band.RiskPremiumBps - discount;
        return new RateBreakdown
        {
            BaseRateBps = policy.BaseRateBps,
            RiskPremiumBps = band.RiskPremiumBps,
            RelendingDiscountBps = discount,
            FloorBps = policy.FloorBps,
            FloorApplied = computed < policy.FloorBps,
            AnnualRateBps = Math.Max(computed, policy.FloorBps),
        };
    }

    /// <summary>
    /// Knock-outs and low scores decline whatever else is true; data that disagree go to a person
    /// before a limit is judged (the disagreement may be what makes the limit small); a limit too
    /// small to serve declines; a borderline score goes to a person.
    /// </summary>
    private static Outcome OutcomeOf(bool knockedOut, int score, RevenueCrossCheck crossCheck, long limitMinor, ScorecardModel model, out bool belowMinimum)
    {
        belowMinimum = false;
        if (knockedOut || score < model.Thresholds.DeclineBelow)
        {
            return Outcome.Decline;
        }

        if (crossCheck.Disagreements.Length > 0)
        {
            return Outcome.Refer;
        }

        if (limitMinor < model.Limit.MinLimitMinor)
        {
            belowMinimum = true;
            return Outcome.Decline;
        }

        return score < model.Thresholds.ApproveFrom ? Outcome.Refer : Outcome.Approve;
    }
}
