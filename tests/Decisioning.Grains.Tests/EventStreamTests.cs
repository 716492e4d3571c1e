using System.Diagnostics.Metrics;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Events;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Events;
using Decisioning.Grains.Hosting;
using Decisioning.Grains.Storage;
using Decisioning.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

/// <summary>The event streams over a real Redis: published by the commit itself, read back, trimmed only below what groups acknowledged.</summary>
public sealed class EventStreamTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>, IDisposable
{
    private static readonly DateTimeOffset Now = LineCluster.Start;
    private static readonly DateOnly Today = BusinessCalendar.DateOf(LineCluster.Start);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Every_entry_of_a_commit_is_published_once_in_journal_order_and_a_refused_commit_publishes_nothing()
    {
        var (store, connection) = await LineCluster.OutsideStoreAsync(shared.Redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var opened = Open();
        await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")]);
        var first = Draw(opened.State, "draw-1");
        var second = Draw(first.State, "draw-2");
        await store.CommitAsync(id, opened.State, second.State, [Item(first, "draw-1"), Item(second, "draw-2")]);

        // Refused by the fence, and by a request id used before: neither writes an event.
        var stale = await store.CommitAsync(id, opened.State, first.State, [Item(first, "draw-x")]);
        var third = Draw(second.State, "draw-1");
        var duplicate = await store.CommitAsync(id, second.State, third.State, [Item(third, "draw-1")]);

        Assert.IsType<StaleOutcome>(stale);
        Assert.IsType<DuplicatesOutcome>(duplicate);
        var events = await EventsOfAsync(connection, id);
        var journal = (await store.ReadJournalAsync(id, 0, 10)).Reverse().ToArray();
        Assert.Equal([1L, 2, 3], events.Select(e => e.Entry.Sequence));
        Assert.Equal(journal, events.Select(e => e.Entry));
        Assert.All(events, e => Assert.Equal((id, Product.OperatingQuickLoan, (DecisionSummary?)null), (e.EnterpriseId, e.Product, e.Decision)));
    }

    [Fact]
    public async Task A_commit_of_several_entries_is_one_stream_entry_and_a_subscriber_resuming_inside_it_gets_every_later_event_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var (store, connection) = await LineCluster.OutsideStoreAsync(redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        var opened = Open();
        await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")]);
        var first = Draw(opened.State, "draw-1");
        var second = Draw(first.State, "draw-2");
        var third = Draw(second.State, "draw-3");
        await store.CommitAsync(id, opened.State, third.State, [Item(first, "draw-1"), Item(second, "draw-2"), Item(third, "draw-3")]);
        var fourth = Draw(third.State, "draw-4");
        await store.CommitAsync(id, third.State, fourth.State, [Item(fourth, "draw-4")]);

        Assert.Equal(3, await connection.GetDatabase().StreamLengthAsync(Streams().KeyOf(id)));
        var reader = new EventReader(connection, Streams());
        var partitions = new[] { reader.Streams.PartitionOf(id) };
        var start = await reader.StartAsync(fromOldest: true);
        var (all, _) = await reader.ReadAsync(start, partitions, 100);
        Assert.Equal([1L, 2, 3, 4, 5], all.Select(e => e.Event.Entry.Sequence));
        Assert.Equal([0u, 1, 2, 0, 0], all.Select(e => e.Position.Taken));

        // From the cursor after each event, read one stream entry at a time: the rest, once each, in order.
        for (var i = 0; i < all.Count; i++)
        {
            var cursor = EventCursor.Decode(start.Encode(), reader.Streams.Count)!;
            cursor.Advance(all[i].Partition, all[i].Position);
            cursor = EventCursor.Decode(cursor.Encode(), reader.Streams.Count)!;
            var rest = new List<long>();
            while (true)
            {
                var (read, more) = await reader.ReadAsync(cursor, partitions, 1);
                foreach (var stored in read)
                {
                    cursor.Advance(stored.Partition, stored.Position);
                    rest.Add(stored.Event.Entry.Sequence);
                }

                if (!more)
                {
                    break;
                }
            }

            Assert.Equal(all.Skip(i + 1).Select(e => e.Event.Entry.Sequence), rest);
        }

        // Inside the batch's entry, a reader has lost nothing while that entry is kept, and has once it is trimmed.
        var inside = EventCursor.Decode(start.Encode(), reader.Streams.Count)!;
        inside.Advance(all[1].Partition, all[1].Position);
        var key = Streams().KeyOf(id);
        await connection.GetDatabase().ExecuteAsync("XTRIM", key, "MINID", all[1].Position.Id);
        Assert.Null(await reader.FirstTrimmedAsync(inside, partitions));
        await connection.GetDatabase().ExecuteAsync("XTRIM", key, "MINID", all[4].Position.Id);
        Assert.Equal(partitions[0], await reader.FirstTrimmedAsync(inside, partitions));
    }

    [Fact]
    public async Task A_decision_is_published_with_its_summary_on_the_entry_that_records_it()
    {
        var id = TestEnterprises.Unique();
        var application = TestApplications.Sound(id, Today);

        var reply = await shared.Line.Assessment.Assess(new() { Actor = LineCluster.Caller, RequestId = "assess-1", Application = application });

        await using var connection = await shared.Redis.ConnectAsync();
        var decided = Assert.Single(await EventsOfAsync(connection, id));
        var decision = reply.Value!.Decision!;
        Assert.Equal((EntryKind.LineOpened, decision.DecisionId), (decided.Entry.Kind, decided.Entry.DecisionId));
        Assert.Equal(decision.Product, decided.Product);
        Assert.Equal(
            new DecisionSummary
            {
                DecisionId = decision.DecisionId,
                Purpose = DecisionPurpose.Origination,
                Outcome = Outcome.Approve,
                Product = decision.Product,
                LimitMinor = TestApplications.ApprovedLimitMinor,
                AnnualRateBps = TestApplications.ApprovedRateBps,
                SrdiLevel = application.Profile.SrdiLevel,
                LimitBasis = decision.Limit.Basis,
                FundFlowBased = decision.Product == Product.OperatingQuickLoan || decision.Limit.Basis == LimitBasis.CashFlow,
                Score = decision.Score,
                ModelVersion = decision.ModelVersion,
            },
            decided.Decision);
    }

    [Fact]
    public async Task An_event_stream_key_of_another_type_refuses_the_commit_before_anything_is_written()
    {
        await using var redis = await RedisServer.StartAsync();
        var (store, connection) = await LineCluster.OutsideStoreAsync(redis);
        await using var _ = connection;
        var id = TestEnterprises.Unique();
        await connection.GetDatabase().StringSetAsync(Streams().KeyOf(id), "not a stream");
        var opened = Open();

        var outcome = await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")]);

        Assert.IsType<FailedOutcome>(outcome);
        Assert.Empty(await store.ReadJournalAsync(id, 0, 10));
        Assert.Null(await store.FindRequestAsync(id, "open"));
    }

    [Fact]
    public async Task A_journal_entry_refused_after_its_event_was_published_takes_the_event_back()
    {
        await using var redis = await RedisServer.StartAsync();
        var (store, connection) = await LineCluster.OutsideStoreAsync(redis);
        await using var _ = connection;
        var db = connection.GetDatabase();
        var id = TestEnterprises.Unique();
        // An empty journal (the fence sees sequence 0) whose top id is already past entry 1: the
        // script publishes the event first, then the journal refuses the entry.
        var journal = new LineKeys(new LineStorageOptions().KeyPrefix, new RedisOptions().KeyPartitions).Journal(id);
        await db.StreamAddAsync(journal, "e", "x", "5-0");
        await db.StreamDeleteAsync(journal, ["5-0"]);
        var opened = Open();

        var outcome = await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")]);

        Assert.IsType<FailedOutcome>(outcome);
        Assert.Empty(await db.StreamRangeAsync(Streams().KeyOf(id)));
        Assert.Null(await store.FindRequestAsync(id, "open"));
    }

    [Fact]
    public async Task The_trimmer_keeps_every_event_a_group_has_not_acknowledged_and_counts_a_group_the_cap_overran_once()
    {
        await using var connection = await shared.Redis.ConnectAsync();
        var db = connection.GetDatabase();
        var streams = new EventStreams("trim" + Guid.NewGuid().ToString("N")[..8], 0, 2);
        var key = streams.Key(0);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((string)(await db.StreamAddAsync(key, "n", i))!);
        }

        // slow: delivered 10, acknowledged the first 5; fast: delivered and acknowledged all 20.
        await db.StreamCreateConsumerGroupAsync(key, "slow", "0-0");
        await db.StreamCreateConsumerGroupAsync(key, "fast", "0-0");
        var slow = await db.StreamReadGroupAsync(key, "slow", "c", ">", 10);
        await db.StreamAcknowledgeAsync(key, "slow", [.. slow.Take(5).Select(e => e.Id)]);
        var fast = await db.StreamReadGroupAsync(key, "fast", "c", ">", 20);
        await db.StreamAcknowledgeAsync(key, "fast", [.. fast.Select(e => e.Id)]);
        var options = new EventOptions { MaxLength = 1_000, MinRetention = TimeSpan.Zero };
        var trimmer = new EventTrimmer(connection, streams, Options.Create(options), Meters, NullLogger<EventTrimmer>.Instance);
        using var overruns = new MetricCollector<long>(Meters, "Decisioning", EventTrimmer.OverrunCounter);
        using var lag = new MetricCollector<long>(Meters, "Decisioning", EventTrimmer.LagGauge);

        await trimmer.TrimAsync();
        await trimmer.TrimAsync();
        var afterFloor = await db.StreamRangeAsync(key);
        lag.RecordObservableInstruments();

        Assert.Equal(ids[5..], afterFloor.Select(e => (string)e.Id!));
        Assert.Equal(15, lag.GetMeasurementSnapshot().Last(m => (string?)m.Tags["group"] == "slow").Value);
        Assert.Equal(0, lag.GetMeasurementSnapshot().Last(m => (string?)m.Tags["group"] == "fast").Value);

        // Both acknowledge everything they have: the floor rises to what slow was never delivered.
        await db.StreamAcknowledgeAsync(key, "slow", [.. slow.Select(e => e.Id)]);
        await trimmer.TrimAsync();
        Assert.Equal(ids[10..], (await db.StreamRangeAsync(key)).Select(e => (string)e.Id!));
        Assert.Equal(0, overruns.GetMeasurementSnapshot().EvaluateAsCounter());

        // A cap of 4 drops 6 events slow was never delivered: counted once however often it trims.
        options.MaxLength = 4;
        await trimmer.TrimAsync();
        await trimmer.TrimAsync();

        Assert.Equal(ids[16..], (await db.StreamRangeAsync(key)).Select(e => (string)e.Id!));
        Assert.Equal(1, overruns.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("slow", (string?)Assert.Single(overruns.GetMeasurementSnapshot()).Tags["group"]);
    }

    [Fact]
    public async Task Two_projectors_on_the_same_streams_apply_every_event_once_and_retention_keeps_only_what_they_have_not_applied()
    {
        await using var redis = await RedisServer.StartAsync();
        var (store, connection) = await LineCluster.OutsideStoreAsync(redis);
        await using var _ = connection;
        var ids = Enumerable.Range(0, 30).Select(_ => TestEnterprises.Unique()).ToArray();
        var opened = Open();
        var drawn = Draw(opened.State, "draw-1");
        await Task.WhenAll(ids.Select(async id =>
        {
            await store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")]);
            await store.CommitAsync(id, opened.State, drawn.State, [Item(drawn, "draw-1")]);
        }));
        var options = Options.Create(new EventOptions { ReadBatch = 7, MinRetention = TimeSpan.Zero });
        var projectors = Enumerable.Range(0, 2)
            .Select(_ => new PortfolioProjector(connection, Streams(), options, TimeProvider.System, NullLogger<PortfolioProjector>.Instance))
            .ToArray();

        // Both at once, in small batches, until neither has more: each batch is applied by one of them only.
        while ((await Task.WhenAll(projectors.Select(p => p.ProjectAsync()))).Any(more => more))
        {
        }

        await Task.WhenAll(projectors.Select(p => p.ProjectAsync()));
        var figures = await projectors[0].ReadAsync();
        long Total(string measure) => figures.Where(f => f.Key.Measure == measure).Sum(f => f.Value);
        Assert.Equal(ids.Length, Total(PortfolioProjection.LinesOpened));
        Assert.Equal(ids.Length, Total(PortfolioProjection.Lines(LineStatus.Active)));
        Assert.Equal(ids.Length * drawn.State.DrawnMinor, Total(PortfolioProjection.OutstandingPrincipalMinor));
        Assert.Equal(ids.Length * opened.State.LimitMinor, Total(PortfolioProjection.CreditGrantedMinor));

        // Everything is applied: the portfolio's group lets the trimmer take every event, but the
        // minimum retention keeps them for subscribers.
        var streams = Streams();
        long Kept() => Enumerable.Range(0, streams.Count).Sum(p => connection.GetDatabase().StreamLength(streams.Key(p)));
        var retained = Options.Create(new EventOptions { MinRetention = TimeSpan.FromHours(1) });
        await new EventTrimmer(connection, streams, retained, Meters, NullLogger<EventTrimmer>.Instance).TrimAsync();
        Assert.Equal(2 * ids.Length, Kept());
        await new EventTrimmer(connection, streams, options, Meters, NullLogger<EventTrimmer>.Instance).TrimAsync();
        Assert.Equal(0, Kept());
    }

    [Fact]
    public async Task A_projector_another_one_overtook_forgets_what_it_remembered_and_applies_each_later_event_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var (store, connection) = await LineCluster.OutsideStoreAsync(redis);
        await using var _ = connection;
        var ids = Enumerable.Range(0, 5).Select(_ => TestEnterprises.Unique()).ToArray();
        var opened = Open();
        var states = new List<Applied> { Draw(opened.State, "draw-1") };
        states.Add(Draw(states[0].State, "draw-2"));
        states.Add(Draw(states[1].State, "draw-3"));
        var options = Options.Create(new EventOptions());
        var (first, second) = (Projector(), Projector());
        async Task CommitAsync(int draw) => await Task.WhenAll(ids.Select(id =>
            store.CommitAsync(id, draw == 0 ? opened.State : states[draw - 1].State, states[draw].State, [Item(states[draw], "draw-" + (draw + 1))])));
        static async Task ProjectAllAsync(PortfolioProjector projector)
        {
            while (await projector.ProjectAsync())
            {
            }
        }

        await Task.WhenAll(ids.Select(id => store.CommitAsync(id, LineState.NotOpened, opened.State, [Item(opened, "open")])));
        await CommitAsync(0);
        await ProjectAllAsync(first);
        await CommitAsync(1);
        await ProjectAllAsync(second);
        await CommitAsync(2);

        // The first remembers each line at its first draw, at a position the second has moved on
        // from: the fence refuses its batch, and it reads position and lines again.
        Assert.True(await first.ProjectAsync());
        await ProjectAllAsync(first);

        var figures = await first.ReadAsync();
        long Total(string measure) => figures.Where(f => f.Key.Measure == measure).Sum(f => f.Value);
        Assert.Equal(ids.Length * states[2].State.DrawnMinor, Total(PortfolioProjection.OutstandingPrincipalMinor));
        Assert.Equal(ids.Length, Total(PortfolioProjection.Lines(LineStatus.Active)));
        Assert.Equal(ids.Length, Total(PortfolioProjection.LinesOpened));

        PortfolioProjector Projector() => new(connection, Streams(), options, TimeProvider.System, NullLogger<PortfolioProjector>.Instance);
    }

