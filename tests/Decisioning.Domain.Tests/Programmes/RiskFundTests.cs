using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Events;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Testing;

namespace Decisioning.Domain.Tests.Programmes;

/// <summary>The risk funds' rules: which write-offs they share, how much, and what recoveries give back.</summary>
public sealed class RiskFundTests
{
    private const string E = "91350100M000100Y43";
    private static readonly DateTimeOffset At = new(2027, 3, 10, 2, 0, 0, TimeSpan.Zero);

    private static readonly RiskFund Enhancement = TestRiskFunds.Enhancement;
    private static readonly RiskFund Compensation = TestRiskFunds.Compensation;

    [Fact]
    public void A_qualifying_write_off_claims_the_share_of_its_principal_and_not_of_its_interest()
    {
        var ledger = new RiskFundLedger([Enhancement]);

        var claim = ledger.Apply(WriteOff(5, 3_000_001, interest: 250_000, renewal: true));

        Assert.NotNull(claim);
        Assert.Equal((Enhancement.Id, 1_500_000L, ClaimLimit.Share, 5_000, 250_000L), (claim.FundId, claim.ClaimedMinor, claim.LimitedBy, claim.ShareBps, claim.WrittenOffInterestMinor));
        Assert.Equal(new FundTotals(1, 1_500_000, 0), ledger.Totals(Enhancement.Id));
        Assert.Equal(3_500_000, ledger.AvailableMinor(Enhancement));
    }

    [Fact]
    public void The_cap_per_loan_and_then_what_is_left_of_the_balance_limit_a_claim()
    {
        var ledger = new RiskFundLedger([Enhancement]);

        var capped = ledger.Apply(WriteOff(5, 10_000_000, firstLoan: true, enterprise: "A"))!;
        var second = ledger.Apply(WriteOff(5, 5_000_000, firstLoan: true, enterprise: "B"))!;
        var third = ledger.Apply(WriteOff(5, 500_000, firstLoan: true, enterprise: "C"))!;
        var leftOver = ledger.Apply(WriteOff(5, 10_000_000, firstLoan: true, enterprise: "D"))!;
        var exhausted = ledger.Apply(WriteOff(5, 500_000, firstLoan: true, enterprise: "E"))!;

        Assert.Equal((2_000_000L, ClaimLimit.PerLoanCap), (capped.ClaimedMinor, capped.LimitedBy));
        Assert.Equal((2_000_000L, ClaimLimit.PerLoanCap), (second.ClaimedMinor, second.LimitedBy));
        Assert.Equal((250_000L, ClaimLimit.Share), (third.ClaimedMinor, third.LimitedBy));
        Assert.Equal((750_000L, ClaimLimit.Balance), (leftOver.ClaimedMinor, leftOver.LimitedBy));
        Assert.Equal((0L, ClaimLimit.Balance), (exhausted.ClaimedMinor, exhausted.LimitedBy));
        Assert.Equal(new FundTotals(5, 5_000_000, 0), ledger.Totals(Enhancement.Id));
        Assert.Equal(0, ledger.AvailableMinor(Enhancement));
    }

    public static TheoryData<string, LoanWrittenOff> NotCovered => new()
    {
        { "operating quick loan", WriteOff(5, 1_000_000, renewal: true) with { Product = Product.OperatingQuickLoan } },
        { "no recognition", WriteOff(5, 1_000_000, renewal: true) with { SrdiLevel = SrdiLevel.None } },
        { "an innovative SME, a step below the fund's municipal minimum (though numbered after it)", WriteOff(5, 1_000_000, renewal: true) with { SrdiLevel = SrdiLevel.InnovativeSme } },
        { "a level nobody assessed (a line opened by hand)", WriteOff(5, 1_000_000, renewal: true) with { SrdiLevel = SrdiLevel.Unspecified } },
        { "neither a first loan nor a renewal", WriteOff(5, 1_000_000) },
        { "no principal written off", WriteOff(5, 0, interest: 90_000, renewal: true) },
    };

    [Theory]
    [MemberData(nameof(NotCovered))]
    public void A_write_off_the_fund_does_not_cover_claims_nothing(string why, LoanWrittenOff writeOff)
    {
        var ledger = new RiskFundLedger([Enhancement]);

        Assert.True(ledger.Apply(writeOff) is null, why);
        Assert.Equal(default, ledger.Totals(Enhancement.Id));
    }

