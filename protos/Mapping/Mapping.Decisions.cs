using System.Globalization;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Google.Protobuf.WellKnownTypes;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.Contracts;

public static partial class Mapping
{
    /// <summary>
    /// The domain application. Absent parts stay null for <see cref="ApplicationRules"/> to name
    /// (profile, financials, innovation) or to refer (the providers' parts); unreadable dates are
    /// added to <paramref name="errors"/>, named as the request names them.
    /// </summary>
    public static CreditApplication ToApplication(V1.CreditApplication a, List<DomainError> errors) => new()
    {
        EnterpriseId = a.EnterpriseId,
        Product = (Product)a.Product,
        Profile = a.Profile is { } p
            ? new EnterpriseProfile
            {
                FoundedOn = ParseDate(p.FoundedOn, Fields.FoundedOn, errors),
                SrdiLevel = (SrdiLevel)p.SrdiLevel,
                Employees = p.Employees,
                IndustryCode = p.IndustryCode,
                StrategicEmergingIndustry = p.StrategicEmergingIndustry,
            }
            : null!,
        Financials = a.Financials is { } f
            ? new Financials
            {
                RevenueThisYearMinor = f.RevenueThisYearMinor,
                RevenueLastYearMinor = f.RevenueLastYearMinor,
                NetProfitMinor = f.NetProfitMinor,
                TotalAssetsMinor = f.TotalAssetsMinor,
                TotalLiabilitiesMinor = f.TotalLiabilitiesMinor,
                DeclaredAnnualRevenueMinor = f.DeclaredAnnualRevenueMinor,
            }
            : null!,
        Innovation = a.Innovation is { } i
            ? new InnovationProfile
            {
                InventionPatents = i.InventionPatents,
                OtherPatents = i.OtherPatents,
                RdSpendMinor = i.RdSpendMinor,
                RdStaff = i.RdStaff,
                TotalStaff = i.TotalStaff,
                HighTechEnterprise = i.HighTechEnterprise,
                TechBasedSme = i.TechBasedSme,
            }
            : null!,
        Financing = a.Financing is { } b
            ? new CreditBureauReport
            {
                CurrentlyOverdue = b.CurrentlyOverdue,
                MaxOverdueDaysLast24Months = b.MaxOverdueDaysLast24Months,
                MaxOverdueDaysLast12Months = b.MaxOverdueDaysLast12Months,
                ExistingBankDebtMinor = b.ExistingBankDebtMinor,
                LendingBanks = b.LendingBanks,
            }
            : null,
        Tax = a.Tax is { } t ? new TaxRecord { TaxPaidLast12MonthsMinor = t.TaxPaidLast12MonthsMinor, TaxedRevenueLast12MonthsMinor = t.TaxedRevenueLast12MonthsMinor } : null,
        FundFlow = a.FundFlow is { } flow
            ? new FundFlowStatement
            {
                Months =
                [
                    .. flow.Months.Select((m, index) => new MonthlyFundFlow
                    {
                        Month = ParseDate(m.Month, $"{Fields.Month(index)}.month", errors),
                        InflowMinor = m.InflowMinor,
                        OutflowMinor = m.OutflowMinor,
                        Counterparties = [.. m.Counterparties.Select(c => new CounterpartyInflow { Name = c.Name, InflowMinor = c.InflowMinor })],
                    }),
                ],
            }
            : null,
        OnExclusionList = a.OnExclusionList,
    };

