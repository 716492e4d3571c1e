using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Domain.Tests.Assessment;
using Decisioning.Domain.Tests.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Programmes;

/// <summary>The re-lending quota's arithmetic, a line's lease inside its own commits, and the quota's ledger.</summary>
public sealed class RelendingTests
{
    private const int Share = 6_000;

    internal static RecordDecisionCommand Approve(int discountBps = 50, bool firstLoan = false, string id = "assess-1", long limit = Limit) =>
        new(id, "D-" + id, "fp")
        {
            Actor = Caller,
            Outcome = Outcome.Approve,
            Product = Product.SrdiELoan,
            LimitMinor = limit,
            AnnualRateBps = 270,
            TermMonths = 12,
            RelendingDiscountBps = discountBps,
            FirstLoan = firstLoan,
        };

    internal static RelendingLeaseCommand Lease(long change, long expected, long next, string period = "2026", int share = Share) =>
        new("lease-" + expected + "-" + next + "-" + change, period, share, change, expected, next) { Actor = Relending.SystemActor };

    private static LineState Eligible(long lease) => LineState.NotOpened.Then(Approve()).Then(Lease(lease, 0, 1));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(10_000, 6_000)]
    [InlineData(10_001, 6_000)]
    [InlineData(Limits.MaxAmountMinor, Limits.MaxAmountMinor / 10 * 6)]
    public void The_funded_share_of_a_loan_is_rounded_down(long amount, long funded) => Assert.Equal(funded, Relending.Funded(amount, Share));

    [Fact]
    public void An_eligible_draw_the_lease_covers_is_funded_and_uses_the_lease_in_its_own_commit()
    {
        var applied = Eligible(lease: 100_000).Approves(Cmd.Draw(100_000), T0);

        var entry = applied.Entries[^1];
        Assert.Equal((RelendingFunding.Funded, 60_000L), (entry.Relending, entry.RelendingMinor));
        Assert.Equal((40_000L, 60_000L, 100_000L), (applied.State.RelendingLeaseMinor, applied.State.RelendingFundedMinor, applied.State.RelendingHoldingMinor));
    }

    [Fact]
    public void An_eligible_draw_beyond_the_lease_is_approved_unfunded_and_the_journal_says_so()
    {
        var line = Eligible(lease: 59_999);
        var applied = line.Approves(Cmd.Draw(100_000), T0);

        var entry = applied.Entries[^1];
        Assert.Equal((RelendingFunding.Unfunded, 0L), (entry.Relending, entry.RelendingMinor));
        Assert.Equal(100_000, applied.State.DrawnMinor);
        Assert.Equal((59_999L, 0L), (applied.State.RelendingLeaseMinor, applied.State.RelendingFundedMinor));
    }

    [Fact]
    public void A_line_without_the_discount_draws_as_before_with_nothing_of_the_quota()
    {
        var plain = LineState.NotOpened.Then(Approve(discountBps: 0));
        var entry = plain.Approves(Cmd.Draw(100_000), T0).Entries[^1];

        Assert.Equal((RelendingFunding.None, 0L), (entry.Relending, entry.RelendingMinor));
        Assert.False(plain.RelendingEligible);
    }

    [Fact]
    public void A_captured_hold_is_funded_as_a_draw()
    {
        var held = Eligible(lease: 100_000).Approves(Cmd.Hold(50_000), T0);
        var captured = held.State.Approves(Cmd.Capture(held.Result.HoldId), T0);

        Assert.Equal((RelendingFunding.Funded, 30_000L), (captured.Entries[^1].Relending, captured.Entries[^1].RelendingMinor));
    }

    [Fact]
    public void Repayments_return_the_funded_share_to_the_lease_and_all_of_it_once_nothing_is_drawn()
    {
        var drawn = Eligible(lease: 100_000).Then(Cmd.Draw(33_333, "d1")).Then(Cmd.Draw(33_333, "d2"));
        Assert.Equal(2 * 19_999, drawn.RelendingFundedMinor);

        var part = drawn.Approves(Cmd.Repay(33_333, "r1"), T0);
        Assert.Equal(-19_999, part.Entries[^1].RelendingMinor);

        // ⌊33,334 × 60%⌋ = 20,000 would be more than is funded: rounding leaves nothing behind, and takes nothing extra.
        var rest = part.State.Approves(Cmd.Repay(33_333, "r2"), T0);
        Assert.Equal(-19_999, rest.Entries[^1].RelendingMinor);
        Assert.Equal((0L, 0L, 100_000L), (rest.State.DrawnMinor, rest.State.RelendingFundedMinor, rest.State.RelendingLeaseMinor));
    }

    [Fact]
    public void A_repayment_of_interest_only_returns_nothing()
    {
        var drawn = Eligible(lease: 100_000).Then(Cmd.Draw(100_000));
        var later = drawn.Approves(Cmd.Repay(1, "interest"), OnDay(30));

        Assert.Equal(0, later.Entries[^1].RelendingMinor);
        Assert.Equal(60_000, later.State.RelendingFundedMinor);
    }

    [Fact]
    public void A_lease_change_applies_only_at_the_version_it_was_asked_at()
    {
        var line = Eligible(lease: 10);

        line.AssertRefused(Lease(5, 0, 1), T0, ErrorKind.Aborted, ErrorReasons.ConcurrentModification.Code);
        var taken = line.Approves(Lease(5, 1, 2), T0);
        Assert.Equal(EntryKind.RelendingLeaseChanged, taken.Entries[^1].Kind);
        Assert.Equal((15L, 2L), (taken.State.RelendingLeaseMinor, taken.State.RelendingVersion));
        Assert.Equal(Relending.SystemActor, taken.Entries[^1].Actor);
    }

    [Fact]
    public void A_line_holding_quota_of_one_period_takes_no_lease_of_another()
    {
        var line = Eligible(lease: 10);

        line.AssertRefused(Lease(5, 1, 2, period: "2027"), T0, ErrorKind.Aborted, ErrorReasons.ConcurrentModification.Code);
        var empty = line.Then(Lease(-10, 1, 2));
        Assert.Equal("2027", empty.Then(Lease(5, 2, 3, period: "2027")).RelendingPeriod);
    }

    [Fact]
    public void Giving_back_more_than_the_lease_is_a_bug()
    {
        var line = Eligible(lease: 10);

        Assert.Throws<InvariantViolationException>(() => line.Apply(Lease(-11, 1, 2), T0));
    }

    [Theory]
    [InlineData(0, 0, 1_000_000, 100, true, 100)]
    [InlineData(49, 0, 1_000_000, 100, true, 51)]
    [InlineData(50, 0, 1_000_000, 100, true, 0)]
    [InlineData(200, 0, 1_000_000, 100, true, 0)]
    [InlineData(201, 0, 1_000_000, 100, true, -101)]
    [InlineData(0, 999_950, 1_000_000, 100, true, 50)]
    [InlineData(0, 1_000_000, 1_000_000, 100, true, 0)]
    [InlineData(70, 0, 1_000_000, 100, false, -70)]
    [InlineData(0, 500, 1_000_000, 100, false, 0)]
    public void A_lease_is_topped_up_below_half_a_chunk_and_trimmed_above_two_never_beyond_the_line_s_limit(
        long lease, long funded, long cap, long chunk, bool takesDraws, long change) =>
        Assert.Equal(change, Relending.LeaseChange(lease, funded, cap, chunk, takesDraws));

    [Fact]
    public void A_decision_without_room_in_the_quota_loses_the_discount_and_says_why_before_the_scorecard_s_reasons()
    {
        var strong = Assessor.Assess(Fixtures.Perfect(), Fixtures.Champion, Fixtures.AsOf, "decision-1");
        var scored = strong with { Reasons = [new Reason(ReasonCodes.LimitSetByScorecard, ReasonKind.Limit), new Reason("FEW_PATENTS", ReasonKind.Score, 12m)] };

        var without = Relending.WithoutDiscount(strong);
        Assert.Equal(new RateBreakdown { BaseRateBps = 300, RiskPremiumBps = 0, RelendingDiscountBps = 0, FloorBps = 270, FloorApplied = false, AnnualRateBps = 300 }, without.Rate);
        Assert.Equal([ReasonCodes.RelendingQuotaExhausted], without.ReasonCodes);
        Assert.Equal(strong with { Rate = without.Rate, Reasons = without.Reasons }, without);

        Assert.Equal([ReasonCodes.LimitSetByScorecard, ReasonCodes.RelendingQuotaExhausted, "FEW_PATENTS"], Relending.WithoutDiscount(scored).ReasonCodes);
        var plain = strong with { Rate = without.Rate };
        Assert.Same(plain, Relending.WithoutDiscount(plain));
    }

    [Fact]
    public void First_loans_are_enterprises_the_bureau_reports_without_bank_debt_or_lending_bank()
    {
        var application = Decisioning.Testing.TestApplications.Sound(Decisioning.Testing.TestEnterprises.Unique(), Day0);
        var none = application.Financing! with { ExistingBankDebtMinor = 0, LendingBanks = 0 };

        Assert.True(FirstLoans.Is(application with { Financing = none }));
        Assert.False(FirstLoans.Is(application with { Financing = none with { LendingBanks = 1 } }));
        Assert.False(FirstLoans.Is(application with { Financing = none with { ExistingBankDebtMinor = 1 } }));
        Assert.False(FirstLoans.Is(application with { Financing = null }));
    }

    [Fact]
    public void The_line_keeps_the_first_loan_flag_of_the_approval_that_opened_it()
    {
        var opened = LineState.NotOpened.Then(Approve(firstLoan: true));
        Assert.True(opened.ViewAt(T0).FirstLoan);

        // A later approval (the enterprise now has this bank's credit) does not take the flag away.
        Assert.True(opened.Then(Approve(firstLoan: false, id: "assess-2")).FirstLoan);
        Assert.False(LineState.NotOpened.Then(Approve(firstLoan: false)).FirstLoan);
    }
}
