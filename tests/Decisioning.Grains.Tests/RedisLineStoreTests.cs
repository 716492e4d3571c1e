using Decisioning.Domain.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Testing;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

public sealed class RedisLineStoreTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>
{
    private static readonly DateTimeOffset Now = LineCluster.Start;

    [Fact]
    public async Task Attachments_are_written_with_their_commit_and_read_back_by_name()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var opened = Open();

        var outcome = await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open", new Attachment("decision:D1", [1, 2, 3]))]);

        Assert.IsType<CommittedOutcome>(outcome);
        Assert.Equal([1, 2, 3], await store.ReadAttachmentAsync(id, "decision:D1"));
        Assert.Null(await store.ReadAttachmentAsync(id, "decision:D2"));
    }

    [Fact]
    public async Task A_fenced_off_commit_writes_none_of_its_state_entries_records_or_attachments()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var opened = Open();
        await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")]);

        var stale = await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open-again", new Attachment("decision:D9", [9]))]);

        Assert.Equal(1, Assert.IsType<StaleOutcome>(stale).StoredSequence);
        Assert.Null(await store.ReadAttachmentAsync(id, "decision:D9"));
        Assert.Null(await store.FindRequestAsync(id, "open-again"));
        Assert.Single(await store.ReadJournalAsync(id, 0, 10));
    }

    [Fact]
    public async Task Commits_of_many_lines_in_one_write_succeed_or_conflict_each_on_their_own()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var ids = Enumerable.Range(0, 200).Select(_ => TestEnterprises.Unique()).ToArray();
        var opened = Open();
        await store.CommitAsync(ids[0], LineState.NotOpened, opened.State, [Item(opened, "open")]);

        // Two hundred commits at once: the writer gathers them into a few scripts.
        var outcomes = await Task.WhenAll(ids.Select(id => store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")])));

        // The first line is stored at 1, and its second commit builds on 0: refused by the exact fence.
        Assert.Equal(1, Assert.IsType<StaleOutcome>(outcomes[0]).StoredSequence);
        Assert.All(outcomes[1..], o => Assert.IsType<CommittedOutcome>(o));
        Assert.All(await Task.WhenAll(ids.Select(store.LoadAsync)), s => Assert.Equal(1, s.Sequence));
    }

    [Fact]
    public async Task A_change_writes_its_journal_entry_with_the_state_after_it_and_its_request_record_and_no_other_key()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var opened = Open();
        await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")]);
        var first = (Applied)opened.State.Apply(new DrawCommand("draw-1", 100) { Actor = LineCluster.Caller }, Now);
        var second = (Applied)first.State.Apply(new DrawCommand("draw-2", 200) { Actor = LineCluster.Caller }, Now);

        // Two draws in one commit: two entries, the state once, beside the last of them.
        var outcome = await store.CommitAsync(id, opened.State, second.State, [
            new("draw-1", "draw:100", first.Result, first.Entries),
            new("draw-2", "draw:200", second.Result, second.Entries)]);

        Assert.IsType<CommittedOutcome>(outcome);
        var journal = await connection.GetDatabase().StreamRangeAsync($"dc:{{{id}}}:journal");
        Assert.Equal(["1-0", "2-0", "3-0"], journal.Select(e => e.Id.ToString()));
        Assert.Equal([["e", "s"], ["e"], ["e", "s"]], journal.Select(e => e.Values.Select(v => v.Name.ToString()).ToArray()));
        Assert.Equal(second.State, await store.LoadAsync(id));
        string[] keys = ["journal", "rq:open", "rq:draw-1", "rq:draw-2"];
        Assert.Equal(keys.Order(StringComparer.Ordinal), (await KeysAsync(connection, id)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_line_stored_before_the_state_moved_into_the_journal_loads_and_its_next_commit_puts_the_state_there()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var opened = Open();
        var db = connection.GetDatabase();
        // The earlier layout: the state in a hash, journal entries without it.
        await db.HashSetAsync($"dc:{{{id}}}:line", [new("v", 1), new("s", LineCodec.Encode(opened.State))]);
        await db.StreamAddAsync($"dc:{{{id}}}:journal", "e", LineCodec.Encode(opened.Entries[0]), "1-0");

        var loaded = await store.LoadAsync(id);
        var drawn = (Applied)loaded.Apply(new DrawCommand("draw-1", 100) { Actor = LineCluster.Caller }, Now);
        var outcome = await store.CommitAsync(id, loaded, drawn.State, [new("draw-1", "draw:100", drawn.Result, drawn.Entries)]);

        Assert.Equal(opened.State, loaded);
        Assert.IsType<CommittedOutcome>(outcome);
        Assert.Equal(drawn.State, await store.LoadAsync(id));
        Assert.Equal(1, (await db.StreamRangeAsync($"dc:{{{id}}}:journal", "2-0", "2-0")).Single().Values.Count(v => v.Name == "s"));
    }

    [Fact]
    public async Task Proposals_are_written_by_the_commits_that_change_them_and_a_draw_rewrites_none_of_them()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var (proposed, approved) = OpenedByTwo();
        var drawn = Draw(approved.State, "draw-1");

        await CommitAsync(store, id, LineState.NotOpened, proposed, "open");
        await CommitAsync(store, id, proposed.State, approved, "approve");
        await CommitAsync(store, id, approved.State, drawn, "draw-1");

        var journal = await connection.GetDatabase().StreamRangeAsync($"dc:{{{id}}}:journal");
        var last = journal.Where(e => !e["s"].IsNull).ToArray();
        Assert.Equal([["e", "s", "h"], ["e", "s", "h"], ["e", "s"]], last.Select(e => e.Values.Select(v => v.Name.ToString()).ToArray()));
        var state = LineCodec.ParseLine((byte[])last[^1]["s"]!);
        Assert.Equal((approved.State.Sequence, 0), (state.HistorySequence, state.Proposals.Count));
        // A silo that never held the line loads the proposal from the approval's entry.
        AssertSameLine(drawn.State, await LoadElsewhereAsync(id));
    }

    [Fact]
    public async Task A_store_writes_a_history_again_unless_it_loaded_or_wrote_that_history()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var (proposed, approved) = OpenedByTwo();
        await CommitAsync(store, id, LineState.NotOpened, proposed, "open");
        await CommitAsync(store, id, proposed.State, approved, "approve");
        var (other, otherConnection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var __ = otherConnection;
        var loaded = await other.LoadAsync(id);
        var drawn = Draw(loaded, "draw-1");
        var unseen = Draw(drawn.State, "draw-2");

        // The other store loaded the history; the first wrote another copy of it (its own arrays) and never saw this one.
        await CommitAsync(other, id, loaded, drawn, "draw-1");
        await CommitAsync(store, id, drawn.State, unseen, "draw-2");

        var journal = await connection.GetDatabase().StreamRangeAsync($"dc:{{{id}}}:journal");
        Assert.Equal([false, true], journal[^2..].Select(e => !e["h"].IsNull));
        AssertSameLine(unseen.State, await other.LoadAsync(id));
    }

    [Fact]
    public async Task A_state_stored_with_its_proposals_in_it_loads_and_its_next_commit_writes_them_apart()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var (proposed, approved) = OpenedByTwo();
        var db = connection.GetDatabase();
        // The earlier layout: every state whole, proposals included.
        foreach (var entry in proposed.Entries.Concat(approved.Entries))
        {
            NameValueEntry[] fields = entry == approved.Entries[^1] ? [new("e", LineCodec.Encode(entry)), new("s", LineCodec.Encode(approved.State))] : [new("e", LineCodec.Encode(entry))];
            await db.StreamAddAsync($"dc:{{{id}}}:journal", fields, $"{entry.Sequence}-0");
        }

        var loaded = await store.LoadAsync(id);
        var drawn = Draw(loaded, "draw-1");
        await CommitAsync(store, id, loaded, drawn, "draw-1");

        AssertSameLine(approved.State, loaded);
        Assert.False((await db.StreamRangeAsync($"dc:{{{id}}}:journal", "-", "+", 1, Order.Descending)).Single()["h"].IsNull);
        AssertSameLine(drawn.State, await LoadElsewhereAsync(id));
    }

    [Fact]
    public async Task A_writer_ahead_of_storage_is_refused_and_writes_nothing()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var states = await DrawnAsync(store, id, 5);
        // The writer holds sequence 6, which storage never had (journal 1..5): entry 7 would leave a gap.
        var ahead = Draw(states[^1], "draw-6");
        var next = Draw(ahead.State, "draw-7");

        var outcome = await store.CommitAsync(id, ahead.State, next.State, [Item(next, "draw-7")]);

        Assert.Equal(5, Assert.IsType<StaleOutcome>(outcome).StoredSequence);
        Assert.Equal(["1-0", "2-0", "3-0", "4-0", "5-0"], (await connection.GetDatabase().StreamRangeAsync($"dc:{{{id}}}:journal")).Select(e => e.Id.ToString()));
        Assert.Null(await store.FindRequestAsync(id, "draw-7"));
    }

    [Fact]
    public async Task A_writer_behind_storage_is_refused_and_writes_nothing()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var states = await DrawnAsync(store, id, 5);
        var behind = Draw(states[3], "draw-other");

        var outcome = await store.CommitAsync(id, states[3], behind.State, [Item(behind, "draw-other")]);

        Assert.Equal(5, Assert.IsType<StaleOutcome>(outcome).StoredSequence);
        Assert.Equal(states[^1], await store.LoadAsync(id));
        Assert.Null(await store.FindRequestAsync(id, "draw-other"));
    }

    [Fact]
    public async Task A_line_that_storage_refuses_is_written_not_at_all_and_the_other_lines_of_the_write_commit()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var db = connection.GetDatabase();
        var ids = Enumerable.Range(0, 50).Select(_ => TestEnterprises.Unique()).ToArray();
        // Its unlined documents set is a string: opening its line must read that set.
        await db.StringSetAsync($"dc:{{{ids[0]}}}:unlined", "not a set");
        var opened = Open();

        var outcomes = await Task.WhenAll(ids.Select(id => store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")])));

        Assert.IsType<FailedOutcome>(outcomes[0]);
        Assert.All(outcomes[1..], o => Assert.IsType<CommittedOutcome>(o));
        Assert.Equal(["unlined"], await KeysAsync(connection, ids[0]));
        Assert.Null(await db.KeyTimeToLiveAsync($"dc:{{{ids[0]}}}:unlined"));
    }

    /// <summary>A line opened and drawn on by one commit per change: journal 1..<paramref name="sequence"/>; the state after each.</summary>
    private static async Task<LineState[]> DrawnAsync(RedisLineStore store, string id, int sequence)
    {
        var opened = Open();
        await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")]);
        var states = new List<LineState> { opened.State };
        for (var i = 2; i <= sequence; i++)
        {
            var drawn = Draw(states[^1], $"draw-{i}");
            Assert.IsType<CommittedOutcome>(await store.CommitAsync(id, states[^1], drawn.State, [Item(drawn, $"draw-{i}")]));
            states.Add(drawn.State);
        }

        return [.. states];
    }

    /// <summary>A line proposed by one officer and opened by another's approval (four eyes): it keeps the decided proposal.</summary>
    private static (Applied Proposed, Applied Approved) OpenedByTwo()
    {
        var proposed = (Applied)LineState.NotOpened.Apply(new OpenLineCommand("open", 1_000, 0, 30, Product.OperatingQuickLoan) { Actor = "officer-li" }, Now, FourEyesPolicy.Default);
        var approved = (Applied)proposed.State.Apply(new ApproveProposalCommand("approve", proposed.Result.Proposal!.Id) { Actor = "officer-wang" }, Now, FourEyesPolicy.Default);
        Assert.Equal(ProposalStatus.Approved, Assert.Single(approved.State.Proposals).Status);
        return (proposed, approved);
    }

    private static async Task CommitAsync(RedisLineStore store, string id, LineState before, Applied applied, string requestId) =>
        Assert.IsType<CommittedOutcome>(await store.CommitAsync(id, before, applied.State, [Item(applied, requestId)]));

    /// <summary>The line as another store (a silo that never held it) loads it.</summary>
    private async Task<LineState> LoadElsewhereAsync(string id)
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        return await store.LoadAsync(id);
    }

    /// <summary>The same line (states compare their proposals by reference, so those by value).</summary>
    private static void AssertSameLine(LineState expected, LineState actual)
    {
        Assert.Equal(expected.Proposals.AsEnumerable(), actual.Proposals.AsEnumerable());
        Assert.Equal(expected, actual with { Proposals = expected.Proposals });
    }

    private static Applied Draw(LineState state, string requestId) =>
        (Applied)state.Apply(new DrawCommand(requestId, 10) { Actor = LineCluster.Caller }, Now);

    private static Applied Open() =>
        (Applied)LineState.NotOpened.Apply(new OpenLineCommand("open", 1_000, 0, 30, Product.OperatingQuickLoan) { Actor = LineCluster.Caller }, Now, FourEyesPolicy.None);

    private static CommitItem Item(Applied applied, string requestId, params Attachment[] attachments) =>
        new(requestId, "open:1000:0:30:2", applied.Result, applied.Entries, attachments);

    private static async Task<string[]> KeysAsync(StackExchange.Redis.ConnectionMultiplexer connection, string id)
    {
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var prefix = $"dc:{{{id}}}:";
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
        {
            keys.Add(key.ToString()[prefix.Length..]);
        }

        return [.. keys];
    }
}
