using System.Globalization;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Google.Protobuf;
using S = Decisioning.Grains.Storage.V1;

namespace Decisioning.Grains.Storage;

/// <summary>Decision documents to and from their stored protobuf form (decision_storage.proto).</summary>
internal static class DecisionCodec
{
    /// <summary>The attachment a decision is stored under, beside the line change it caused.</summary>
    public static string AttachmentName(string decisionId) => "decision:" + decisionId;

    public static byte[] Encode(DecisionDocument d)
    {
        var record = new S.DecisionDocument
        {
            DecisionId = d.DecisionId,
            EnterpriseId = d.EnterpriseId,
            RequestId = d.RequestId,
            Actor = d.Actor,
            Fingerprint = d.Fingerprint,
            CreateUnixMs = d.CreatedAt.ToUnixTimeMilliseconds(),
            Purpose = (int)d.Purpose,
            Application = Encode(d.Application, d.EnterpriseId),
            Champion = Encode(d.Champion, d),
            Challenger = d.Challenger is null ? null : Encode(d.Challenger, d),
            ExternalData = { d.ExternalData.Select(u => new S.ExternalDataUseRecord { Provider = (int)u.Provider, Source = (int)u.Source, FetchUnixMs = u.FetchedAt?.ToUnixTimeMilliseconds() ?? 0, ConsentId = u.ConsentId }) },
            Renewal = d.Renewal is { } r ? new S.RenewalRecord { Eligible = r.Eligible, Reasons = { r.Reasons }, CashFlowFallBps = r.CashFlowFallBps } : null,
        };
        if (record.Challenger is { } challenger && challenger.Facts.Equals(record.Champion.Facts)
            && Equals(challenger.CashFlow, record.Champion.CashFlow) && Equals(challenger.RevenueCheck, record.Champion.RevenueCheck))
        {
            // The shadow run's figures are the champion's when its policies are: kept once.
            challenger.Facts = null;
            challenger.CashFlow = null;
            challenger.RevenueCheck = null;
            challenger.FiguresAsChampion = true;
        }

        return record.ToBytes();
    }

