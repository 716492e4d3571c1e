using System.Collections.Immutable;
using CsCheck;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;

namespace Decisioning.Domain.Tests.Programmes;

/// <summary>
/// Random funds and random write-offs, recoveries and replays of either, checked against a model
/// kept apart from the ledger: every claim is min(share × principal, cap, what was left), what
/// recoveries return is the claim's part of what was recovered, each fund's totals are the sums
/// over its claims and never take more than its balance, and an event applied again changes nothing.
/// </summary>
public sealed class RiskFundPropertyTests
{
    public sealed record Step(int Kind, int Enterprise, long AmountMinor, long InterestMinor, bool FirstLoan, bool Renewal, SrdiLevel Level, Product Product, int Replay);

    private static readonly Gen<RiskFund> GenFund = Gen.Select(
        Gen.Int[0, 2], Gen.Int[1, RiskFunds.FullShareBps], Gen.Long[1, 3_000_000], Gen.Long[0, 8_000_000], Gen.Enum<SrdiLevel>().Where(l => l != SrdiLevel.Unspecified), Gen.Int[1, 7], Gen.Bool)
        .Select((i, share, cap, balance, level, covers, both) => new RiskFund
        {
            Id = $"f{i}",
            Name = $"fund {i}",
            Covers = (FundCover)covers,
            Products = both ? [Product.SrdiELoan, Product.OperatingQuickLoan] : [Product.SrdiELoan],
            MinSrdiLevel = level,
            ShareBps = share,
            CapPerLoanMinor = cap,
            BalanceMinor = balance,
        });

    private static readonly Gen<Step> GenStep = Gen.Select(
        Gen.Frequency((4, Gen.Const(0)), (5, Gen.Const(1)), (2, Gen.Const(2))),
        Gen.Int[0, 7],
        Gen.Frequency((1, Gen.Const(0L)), (6, Gen.Long[1, 5_000_000]), (1, Gen.Long[1, 20])),
        Gen.Long[0, 500_000],
        Gen.Int[0, 3],
        Gen.Enum<SrdiLevel>(),
        Gen.OneOf(Gen.Const(Product.SrdiELoan), Gen.Const(Product.OperatingQuickLoan)),
        Gen.Int[0, 1_000])
        .Select((kind, e, amount, interest, loan, level, product, replay) => new Step(kind, e, amount, interest, (loan & 1) != 0, (loan & 2) != 0, level, product, replay));

    [Fact]
    public void Claims_reconcile_with_write_offs_recoveries_and_the_balance()
    {
        Gen.Select(GenFund.Array[1, 3], GenStep.Array[1, 80]).Sample((funds, steps) => Run([.. funds.DistinctBy(f => f.Id)], steps), iter: 2_000);
    }

    private static void Run(RiskFund[] funds, Step[] steps)
    {
        var ledger = new RiskFundLedger(funds);
        var at = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var sequences = new long[8];
        var writeOffs = new Dictionary<int, LoanWrittenOff>();
        var recovered = new Dictionary<(int, long), long>();
        var available = funds.ToDictionary(f => f.Id, f => f.BalanceMinor);
        var applied = new List<RiskFundEvent>();
        var claims = 0;
        foreach (var step in steps)
        {
            var id = $"E{step.Enterprise}";
            var sequence = ++sequences[step.Enterprise];
            switch (step.Kind)
            {
                case 0:
                    var w = new LoanWrittenOff(id, sequence, at, step.Product, step.AmountMinor, step.InterestMinor, step.FirstLoan, step.Renewal, step.Level);
                    writeOffs[step.Enterprise] = w;
                    var fund = funds.FirstOrDefault(f => f.Products.Contains(w.Product) && SrdiLadder.AtLeast(w.SrdiLevel, f.MinSrdiLevel)
                        && ((w.FirstLoan && f.Covers.HasFlag(FundCover.FirstLoans)) || (w.Renewal && f.Covers.HasFlag(FundCover.Renewals)) || (!w.FirstLoan && !w.Renewal && f.Covers.HasFlag(FundCover.OtherLoans))));
                    var claim = ledger.Apply(w);
                    applied.Add(w);
                    if (fund is null || w.WrittenOffPrincipalMinor == 0)
                    {
                        Assert.Null(claim);
                        break;
                    }

                    var expected = Math.Min(Math.Min(w.WrittenOffPrincipalMinor * fund.ShareBps / RiskFunds.FullShareBps, fund.CapPerLoanMinor), available[fund.Id]);
                    Assert.Equal((fund.Id, expected), (claim!.FundId, claim.ClaimedMinor));
                    available[fund.Id] -= expected;
                    claims++;
                    break;
                case 1 when writeOffs.TryGetValue(step.Enterprise, out var of):
                    var r = new LoanRecovered(id, sequence, at, of.Sequence, step.AmountMinor);
                    var before = ledger.Find(id, of.Sequence);
                    var after = ledger.Apply(r);
                    applied.Add(r);
                    Assert.Equal(before is null, after is null);
                    if (before is not null)
                    {
                        var total = recovered[(step.Enterprise, of.Sequence)] = recovered.GetValueOrDefault((step.Enterprise, of.Sequence)) + step.AmountMinor;
                        var returned = before.ClaimedMinor * Math.Min(total, before.WrittenOffPrincipalMinor) / before.WrittenOffPrincipalMinor;
                        Assert.Equal((total, returned), (after!.RecoveredMinor, after.ReturnedMinor));
                        available[before.FundId] += returned - before.ReturnedMinor;
                    }

                    break;
                case 2 when applied.Count > 0:
                    Assert.Null(ledger.Apply(applied[step.Replay % applied.Count]));
                    break;
            }
        }

        Assert.Equal(claims, ledger.Claims.Count());
        foreach (var fund in funds)
        {
            var mine = ledger.Claims.Where(c => c.FundId == fund.Id).ToArray();
            var totals = ledger.Totals(fund.Id);
            Assert.Equal(new FundTotals(mine.Length, mine.Sum(c => c.ClaimedMinor), mine.Sum(c => c.ReturnedMinor)), totals);
            Assert.InRange(totals.NetClaimedMinor, 0, fund.BalanceMinor);
            Assert.Equal(available[fund.Id], ledger.AvailableMinor(fund));
            Assert.All(mine, c => Assert.InRange(c.ReturnedMinor, 0, c.ClaimedMinor));
            Assert.All(mine, c => Assert.True(c.ClaimedMinor <= Math.Min(c.WrittenOffPrincipalMinor * c.ShareBps / RiskFunds.FullShareBps, fund.CapPerLoanMinor)));
        }
    }
}
