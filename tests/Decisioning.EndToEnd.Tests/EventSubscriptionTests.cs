using System.Collections.Concurrent;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Grains.Storage.V1;
using Decisioning.Testing;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using StackExchange.Redis;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// The event stream end to end: published exactly once by the commit, even when the service is
/// killed under load; EventService/Subscribe delivering every event once across a disconnect;
/// its refusals.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class EventSubscriptionTests(ServiceFixture fixture)
{
    /// <summary>A bound on how long a test waits for events, so that a failure ends the test instead of hanging it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_a_kill_under_concurrent_draws_every_journal_entry_has_exactly_one_event_in_journal_order()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration);
        var lines = new CreditLineService.CreditLineServiceClient(service.Channel);
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => service.OpenFreshLineAsync(100_000_000)));
        var acknowledged = new ConcurrentBag<(string Id, string RequestId)>();

        // Four callers per line draw until the service dies under them.
        var callers = ids.SelectMany(id => Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                var requestId = $"c{c}-{i}";
                try
                {
                    var reply = await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = requestId, AmountMinor = 100 });
                    Assert.True(reply.Approved);
                    acknowledged.Add((id, requestId));
                }
                catch (RpcException)
                {
                    return;
                }
            }
        }))).ToArray();
        while (acknowledged.Count < 300)
        {
            await Task.Delay(10);
        }

        await service.KillAsync();
        await Task.WhenAll(callers);
        await service.StartAgainAsync();
        foreach (var id in ids)
        {
            Assert.True((await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "after-restart", AmountMinor = 100 })).Approved);
        }

        // The raw streams: each enterprise's events carry exactly its journal's entries, byte for byte, in order.
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var published = new Dictionary<string, List<byte[]>>();
        for (var p = 0; p < 16; p++)
        {
            foreach (var e in await db.StreamRangeAsync($"dc:events:{p}"))
            {
                // A stream entry holds the events of one commit (docs/events.md).
                var id = (string)e["n"]!;
                var list = published.TryGetValue(id, out var known) ? known : published[id] = [];
                list.AddRange(EventBatchRecord.Parser.ParseFrom((byte[])e["b"]!).Events.Select(r => r.Entry.ToByteArray()));
            }
        }

        var total = 0;
        foreach (var id in ids)
        {
            var journal = (await db.StreamRangeAsync($"dc:{{{id}}}:journal")).Select(e => (byte[])e["e"]!).ToList();
            Assert.Equal(journal.Count, published[id].Count);
            Assert.All(journal.Zip(published[id]), pair => Assert.Equal(pair.First, pair.Second));
            total += journal.Count;
        }

        // Through Subscribe, from the oldest: every acknowledged draw is there, each enterprise's sequences run 1..n.
        var events = new List<LineEvent>();
        using var call = new EventService.EventServiceClient(service.Channel).Subscribe(new SubscribeRequest { FromOldest = true, EnterpriseIds = { ids } });
        await foreach (var message in Read(call, total))
        {
            events.Add(message.Event);
        }

        foreach (var id in ids)
        {
            var sequences = events.Where(e => e.EnterpriseId == id).Select(e => e.Transaction.Sequence).ToList();
            Assert.Equal(Enumerable.Range(1, sequences.Count).Select(s => (long)s), sequences);
        }

        var draws = events.Where(e => e.Transaction.Type == TransactionType.Draw).Select(e => (e.EnterpriseId, e.Transaction.RequestId)).ToHashSet();
        Assert.All(acknowledged, a => Assert.Contains(a, draws));
        Assert.Equal(draws.Count, events.Count(e => e.Transaction.Type == TransactionType.Draw));
    }

    [Fact]
    public async Task A_subscriber_that_disconnects_mid_stream_and_resumes_from_its_cursor_sees_every_event_once_in_order()
    {
        var id = await fixture.Service.OpenFreshLineAsync(100_000_000);
        var client = new EventService.EventServiceClient(fixture.Service.Channel);
        var drawing = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await fixture.Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = $"d-{i}", AmountMinor = 100 });
            }
        });

        var seen = new List<SubscribeResponse>();
        using (var first = client.Subscribe(new SubscribeRequest { FromOldest = true, EnterpriseIds = { id } }))
        {
            await foreach (var message in Read(first, 12))
            {
                seen.Add(message);
            }
        }

        await drawing;
        var last = (await fixture.Lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line.JournalSequence;
        using (var resumed = client.Subscribe(new SubscribeRequest { Cursor = seen[^1].Cursor, EnterpriseIds = { id } }))
        {
            await foreach (var message in Read(resumed, (int)last - seen.Count))
            {
                seen.Add(message);
            }
        }

        Assert.Equal(Enumerable.Range(1, (int)last).Select(s => (long)s), seen.Select(m => m.Event.Transaction.Sequence));
        // The proposal is journaled before there is a line: no product yet.
        Assert.Equal(Product.Unspecified, seen[0].Event.Product);
        Assert.All(seen[1..], m => Assert.Equal((id, Product.OperatingQuickLoan), (m.Event.EnterpriseId, m.Event.Product)));
        Assert.Equal(40, seen.Count(m => m.Event.Transaction.Type == TransactionType.Draw));
    }

    [Fact]
    public async Task A_caller_serving_some_enterprises_sees_only_theirs_and_must_name_them()
    {
        var (mine, theirs) = (await fixture.Service.OpenFreshLineAsync(1_000_000), await fixture.Service.OpenFreshLineAsync(1_000_000));
        var channel = fixture.Service.ChannelFor(TestTokens.Shared.Issue("events-channel", ["decisioning.events"], [mine]));
        var client = new EventService.EventServiceClient(channel);
        await fixture.Lines.DrawAsync(new DrawRequest { EnterpriseId = theirs, RequestId = "d-1", AmountMinor = 100 });
        await fixture.Lines.DrawAsync(new DrawRequest { EnterpriseId = mine, RequestId = "d-1", AmountMinor = 100 });

        await AssertRefused(client.Subscribe(new SubscribeRequest { FromOldest = true }), ErrorReasons.EnterpriseNotServed);
        await AssertRefused(client.Subscribe(new SubscribeRequest { FromOldest = true, EnterpriseIds = { mine, theirs } }), ErrorReasons.EnterpriseNotServed);
        using var call = client.Subscribe(new SubscribeRequest { FromOldest = true, EnterpriseIds = { mine } });
        var events = new List<LineEvent>();
        await foreach (var message in Read(call, 3))
        {
            events.Add(message.Event);
        }

        // Proposal, opening, draw: the enterprise's three entries, and nothing of the other's.
        Assert.All(events, e => Assert.Equal(mine, e.EnterpriseId));
        Assert.Equal([TransactionType.ProposalRecorded, TransactionType.LineOpened, TransactionType.Draw], events.Select(e => e.Transaction.Type));
    }

    [Fact]
    public async Task Subscribe_refuses_a_caller_without_the_scope_a_cursor_it_did_not_give_a_trimmed_cursor_and_bad_or_too_many_enterprises()
    {
        var staff = new EventService.EventServiceClient(fixture.Service.Channel);
        var unscoped = fixture.Service.ChannelFor(TestTokens.Shared.Issue("no-events", TestTokens.AllScopes.Where(s => s != "decisioning.events"), ["*"]));

        await AssertRefused(new EventService.EventServiceClient(unscoped).Subscribe(new SubscribeRequest()), ErrorReasons.ScopeRequired);
        await AssertRefused(staff.Subscribe(new SubscribeRequest { Cursor = "not-a-cursor" }), ErrorReasons.CursorInvalid, "cursor");
        await AssertRefused(staff.Subscribe(new SubscribeRequest { EnterpriseIds = { TestEnterprises.Id(1), "91350100M000100Y4X" } }), ErrorReasons.EnterpriseIdInvalid, "enterprise_ids[1]");
        await AssertRefused(
            staff.Subscribe(new SubscribeRequest { EnterpriseIds = { Enumerable.Range(0, Limits.MaxSubscribedEnterprises + 1).Select(i => TestEnterprises.Id(800_000_000 + i)) } }),
            ErrorReasons.TooManyEnterprises,
            "enterprise_ids");

        // A cursor taken after an enterprise's first events, whose partition then loses everything to retention.
        var id = await fixture.Service.OpenFreshLineAsync(1_000_000);
        string cursor;
        using (var call = staff.Subscribe(new SubscribeRequest { FromOldest = true, EnterpriseIds = { id } }))
        {
            cursor = (await Read(call, 1).FirstAsync()).Cursor;
        }

        await using var connection = await fixture.Redis.ConnectAsync();
        for (var p = 0; p < 16; p++)
        {
            await connection.GetDatabase().StreamTrimAsync($"dc:events:{p}", 0);
        }

        await AssertRefused(staff.Subscribe(new SubscribeRequest { Cursor = cursor, EnterpriseIds = { id } }), ErrorReasons.EventsTrimmed, "cursor");
    }

    [Fact]
    public async Task A_stopping_service_ends_its_subscriptions_as_unavailable_instead_of_waiting_for_them()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration);
        var id = await service.OpenFreshLineAsync(1_000_000);
        using var call = new EventService.EventServiceClient(service.Channel).Subscribe(new SubscribeRequest { FromOldest = true, EnterpriseIds = { id } });
        await Read(call, 2).CountAsync();

        await ProcessSignals.TerminateAsync(service.Pid);

        using var patience = new CancellationTokenSource(Patience);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(patience.Token));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("subscribe again", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_first_sends_the_cursor_it_starts_at_without_an_event_and_resuming_from_it_misses_nothing()
    {
        var id = await fixture.Service.OpenFreshLineAsync(1_000_000);
        var client = new EventService.EventServiceClient(fixture.Service.Channel);
        string start;
        using (var call = client.Subscribe(new SubscribeRequest { EnterpriseIds = { id } }))
        {
            using var patience = new CancellationTokenSource(Patience);
            Assert.True(await call.ResponseStream.MoveNext(patience.Token));
            var first = call.ResponseStream.Current;
            Assert.Null(first.Event);
            Assert.NotEmpty(first.Cursor);
            start = first.Cursor;
        }

        await fixture.Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "d-1", AmountMinor = 100 });
        using var resumed = client.Subscribe(new SubscribeRequest { Cursor = start, EnterpriseIds = { id } });
        var draw = await Read(resumed, 1).SingleAsync();

        Assert.Equal((id, TransactionType.Draw, "d-1"), (draw.Event.EnterpriseId, draw.Event.Transaction.Type, draw.Event.Transaction.RequestId));
    }

    /// <summary>The first <paramref name="count"/> events of a subscription, after the message that carries only its starting cursor.</summary>
    private static async IAsyncEnumerable<SubscribeResponse> Read(AsyncServerStreamingCall<SubscribeResponse> call, int count)
    {
        using var patience = new CancellationTokenSource(Patience);
        Assert.True(await call.ResponseStream.MoveNext(patience.Token), "the stream ended before its starting cursor");
        Assert.Null(call.ResponseStream.Current.Event);
        for (var i = 0; i < count; i++)
        {
            Assert.True(await call.ResponseStream.MoveNext(patience.Token), $"the stream ended after {i} of {count} events");
            yield return call.ResponseStream.Current;
        }
    }

    private static async Task AssertRefused(AsyncServerStreamingCall<SubscribeResponse> call, ErrorReason reason, string? field = null)
    {
        using (call)
        {
            using var patience = new CancellationTokenSource(Patience);
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(patience.Token));
            Assert.Equal(ErrorReasonCoverageTests.StatusOf(reason), error.StatusCode);
            Assert.Equal(reason.Code, error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
            if (field is not null)
            {
                Assert.Contains(field, error.Status.Detail, StringComparison.Ordinal);
            }
        }
    }
}
