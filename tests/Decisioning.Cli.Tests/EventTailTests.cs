using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Protobuf;
using Xunit.Abstractions;

namespace Decisioning.Cli.Tests;

/// <summary>
/// decisioning events tail against the real service: the events of a line in journal order, a
/// second run going on after the cursor the first printed (or saved), Ctrl-C, and the refusals.
/// Every tail is bounded twice: --count (or a cancellation) and <see cref="Limit"/>.
/// </summary>
public sealed class EventTailTests(ServiceFixture fixture, ITestOutputHelper log) : IClassFixture<ServiceFixture>
{
    /// <summary>How long a test waits for a tail that should already have ended: a hang fails, it does not block the run.</summary>
    internal static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly Tool _li = Tool.Staff(fixture.Service, log);
    private readonly Tool _wang = new(fixture.Service, log, TestTokens.Shared.Approver);

    [Fact]
    public async Task A_tail_from_the_oldest_sees_the_opening_and_the_draw_in_order()
    {
        var id = await OpenAndDrawAsync();

        var run = await _li.RunAsync("events", "tail", "--from-oldest", "--enterprise", id, "--count", "3", "--json").WaitAsync(Limit);

        Assert.Equal(ExitCodes.Success, run.Exit);
        var events = Events(run);
        Assert.All(events, e => Assert.Equal(id, e.Event.EnterpriseId));
        Assert.Equal(
            [(1L, TransactionType.ProposalRecorded), (2L, TransactionType.LineOpened), (3L, TransactionType.Draw)],
            events.Select(e => (e.Event.Transaction.Sequence, e.Event.Transaction.Type)));
        var draw = events[2].Event.Transaction;
        Assert.Equal((120_000_000L, 120_000_000L, "staff-tests"), (draw.AmountMinor, draw.DrawnAfterMinor, draw.Actor));
        Assert.Equal(Product.SrdiELoan, events[2].Event.Product); // 5,000,000 CNY: above the Operating Quick Loan's cap
    }

