using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Grains.Events;
using Decisioning.Grains.Programmes;
using Decisioning.Grains.Storage;
using Decisioning.Grains.Storage.V1;
using Decisioning.Testing;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

/// <summary>
/// The risk funds projected from the event streams over a real Redis. No line journals a write-off
/// yet (issue 11, "Time moves the line"): the events are written the way commit.lua writes them
/// (XADD to the enterprise's partition stream, fields n, p, e and d) from JournalRecords built here.
/// </summary>
public sealed class RiskFundProjectorTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2027, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static readonly RiskFund Enhancement = TestRiskFunds.Enhancement with { BalanceMinor = 1_000_000_000 };
    private static readonly RiskFund Compensation = TestRiskFunds.Compensation with { BalanceMinor = 1_000_000_000 };

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Two_projectors_claim_every_write_off_once_recoveries_return_the_funds_part_and_retention_keeps_only_what_is_not_applied()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var random = new Random(20270601);
        var funds = new[] { Enhancement, Compensation };
        var expected = new RiskFundLedger(funds);
        var ids = Enumerable.Range(0, 40).Select(_ => TestEnterprises.Unique()).ToArray();
        foreach (var id in ids)
        {
            var renewed = random.Next(2) == 0;
            var level = random.Next(3) == 0 ? SrdiLevel.None : SrdiLevel.Provincial;
            var principal = random.NextInt64(1, 6_000_000);
            var entries = new List<(JournalRecord, DecisionSummary?)>
            {
                (Record(1, EntryKind.LineOpened, LineStatus.Active), TestRiskFunds.Decision(level)),
                (Record(2, EntryKind.Draw, LineStatus.Active, amount: principal), null),
            };
            if (renewed)
            {
                entries.Add((Record(3, EntryKind.LineRenewed, LineStatus.Active), null));
            }

            var writeOff = Record(entries.Count + 1, RiskFundEvents.WriteOffKind, LineStatus.Closed, amount: principal + 70_000);
            (writeOff.WrittenOffPrincipalMinor, writeOff.WrittenOffInterestMinor) = (principal, 70_000);
            entries.Add((writeOff, null));
            var loss = new LoanWrittenOff(id, writeOff.Sequence, At.AddDays(writeOff.Sequence), Product.SrdiELoan, principal, 70_000, false, renewed, level);
            expected.Apply(loss);
            for (var r = 0; r < random.Next(3); r++)
            {
                var amount = random.NextInt64(1, principal);
                var recovery = Record(entries.Count + 1, RiskFundEvents.RecoveryKind, LineStatus.Closed, amount: amount);
                entries.Add((recovery, null));
                expected.Apply(new LoanRecovered(id, recovery.Sequence, At.AddDays(recovery.Sequence), writeOff.Sequence, amount));
            }

            foreach (var (record, decision) in entries)
            {
                await AddAsync(db, id, record, decision);
            }
        }

        // An enterprise that was assessed and declined (no line) and one whose recovery has no write-off before it: nothing to claim.
        var declined = TestEnterprises.Unique();
        await AddAsync(db, declined, Record(1, EntryKind.DecisionRecorded, LineStatus.None), TestRiskFunds.Decision(SrdiLevel.Provincial), Product.None);
        await AddAsync(db, declined, Record(2, RiskFundEvents.RecoveryKind, LineStatus.None, amount: 5), null, Product.None);

        var projectors = Enumerable.Range(0, 2).Select(_ => Projector(connection, funds, readBatch: 5)).ToArray();
        while ((await Task.WhenAll(projectors.Select(p => p.ProjectAsync()))).Any(more => more))
        {
        }

        var page = await projectors[1].ReadAsync("", "", 500);
        Assert.Equal(expected.Claims.OrderBy(c => RiskFundProjector.ClaimName(c.EnterpriseId, c.WriteOffSequence), StringComparer.Ordinal), page.Claims);
        Assert.Equal(ids.Length, page.Claims.Length);
        Assert.Contains(page.Claims, c => c.Recoveries > 0);
        Assert.Contains(page.Claims, c => c.FundId == Enhancement.Id);
        Assert.Contains(page.Claims, c => c.FundId == Compensation.Id);
        foreach (var (fund, totals) in page.Funds)
        {
            var mine = page.Claims.Where(c => c.FundId == fund.Id).ToArray();
            Assert.Equal(expected.Totals(fund.Id), totals);
            Assert.Equal(new FundTotals(mine.Length, mine.Sum(c => c.ClaimedMinor), mine.Sum(c => c.ReturnedMinor)), totals);
        }

        // Everything applied: the riskfund group lets the trimmer take every event.
        var streams = Streams();
        var trimmer = new EventTrimmer(connection, streams, Options.Create(new EventOptions { MinRetention = TimeSpan.Zero }), _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), NullLogger<EventTrimmer>.Instance);
        await trimmer.TrimAsync();
        Assert.Equal(0, Enumerable.Range(0, streams.Count).Sum(p => db.StreamLength(streams.Key(p))));
    }

    [Fact]
    public async Task Write_offs_in_every_partition_at_once_never_claim_more_than_the_balance()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var small = Compensation with { ShareBps = 5_000, BalanceMinor = 10_500_000 };
        var ids = Enumerable.Range(0, 48).Select(_ => TestEnterprises.Unique()).ToArray();
        foreach (var id in ids)
        {
            await AddAsync(db, id, Record(1, EntryKind.LineOpened, LineStatus.Active), TestRiskFunds.Decision(SrdiLevel.Municipal));
            var writeOff = Record(2, RiskFundEvents.WriteOffKind, LineStatus.Closed, amount: 2_000_000);
            writeOff.WrittenOffPrincipalMinor = 2_000_000;
            await AddAsync(db, id, writeOff, null);
        }

        // Three projectors on every partition at once, one batch each: each batch's claims were
        // computed from totals that others are moving at the same time.
        var projectors = Enumerable.Range(0, 3).Select(_ => Projector(connection, [small], readBatch: 256)).ToArray();
        var streams = Streams();
        while ((await Task.WhenAll(Enumerable.Range(0, 3 * streams.Count).Select(i => projectors[i % 3].ProjectAsync((i + (i / streams.Count)) % streams.Count)))).Any(more => more))
        {
        }

        var page = await projectors[0].ReadAsync("", "", 500);
        var (fund, totals) = Assert.Single(page.Funds);
        Assert.Equal(ids.Length, page.Claims.Length);
        Assert.Equal(new FundTotals(ids.Length, 10_500_000, 0), totals);
        Assert.Equal(0, totals.AvailableMinor(fund));
        Assert.Equal(10, page.Claims.Count(c => c is { ClaimedMinor: 1_000_000, LimitedBy: ClaimLimit.Share or ClaimLimit.PerLoanCap }));
        Assert.Equal(1, page.Claims.Count(c => c is { ClaimedMinor: 500_000, LimitedBy: ClaimLimit.Balance }));
        Assert.Equal(ids.Length - 11, page.Claims.Count(c => c is { ClaimedMinor: 0, LimitedBy: ClaimLimit.Balance }));
    }

    [Fact]
    public async Task Claims_are_listed_a_page_at_a_time_in_order_of_enterprise_and_write_off_and_for_one_enterprise()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var ids = Enumerable.Range(0, 9).Select(_ => TestEnterprises.Unique()).ToArray();
        foreach (var id in ids)
        {
            await AddAsync(db, id, Record(1, EntryKind.LineOpened, LineStatus.Active), TestRiskFunds.Decision(SrdiLevel.Provincial));
            for (var s = 2; s <= 3; s++)
            {
                var writeOff = Record(s, RiskFundEvents.WriteOffKind, LineStatus.Closed, amount: 100_000 * s);
                writeOff.WrittenOffPrincipalMinor = 100_000 * s;
                await AddAsync(db, id, writeOff, null);
            }
        }

        var projector = Projector(connection, [Compensation], readBatch: 256);
        while (await projector.ProjectAsync())
        {
        }

        var listed = new List<RiskFundClaim>();
        var after = "";
        do
        {
            var page = await projector.ReadAsync("", after, 4);
            Assert.InRange(page.Claims.Length, 1, 4);
            listed.AddRange(page.Claims);
            after = page.Next;
        }
        while (after.Length > 0);

        Assert.Equal(ids.Order(StringComparer.Ordinal).SelectMany(id => new[] { (id, 2L), (id, 3L) }), listed.Select(c => (c.EnterpriseId, c.WriteOffSequence)));
        var one = await projector.ReadAsync(ids[4], "", 10);
        Assert.Equal([(ids[4], 2L, 60_000L), (ids[4], 3L, 90_000L)], one.Claims.Select(c => (c.EnterpriseId, c.WriteOffSequence, c.ClaimedMinor)));
        Assert.Equal("", one.Next);
        var rest = await projector.ReadAsync(ids[4], RiskFundProjector.ClaimName(ids[4], 2), 10);
        Assert.Equal([3L], rest.Claims.Select(c => c.WriteOffSequence));
    }

    private static RiskFundProjector Projector(IConnectionMultiplexer connection, RiskFund[] funds, int readBatch) => new(
        connection,
        Streams(),
        Options.Create(new EventOptions { ReadBatch = readBatch }),
        Options.Create(new LineStorageOptions()),
        new RiskFundTable([.. funds]),
        TimeProvider.System,
        NullLogger<RiskFundProjector>.Instance);

    private static EventStreams Streams() => new(new LineStorageOptions(), new(), new EventOptions());

    /// <summary>An event as commit.lua publishes it: XADD to the enterprise's partition, n, p, e and (for a decision) d.</summary>
    private static async Task AddAsync(IDatabase db, string id, JournalRecord record, DecisionSummary? decision, Product product = Product.SrdiELoan)
    {
        var fields = new List<NameValueEntry> { new(EventCodec.EnterpriseField, id), new(EventCodec.ProductField, (int)product), new(EventCodec.EntryField, record.ToByteArray()) };
        if (decision is not null)
        {
            fields.Add(new(EventCodec.DecisionField, EventCodec.Encode(decision)));
        }

        await db.StreamAddAsync(Streams().KeyOf(id), [.. fields]);
    }

    private static JournalRecord Record(long sequence, EntryKind kind, LineStatus status, long amount = 0) => new()
    {
        Sequence = sequence,
        CreateUnixMs = At.AddDays(sequence).ToUnixTimeMilliseconds(),
        Kind = (int)kind,
        RequestId = "r-" + sequence,
        Actor = "officer-li",
        AmountMinor = amount,
        LimitAfterMinor = 10_000_000,
        StatusAfter = (int)status,
    };
}
