using System.Collections.Immutable;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

/// <summary>
/// The shape every application field must have. The front door reports all violations at once
/// (as field violations of INVALID_ARGUMENT); the assessor refuses an application that fails.
/// A missing external part (financing, tax, fund flow) is not a violation: it means the provider
/// did not answer, and the assessment refers the case.
/// </summary>
public static class ApplicationRules
{
    /// <summary>Every violation, in field order; empty when the application can be assessed.</summary>
    public static IReadOnlyList<DomainError> Validate(CreditApplication application, DateOnly asOf, IReadOnlySet<string> legacyEnterpriseCodes)
    {
        var errors = new List<DomainError>();
        var idError = EnterpriseId.Validate(application.EnterpriseId, legacyEnterpriseCodes);
        if (idError is not null)
        {
            errors.Add(DomainError.Invalid(Fields.EnterpriseId, ErrorReasons.EnterpriseIdInvalid, idError));
        }

        ValidateContent(application, asOf, errors);
        return errors;
    }

    /// <summary>A decision id is the caller's: 1 to 64 characters.</summary>
    public static DomainError? DecisionId(string? decisionId) => decisionId switch
    {
        null or "" => DomainError.Invalid(Fields.DecisionId, ErrorReasons.DecisionIdRequired, "is required"),
        { Length: > AssessmentLimits.MaxDecisionIdLength } => DomainError.Invalid(
            Fields.DecisionId, ErrorReasons.DecisionIdTooLong, $"must be at most {AssessmentLimits.MaxDecisionIdLength} characters, not {decisionId.Length}"),
        _ => null,
    };

    /// <summary>Everything but the enterprise id, whose allow-list is the service's, not the model's.</summary>
    internal static List<DomainError> ValidateContent(CreditApplication application, DateOnly asOf)
    {
        var errors = new List<DomainError>();
        ValidateContent(application, asOf, errors);
        return errors;
    }

    private static void ValidateContent(CreditApplication application, DateOnly asOf, List<DomainError> errors)
    {
        if (application.Product is not (Product.None or Product.SrdiELoan or Product.OperatingQuickLoan))
        {
            errors.Add(DomainError.Invalid(Fields.Product, ErrorReasons.UnknownProduct, $"must be unspecified, SRDI e-Loan or Operating Quick Loan, not {(int)application.Product}"));
        }

        Profile(application.Profile, asOf, errors);
        FinancialsOf(application.Financials, errors);
        InnovationOf(application.Innovation, errors);
        if (application.Financing is { } financing)
        {
            FinancingOf(financing, errors);
        }

        if (application.Tax is { } tax)
        {
            Amount(tax.TaxPaidLast12MonthsMinor, Fields.TaxPaidLast12Months, errors);
            Amount(tax.TaxedRevenueLast12MonthsMinor, Fields.TaxedRevenueLast12Months, errors);
        }

        if (application.FundFlow is { } fundFlow)
        {
            FundFlowOf(fundFlow, asOf, errors);
        }
    }