    [Fact]
    public void A_loan_is_claimed_against_the_first_fund_that_covers_it_and_funds_do_not_add_up()
    {
        var ledger = new RiskFundLedger([Enhancement, Compensation]);

        var renewal = ledger.Apply(WriteOff(5, 1_000_000, renewal: true, enterprise: "A"))!;
        var other = ledger.Apply(WriteOff(5, 1_000_000, enterprise: "B"))!;
        var unrecognised = ledger.Apply(WriteOff(5, 1_000_000, firstLoan: true, enterprise: "C") with { SrdiLevel = SrdiLevel.None })!;

        Assert.Equal((Enhancement.Id, 500_000L), (renewal.FundId, renewal.ClaimedMinor));
        Assert.Equal((Compensation.Id, 300_000L), (other.FundId, other.ClaimedMinor));
        Assert.Equal((Compensation.Id, 300_000L), (unrecognised.FundId, unrecognised.ClaimedMinor));
        Assert.Equal(new FundTotals(1, 500_000, 0), ledger.Totals(Enhancement.Id));
        Assert.Equal(new FundTotals(2, 600_000, 0), ledger.Totals(Compensation.Id));
    }

    [Fact]
    public void A_recovery_returns_the_funds_part_in_proportion_to_the_loss_it_bore_and_never_more_than_the_claim()
    {
        var ledger = new RiskFundLedger([Enhancement]);
        ledger.Apply(WriteOff(5, 10_000_000, renewal: true));

        // The claim was capped at 2,000,000 of 10,000,000: the fund bore 20% and gets 20% back.
        var first = ledger.Apply(Recovery(6, 5, 1_000_000))!;
        var beyond = ledger.Apply(Recovery(7, 5, 12_000_000))!;
        var after = ledger.Apply(Recovery(8, 5, 1));

        Assert.Equal((1_000_000L, 200_000L, 1), (first.RecoveredMinor, first.ReturnedMinor, first.Recoveries));
        Assert.Equal((13_000_000L, 2_000_000L, 0L, 2), (beyond.RecoveredMinor, beyond.ReturnedMinor, beyond.NetClaimMinor, beyond.Recoveries));
        Assert.Equal((13_000_001L, 2_000_000L), (after!.RecoveredMinor, after.ReturnedMinor));
        Assert.Equal(new FundTotals(1, 2_000_000, 2_000_000), ledger.Totals(Enhancement.Id));
        Assert.Equal(Enhancement.BalanceMinor, ledger.AvailableMinor(Enhancement));
    }

    [Fact]
    public void Recoveries_in_small_parts_return_what_one_recovery_of_their_sum_would_with_no_rounding_drift()
    {
        var ledger = new RiskFundLedger([Enhancement]);
        var claim = ledger.Apply(WriteOff(5, 3_333_333, firstLoan: true))!;
        Assert.Equal(1_666_666, claim.ClaimedMinor);

        for (var s = 6; s < 6 + 300; s++)
        {
            ledger.Apply(Recovery(s, 5, 7));
        }

        var after = ledger.Find(E, 5)!;
        Assert.Equal((2_100L, 1_049L), (after.RecoveredMinor, after.ReturnedMinor));
        Assert.Equal(1_666_666L * 2_100 / 3_333_333, after.ReturnedMinor);
    }

    [Fact]
    public void A_recovery_applied_before_a_recovery_of_a_write_off_without_claim_and_a_write_off_seen_twice_change_nothing()
    {
        var ledger = new RiskFundLedger([Enhancement]);
        var claim = ledger.Apply(WriteOff(5, 1_000_000, renewal: true))!;
        ledger.Apply(Recovery(7, 5, 100_000));

        Assert.Null(ledger.Apply(WriteOff(5, 1_000_000, renewal: true)));
        Assert.Null(ledger.Apply(Recovery(7, 5, 100_000)));
        Assert.Null(ledger.Apply(Recovery(6, 5, 100_000)));
        Assert.Null(ledger.Apply(Recovery(8, 4, 100_000)));
        Assert.Null(ledger.Apply(Recovery(9, 5, 100_000) with { EnterpriseId = "other" }));
        Assert.Equal(new FundTotals(1, claim.ClaimedMinor, 50_000), ledger.Totals(Enhancement.Id));
    }