    public static DecisionDocument Decode(ReadOnlySpan<byte> bytes)
    {
        var r = S.DecisionDocument.Parser.ParseFrom(bytes);
        return new DecisionDocument
        {
            DecisionId = r.DecisionId,
            EnterpriseId = r.EnterpriseId,
            RequestId = r.RequestId,
            Actor = r.Actor,
            Fingerprint = r.Fingerprint,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.CreateUnixMs),
            Purpose = (DecisionPurpose)r.Purpose,
            Application = Decode(r.Application, r.EnterpriseId),
            Champion = Decode(r.Champion, r),
            Challenger = r.Challenger is null ? null : Decode(r.Challenger, r),
            ExternalData = [.. r.ExternalData.Select(u => new ExternalDataUse((ExternalProvider)u.Provider, (DataSource)u.Source, u.FetchUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(u.FetchUnixMs), u.ConsentId))],
            Renewal = r.Renewal is { } renewal
                ? new RenewalDecision { Eligible = renewal.Eligible, Reasons = [.. renewal.Reasons], CashFlowFallBps = renewal.CashFlowFallBps, NewMaturesOn = null }
                : null,
        };
    }

    private static S.ApplicationRecord Encode(CreditApplication a, string documentEnterpriseId) => new()
    {
        EnterpriseId = a.EnterpriseId == documentEnterpriseId ? "" : a.EnterpriseId,
        Product = (int)a.Product,
        Profile = new S.ProfileRecord
        {
            FoundedDay = a.Profile.FoundedOn.DayNumber,
            SrdiLevel = (int)a.Profile.SrdiLevel,
            Employees = a.Profile.Employees,
            IndustryCode = a.Profile.IndustryCode,
            StrategicEmergingIndustry = a.Profile.StrategicEmergingIndustry,
        },
        Financials = new S.FinancialsRecord
        {
            RevenueThisYearMinor = a.Financials.RevenueThisYearMinor,
            RevenueLastYearMinor = a.Financials.RevenueLastYearMinor,
            NetProfitMinor = a.Financials.NetProfitMinor,
            TotalAssetsMinor = a.Financials.TotalAssetsMinor,
            TotalLiabilitiesMinor = a.Financials.TotalLiabilitiesMinor,
            DeclaredAnnualRevenueMinor = a.Financials.DeclaredAnnualRevenueMinor,
        },
        Innovation = new S.InnovationRecord
        {
            InventionPatents = a.Innovation.InventionPatents,
            OtherPatents = a.Innovation.OtherPatents,
            RdSpendMinor = a.Innovation.RdSpendMinor,
            RdStaff = a.Innovation.RdStaff,
            TotalStaff = a.Innovation.TotalStaff,
            HighTechEnterprise = a.Innovation.HighTechEnterprise,
            TechBasedSme = a.Innovation.TechBasedSme,
        },
        Financing = a.Financing is { } f
            ? new S.CreditBureauRecord
            {
                CurrentlyOverdue = f.CurrentlyOverdue,
                MaxOverdueDaysLast24Months = f.MaxOverdueDaysLast24Months,
                MaxOverdueDaysLast12Months = f.MaxOverdueDaysLast12Months,
                ExistingBankDebtMinor = f.ExistingBankDebtMinor,
                LendingBanks = f.LendingBanks,
            }
            : null,
        Tax = a.Tax is { } t ? new S.TaxRecordRecord { TaxPaidLast12MonthsMinor = t.TaxPaidLast12MonthsMinor, TaxedRevenueLast12MonthsMinor = t.TaxedRevenueLast12MonthsMinor } : null,
        FundFlow = a.FundFlow is { } flow ? Encode(flow) : null,
        OnExclusionList = a.OnExclusionList,
    };

    private static CreditApplication Decode(S.ApplicationRecord a, string documentEnterpriseId) => new()
    {
        EnterpriseId = a.EnterpriseId.Length == 0 ? documentEnterpriseId : a.EnterpriseId,
        Product = (Product)a.Product,
        Profile = new EnterpriseProfile
        {
            FoundedOn = DateOnly.FromDayNumber(a.Profile.FoundedDay),
            SrdiLevel = (SrdiLevel)a.Profile.SrdiLevel,
            Employees = a.Profile.Employees,
            IndustryCode = a.Profile.IndustryCode,
            StrategicEmergingIndustry = a.Profile.StrategicEmergingIndustry,
        },
        Financials = new Financials
        {
            RevenueThisYearMinor = a.Financials.RevenueThisYearMinor,
            RevenueLastYearMinor = a.Financials.RevenueLastYearMinor,
            NetProfitMinor = a.Financials.NetProfitMinor,
            TotalAssetsMinor = a.Financials.TotalAssetsMinor,
            TotalLiabilitiesMinor = a.Financials.TotalLiabilitiesMinor,
            DeclaredAnnualRevenueMinor = a.Financials.DeclaredAnnualRevenueMinor,
        },
        Innovation = new InnovationProfile
        {
            InventionPatents = a.Innovation.InventionPatents,
            OtherPatents = a.Innovation.OtherPatents,
            RdSpendMinor = a.Innovation.RdSpendMinor,
            RdStaff = a.Innovation.RdStaff,
            TotalStaff = a.Innovation.TotalStaff,
            HighTechEnterprise = a.Innovation.HighTechEnterprise,
            TechBasedSme = a.Innovation.TechBasedSme,
        },
        Financing = a.Financing is { } f
            ? new CreditBureauReport
            {
                CurrentlyOverdue = f.CurrentlyOverdue,
                MaxOverdueDaysLast24Months = f.MaxOverdueDaysLast24Months,
                MaxOverdueDaysLast12Months = f.MaxOverdueDaysLast12Months,
                ExistingBankDebtMinor = f.ExistingBankDebtMinor,
                LendingBanks = f.LendingBanks,
            }
            : null,
        Tax = a.Tax is { } t ? new TaxRecord { TaxPaidLast12MonthsMinor = t.TaxPaidLast12MonthsMinor, TaxedRevenueLast12MonthsMinor = t.TaxedRevenueLast12MonthsMinor } : null,
        FundFlow = a.FundFlow is { } flow
            ? new FundFlowStatement
            {
                Months =
                [
                    .. flow.Months.Select(m => new MonthlyFundFlow
                    {
                        Month = DateOnly.FromDayNumber(m.MonthDay),
                        InflowMinor = m.InflowMinor,
                        OutflowMinor = m.OutflowMinor,
                        Counterparties = [.. m.Counterparties.Select(c => new CounterpartyInflow { Name = c.NameIndex == 0 ? c.Name : flow.CounterpartyNames[c.NameIndex - 1], InflowMinor = c.InflowMinor })],
                    }),
                ],
            }
            : null,
        OnExclusionList = a.OnExclusionList,
    };

    /// <summary>
    /// The fund flow with each counterparty's name written once: the same payers recur month after
    /// month, and their names were most of a stored document.
    /// </summary>
    private static S.FundFlowRecord Encode(FundFlowStatement flow)
    {
        var record = new S.FundFlowRecord();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in flow.Months)
        {
            var month = new S.MonthRecord { MonthDay = m.Month.DayNumber, InflowMinor = m.InflowMinor, OutflowMinor = m.OutflowMinor };
            foreach (var c in m.Counterparties.IsDefault ? [] : m.Counterparties)
            {
                if (!indexes.TryGetValue(c.Name, out var index))
                {
                    record.CounterpartyNames.Add(c.Name);
                    indexes[c.Name] = index = record.CounterpartyNames.Count;
                }

                month.Counterparties.Add(new S.CounterpartyRecord { NameIndex = index, InflowMinor = c.InflowMinor });
            }

            record.Months.Add(month);
        }

        return record;
    }

    private static S.DecisionRecord Encode(Decision d, DecisionDocument document)
    {
        var record = new S.DecisionRecord
        {
            DecisionId = d.DecisionId == document.DecisionId ? "" : d.DecisionId,
            EnterpriseId = d.EnterpriseId == document.EnterpriseId ? "" : d.EnterpriseId,
            AsOfDay = d.AsOf.DayNumber,
            FirstLoan = d.FirstLoan,
            ModelVersion = d.ModelVersion,
            Outcome = (int)d.Outcome,
            RequestedProduct = (int)d.RequestedProduct,
            Product = (int)d.Product,
            Score = d.Score,
            MaxScore = d.MaxScore,
            Categories = { d.Categories.Select(c => new S.CategoryScoreRecord { Category = (int)c.Category, Score = c.Score, MaxScore = c.MaxScore }) },
            Indicators =
            {
                d.Indicators.Select(i => new S.IndicatorScoreRecord
                {
                    Indicator = (int)i.Indicator,
                    Category = (int)i.Category,
                    Value = i.Value,
                    Points = i.Points,
                    MaxPoints = i.MaxPoints,
                    ScoreLost = Text(i.ScoreLost),
                    Reason = i.Reason ?? "",
                }),
            },
            Limit = new S.LimitRecord
            {
                ProductCapMinor = d.Limit.ProductCapMinor,
                ScorecardLimitMinor = d.Limit.ScorecardLimitMinor,
                CashFlowLimitMinor = d.Limit.CashFlowLimitMinor,
                LimitMinor = d.Limit.LimitMinor,
                Basis = (int)d.Limit.Basis,
            },
            Rate = new S.RateRecord
            {
                BaseRateBps = d.Rate.BaseRateBps,
                RiskPremiumBps = d.Rate.RiskPremiumBps,
                RelendingDiscountBps = d.Rate.RelendingDiscountBps,
                FloorBps = d.Rate.FloorBps,
                FloorApplied = d.Rate.FloorApplied,
                AnnualRateBps = d.Rate.AnnualRateBps,
            },
            Reasons = { d.Reasons.Select(r => new S.ReasonRecord { Code = r.Code, Kind = (int)r.Kind, ScoreLost = Text(r.ScoreLost) }) },
            Counterfactuals =
            {
                d.Counterfactuals.Select(c => new S.CounterfactualRecord
                {
                    Field = c.Field,
                    Indicator = (int)c.Indicator,
                    CurrentValue = c.CurrentValue,
                    TargetValue = c.TargetValue,
                    CurrentIndicatorValue = c.CurrentIndicatorValue,
                    TargetIndicatorValue = c.TargetIndicatorValue,
                    Outcome = (int)c.Outcome,
                    Score = c.Score,
                    Product = (int)c.Product,
                    LimitMinor = c.LimitMinor,
                    AnnualRateBps = c.AnnualRateBps,
                }),
            },
            Facts = new S.FactsRecord { MonthsInOperation = d.Facts.MonthsInOperation, RevenueBasisMinor = d.Facts.RevenueBasisMinor },
        };
        if (d.Facts.CurrentlyOverdue is { } overdue)
        {
            record.Facts.CurrentlyOverdue = overdue;
        }

        if (d.Facts.MaxOverdueDaysLast12Months is { } days)
        {
            record.Facts.MaxOverdueDaysLast12Months = days;
        }

        if (d.Facts.AverageMonthlyInflowMinor is { } inflow)
        {
            record.Facts.AverageMonthlyInflowMinor = inflow;
        }

        if (d.CashFlow is { } c)
        {
            record.CashFlow = new S.CashFlowRecord
            {
                AnnualInflowMinor = c.AnnualInflowMinor,
                AnnualOutflowMinor = c.AnnualOutflowMinor,
                AverageMonthlyInflowMinor = c.AverageMonthlyInflowMinor,
                AverageMonthlyNetInflowMinor = c.AverageMonthlyNetInflowMinor,
                CoefficientOfVariationBps = c.CoefficientOfVariationBps,
                RecurringCounterparties = c.RecurringCounterparties,
                MonthsWithRecurringInflow = c.MonthsWithRecurringInflow,
                RegularityBps = c.RegularityBps,
                TopCounterparty = c.TopCounterparty,
                TopCounterpartyShareBps = c.TopCounterpartyShareBps,
                StabilityFactorBps = c.StabilityFactorBps,
                RegularityFactorBps = c.RegularityFactorBps,
                ConcentrationFactorBps = c.ConcentrationFactorBps,
                ReceiptsLimitMinor = c.ReceiptsLimitMinor,
                NetInflowLimitMinor = c.NetInflowLimitMinor,
                LimitMinor = c.LimitMinor,
                Reasons = { c.Reasons },
            };
        }

        if (d.RevenueCheck is { } check)
        {
            record.RevenueCheck = new S.RevenueCheckRecord
            {
                DeclaredMinor = check.DeclaredMinor,
                TaxedMinor = check.TaxedMinor,
                FundFlowImpliedMinor = check.FundFlowImpliedMinor,
                DeclaredVsTaxedGapBps = check.DeclaredVsTaxedGapBps,
                DeclaredVsFundFlowGapBps = check.DeclaredVsFundFlowGapBps,
                TaxedVsFundFlowGapBps = check.TaxedVsFundFlowGapBps,
                Disagreements = { check.Disagreements },
            };
        }

        return record;
    }

    private static Decision Decode(S.DecisionRecord d, S.DecisionDocument document)
    {
        // A challenger's figures may be the champion's, kept once.
        var figures = d.FiguresAsChampion ? document.Champion : d;
        return new()
        {
            DecisionId = d.DecisionId.Length == 0 ? document.DecisionId : d.DecisionId,
            EnterpriseId = d.EnterpriseId.Length == 0 ? document.EnterpriseId : d.EnterpriseId,
            AsOf = DateOnly.FromDayNumber(d.AsOfDay),
            ModelVersion = d.ModelVersion,
            Outcome = (Outcome)d.Outcome,
            RequestedProduct = (Product)d.RequestedProduct,
            Product = (Product)d.Product,
            Score = d.Score,
            MaxScore = d.MaxScore,
            Categories = [.. d.Categories.Select(c => new CategoryScore((Category)c.Category, c.Score, c.MaxScore))],
            Indicators = [.. d.Indicators.Select(i => new IndicatorScore((Indicator)i.Indicator, (Category)i.Category, i.Value, i.Points, i.MaxPoints, Number(i.ScoreLost), i.Reason.Length == 0 ? null : i.Reason))],
            Limit = new LimitBreakdown
            {
                ProductCapMinor = d.Limit.ProductCapMinor,
                ScorecardLimitMinor = d.Limit.ScorecardLimitMinor,
                CashFlowLimitMinor = d.Limit.CashFlowLimitMinor,
                LimitMinor = d.Limit.LimitMinor,
                Basis = (LimitBasis)d.Limit.Basis,
            },
            Rate = new RateBreakdown
            {
                BaseRateBps = d.Rate.BaseRateBps,
                RiskPremiumBps = d.Rate.RiskPremiumBps,
                RelendingDiscountBps = d.Rate.RelendingDiscountBps,
                FloorBps = d.Rate.FloorBps,
                FloorApplied = d.Rate.FloorApplied,
                AnnualRateBps = d.Rate.AnnualRateBps,
            },
            Reasons = [.. d.Reasons.Select(r => new Reason(r.Code, (ReasonKind)r.Kind, Number(r.ScoreLost)))],
            Counterfactuals =
            [
                .. d.Counterfactuals.Select(c => new Counterfactual
                {
                    Field = c.Field,
                    Indicator = (Indicator)c.Indicator,
                    CurrentValue = c.CurrentValue,
                    TargetValue = c.TargetValue,
                    CurrentIndicatorValue = c.CurrentIndicatorValue,
                    TargetIndicatorValue = c.TargetIndicatorValue,
                    Outcome = (Outcome)c.Outcome,
                    Score = c.Score,
                    Product = (Product)c.Product,
                    LimitMinor = c.LimitMinor,
                    AnnualRateBps = c.AnnualRateBps,
                }),
            ],
            Facts = new AssessmentFacts
            {
                MonthsInOperation = figures.Facts.MonthsInOperation,
                CurrentlyOverdue = figures.Facts.HasCurrentlyOverdue ? figures.Facts.CurrentlyOverdue : null,
                MaxOverdueDaysLast12Months = figures.Facts.HasMaxOverdueDaysLast12Months ? figures.Facts.MaxOverdueDaysLast12Months : null,
                RevenueBasisMinor = figures.Facts.RevenueBasisMinor,
                AverageMonthlyInflowMinor = figures.Facts.HasAverageMonthlyInflowMinor ? figures.Facts.AverageMonthlyInflowMinor : null,
            },
            CashFlow = figures.CashFlow is { } c
                ? new CashFlowFigures
                {
                    AnnualInflowMinor = c.AnnualInflowMinor,
                    AnnualOutflowMinor = c.AnnualOutflowMinor,
                    AverageMonthlyInflowMinor = c.AverageMonthlyInflowMinor,
                    AverageMonthlyNetInflowMinor = c.AverageMonthlyNetInflowMinor,
                    CoefficientOfVariationBps = c.CoefficientOfVariationBps,
                    RecurringCounterparties = c.RecurringCounterparties,
                    MonthsWithRecurringInflow = c.MonthsWithRecurringInflow,
                    RegularityBps = c.RegularityBps,
                    TopCounterparty = c.TopCounterparty,
                    TopCounterpartyShareBps = c.TopCounterpartyShareBps,
                    StabilityFactorBps = c.StabilityFactorBps,
                    RegularityFactorBps = c.RegularityFactorBps,
                    ConcentrationFactorBps = c.ConcentrationFactorBps,
                    ReceiptsLimitMinor = c.ReceiptsLimitMinor,
                    NetInflowLimitMinor = c.NetInflowLimitMinor,
                    LimitMinor = c.LimitMinor,
                    Reasons = [.. c.Reasons],
                }
                : null,
            RevenueCheck = figures.RevenueCheck is { } check
                ? new RevenueCrossCheck
                {
                    DeclaredMinor = check.DeclaredMinor,
                    TaxedMinor = check.TaxedMinor,
                    FundFlowImpliedMinor = check.FundFlowImpliedMinor,
                    DeclaredVsTaxedGapBps = check.DeclaredVsTaxedGapBps,
                    DeclaredVsFundFlowGapBps = check.DeclaredVsFundFlowGapBps,
                    TaxedVsFundFlowGapBps = check.TaxedVsFundFlowGapBps,
                    Disagreements = [.. check.Disagreements],
                }
                : null,
            FirstLoan = d.FirstLoan,
        };
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Number(string text) => text.Length == 0 ? 0 : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

}
