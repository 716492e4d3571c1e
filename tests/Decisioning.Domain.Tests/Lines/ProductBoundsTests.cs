using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>
/// Issue 10: OpenLine and AdjustLimit accepted up to 1,000,000,000 CNY for either product and any
/// rate from 0 to 100%; the product caps bound only the scorecard. Now each product's cap, rate
/// floor and ceiling (from the model) bound what staff set, refused as FAILED_PRECONDITION naming the bound.
/// </summary>
public sealed class ProductBoundsTests
{
    private const long Cny = 100;
    private static readonly ProductBounds Bounds = ProductBounds.Of(ScorecardModel.LoadFile("models/scorecard-2026.1.json"));

    private static LineOutcome Apply(LineState state, LineCommand command, FourEyesPolicy? fourEyes = null) =>
        state.Apply(command, T0, fourEyes ?? FourEyesPolicy.None, OverduePolicy.Default, Bounds);

    private static DomainError Refused(LineState state, LineCommand command) => Assert.IsType<Rejected>(Apply(state, command)).Error;

    [Theory]
    [InlineData(Product.SrdiELoan, 10_000_000 * Cny, true)] // the SRDI e-Loan cap itself
    [InlineData(Product.SrdiELoan, (10_000_000 * Cny) + 1, false)]
    [InlineData(Product.OperatingQuickLoan, 3_000_000 * Cny, true)]
    [InlineData(Product.OperatingQuickLoan, (3_000_000 * Cny) + 1, false)]
    [InlineData(Product.OperatingQuickLoan, 1_000_000_000 * Cny, false)] // the case
    public void An_opening_limit_is_bounded_by_its_products_cap(Product product, long limitMinor, bool accepted)
    {
        var outcome = Apply(LineState.NotOpened, Cmd.Open(limitMinor, 400, product: product));

        if (accepted)
        {
            Assert.IsType<Applied>(outcome);
            return;
        }

        var error = Assert.IsType<Rejected>(outcome).Error;
        Assert.Equal((ErrorKind.FailedPrecondition, "LIMIT_ABOVE_PRODUCT_CAP", "limit_minor"), (error.Kind, error.Reason, error.Field));
        Assert.Contains(product == Product.SrdiELoan ? "SRDI e-Loan cap of 1000000000 fen" : "Operating Quick Loan cap of 300000000 fen", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Product.SrdiELoan, 269, "RATE_BELOW_PRODUCT_FLOOR", "rate floor of 270 bps")]
    [InlineData(Product.SrdiELoan, 270, null, null)]
    [InlineData(Product.SrdiELoan, 650, null, null)]
    [InlineData(Product.SrdiELoan, 651, "RATE_ABOVE_PRODUCT_CEILING", "rate ceiling of 650 bps")]
    [InlineData(Product.OperatingQuickLoan, 0, "RATE_BELOW_PRODUCT_FLOOR", "rate floor of 300 bps")]
    [InlineData(Product.OperatingQuickLoan, 299, "RATE_BELOW_PRODUCT_FLOOR", "rate floor of 300 bps")]
    [InlineData(Product.OperatingQuickLoan, 700, null, null)]
    [InlineData(Product.OperatingQuickLoan, 10_000, "RATE_ABOVE_PRODUCT_CEILING", "rate ceiling of 700 bps")] // 100%: the case
    public void An_opening_rate_is_bounded_by_its_products_floor_and_ceiling(Product product, int rateBps, string? reason, string? bound)
    {
        var outcome = Apply(LineState.NotOpened, Cmd.Open(1_000_000 * Cny, rateBps, product: product));

        if (reason is null)
        {
            Assert.IsType<Applied>(outcome);
            return;
        }

        var error = Assert.IsType<Rejected>(outcome).Error;
        Assert.Equal((ErrorKind.FailedPrecondition, reason, "annual_rate_bps"), (error.Kind, error.Reason, error.Field));
        Assert.Contains(bound!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_adjusted_limit_is_bounded_by_the_cap_of_the_lines_product()
    {
        var quick = Assert.IsType<Applied>(Apply(LineState.NotOpened, Cmd.Open(1_000_000 * Cny, 400, product: Product.OperatingQuickLoan))).State;

        Assert.IsType<Applied>(Apply(quick, Cmd.AdjustLimit(3_000_000 * Cny)));
        var error = Refused(quick, Cmd.AdjustLimit((3_000_000 * Cny) + 1));
        Assert.Equal((ErrorKind.FailedPrecondition, "LIMIT_ABOVE_PRODUCT_CAP", "limit_minor"), (error.Kind, error.Reason, error.Field));
        Assert.IsType<Applied>(Apply(quick, Cmd.AdjustLimit(0))); // lowering is always allowed
    }

    [Fact]
    public void A_proposal_beyond_the_bounds_is_never_recorded()
    {
        // With four eyes, an opening becomes a proposal: the bounds refuse it before anyone is asked to approve.
        var error = Assert.IsType<Rejected>(Apply(LineState.NotOpened, Cmd.Open(20_000_000 * Cny, 400), FourEyesPolicy.Default)).Error;
        Assert.Equal("LIMIT_ABOVE_PRODUCT_CAP", error.Reason);
    }

    [Fact]
    public void Without_bounds_code_below_the_service_may_seed_any_terms() =>
        Assert.IsType<Applied>(LineState.NotOpened.Apply(Cmd.Open(1_000_000_000 * Cny, 10_000), T0, FourEyesPolicy.None));
}