    public static V1.CreditApplication ToApplication(CreditApplication a)
    {
        var message = new V1.CreditApplication
        {
            EnterpriseId = a.EnterpriseId,
            Product = (V1.Product)a.Product,
            Profile = new V1.EnterpriseProfile
            {
                FoundedOn = Date(a.Profile.FoundedOn),
                SrdiLevel = (V1.SrdiLevel)a.Profile.SrdiLevel,
                Employees = a.Profile.Employees,
                IndustryCode = a.Profile.IndustryCode,
                StrategicEmergingIndustry = a.Profile.StrategicEmergingIndustry,
            },
            Financials = new V1.Financials
            {
                RevenueThisYearMinor = a.Financials.RevenueThisYearMinor,
                RevenueLastYearMinor = a.Financials.RevenueLastYearMinor,
                NetProfitMinor = a.Financials.NetProfitMinor,
                TotalAssetsMinor = a.Financials.TotalAssetsMinor,
                TotalLiabilitiesMinor = a.Financials.TotalLiabilitiesMinor,
                DeclaredAnnualRevenueMinor = a.Financials.DeclaredAnnualRevenueMinor,
            },
            Innovation = new V1.Innovation
            {
                InventionPatents = a.Innovation.InventionPatents,
                OtherPatents = a.Innovation.OtherPatents,
                RdSpendMinor = a.Innovation.RdSpendMinor,
                RdStaff = a.Innovation.RdStaff,
                TotalStaff = a.Innovation.TotalStaff,
                HighTechEnterprise = a.Innovation.HighTechEnterprise,
                TechBasedSme = a.Innovation.TechBasedSme,
            },
            OnExclusionList = a.OnExclusionList,
        };
        if (a.Financing is { } b)
        {
            message.Financing = new V1.CreditBureauReport
            {
                CurrentlyOverdue = b.CurrentlyOverdue,
                MaxOverdueDaysLast24Months = b.MaxOverdueDaysLast24Months,
                MaxOverdueDaysLast12Months = b.MaxOverdueDaysLast12Months,
                ExistingBankDebtMinor = b.ExistingBankDebtMinor,
                LendingBanks = b.LendingBanks,
            };
        }

        if (a.Tax is { } t)
        {
            message.Tax = new V1.TaxRecord { TaxPaidLast12MonthsMinor = t.TaxPaidLast12MonthsMinor, TaxedRevenueLast12MonthsMinor = t.TaxedRevenueLast12MonthsMinor };
        }

        if (a.FundFlow is { } flow)
        {
            message.FundFlow = new V1.FundFlowStatement();
            foreach (var month in flow.Months)
            {
                var m = new V1.MonthlyFundFlow { Month = Date(month.Month), InflowMinor = month.InflowMinor, OutflowMinor = month.OutflowMinor };
                m.Counterparties.AddRange(month.Counterparties.Select(c => new V1.CounterpartyInflow { Name = c.Name, InflowMinor = c.InflowMinor }));
                message.FundFlow.Months.Add(m);
            }
        }

        return message;
    }

    public static V1.AssessEnterpriseResponse ToAssessEnterpriseResponse(string enterpriseId, AssessmentResult r) => new()
    {
        Decision = ToDecision(r.Decision, r.ExternalData),
        Line = r.Line is { } line ? ToLine(enterpriseId, line) : null,
        TransactionSequence = r.Sequence,
    };

    public static V1.RenewLineResponse ToRenewLineResponse(string enterpriseId, AssessmentResult r) => new()
    {
        Renewed = r.Renewed,
        Reasons = { r.RenewalReasons },
        Line = r.Line is { } line ? ToLine(enterpriseId, line) : null,
        Decision = ToDecision(r.Decision, r.ExternalData),
        TransactionSequence = r.Sequence,
        CashFlowFallBps = r.CashFlowFallBps,
    };

    public static V1.GetDecisionResponse ToGetDecisionResponse(DecisionDocument d) => new()
    {
        Decision = ToDecision(d.Champion, d.ExternalData),
        ChallengerDecision = d.Challenger is { } challenger ? ToDecision(challenger) : null,
        Application = ToApplication(d.Application),
        RequestId = d.RequestId,
        Actor = d.Actor,
        CreateTime = Timestamp.FromDateTimeOffset(d.CreatedAt),
        Purpose = (V1.DecisionPurpose)d.Purpose,
        Renewal = d.Renewal is { } renewal ? new V1.RenewalResult { Renewed = renewal.Eligible, Reasons = { renewal.Reasons }, CashFlowFallBps = renewal.CashFlowFallBps } : null,
    };

    public static V1.ReportRiskSignalResponse ToReportRiskSignalResponse(string enterpriseId, OperationResult r) => new()
    {
        Effect = (V1.RiskEffect)r.SignalEffect,
        ReasonCode = r.Note,
        LowerByBps = r.LowerByBps,
        Line = ToLine(enterpriseId, r.Line),
        TransactionSequence = r.Sequence,
    };

    /// <summary>The champion's decision with where its external data came from.</summary>
    public static V1.Decision ToDecision(Decision d, IEnumerable<ExternalDataUse> uses)
    {
        var message = ToDecision(d);
        message.ExternalData.AddRange(uses.Select(u => new V1.ExternalDataUse
        {
            Provider = (V1.ExternalProvider)u.Provider,
            Source = (V1.DataSource)u.Source,
            FetchTime = Time(u.FetchedAt),
            ConsentId = u.ConsentId,
        }));
        return message;
    }