    [Fact]
    public void What_recoveries_return_is_claimed_again_by_later_write_offs()
    {
        var small = Enhancement with { BalanceMinor = 1_000_000 };
        var ledger = new RiskFundLedger([small]);
        ledger.Apply(WriteOff(5, 2_000_000, renewal: true, enterprise: "A"));
        ledger.Apply(Recovery(6, 5, 800_000) with { EnterpriseId = "A" });

        var later = ledger.Apply(WriteOff(9, 2_000_000, renewal: true, enterprise: "B"))!;

        Assert.Equal((400_000L, ClaimLimit.Balance), (later.ClaimedMinor, later.LimitedBy));
        Assert.Equal(new FundTotals(2, 1_400_000, 400_000), ledger.Totals(small.Id));
        Assert.Equal(0, ledger.AvailableMinor(small));
    }

    [Fact]
    public void A_balance_configured_below_what_was_claimed_leaves_nothing_available_and_claims_nothing_more()
    {
        var ledger = new RiskFundLedger([Enhancement with { BalanceMinor = 100 }]);
        ledger.Load(Enhancement.Id, new FundTotals(3, 4_000_000, 0));

        var claim = ledger.Apply(WriteOff(5, 1_000_000, renewal: true))!;

        Assert.Equal((0L, ClaimLimit.Balance), (claim.ClaimedMinor, claim.LimitedBy));
        Assert.Equal(0, ledger.AvailableMinor(Enhancement with { BalanceMinor = 100 }));
    }

    [Fact]
    public void The_largest_amounts_are_shared_without_overflow()
    {
        var whole = Enhancement with { ShareBps = RiskFunds.FullShareBps, CapPerLoanMinor = Limits.MaxAmountMinor, BalanceMinor = RiskFunds.MaxBalanceMinor };
        var ledger = new RiskFundLedger([whole]);

        var claim = ledger.Apply(WriteOff(5, long.MaxValue / 2, renewal: true))!;
        var recovered = ledger.Apply(Recovery(6, 5, long.MaxValue / 4))!;

        Assert.Equal((Limits.MaxAmountMinor, ClaimLimit.PerLoanCap), (claim.ClaimedMinor, claim.LimitedBy));
        Assert.Equal((long)((Int128)Limits.MaxAmountMinor * (long.MaxValue / 4) / (long.MaxValue / 2)), recovered.ReturnedMinor);
    }

