using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Xunit.Abstractions;
using static Decisioning.Cli.Tests.EventTailTests;

namespace Decisioning.Cli.Tests;

/// <summary>
/// A tail outliving its service: the service stopped (SIGTERM: its subscriptions end as
/// UNAVAILABLE) or killed (the connection breaks) and started again; the tail subscribes again
/// from its last cursor by itself, says so on stderr, and sees every event once. A service of its
/// own, since it is stopped.
/// </summary>
public sealed class EventTailResumeTests(ServiceFixture fixture, ITestOutputHelper log) : IClassFixture<ServiceFixture>
{
    private readonly Tool _li = Tool.Staff(fixture.Service, log);

    [Theory]
    [InlineData("stopped")]
    [InlineData("killed")]
    public async Task A_tail_goes_on_from_its_last_cursor_after_the_service_is_back(string how)
    {
        var id = TestEnterprises.Unique();
        Assert.Equal(ExitCodes.Success, (await _li.RunAsync("open", id, "--limit", "1000000", "--rate-bps", "0", "--term-days", "30", "--product", "operating-quick-loan")).Exit);
        var proposal = (await _li.RunAsync("proposals", id, "--json")).Reply<ListProposalsResponse>().Proposals.Single();
        Assert.Equal(ExitCodes.Success, (await new Tool(fixture.Service, log, TestTokens.Shared.Approver).RunAsync("approve", id, proposal.ProposalId)).Exit);
        using var output = new WatchedWriter();
        using var error = new WatchedWriter();
        using var stop = new CancellationTokenSource(Limit);

        var tail = _li.RunWatchedAsync(output, error, stop.Token, "events", "tail", "--from-oldest", "--enterprise", id, "--count", "4", "--json");
        await output.LinesAsync(2).WaitAsync(Limit);
        if (how == "stopped")
        {
            await ProcessSignals.TerminateAsync(fixture.Service.Pid);
            await error.WhenAsync(e => e.Contains("subscribing again", StringComparison.Ordinal)).WaitAsync(Limit);
        }

        await fixture.Service.KillAsync();
        await fixture.Service.StartAgainAsync();
        Assert.Equal(ExitCodes.Success, (await _li.RunAsync("draw", id, "1000")).Exit);
        Assert.Equal(ExitCodes.Success, (await _li.RunAsync("repay", id, "1000")).Exit);
        var run = await tail.WaitAsync(Limit);

        Assert.Equal(ExitCodes.Success, run.Exit);
        Assert.Equal(
            [(1L, TransactionType.ProposalRecorded), (2L, TransactionType.LineOpened), (3L, TransactionType.Draw), (4L, TransactionType.Repayment)],
            Events(run).Select(e => (e.Event.Transaction.Sequence, e.Event.Transaction.Type)));
        Assert.Contains("decisioning: the event stream broke (UNAVAILABLE", run.Error, StringComparison.Ordinal);
        Assert.Contains("subscribing again from its last cursor", run.Error, StringComparison.Ordinal);
        Assert.Equal(Events(run)[^1].Cursor, PrintedCursor(run));
    }
}