    [Fact]
    public async Task A_front_door_that_leaves_the_projections_to_others_does_not_read_the_streams()
    {
        await using var redis = await RedisServer.StartAsync();
        var (_, connection) = await LineCluster.OutsideStoreAsync(redis);
        await using var _ = connection;
        var projector = new PortfolioProjector(connection, Streams(), Options.Create(new EventOptions { Project = false }), TimeProvider.System, NullLogger<PortfolioProjector>.Instance);

        await projector.StartAsync(CancellationToken.None);

        // Its loop ends by itself, before any stop: one that projected would poll until stopped (the bound only keeps a failure from hanging).
        await projector.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(projector.ExecuteTask.IsCompletedSuccessfully);
        await projector.StopAsync(CancellationToken.None);
    }

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    private static EventStreams Streams() => new(new LineStorageOptions(), new(), new EventOptions());

    /// <summary>Every event of <paramref name="id"/> the streams hold, read from the oldest as a subscriber would.</summary>
    private static async Task<List<LineEvent>> EventsOfAsync(IConnectionMultiplexer connection, string id)
    {
        var reader = new EventReader(connection, Streams());
        var cursor = await reader.StartAsync(fromOldest: true);
        var events = new List<LineEvent>();
        var partitions = Enumerable.Range(0, reader.Streams.Count).ToArray();
        while (true)
        {
            var (read, more) = await reader.ReadAsync(cursor, partitions, 100);
            foreach (var stored in read)
            {
                cursor.Advance(stored.Partition, stored.Position);
                if (stored.Event.EnterpriseId == id)
                {
                    events.Add(stored.Event);
                }
            }

            if (!more)
            {
                return events;
            }
        }
    }

    private static Applied Draw(LineState state, string requestId) =>
        (Applied)state.Apply(new DrawCommand(requestId, 10) { Actor = LineCluster.Caller }, Now);

    private static Applied Open() =>
        (Applied)LineState.NotOpened.Apply(new OpenLineCommand("open", 1_000, 0, 30, Product.OperatingQuickLoan) { Actor = LineCluster.Caller }, Now, FourEyesPolicy.None);

    private static CommitItem Item(Applied applied, string requestId) => new(requestId, "draw:" + requestId, applied.Result, applied.Entries);
}