    private static void Profile(EnterpriseProfile? profile, DateOnly asOf, List<DomainError> errors)
    {
        if (profile is null)
        {
            errors.Add(Required(Fields.Profile));
            return;
        }

        if (profile.FoundedOn > asOf)
        {
            errors.Add(DomainError.Invalid(Fields.FoundedOn, ErrorReasons.DateInTheFuture, $"must not be after the assessment date {asOf:yyyy-MM-dd}, not {profile.FoundedOn:yyyy-MM-dd}"));
        }
        else if (profile.FoundedOn < AssessmentLimits.EarliestFoundedOn)
        {
            errors.Add(DomainError.Invalid(Fields.FoundedOn, ErrorReasons.DateTooEarly, $"must not be before {AssessmentLimits.EarliestFoundedOn:yyyy-MM-dd}, not {profile.FoundedOn:yyyy-MM-dd}"));
        }

        if (!SrdiLadder.IsDefined(profile.SrdiLevel))
        {
            errors.Add(DomainError.Invalid(Fields.SrdiLevel, ErrorReasons.SrdiLevelRequired, $"must be none, innovative SME, municipal, provincial or national little giant, not {(int)profile.SrdiLevel}"));
        }

        Count(profile.Employees, AssessmentLimits.MaxEmployees, Fields.Employees, errors);
        if (string.IsNullOrEmpty(profile.IndustryCode))
        {
            errors.Add(Required(Fields.IndustryCode));
        }
        else if (profile.IndustryCode.Length > AssessmentLimits.MaxIndustryCodeLength || !profile.IndustryCode.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9')))
        {
            errors.Add(DomainError.Invalid(Fields.IndustryCode, ErrorReasons.InvalidIndustryCode, $"must be a GB/T 4754 code of at most {AssessmentLimits.MaxIndustryCodeLength} capitals and digits, such as C3921"));
        }
    }

    private static void FinancialsOf(Financials? financials, List<DomainError> errors)
    {
        if (financials is null)
        {
            errors.Add(Required(Fields.Financials));
            return;
        }

        Amount(financials.RevenueThisYearMinor, Fields.RevenueThisYear, errors);
        Amount(financials.RevenueLastYearMinor, Fields.RevenueLastYear, errors);
        if (financials.NetProfitMinor is < -Limits.MaxAmountMinor or > Limits.MaxAmountMinor)
        {
            errors.Add(DomainError.Invalid(Fields.NetProfit, ErrorReasons.AmountOutOfRange, $"must be from {-Limits.MaxAmountMinor} to {Limits.MaxAmountMinor} fen, not {financials.NetProfitMinor}"));
        }

        if (financials.TotalAssetsMinor <= 0)
        {
            errors.Add(DomainError.Invalid(Fields.TotalAssets, ErrorReasons.AmountMustBePositive, $"must be a positive number of fen (the debt-to-asset ratio divides by it), not {financials.TotalAssetsMinor}"));
        }
        else
        {
            Amount(financials.TotalAssetsMinor, Fields.TotalAssets, errors);
        }

        Amount(financials.TotalLiabilitiesMinor, Fields.TotalLiabilities, errors);
        Amount(financials.DeclaredAnnualRevenueMinor, Fields.DeclaredAnnualRevenue, errors);
    }

    private static void InnovationOf(InnovationProfile? innovation, List<DomainError> errors)
    {
        if (innovation is null)
        {
            errors.Add(Required(Fields.Innovation));
            return;
        }

        Count(innovation.InventionPatents, AssessmentLimits.MaxPatents, Fields.InventionPatents, errors);
        Count(innovation.OtherPatents, AssessmentLimits.MaxPatents, Fields.OtherPatents, errors);
        Amount(innovation.RdSpendMinor, Fields.RdSpend, errors);
        if (innovation.TotalStaff is < 1 or > AssessmentLimits.MaxEmployees)
        {
            errors.Add(DomainError.Invalid(Fields.TotalStaff, ErrorReasons.CountOutOfRange, $"must be from 1 to {AssessmentLimits.MaxEmployees}, not {innovation.TotalStaff}"));
        }
        else if (innovation.RdStaff < 0 || innovation.RdStaff > innovation.TotalStaff)
        {
            errors.Add(DomainError.Invalid(Fields.RdStaff, ErrorReasons.CountOutOfRange, $"must be from 0 to {Fields.TotalStaff} ({innovation.TotalStaff}), not {innovation.RdStaff}"));
        }
    }

    private static void FinancingOf(CreditBureauReport financing, List<DomainError> errors)
    {
        Count(financing.MaxOverdueDaysLast24Months, AssessmentLimits.MaxOverdueDaysLast24Months, Fields.MaxOverdueDaysLast24Months, errors);
        Count(financing.MaxOverdueDaysLast12Months, AssessmentLimits.MaxOverdueDaysLast12Months, Fields.MaxOverdueDaysLast12Months, errors);
        if (financing.MaxOverdueDaysLast12Months > financing.MaxOverdueDaysLast24Months)
        {
            errors.Add(DomainError.Invalid(
                Fields.MaxOverdueDaysLast12Months,
                ErrorReasons.InconsistentOverdueHistory,
                $"({financing.MaxOverdueDaysLast12Months}) must not exceed {Fields.MaxOverdueDaysLast24Months} ({financing.MaxOverdueDaysLast24Months}): the 24 months contain the 12"));
        }

        Amount(financing.ExistingBankDebtMinor, Fields.ExistingBankDebt, errors);
        Count(financing.LendingBanks, AssessmentLimits.MaxLendingBanks, Fields.LendingBanks, errors);
    }

    private static void FundFlowOf(FundFlowStatement fundFlow, DateOnly asOf, List<DomainError> errors)
    {
        var months = fundFlow.Months;
        if (months.IsDefault || months.Length != AssessmentLimits.FundFlowMonths)
        {
            var count = months.IsDefault ? 0 : months.Length;
            errors.Add(DomainError.Invalid(Fields.FundFlowMonths, ErrorReasons.FundFlowMonthsIncomplete, $"must hold {AssessmentLimits.FundFlowMonths} monthly summaries, not {count}"));
            return;
        }

        var currentMonth = new DateOnly(asOf.Year, asOf.Month, 1);
        for (var i = 0; i < months.Length; i++)
        {
            // Field names are built only for an error: this runs on every assessment.
            var month = months[i];
            if (month is null)
            {
                errors.Add(Required(Fields.Month(i)));
                continue;
            }

            if (month.Month.Day != 1)
            {
                errors.Add(DomainError.Invalid($"{Fields.Month(i)}.month", ErrorReasons.MonthNotFirstDay, $"must be the first day of a month, not {month.Month:yyyy-MM-dd}"));
            }
            else if (i > 0 && months[0] is { Month.Day: 1 } first && month.Month != first.Month.AddMonths(i))
            {
                // Measured from the first month, so one misplaced month is one error, not two.
                errors.Add(DomainError.Invalid($"{Fields.Month(i)}.month", ErrorReasons.FundFlowMonthsNotConsecutive, $"must be {first.Month.AddMonths(i):yyyy-MM}, {i} months after the first (oldest first, no gaps), not {month.Month:yyyy-MM}"));
            }
            else if (i == months.Length - 1 && month.Month >= currentMonth)
            {
                errors.Add(DomainError.Invalid($"{Fields.Month(i)}.month", ErrorReasons.FundFlowMonthNotComplete, $"must be a month completed before the assessment date {asOf:yyyy-MM-dd}, not {month.Month:yyyy-MM}"));
            }
            else if (i == months.Length - 1 && month.Month < currentMonth.AddMonths(-AssessmentLimits.FundFlowMaxAgeMonths))
            {
                // The statement as a whole is out of date, not one of its months.
                errors.Add(DomainError.Invalid(
                    Fields.FundFlow,
                    ErrorReasons.FundFlowOutOfDate,
                    $"must end in one of the last {AssessmentLimits.FundFlowMaxAgeMonths} complete months before the assessment date {asOf:yyyy-MM-dd} ({currentMonth.AddMonths(-AssessmentLimits.FundFlowMaxAgeMonths):yyyy-MM} or later), not {month.Month:yyyy-MM}"));
            }

            if (month.InflowMinor is < 0 or > Limits.MaxAmountMinor)
            {
                Amount(month.InflowMinor, $"{Fields.Month(i)}.inflow_minor", errors);
            }

            if (month.OutflowMinor is < 0 or > Limits.MaxAmountMinor)
            {
                Amount(month.OutflowMinor, $"{Fields.Month(i)}.outflow_minor", errors);
            }

            Counterparties(month, i, errors);
        }
    }

    private static void Counterparties(MonthlyFundFlow month, int monthIndex, List<DomainError> errors)
    {
        var counterparties = month.Counterparties;
        if (counterparties.IsDefaultOrEmpty)
        {
            return;
        }

        if (counterparties.Length > AssessmentLimits.MaxCounterpartiesPerMonth)
        {
            errors.Add(DomainError.Invalid($"{Fields.Month(monthIndex)}.counterparties", ErrorReasons.TooManyCounterparties, $"must hold at most {AssessmentLimits.MaxCounterpartiesPerMonth} counterparties, not {counterparties.Length}"));
            return;
        }

        long sum = 0;
        var keys = new string?[counterparties.Length];
        for (var j = 0; j < counterparties.Length; j++)
        {
            var counterparty = counterparties[j];
            if (counterparty is null)
            {
                errors.Add(Required(Fields.Counterparty(monthIndex, j)));
                continue;
            }

            keys[j] = counterparty.Name is null ? null : CounterpartyNames.Key(counterparty.Name);
            if (counterparty.Name is null || keys[j]!.Length == 0)
            {
                errors.Add(Required($"{Fields.Counterparty(monthIndex, j)}.name"));
            }
            else if (counterparty.Name.Length > AssessmentLimits.MaxCounterpartyNameLength)
            {
                errors.Add(DomainError.Invalid($"{Fields.Counterparty(monthIndex, j)}.name", ErrorReasons.TextTooLong, $"must be at most {AssessmentLimits.MaxCounterpartyNameLength} characters, not {counterparty.Name.Length}"));
            }
            else if (Array.IndexOf(keys, keys[j], 0, j) >= 0)
            {
                errors.Add(DomainError.Invalid($"{Fields.Counterparty(monthIndex, j)}.name", ErrorReasons.DuplicateCounterparty, $"'{counterparty.Name}' appears twice in the month (names are compared after Unicode NFKC, trimming, removing invisible characters and case folding); the platform gives one total per counterparty"));
            }

            if (counterparty.InflowMinor is <= 0 or > Limits.MaxAmountMinor)
            {
                errors.Add(DomainError.Invalid($"{Fields.Counterparty(monthIndex, j)}.inflow_minor", ErrorReasons.AmountOutOfRange, $"must be from 1 to {Limits.MaxAmountMinor} fen, not {counterparty.InflowMinor}"));
            }
            else
            {
                sum += counterparty.InflowMinor;
            }
        }

        if (sum > month.InflowMinor && month.InflowMinor is >= 0 and <= Limits.MaxAmountMinor)
        {
            errors.Add(DomainError.Invalid($"{Fields.Month(monthIndex)}.counterparties", ErrorReasons.CounterpartiesExceedInflow, $"add up to {sum} fen, more than the month's inflow_minor ({month.InflowMinor})"));
        }
    }

    private static void Amount(long value, string field, List<DomainError> errors)
    {
        if (value is < 0 or > Limits.MaxAmountMinor)
        {
            errors.Add(DomainError.Invalid(field, ErrorReasons.AmountOutOfRange, $"must be from 0 to {Limits.MaxAmountMinor} fen, not {value}"));
        }
    }

    private static void Count(int value, int max, string field, List<DomainError> errors)
    {
        if (value < 0 || value > max)
        {
            errors.Add(DomainError.Invalid(field, ErrorReasons.CountOutOfRange, $"must be from 0 to {max}, not {value}"));
        }
    }

    private static DomainError Required(string field) => DomainError.Invalid(field, ErrorReasons.FieldRequired, "is required");
}
