using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Xunit.Abstractions;

namespace Decisioning.Cli.Tests;

/// <summary>
/// decisioning portfolio against the real service, over a Redis of its own (so the figures are
/// exactly this test's): a line opened by four eyes and drawn on shows in the totals and by
/// product, month and recognition level, as tables and as --json.
/// </summary>
public sealed class PortfolioCommandTests(ServiceFixture fixture, ITestOutputHelper log) : IClassFixture<ServiceFixture>
{
    private readonly Tool _li = Tool.Staff(fixture.Service, log);

    [Fact]
    public async Task A_line_opened_and_drawn_on_shows_in_the_portfolio()
    {
        var id = await _li.OpenApprovedLineAsync("1000000");
        Assert.Equal(ExitCodes.Success, (await _li.RunAsync("draw", id, "1000")).Exit);

        // The projection follows the streams a few polls behind: ask again until the draw is in (bounded).
        GetPortfolioResponse portfolio = new();
        for (var attempt = 0; attempt < 300 && Total(portfolio, "outstanding_principal_minor") != 100_000; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            var run = await _li.RunAsync("portfolio", "--json");
            Assert.Equal(ExitCodes.Success, run.Exit);
            portfolio = run.Reply<GetPortfolioResponse>();
        }

        Assert.Equal(
            [("credit_granted_minor", 100_000_000L), ("enterprises_served", 1L), ("lines_active", 1L), ("lines_opened", 1L), ("outstanding_principal_minor", 100_000L)],
            portfolio.Totals.Select(t => (t.Measure, t.Value)).OrderBy(t => t.Measure, StringComparer.Ordinal));
        var outstanding = Assert.Single(portfolio.Figures, f => f.Measure == "outstanding_principal_minor");
        Assert.Equal((Product.OperatingQuickLoan, "", SrdiLevel.Unspecified, 100_000L), (outstanding.Product, outstanding.Month, outstanding.SrdiLevel, outstanding.Value));
        var opened = Assert.Single(portfolio.Figures, f => f.Measure == "lines_opened");
        Assert.Matches(@"^\d{4}-\d\d$", opened.Month);

        // For people: the totals, then the figures with product, month and level.
        var tables = await _li.RunAsync("portfolio");
        Assert.Equal(ExitCodes.Success, tables.Exit);
        foreach (var text in new[] { "outstanding_principal_minor", "1,000.00 CNY", "1,000,000.00 CNY", "OPERATING_QUICK_LOAN", opened.Month, "Recognition level" })
        {
            Assert.Contains(text, tables.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_not_serving_every_enterprise_is_refused_with_the_auth_exit_code()
    {
        var branch = new Tool(fixture.Service, log, TestTokens.Shared.Issue("branch-app", ["credit.read"], [TestEnterprises.Unique()]));

        var run = await branch.RunAsync("portfolio");

        Assert.Equal(ExitCodes.AuthRefused, run.Exit);
        Assert.StartsWith("decisioning: PERMISSION_DENIED", run.Error, StringComparison.Ordinal);
    }

    private static long Total(GetPortfolioResponse portfolio, string measure) =>
        portfolio.Totals.SingleOrDefault(t => t.Measure == measure)?.Value ?? 0;
}