    [Fact]
    public async Task A_tail_resumed_from_the_cursor_a_first_run_printed_sees_only_the_later_events_each_once()
    {
        var id = await OpenAndDrawAsync();
        var first = await _li.RunAsync("events", "tail", "--from-oldest", "--enterprise", id, "--count", "2", "--json").WaitAsync(Limit);
        Assert.Equal([1L, 2L], Events(first).Select(e => e.Event.Transaction.Sequence));
        var printed = PrintedCursor(first);
        Assert.Equal(Events(first)[^1].Cursor, printed);

        Assert.Equal(ExitCodes.Success, (await _li.RunAsync("repay", id, "200000")).Exit);
        var second = await _li.RunAsync("events", "tail", "--cursor", printed, "--enterprise", id, "--count", "2", "--json").WaitAsync(Limit);

        Assert.Equal(ExitCodes.Success, second.Exit);
        Assert.Equal(
            [(3L, TransactionType.Draw), (4L, TransactionType.Repayment)],
            Events(second).Select(e => (e.Event.Transaction.Sequence, e.Event.Transaction.Type)));

        // For people: one line an event, with its time, enterprise, sequence, type, amount, balances and actor.
        var people = await _li.RunAsync("events", "tail", "--cursor", printed, "--enterprise", id, "--count", "1").WaitAsync(Limit);
        var line = Assert.Single(people.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches($@"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d CST  {id}  #3  DRAW  1,200,000.00 CNY  limit 5,000,000.00 drawn 1,200,000.00 held 0.00  ACTIVE  by staff-tests", line);
    }

    [Fact]
    public async Task A_cursor_file_is_read_at_start_and_written_after_every_event()
    {
        var id = await OpenAndDrawAsync();
        var file = Path.Combine(Path.GetTempPath(), $"tail-{Guid.NewGuid():N}.cursor");
        try
        {
            var first = await _li.RunAsync("events", "tail", "--cursor-file", file, "--from-oldest", "--enterprise", id, "--count", "2", "--json").WaitAsync(Limit);
            Assert.Equal([1L, 2L], Events(first).Select(e => e.Event.Transaction.Sequence));
            Assert.Equal(Events(first)[^1].Cursor, File.ReadAllText(file).Trim());

            var second = await _li.RunAsync("events", "tail", "--cursor-file", file, "--from-oldest", "--enterprise", id, "--count", "1", "--json").WaitAsync(Limit);

            Assert.Equal([3L], Events(second).Select(e => e.Event.Transaction.Sequence));
            Assert.Equal(Events(second)[^1].Cursor, File.ReadAllText(file).Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Ctrl_C_ends_a_tail_with_exit_0_and_the_last_cursor_on_stderr()
    {
        var id = await OpenAndDrawAsync();
        using var output = new WatchedWriter();
        using var error = new WatchedWriter();
        using var stop = new CancellationTokenSource();

        var tail = _li.RunWatchedAsync(output, error, stop.Token, "events", "tail", "--from-oldest", "--enterprise", id, "--json");
        await output.LinesAsync(3).WaitAsync(Limit);
        await stop.CancelAsync();
        var run = await tail.WaitAsync(Limit);

        Assert.Equal(ExitCodes.Success, run.Exit);
        Assert.Equal([1L, 2L, 3L], Events(run).Select(e => e.Event.Transaction.Sequence));
        Assert.Equal(Events(run)[^1].Cursor, PrintedCursor(run));
    }

    [Fact]
    public async Task A_token_serving_one_enterprise_tails_that_enterprise_by_naming_it()
    {
        var id = await OpenAndDrawAsync();
        var branch = new Tool(fixture.Service, log, TestTokens.Shared.Issue("branch-app", ["decisioning.events"], [id]));

        var run = await branch.RunAsync("events", "tail", "--from-oldest", "--enterprise", id, "--count", "3", "--json").WaitAsync(Limit);

        Assert.Equal(ExitCodes.Success, run.Exit);
        Assert.Equal([1L, 2L, 3L], Events(run).Select(e => e.Event.Transaction.Sequence));
        Assert.All(Events(run), e => Assert.Equal(id, e.Event.EnterpriseId));
    }

    [Theory]
    [InlineData("no events scope", "PERMISSION_DENIED SCOPE_REQUIRED")]
    [InlineData("one enterprise, none named", "PERMISSION_DENIED ENTERPRISE_NOT_SERVED")]
    public async Task A_token_the_event_stream_refuses_gives_the_auth_exit_code_and_the_reason(string token, string refusal)
    {
        var jwt = token == "no events scope"
            ? TestTokens.Shared.Issue("channel-app", ["credit.read", "credit.draw"], ["*"])
            : TestTokens.Shared.Issue("branch-app", ["decisioning.events"], [TestEnterprises.Unique()]);

        var run = await new Tool(fixture.Service, log, jwt).RunAsync("events", "tail", "--count", "1").WaitAsync(Limit);

        Assert.Equal(ExitCodes.AuthRefused, run.Exit);
        Assert.StartsWith("decisioning: " + refusal, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("subscribing again", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_cursor_the_service_did_not_give_is_refused_naming_the_field_and_not_retried()
    {
        var run = await _li.RunAsync("events", "tail", "--cursor", "not-a-cursor", "--count", "1").WaitAsync(Limit);

        Assert.Equal(ExitCodes.Refused, run.Exit);
        Assert.StartsWith("decisioning: INVALID_ARGUMENT CURSOR_INVALID: cursor ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("subscribing again", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cursor|abc|--from-oldest", "--cursor and --from-oldest: choose one")]
    [InlineData("--cursor|abc|--cursor-file|x", "--cursor and --cursor-file: choose one")]
    [InlineData("--count|0", "--count: '0' is not a positive number of events")]
    public async Task Options_that_contradict_each_other_are_refused_before_subscribing(string args, string message)
    {
        var run = await _li.RunAsync(["events", "tail", .. args.Split('|')]);

        Assert.Equal(ExitCodes.InvalidArguments, run.Exit);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    internal static List<SubscribeResponse> Events(ToolRun run) =>
        [.. run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JsonParser.Default.Parse<SubscribeResponse>)];

    /// <summary>The cursor the tail printed on stderr as it ended.</summary>
    internal static string PrintedCursor(ToolRun run)
    {
        const string Prefix = "decisioning: last cursor: ";
        var line = Assert.Single(run.Error.Split('\n'), l => l.StartsWith(Prefix, StringComparison.Ordinal));
        return line[Prefix.Length..].Split(' ')[0];
    }

    /// <summary>A line opened by four eyes (journal entries 1 and 2) and drawn on (3).</summary>
    private async Task<string> OpenAndDrawAsync()
    {
        var id = TestEnterprises.Unique();
        var proposal = (await _li.RunAsync("open", id, "--limit", "5000000", "--rate-bps", "345", "--term-days", "30", "--product", "srdi-e-loan", "--json"))
            .Reply<OpenLineResponse>().Proposal;
        Assert.Equal(ExitCodes.Success, (await _wang.RunAsync("approve", id, proposal.ProposalId)).Exit);
        Assert.Equal(ExitCodes.Success, (await _li.RunAsync("draw", id, "1200000")).Exit);
        return id;
    }
}
