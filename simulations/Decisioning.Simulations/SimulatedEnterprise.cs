using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Simulations;

/// <summary>
/// A SIMULATION, not data: a made-up enterprise derived from its id alone, deterministically, so
/// that the same id always gives the same enterprise (same month, same figures) on every process
/// and platform, and a spread of ids gives a spread of strong, average, weak and knocked-out
/// profiles. The simulated providers (<see cref="SimulatedCreditBureau"/>, …) serve their slices
/// of it; <see cref="Application"/> gives a whole application for demos and load tests.
/// </summary>
public static class SimulatedEnterprise
{
    // Shares of ids (per 1,000) given a profile that a knock-out or a referral catches.
    private const int CurrentlyOverduePerMille = 60;
    private const int YoungPerMille = 40;
    private const int ExcludedPerMille = 20;
    private const int RevenueMisstatedPerMille = 40;

    private static readonly DateOnly FoundingEpoch = new(1995, 1, 1);
    private static readonly DateOnly YoungEpoch = new(2025, 9, 1);
    private static readonly string[] Industries = ["C3921", "C3562", "C2710", "I6513", "C3831", "C4011", "C1713", "F5123", "C3311", "E4813"];

    private static readonly string[] Buyers =
    [
        "Xiamen Haicang Electronics Co.", "Fujian Minjiang Machinery Co.", "Shenzhen Nanshan Devices Co.", "Ningbo Beilun Trading Co.",
        "Suzhou Industrial Park Optics Co.", "Guangzhou Huangpu Logistics Co.", "Quanzhou Jinjiang Sportswear Co.", "Shanghai Pudong Components Co.",
        "Hangzhou Binjiang Software Co.", "Chengdu Gaoxin Instruments Co.", "Wuhan Optics Valley Lasers Co.", "Qingdao Port Supply Co.",
    ];

    /// <summary>The whole application the simulated enterprise would make.</summary>
    public static CreditApplication Application(string enterpriseId, DateOnly asOf, Product product = Product.None)
    {
        var traits = Traits.Of(enterpriseId);
        return new CreditApplication
        {
            EnterpriseId = enterpriseId,
            Product = product,
            Profile = Profile(traits),
            Financials = Financials(traits),
            Innovation = Innovation(traits),
            Financing = CreditReport(enterpriseId),
            Tax = TaxRecord(enterpriseId),
            FundFlow = FundFlow(enterpriseId, asOf),
            OnExclusionList = traits.Excluded,
        };
    }

    public static CreditBureauReport CreditReport(string enterpriseId)
    {
        var t = Traits.Of(enterpriseId);
        var random = t.Stream(2);
        var max24 = t.Quality switch
        {
            >= 600 => 0,
            >= 350 => random.Next(3) == 0 ? random.Next(1, 30) : 0,
            _ => random.Next(0, 120),
        };
        var max12 = t.Overdue ? Math.Max(1, Math.Min(max24, 60)) : (max24 > 0 && random.Next(2) == 0 ? random.Next(1, max24 + 1) : 0);
        return new CreditBureauReport
        {
            CurrentlyOverdue = t.Overdue,
            MaxOverdueDaysLast24Months = Math.Max(max24, max12),
            MaxOverdueDaysLast12Months = max12,
            ExistingBankDebtMinor = t.Revenue * random.Next(0, t.Quality >= 500 ? 40 : 90) / 100,
            LendingBanks = t.Quality >= 500 ? random.Next(0, 4) : random.Next(1, 8),
        };
    }

    public static TaxRecord TaxRecord(string enterpriseId)
    {
        var t = Traits.Of(enterpriseId);
        var random = t.Stream(3);

        // A misstating enterprise declares much more than it pays tax on.
        var taxed = t.Misstated ? t.Revenue * random.Next(45, 65) / 100 : t.Revenue * random.Next(92, 104) / 100;
        return new TaxRecord
        {
            TaxPaidLast12MonthsMinor = taxed * random.Next(15, 60) / 1000,
            TaxedRevenueLast12MonthsMinor = taxed,
        };
    }

    /// <summary>The 12 months before <paramref name="asOf"/>'s month; each month's figures depend on the id and the month only.</summary>
    public static FundFlowStatement FundFlow(string enterpriseId, DateOnly asOf)
    {
        var t = Traits.Of(enterpriseId);
        var first = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-AssessmentLimits.FundFlowMonths);
        var payerCount = 2 + (t.Quality / 150);
        var months = ImmutableArray.CreateBuilder<MonthlyFundFlow>(AssessmentLimits.FundFlowMonths);
        for (var i = 0; i < AssessmentLimits.FundFlowMonths; i++)
        {
            var month = first.AddMonths(i);
            var random = t.Stream(1000 + (month.Year * 12) + month.Month);

            // Gross receipts carry ~13% VAT; weaker enterprises swing more from month to month.
            var swing = t.Quality >= 600 ? 15 : t.Quality >= 300 ? 40 : 80;
            var inflow = t.Revenue * 113 / 100 / 12 * (100 + random.Next(-swing, swing + 1)) / 100;
            var netShare = (t.Quality - 300) / 40; // -7% .. +17% of inflow
            var outflow = inflow * (100 - netShare + random.Next(-3, 4)) / 100;

            var payers = ImmutableArray.CreateBuilder<CounterpartyInflow>();
            var left = inflow;
            for (var p = 0; p < payerCount && left > 0; p++)
            {
                // Strong enterprises keep the same buyers month after month; weak ones churn.
                if (random.Next(1000) >= 400 + t.Quality / 2)
                {
                    continue;
                }

                var amount = left * random.Next(15, 45) / 100;
                if (amount <= 0)
                {
                    continue;
                }

                payers.Add(new CounterpartyInflow { Name = Buyers[(t.BuyerOffset + p) % Buyers.Length], InflowMinor = amount });
                left -= amount;
            }

            months.Add(new MonthlyFundFlow { Month = month, InflowMinor = inflow, OutflowMinor = Math.Max(0, outflow), Counterparties = payers.ToImmutable() });
        }

