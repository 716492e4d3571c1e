namespace Decisioning.Domain.Assessment;

/// <summary>
/// The 16 indicators (the article's 15 and the tech recognitions): which category each belongs to, the unit its value is in, the smallest value
/// it can take (every bin table must start there) and how it is computed from an application.
/// Which indicator belongs to which category is PRODUCT.md's, so it is code; the bins and points
/// are the model's.
/// </summary>
public static class Indicators
{
    public const int Count = 16;

    public static readonly IReadOnlyList<Indicator> All = Enum.GetValues<Indicator>().Where(i => i != Indicator.None).ToArray();

    public static Category CategoryOf(Indicator indicator) => indicator switch
    {
        Indicator.YearsInOperation or Indicator.SrdiLevel or Indicator.Employees or Indicator.StrategicEmergingIndustry => Category.Basic,
        Indicator.RevenueGrowth or Indicator.NetMargin or Indicator.DebtToAsset or Indicator.TaxPaid => Category.Financial,
        Indicator.InventionPatents or Indicator.OtherPatents or Indicator.RdSpendShare or Indicator.RdStaffShare or Indicator.TechRecognition => Category.Innovation,
        Indicator.CreditRecord or Indicator.BankDebtToRevenue or Indicator.LendingBanks => Category.Financing,
        _ => throw new ArgumentOutOfRangeException(nameof(indicator), indicator, "not an indicator"),
    };

    /// <summary>What the indicator's value counts, for documentation and messages.</summary>
    public static string UnitOf(Indicator indicator) => indicator switch
    {
        Indicator.YearsInOperation => "whole years",
        Indicator.SrdiLevel => "rank on the ladder: 0 none, 1 innovative SME, 2 municipal, 3 provincial, 4 national little giant",
        Indicator.StrategicEmergingIndustry => "flag: 1 strategic emerging industry, else 0",
        Indicator.TechRecognition => "level: 0 none, 1 tech-based SME, 2 high-tech enterprise",
        Indicator.Employees or Indicator.InventionPatents or Indicator.OtherPatents or Indicator.LendingBanks => "count",
        Indicator.TaxPaid => "fen",
        Indicator.CreditRecord => "days",
        _ => "basis points",
    };

    /// <summary>
    /// For an indicator whose value is a level (0, 1, …), how many levels there are; null for a
    /// count, an amount or a ratio. Each level must have its own bin: a table written for a shorter
    /// ladder would otherwise score a level as the one above it.
    /// </summary>
    public static int? LevelsOf(Indicator indicator) => indicator switch
    {
        Indicator.SrdiLevel => SrdiLadder.Levels.Length,
        Indicator.TechRecognition => 3,
        _ => null,
    };

    /// <summary>The smallest value the indicator can take; a bin table must start at or below it.</summary>
    public static long MinValue(Indicator indicator) => indicator switch
    {
        Indicator.RevenueGrowth => -AssessmentLimits.BasisPoints, // revenue cannot fall below zero: at worst -100%
        Indicator.NetMargin => -AssessmentLimits.MaxRatioBps,
        _ => 0,
    };

    /// <summary>
    /// The indicator's value for an application with its credit-bureau and tax parts present.
    /// Ratios are basis points rounded toward minus infinity, so a value is in a bin only when the
    /// exact ratio is.
    /// </summary>
    public static long ValueOf(Indicator indicator, CreditApplication application, DateOnly asOf)
    {
        var financials = application.Financials;
        var innovation = application.Innovation;
        return indicator switch
        {
            Indicator.YearsInOperation => MonthsInOperation(application.Profile.FoundedOn, asOf) / 12,
            Indicator.SrdiLevel => SrdiLadder.Rank(application.Profile.SrdiLevel),
            Indicator.Employees => application.Profile.Employees,
            Indicator.StrategicEmergingIndustry => application.Profile.StrategicEmergingIndustry ? 1 : 0,
            Indicator.RevenueGrowth => Ratio(checked(financials.RevenueThisYearMinor - financials.RevenueLastYearMinor), financials.RevenueLastYearMinor, MinValue(Indicator.RevenueGrowth)),
            Indicator.NetMargin => Ratio(financials.NetProfitMinor, financials.RevenueThisYearMinor, MinValue(Indicator.NetMargin)),
            Indicator.DebtToAsset => Ratio(financials.TotalLiabilitiesMinor, financials.TotalAssetsMinor, 0),
            Indicator.TaxPaid => Required(application.Tax, ExternalProvider.TaxBureau).TaxPaidLast12MonthsMinor,
            Indicator.InventionPatents => innovation.InventionPatents,
            Indicator.OtherPatents => innovation.OtherPatents,
            Indicator.RdSpendShare => Ratio(innovation.RdSpendMinor, financials.RevenueThisYearMinor, 0),
            Indicator.RdStaffShare => Ratio(innovation.RdStaff, innovation.TotalStaff, 0),
            Indicator.CreditRecord => Required(application.Financing, ExternalProvider.CreditBureau).MaxOverdueDaysLast24Months,
            Indicator.BankDebtToRevenue => Ratio(Required(application.Financing, ExternalProvider.CreditBureau).ExistingBankDebtMinor, financials.RevenueThisYearMinor, 0),
            Indicator.LendingBanks => Required(application.Financing, ExternalProvider.CreditBureau).LendingBanks,
            Indicator.TechRecognition => TechRecognition(innovation),
            _ => throw new ArgumentOutOfRangeException(nameof(indicator), indicator, "not an indicator"),
        };
    }

    /// <summary>The higher recognition counts (a high-tech enterprise's certificate asks more than the tech-based SME's registration); both do not add up.</summary>
    public static int TechRecognition(InnovationProfile innovation) => innovation.HighTechEnterprise ? 2 : innovation.TechBasedSme ? 1 : 0;

    /// <summary>Whole months from founding to the assessment date (a month counts once its day is reached).</summary>
    public static int MonthsInOperation(DateOnly foundedOn, DateOnly asOf)
    {
        var months = ((asOf.Year - foundedOn.Year) * 12) + asOf.Month - foundedOn.Month;
        if (asOf.Day < foundedOn.Day)
        {
            months--;
        }

        return Math.Max(0, months);
    }

    /// <summary>
    /// numerator / denominator in basis points, floored and clamped to [min, MaxRatioBps]. A zero
    /// denominator gives the clamp that matches the numerator's sign: growth from nothing is the
    /// best growth there is, a loss on no revenue the worst margin.
    /// </summary>
    public static long Ratio(long numerator, long denominator, long min)
    {
        if (denominator == 0)
        {
            return numerator switch
            {
                > 0 => AssessmentLimits.MaxRatioBps,
                < 0 => min,
                _ => 0,
            };
        }

        var bps = FloorDiv(checked(numerator * AssessmentLimits.BasisPoints), denominator);
        return Math.Clamp(bps, min, AssessmentLimits.MaxRatioBps);
    }

    /// <summary>Division rounded toward minus infinity, for a positive divisor.</summary>
    public static long FloorDiv(long dividend, long divisor)
    {
        var quotient = Math.DivRem(dividend, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    private static T Required<T>(T? part, ExternalProvider provider)
        where T : class =>
        part ?? throw new InvalidOperationException($"The {provider} part is missing; an assessment without it refers the case before scoring.");
}
