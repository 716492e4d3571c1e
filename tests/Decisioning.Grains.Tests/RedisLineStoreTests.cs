using Decisioning.Domain.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Testing;

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

        var outcome = await store.CommitAsync(id, 0, opened.State, [Item(opened, "open", new Attachment("decision:D1", [1, 2, 3]))]);

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
        await store.CommitAsync(id, 0, opened.State, [Item(opened, "open")]);

        var stale = await store.CommitAsync(id, 0, opened.State, [Item(opened, "open-again", new Attachment("decision:D9", [9]))]);

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
        await store.CommitAsync(ids[0], 0, opened.State, [Item(opened, "open")]);

        // Two hundred commits at once: the writer gathers them into a few scripts.
        var outcomes = await Task.WhenAll(ids.Select(id => store.CommitAsync(id, 0, opened.State, [Item(opened, "open")])));

        Assert.IsType<DuplicatesOutcome>(outcomes[0]);
        Assert.All(outcomes[1..], o => Assert.IsType<CommittedOutcome>(o));
        Assert.All(await Task.WhenAll(ids.Select(store.LoadAsync)), s => Assert.Equal(1, s.Sequence));
    }

    private static Applied Open() =>
        (Applied)LineState.NotOpened.Apply(new OpenLineCommand("open", 1_000, 0, 30, Product.OperatingQuickLoan) { Actor = LineCluster.Caller }, Now, FourEyesPolicy.None);

    private static CommitItem Item(Applied applied, string requestId, params Attachment[] attachments) =>
        new(requestId, "open:1000:0:30:2", applied.Result, applied.Entries, attachments);
}