        return new FundFlowStatement { Months = months.MoveToImmutable() };
    }

    private static EnterpriseProfile Profile(Traits t)
    {
        var random = t.Stream(4);
        var level = t.Quality switch
        {
            >= 800 => SrdiLevel.NationalLittleGiant,
            >= 650 => SrdiLevel.Provincial,
            >= 500 => random.Next(2) == 0 ? SrdiLevel.Municipal : SrdiLevel.None,
            _ => SrdiLevel.None,
        };
        return new EnterpriseProfile
        {
            FoundedOn = t.Young ? YoungEpoch.AddDays(random.Next(0, 120)) : FoundingEpoch.AddDays(random.Next(0, 365 * 24)),
            SrdiLevel = level,
            Employees = 8 + random.Next(0, 40 + t.Quality),
            IndustryCode = Industries[random.Next(Industries.Length)],
            StrategicEmergingIndustry = random.Next(1000) < 300 + (t.Quality / 2),
        };
    }

    private static Financials Financials(Traits t)
    {
        var random = t.Stream(5);
        var growth = (t.Quality / 10) - 30 + random.Next(-10, 11); // percent
        var assets = t.Revenue * random.Next(60, 140) / 100;
        var debtShare = 85 - (t.Quality / 20) + random.Next(-10, 11); // percent of assets
        return new Financials
        {
            RevenueThisYearMinor = t.Revenue,
            RevenueLastYearMinor = t.Revenue * 100 / Math.Max(10, 100 + growth),
            NetProfitMinor = t.Revenue * ((t.Quality / 50) - 4 + random.Next(-2, 3)) / 100,
            TotalAssetsMinor = Math.Max(1, assets),
            TotalLiabilitiesMinor = assets * Math.Clamp(debtShare, 5, 120) / 100,
            DeclaredAnnualRevenueMinor = t.Revenue * random.Next(98, 103) / 100,
        };
    }

    private static InnovationProfile Innovation(Traits t)
    {
        var random = t.Stream(6);
        var staff = 10 + random.Next(0, 40 + t.Quality);
        return new InnovationProfile
        {
            InventionPatents = t.Quality >= 400 ? random.Next(0, t.Quality / 80) : 0,
            OtherPatents = random.Next(0, 5 + (t.Quality / 25)),
            RdSpendMinor = t.Revenue * random.Next(0, 2 + (t.Quality / 60)) / 100,
            RdStaff = staff * random.Next(0, 3 + (t.Quality / 40)) / 100,
            TotalStaff = staff,
        };
    }

    /// <summary>The draws that make an enterprise what it is; every figure follows from them.</summary>
    private sealed record Traits(ulong Seed, int Quality, long Revenue, bool Overdue, bool Young, bool Excluded, bool Misstated, int BuyerOffset)
    {
        public static Traits Of(string enterpriseId)
        {
            var seed = Fnv1a(enterpriseId);
            var random = new SplitMix64(seed);
            var archetype = random.Next(1000);
            var overdue = archetype < CurrentlyOverduePerMille;
            var young = archetype is >= CurrentlyOverduePerMille and < CurrentlyOverduePerMille + YoungPerMille;
            var excluded = archetype is >= CurrentlyOverduePerMille + YoungPerMille and < CurrentlyOverduePerMille + YoungPerMille + ExcludedPerMille;
            var misstated = archetype is >= CurrentlyOverduePerMille + YoungPerMille + ExcludedPerMille
                and < CurrentlyOverduePerMille + YoungPerMille + ExcludedPerMille + RevenueMisstatedPerMille;

            // Quality 0..999, bunched in the middle (sum of two uniforms): most enterprises are average.
            var quality = (random.Next(1000) + random.Next(1000)) / 2;

            // Revenue 3 to ~200 million CNY, log-uniform-ish: many small, few large.
            var millions = 3 + (random.Next(1000) * random.Next(1000) / 5_000);
            var revenue = (long)millions * 100_000_000 + (random.Next(100) * 1_000_000L);
            return new Traits(seed, quality, revenue, overdue, young, excluded, misstated, random.Next(Buyers.Length));
        }

        /// <summary>An independent stream of draws for one part of the enterprise.</summary>
        public SplitMix64 Stream(int part) => new(Seed ^ ((ulong)part * 0x9E3779B97F4A7C15UL));
    }

    /// <summary>FNV-1a over the id's characters: stable across processes and runtimes, unlike string.GetHashCode.</summary>
    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>SplitMix64: a tiny generator whose sequence is fixed by its seed on every platform.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public int Next(int maxExclusive) => (int)(NextULong() % (ulong)maxExclusive);

        public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

        private ulong NextULong()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
