using Decisioning.Domain.Assessment;
using Decisioning.Domain.Events;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Events.PortfolioProjection;

namespace Decisioning.Domain.Tests.Events;

/// <summary>The portfolio's figures folded from events: flows in their month, stocks as of each line's newest event, every event once.</summary>
public sealed class PortfolioProjectionTests
{
    private const string E = "91350100M000100Y43";
    private static readonly DateTimeOffset March = new(2026, 3, 10, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset April = new(2026, 4, 10, 2, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<PortfolioCell, long> _totals = [];
    private readonly Dictionary<string, PortfolioEnterprise> _enterprises = [];

    [Fact]
    public void A_lines_life_gives_its_flows_in_their_month_and_its_stocks_under_its_product_and_level()
    {
        Fold(
            Approved(1, March, 5_000_000, SrdiLevel.Provincial, fundFlow: true),
            Entry(2, March, EntryKind.Draw, LineStatus.Active, drawn: 1_200_000),
            Entry(3, April, EntryKind.Repayment, LineStatus.Active, drawn: 700_000),
            Entry(4, April, EntryKind.LineFrozen, LineStatus.Frozen, drawn: 700_000),
            Entry(5, April, EntryKind.LineRenewed, LineStatus.Frozen, drawn: 700_000));

        var expected = new Dictionary<PortfolioCell, long>
        {
            [new(Decisions(Outcome.Approve), Product.SrdiELoan, "2026-03", SrdiLevel.Provincial)] = 1,
            [new(FundFlowApprovals, Product.SrdiELoan, "2026-03", SrdiLevel.Provincial)] = 1,
            [new(LinesOpened, Product.SrdiELoan, "2026-03", SrdiLevel.Provincial)] = 1,
            [new(CreditGrantedMinor, Product.SrdiELoan, "2026-03", SrdiLevel.Provincial)] = 5_000_000,
            [new(EnterprisesServed, Product.SrdiELoan, "2026-03", SrdiLevel.Provincial)] = 1,
            [new(RenewalsGranted, Product.SrdiELoan, "2026-04", SrdiLevel.Provincial)] = 1,
            [new(RenewedPrincipalMinor, Product.SrdiELoan, "2026-04", SrdiLevel.Provincial)] = 700_000,
            [new(PortfolioProjection.Lines(LineStatus.Frozen), Product.SrdiELoan, "", SrdiLevel.Provincial)] = 1,
            [new(OutstandingPrincipalMinor, Product.SrdiELoan, "", SrdiLevel.Provincial)] = 700_000,
        };
        Assert.Equal(expected.OrderBy(k => k.Key.ToString()), NonZero());
    }

    [Fact]
    public void Every_event_counts_once_however_often_it_is_applied()
    {
        LineEvent[] events = [Approved(1, March, 5_000_000, SrdiLevel.NationalLittleGiant), Entry(2, March, EntryKind.Draw, LineStatus.Active, drawn: 100)];
        Fold(events);
        var once = NonZero().ToList();

        Fold(events);
        Fold(events[1], events[0]);

        Assert.Equal(once, NonZero());
        Assert.Null(Apply(_enterprises[E], events[1]));
    }

    [Fact]
    public void A_later_decision_with_another_level_moves_the_lines_stock_to_that_level()
    {
        Fold(
            Approved(1, March, 5_000_000, SrdiLevel.Municipal),
            Entry(2, March, EntryKind.Draw, LineStatus.Active, drawn: 300),
            Approved(3, April, 6_000_000, SrdiLevel.NationalLittleGiant, kind: EntryKind.LimitAdjusted, drawn: 300));

        Assert.Equal(0, Total(PortfolioProjection.Lines(LineStatus.Active), "", SrdiLevel.Municipal));
        Assert.Equal(0, Total(OutstandingPrincipalMinor, "", SrdiLevel.Municipal));
        Assert.Equal(1, Total(PortfolioProjection.Lines(LineStatus.Active), "", SrdiLevel.NationalLittleGiant));
        Assert.Equal(300, Total(OutstandingPrincipalMinor, "", SrdiLevel.NationalLittleGiant));
        Assert.Equal(1, Total(EnterprisesServed, "2026-03", SrdiLevel.Municipal));
        Assert.Equal(2, _totals.Where(t => t.Key.Measure == Decisions(Outcome.Approve)).Sum(t => t.Value));
    }

    [Fact]
    public void A_decline_without_a_line_counts_as_a_decision_and_nothing_else()
    {
        var declined = new LineEvent(E, Product.None, Entry(1, March, EntryKind.DecisionRecorded, LineStatus.None, drawn: 0).Entry, Summary(Outcome.Decline, 0, SrdiLevel.None));

        Fold(declined);

        Assert.Equal([new(new PortfolioCell(Decisions(Outcome.Decline), Product.SrdiELoan, "2026-03", SrdiLevel.None), 1L)], NonZero());
    }

    private void Fold(params LineEvent[] events)
    {
        foreach (var e in events)
        {
            if (Apply(_enterprises.GetValueOrDefault(e.EnterpriseId), e) is not var (after, changes))
            {
                continue;
            }

            _enterprises[e.EnterpriseId] = after;
            foreach (var (cell, delta) in changes)
            {
                _totals[cell] = _totals.GetValueOrDefault(cell) + delta;
            }
        }
    }

    [Fact]
    public void Srdi_lines_are_the_lines_of_every_status_of_the_levels_municipal_and_above_and_nothing_else()
    {
        var stored = new Dictionary<PortfolioCell, long>
        {
            [new(PortfolioProjection.Lines(LineStatus.Active), Product.SrdiELoan, "", SrdiLevel.Municipal)] = 2,
            [new(PortfolioProjection.Lines(LineStatus.Frozen), Product.SrdiELoan, "", SrdiLevel.Municipal)] = 1,
            [new(PortfolioProjection.Lines(LineStatus.Closed), Product.SrdiELoan, "", SrdiLevel.NationalLittleGiant)] = 1,
            [new(PortfolioProjection.Lines(LineStatus.Active), Product.OperatingQuickLoan, "", SrdiLevel.Provincial)] = 4,
            [new(PortfolioProjection.Lines(LineStatus.Active), Product.SrdiELoan, "", SrdiLevel.None)] = 3,
            [new(PortfolioProjection.Lines(LineStatus.Active), Product.SrdiELoan, "", SrdiLevel.InnovativeSme)] = 6,
            [new(PortfolioProjection.Lines(LineStatus.Active), Product.OperatingQuickLoan, "", SrdiLevel.Unspecified)] = 5,
            [new(LinesOpened, Product.SrdiELoan, "2026-03", SrdiLevel.Municipal)] = 3,
            [new(OutstandingPrincipalMinor, Product.SrdiELoan, "", SrdiLevel.Municipal)] = 700,
        };

        var read = WithSrdiLines(stored);

        Assert.Equal(
            [
                (Product.SrdiELoan, SrdiLevel.Municipal, 3L),
                (Product.SrdiELoan, SrdiLevel.NationalLittleGiant, 1L),
                (Product.OperatingQuickLoan, SrdiLevel.Provincial, 4L),
            ],
            read.Where(f => f.Key.Measure == SrdiLines).Select(f => (f.Key.Product, f.Key.Level, f.Value)).Order());
        Assert.All(read.Where(f => f.Key.Measure == SrdiLines), f => Assert.Equal("", f.Key.Month));
        Assert.Equal(stored.OrderBy(f => f.Key.ToString()), read.Where(f => f.Key.Measure != SrdiLines).OrderBy(f => f.Key.ToString()));
    }

    private long Total(string measure, string month, SrdiLevel level) => _totals.GetValueOrDefault(new(measure, Product.SrdiELoan, month, level));

    private IEnumerable<KeyValuePair<PortfolioCell, long>> NonZero() => _totals.Where(t => t.Value != 0).OrderBy(t => t.Key.ToString());

    private static LineEvent Approved(long sequence, DateTimeOffset at, long limit, SrdiLevel level, bool fundFlow = false, EntryKind kind = EntryKind.LineOpened, long drawn = 0) =>
        new(E, Product.SrdiELoan, Entry(sequence, at, kind, LineStatus.Active, drawn, limit).Entry, Summary(Outcome.Approve, limit, level) with { FundFlowBased = fundFlow });

    private static LineEvent Entry(long sequence, DateTimeOffset at, EntryKind kind, LineStatus status, long drawn, long limit = 5_000_000) => new(
        E,
        Product.SrdiELoan,
        new JournalEntry
        {
            Sequence = sequence,
            At = at,
            Kind = kind,
            RequestId = "r",
            Actor = "a",
            LimitAfterMinor = status == LineStatus.None ? 0 : limit,
            DrawnAfterMinor = drawn,
            HeldAfterMinor = 0,
            AccruedInterestAfterMinor = 0,
            StatusAfter = status,
        },
        null);

    private static DecisionSummary Summary(Outcome outcome, long limit, SrdiLevel level) => new()
    {
        DecisionId = "D-1",
        Purpose = DecisionPurpose.Origination,
        Outcome = outcome,
        Product = Product.SrdiELoan,
        LimitMinor = limit,
        AnnualRateBps = 340,
        SrdiLevel = level,
        LimitBasis = LimitBasis.Scorecard,
        FundFlowBased = false,
        Score = 797,
        ModelVersion = "m",
    };
}