    public static V1.Decision ToDecision(Decision d)
    {
        var message = new V1.Decision
        {
            DecisionId = d.DecisionId,
            EnterpriseId = d.EnterpriseId,
            Outcome = (V1.Outcome)d.Outcome,
            Score = d.Score,
            MaxScore = d.MaxScore,
            RequestedProduct = (V1.Product)d.RequestedProduct,
            Product = (V1.Product)d.Product,
            LimitMinor = d.LimitMinor,
            LimitBreakdown = new V1.LimitBreakdown
            {
                ProductCapMinor = d.Limit.ProductCapMinor,
                ScorecardLimitMinor = d.Limit.ScorecardLimitMinor,
                CashFlowLimitMinor = d.Limit.CashFlowLimitMinor,
                Basis = (V1.LimitBasis)d.Limit.Basis,
            },
            AnnualRateBps = d.AnnualRateBps,
            RateBreakdown = new V1.RateBreakdown
            {
                BaseRateBps = d.Rate.BaseRateBps,
                RiskPremiumBps = d.Rate.RiskPremiumBps,
                RelendingDiscountBps = d.Rate.RelendingDiscountBps,
                FloorBps = d.Rate.FloorBps,
                FloorApplied = d.Rate.FloorApplied,
            },
            ModelVersion = d.ModelVersion,
            AsOfDate = Date(d.AsOf),
            FirstLoan = d.FirstLoan,
        };
        message.CategoryScores.AddRange(d.Categories.Select(c => new V1.CategoryScore { Category = (V1.Category)c.Category, Score = c.Score, MaxScore = c.MaxScore }));
        message.IndicatorScores.AddRange(d.Indicators.Select(i => new V1.IndicatorScore
        {
            Indicator = (V1.Indicator)i.Indicator,
            Category = (V1.Category)i.Category,
            Value = i.Value,
            Points = i.Points,
            MaxPoints = i.MaxPoints,
            ScoreLostCentipoints = Centipoints(i.ScoreLost),
            ReasonCode = i.Reason ?? "",
        }));
        message.Reasons.AddRange(d.Reasons.Select(r => new V1.Reason { Code = r.Code, Kind = (V1.ReasonKind)r.Kind, ScoreLostCentipoints = Centipoints(r.ScoreLost) }));
        message.Counterfactuals.AddRange(d.Counterfactuals.Select(c => new V1.Counterfactual
        {
            Field = c.Field,
            Indicator = (V1.Indicator)c.Indicator,
            CurrentValue = c.CurrentValue,
            TargetValue = c.TargetValue,
            CurrentIndicatorValue = c.CurrentIndicatorValue,
            TargetIndicatorValue = c.TargetIndicatorValue,
            Outcome = (V1.Outcome)c.Outcome,
            Score = c.Score,
            Product = (V1.Product)c.Product,
            LimitMinor = c.LimitMinor,
            AnnualRateBps = c.AnnualRateBps,
        }));
        if (d.CashFlow is { } cash)
        {
            message.CashFlow = new V1.CashFlowSummary
            {
                AverageMonthlyInflowMinor = cash.AverageMonthlyInflowMinor,
                AverageMonthlyNetInflowMinor = cash.AverageMonthlyNetInflowMinor,
                CoefficientOfVariationBps = cash.CoefficientOfVariationBps,
                RegularityBps = cash.RegularityBps,
                TopCounterparty = cash.TopCounterparty,
                TopCounterpartyShareBps = cash.TopCounterpartyShareBps,
                LimitMinor = cash.LimitMinor,
            };
        }

        if (d.RevenueCheck is { } check)
        {
            message.RevenueCrossCheck = new V1.RevenueCrossCheck
            {
                DeclaredMinor = check.DeclaredMinor,
                TaxedMinor = check.TaxedMinor,
                FundFlowImpliedMinor = check.FundFlowImpliedMinor,
                DeclaredVsTaxedGapBps = check.DeclaredVsTaxedGapBps,
                DeclaredVsFundFlowGapBps = check.DeclaredVsFundFlowGapBps,
                TaxedVsFundFlowGapBps = check.TaxedVsFundFlowGapBps,
            };
        }

        return message;
    }

    /// <summary>Hundredths of a point, toward zero: a notice never overstates what a factor cost.</summary>
    private static long Centipoints(decimal points) => (long)decimal.Truncate(points * 100);

    private static DateOnly ParseDate(string text, string field, List<DomainError> errors)
    {
        if (DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(text.Length == 0
            ? DomainError.Invalid(field, ErrorReasons.FieldRequired, "is required (YYYY-MM-DD)")
            : DomainError.Invalid(field, ErrorReasons.DateMalformed, $"must be a date as YYYY-MM-DD, not '{(text.Length > 32 ? text[..32] + "…" : text)}'"));

        // A placeholder the rules accept, so that one bad date is reported once, as malformed.
        return new DateOnly(2000, 1, 1);
    }
}
