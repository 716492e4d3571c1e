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
        var id = await _li.OpenApprovedLineAsync("1000000");
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

    /// <summary>
    /// A tail from now, stopped with its service before any event: it keeps the position
    /// Subscribe started at (saved to the cursor file, nothing printed), so the draw made while it
    /// was away is the first thing it prints after the service is back.
    /// </summary>
    [Fact]
    public async Task A_tail_from_now_cut_off_before_any_event_sees_the_draw_made_while_it_was_away()
    {
        var id = await _li.OpenApprovedLineAsync("1000000");
        var file = Path.Combine(Path.GetTempPath(), $"tail-{Guid.NewGuid():N}.cursor");
        using var output = new WatchedWriter();
        using var error = new WatchedWriter();
        using var stop = new CancellationTokenSource(Limit);
        try
        {
            var tail = _li.RunWatchedAsync(output, error, stop.Token, "events", "tail", "--cursor-file", file, "--enterprise", id, "--count", "1", "--json");
            while (!File.Exists(file))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), stop.Token);
            }

            var started = File.ReadAllText(file).Trim();
            await ProcessSignals.TerminateAsync(fixture.Service.Pid);
            await error.WhenAsync(e => e.Contains("subscribing again", StringComparison.Ordinal)).WaitAsync(Limit);
            await fixture.Service.KillAsync();
            await fixture.Service.StartAgainAsync();
            Assert.Equal(ExitCodes.Success, (await _li.RunAsync("draw", id, "1000")).Exit);
            var run = await tail.WaitAsync(Limit);

            Assert.Equal(ExitCodes.Success, run.Exit);
            Assert.NotEmpty(started);
            Assert.Contains("subscribing again from its last cursor", run.Error, StringComparison.Ordinal);
            var drawn = Assert.Single(Events(run));
            Assert.Equal((3L, TransactionType.Draw, 100_000L), (drawn.Event.Transaction.Sequence, drawn.Event.Transaction.Type, drawn.Event.Transaction.AmountMinor));
            Assert.Equal(drawn.Cursor, File.ReadAllText(file).Trim());
            Assert.Equal(drawn.Cursor, PrintedCursor(run));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