    [Fact]
    public void A_negative_amount_from_the_journal_is_a_broken_journal_not_a_claim()
    {
        var ledger = new RiskFundLedger([Enhancement]);
        ledger.Apply(WriteOff(5, 1_000_000, renewal: true));

        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Apply(WriteOff(6, -1, renewal: true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Apply(WriteOff(6, 1, interest: -1, renewal: true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Apply(Recovery(7, 5, -1)));
    }

    public static TheoryData<string, RiskFund[]> BadTables => new()
    {
        { "Id must be 1 to 32", [Enhancement with { Id = "" }] },
        { "Id must be 1 to 32", [Enhancement with { Id = "Upper" }] },
        { "Id must be 1 to 32", [Enhancement with { Id = new string('a', 33) }] },
        { "Id appears twice", [Enhancement, Compensation with { Id = Enhancement.Id }] },
        { "Name must be 1 to 64", [Enhancement with { Name = " " }] },
        { "Covers must name", [Enhancement with { Covers = FundCover.None }] },
        { "Covers must name", [Enhancement with { Covers = (FundCover)8 }] },
        { "Products must list", [Enhancement with { Products = [] }] },
        { "Products must list", [Enhancement with { Products = [Product.None] }] },
        { "MinSrdiLevel must be", [Enhancement with { MinSrdiLevel = SrdiLevel.Unspecified }] },
        { "ShareBps must be from 1 to 10000, not 0", [Enhancement with { ShareBps = 0 }] },
        { "ShareBps must be from 1 to 10000, not 10001", [Enhancement with { ShareBps = 10_001 }] },
        { "CapPerLoanMinor must be from 1", [Enhancement with { CapPerLoanMinor = 0 }] },
        { "CapPerLoanMinor must be from 1", [Enhancement with { CapPerLoanMinor = Limits.MaxAmountMinor + 1 }] },
        { "BalanceMinor must be from 0", [Enhancement with { BalanceMinor = -1 }] },
        { "BalanceMinor must be from 0", [Enhancement with { BalanceMinor = RiskFunds.MaxBalanceMinor + 1 }] },
        { "at most 16 funds", [.. Enumerable.Range(0, 17).Select(i => Enhancement with { Id = $"f{i}" })] },
    };

    [Theory]
    [MemberData(nameof(BadTables))]
    public void A_table_with_a_bad_setting_names_the_fund_and_the_setting(string problem, RiskFund[] funds) =>
        Assert.Contains(RiskFunds.Validate(funds), p => p.Contains(problem, StringComparison.Ordinal));

    [Fact]
    public void The_example_tables_boundaries_and_no_fund_at_all_are_usable()
    {
        Assert.Empty(RiskFunds.Validate([]));
        Assert.Empty(RiskFunds.Validate([Enhancement, Compensation]));
        Assert.Empty(RiskFunds.Validate([Enhancement with { ShareBps = 1, CapPerLoanMinor = 1, BalanceMinor = 0, Id = new string('a', 32) }]));
        Assert.Empty(RiskFunds.Validate([.. Enumerable.Range(0, 16).Select(i => Enhancement with { Id = $"f{i}" })]));
    }

    [Fact]
    public void The_stream_gives_a_write_off_with_the_lines_product_level_and_renewal_and_a_later_repayment_as_its_recovery()
    {
        var opened = Event(1, EntryKind.LineOpened, product: Product.SrdiELoan, level: SrdiLevel.Provincial);
        var renewed = Event(2, EntryKind.LineRenewed, level: SrdiLevel.NationalLittleGiant);
        var early = Event(3, RiskFundEvents.RecoveryKind, amount: 10);
        var writeOff = Event(4, RiskFundEvents.WriteOffKind) with { Entry = Entry(4, RiskFundEvents.WriteOffKind) with { WrittenOffPrincipalMinor = 900_000, WrittenOffInterestMinor = 40_000 } };
        var recovery = Event(5, RiskFundEvents.RecoveryKind, amount: 300_000);

        var inputs = new List<RiskFundEvent?>();
        RiskFundEnterprise? remembered = null;
        foreach (var e in new[] { opened, renewed, early, writeOff, recovery })
        {
            (remembered, var input) = RiskFundEvents.Read(remembered, e)!.Value;
            inputs.Add(input);
        }

        Assert.Equal([null, null, null], inputs.Take(3));
        Assert.Equal(new LoanWrittenOff(E, 4, At, Product.SrdiELoan, 900_000, 40_000, false, true, SrdiLevel.NationalLittleGiant), inputs[3]);
        Assert.Equal(new LoanRecovered(E, 5, At, 4, 300_000), inputs[4]);
        Assert.Equal(new RiskFundEnterprise(5, Product.SrdiELoan, SrdiLevel.NationalLittleGiant, false, true, 4), remembered);
        Assert.Null(RiskFundEvents.Read(remembered, recovery));
        Assert.Null(RiskFundEvents.Read(remembered, opened));
    }

    [Fact]
    public void A_line_opened_again_is_no_renewal_until_it_is_renewed()
    {
        var remembered = new RiskFundEnterprise(9, Product.SrdiELoan, SrdiLevel.Provincial, false, true, 0);

        var (after, input) = RiskFundEvents.Read(remembered, Event(10, EntryKind.LineOpened))!.Value;

        Assert.Null(input);
        Assert.False(after.Renewed);
        Assert.Equal((Product.SrdiELoan, SrdiLevel.Provincial), (after.Product, after.Level));
    }

    internal static LoanWrittenOff WriteOff(long sequence, long principal, long interest = 0, bool firstLoan = false, bool renewal = false, string enterprise = E) =>
        new(enterprise, sequence, At, Product.SrdiELoan, principal, interest, firstLoan, renewal, SrdiLevel.Provincial);

    internal static LoanRecovered Recovery(long sequence, long writeOffSequence, long amount) => new(E, sequence, At, writeOffSequence, amount);

    private static LineEvent Event(long sequence, EntryKind kind, Product product = Product.None, SrdiLevel? level = null, long amount = 0) =>
        new(E, product, Entry(sequence, kind) with { AmountMinor = amount }, level is { } l ? TestRiskFunds.Decision(l) : null);

    private static JournalEntry Entry(long sequence, EntryKind kind) => new()
    {
        Sequence = sequence,
        At = At,
        Kind = kind,
        RequestId = "r" + sequence,
        Actor = "officer-li",
        LimitAfterMinor = 1_000_000,
        DrawnAfterMinor = 0,
        HeldAfterMinor = 0,
        AccruedInterestAfterMinor = 0,
        StatusAfter = LineStatus.Active,
    };
}
