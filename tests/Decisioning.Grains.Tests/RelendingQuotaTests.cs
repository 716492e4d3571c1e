using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Storage;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>
/// The technology re-lending quota against real Redis and a real silo: eligible lines lease it in
/// chunks and fund their draws inside their own commits; the quota is never over-used, and every fen
/// it counts is held by a line.
/// </summary>
public sealed class RelendingQuotaTests
{
    private const int Share = 6_000;

    private static Dictionary<string, string?> Quota(long amountMinor, long chunkMinor = 30_000) => new()
    {
        ["Decisioning:Relending:LeaseChunkMinor"] = chunkMinor.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Decisioning:Relending:Periods:0:Name"] = "2026",
        ["Decisioning:Relending:Periods:0:AmountMinor"] = amountMinor.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Decisioning:Relending:Periods:0:From"] = "2026-01-01",
        ["Decisioning:Relending:Periods:0:Until"] = "2027-12-31",
        ["Decisioning:Relending:Periods:0:ShareBps"] = Share.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Decisioning:Relending:Periods:0:BankRateBps"] = "175",
    };

    private static async Task<string> OpenEligibleAsync(LineCluster cluster, long limitMinor = 1_000_000)
    {
        var id = TestEnterprises.Unique();
        var approve = new RecordDecisionCommand("assess-1", "D-" + id[..10], "fp")
        {
            Actor = LineCluster.Caller,
            Outcome = Outcome.Approve,
            Product = Product.SrdiELoan,
            LimitMinor = limitMinor,
            AnnualRateBps = 270,
            TermMonths = 12,
            RelendingDiscountBps = 50,
        };
        Assert.NotNull((await cluster.Line(id).Change(approve)).Value);
        return id;
    }

    private static Task<OperationResult> DrawAsync(LineCluster cluster, string id, long amountMinor, string requestId) =>
        Approved(cluster.Line(id).Change(new DrawCommand(requestId, amountMinor) { Actor = LineCluster.Caller }));

    private static async Task<OperationResult> Approved(ValueTask<Result<OperationResult>> call)
    {
        var reply = await call;
        Assert.True(reply.Value is { Approved: true }, $"{reply.Error?.Reason} {reply.Value?.DeclineReason}");
        return reply.Value!;
    }

    private static async Task<List<JournalEntry>> JournalAsync(LineCluster cluster, string id)
    {
        var page = (await cluster.Line(id).ListTransactions(Limits.MaxPageSize, 0)).Value!;
        Assert.Equal(0, page.NextBefore);
        return [.. page.Entries];
    }

    private static Task<RelendingQuotaView> QuotaAsync(LineCluster cluster) =>
        cluster.Grains.GetGrain<IRelendingQuotaGrain>(0).Read("").AsTask().ContinueWith(t => t.Result.Value!, TaskScheduler.Default);

    /// <summary>What the quota counts, and what the lines hold, once their lease changes have settled.</summary>
    private static async Task<(RelendingQuotaView Quota, LineState[] Lines)> SettledAsync(LineCluster cluster, IReadOnlyList<string> ids)
    {
        var store = cluster.SiloService<ILineStore>();
        return await Eventually.SucceedsAsync(
            async () => (await QuotaAsync(cluster), await Task.WhenAll(ids.Select(store.LoadAsync))),
            r => r.Item1.UsedMinor == r.Item2.Sum(l => l.RelendingHoldingMinor));
    }

    [Fact]
    public async Task Thousands_of_concurrent_eligible_draws_never_use_more_than_the_quota_and_it_counts_exactly_what_the_lines_hold()
    {
        const long quota = 3_000_000;
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, settings: Quota(quota));
        var ids = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => OpenEligibleAsync(cluster)));

        // 40 lines × 50 draws of 10,000 fen: 12,000,000 fen of funding asked for, four times the quota.
        var draws = ids.SelectMany(id => Enumerable.Range(0, 50).Select(n => DrawAsync(cluster, id, 10_000, "draw-" + n)));
        await Task.WhenAll(draws);

        var (settled, lines) = await SettledAsync(cluster, ids);
        var journals = await Task.WhenAll(ids.Select(id => JournalAsync(cluster, id)));
        var drawEntries = journals.SelectMany(j => j).Where(e => e.Kind == EntryKind.Draw).ToList();
        var funded = drawEntries.Sum(e => e.RelendingMinor);

        Assert.Equal(2_000, drawEntries.Count);
        Assert.All(drawEntries, e => Assert.True(e.Relending is RelendingFunding.Funded or RelendingFunding.Unfunded));
        Assert.All(drawEntries.Where(e => e.Relending == RelendingFunding.Funded), e => Assert.Equal(6_000, e.RelendingMinor));
        Assert.Contains(drawEntries, e => e.Relending == RelendingFunding.Unfunded);
        Assert.InRange(settled.UsedMinor, funded, quota);
        Assert.Equal(lines.Sum(l => l.RelendingFundedMinor), funded);
        for (var i = 0; i < ids.Length; i++)
        {
            // Each line's journal adds up to its state: grants less give-backs, and what its draws use.
            Assert.Equal(lines[i].RelendingLeaseMinor, journals[i].Where(e => e.Kind == EntryKind.RelendingLeaseChanged).Sum(e => e.RelendingMinor) - FundedIn(journals[i]));
        }

        // Idle lines give their leases back when they go (here, all at once): the quota then counts
        // exactly the funded draws of the journals.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var (idle, _) = await SettledAsync(cluster, ids);
        Assert.Equal(funded, idle.UsedMinor);

        static long FundedIn(List<JournalEntry> journal) => journal.Where(e => e.Kind == EntryKind.Draw).Sum(e => e.RelendingMinor);
    }

    [Fact]
    public async Task A_draw_the_quota_cannot_cover_is_approved_unfunded_and_a_new_approval_goes_without_the_discount()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, settings: Quota(amountMinor: 6_000, chunkMinor: 6_000));
        var first = await OpenEligibleAsync(cluster);

        var funded = await DrawAsync(cluster, first, 10_000, "draw-1");
        var unfunded = await DrawAsync(cluster, first, 10_000, "draw-2");

        var journal = await JournalAsync(cluster, first);
        Assert.Equal((RelendingFunding.Funded, 6_000L), (journal.Single(e => e.Sequence == funded.Sequence).Relending, journal.Single(e => e.Sequence == funded.Sequence).RelendingMinor));
        Assert.Equal(RelendingFunding.Unfunded, journal.Single(e => e.Sequence == unfunded.Sequence).Relending);
        Assert.Equal(0, (await QuotaAsync(cluster)).AvailableMinor);

        var application = TestApplications.Sound(TestEnterprises.Unique(), BusinessCalendar.DateOf(cluster.Clock.GetUtcNow()));
        var decision = (await cluster.Assessment.Assess(new AssessRequest { Actor = LineCluster.Caller, RequestId = "assess-1", Application = application })).Value!;
        Assert.Equal((Outcome.Approve, Product.SrdiELoan), (decision.Decision!.Outcome, decision.Decision.Product));
        Assert.Equal(0, decision.Decision.Rate.RelendingDiscountBps);
        Assert.Contains(ReasonCodes.RelendingQuotaExhausted, decision.Decision.ReasonCodes);
        Assert.Equal(decision.Decision.Rate.AnnualRateBps, decision.Line!.AnnualRateBps);

        // A repayment returns the quota to the line's lease: the next draw is funded again.
        await Approved(cluster.Line(first).Change(new RepayCommand("repay-1", 20_000) { Actor = LineCluster.Caller }));
        var again = await DrawAsync(cluster, first, 10_000, "draw-3");
        Assert.Equal(RelendingFunding.Funded, (await JournalAsync(cluster, first)).Single(e => e.Sequence == again.Sequence).Relending);
    }

    [Fact]
    public async Task A_grant_lost_with_its_silo_stays_counted_unused_and_is_reclaimed_when_the_line_next_asks()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, settings: Quota(amountMinor: 100_000, chunkMinor: 30_000));
        var id = await OpenEligibleAsync(cluster);
        var (_, settled) = await SettledAsync(cluster, [id]);
        var line = settled[0];
        Assert.Equal(30_000, line.RelendingLeaseMinor);

        // What a silo that failed between the quota's grant and the line's commit leaves behind.
        var lost = (await cluster.Grains.GetGrain<IRelendingQuotaGrain>(0).Lease(new LeaseRequest("2026", id, line.RelendingVersion, line.RelendingHoldingMinor, 50_000))).Value!;
        Assert.Equal(50_000, lost.GrantedMinor);
        Assert.Equal(80_000, (await QuotaAsync(cluster)).UsedMinor);

        // The line knows nothing of it; a draw beyond its lease makes it ask: the quota finds it
        // stale, the line takes the quota's version and tells what it holds, and the quota believes it.
        var draw = await DrawAsync(cluster, id, 100_000, "draw-1");
        var (quota, lines) = await SettledAsync(cluster, [id]);
        Assert.Equal(RelendingFunding.Funded, (await JournalAsync(cluster, id)).Single(e => e.Sequence == draw.Sequence).Relending);
        Assert.Equal(lines[0].RelendingHoldingMinor, quota.UsedMinor);
        Assert.InRange(quota.UsedMinor, 60_000, 100_000);
    }

    [Fact]
    public async Task A_restart_of_the_silo_loses_no_quota_accounting()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] ids;
        long fundedBefore;
        await using (var cluster = await LineCluster.StartAsync(redis, settings: Quota(amountMinor: 200_000)))
        {
            ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => OpenEligibleAsync(cluster)));
            await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 10).Select(n => DrawAsync(cluster, id, 10_000, "before-" + n))));
            var (quota, lines) = await SettledAsync(cluster, ids);
            fundedBefore = lines.Sum(l => l.RelendingFundedMinor);
            Assert.InRange(quota.UsedMinor, fundedBefore, 200_000);
        }

        // The lines gave their leases back as the silo stopped; whatever the quota did not hear of
        // is reclaimed as each line is loaded again and tells the quota what it holds.
        await using var restarted = await LineCluster.StartAsync(redis, settings: Quota(amountMinor: 200_000));
        await Task.WhenAll(ids.Select(id => restarted.Line(id).GetLine().AsTask()));
        var (afterRestart, stored) = await SettledAsync(restarted, ids);
        Assert.Equal(fundedBefore, stored.Sum(l => l.RelendingFundedMinor));
        Assert.InRange(afterRestart.UsedMinor, fundedBefore, 200_000);

        await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 10).Select(n => DrawAsync(restarted, id, 10_000, "after-" + n))));
        var (after, lines2) = await SettledAsync(restarted, ids);
        var journals = await Task.WhenAll(ids.Select(id => JournalAsync(restarted, id)));
        var funded = journals.SelectMany(j => j).Where(e => e.Kind == EntryKind.Draw).Sum(e => e.RelendingMinor);
        Assert.Equal(lines2.Sum(l => l.RelendingFundedMinor), funded);
        Assert.InRange(after.UsedMinor, funded, 200_000);
    }

    [Fact]
    public async Task The_quota_reads_by_month_from_the_period_s_first()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, settings: Quota(amountMinor: 1_000_000));
        var id = await OpenEligibleAsync(cluster);
        await SettledAsync(cluster, [id]);
        cluster.Clock.Advance(TimeSpan.FromDays(10));
        await DrawAsync(cluster, id, 100_000, "draw-december");
        var (quota, lines) = await SettledAsync(cluster, [id]);

        Assert.Equal(("2026", 1_000_000L, 6_000, 175), (quota.Period.Name, quota.ConfiguredMinor, quota.Period.ShareBps, quota.Period.BankRateBps));
        Assert.Equal(Enumerable.Range(1, 12).Select(m => $"2026-{m:00}"), quota.Months.Select(m => m.Month));
        Assert.All(quota.Months.Take(10), m => Assert.Equal((0L, 0L), (m.ChangeMinor, m.UsedMinor)));
        Assert.Equal(30_000, quota.Months[10].ChangeMinor);
        Assert.Equal(lines[0].RelendingHoldingMinor, quota.Months[11].UsedMinor);
        Assert.Equal(quota.UsedMinor, quota.Months[^1].UsedMinor);
        Assert.Equal(1_000_000 - quota.UsedMinor, quota.AvailableMinor);

        var missing = await cluster.Grains.GetGrain<IRelendingQuotaGrain>(0).Read("2031");
        Assert.Equal((ErrorKind.NotFound, ErrorReasons.RelendingPeriodNotFound.Code, "period"), (missing.Error!.Kind, missing.Error.Reason, missing.Error.Field));
    }

    [Fact]
    public async Task A_first_loan_is_flagged_on_the_decision_and_the_line()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var application = TestApplications.Sound(TestEnterprises.Unique(), BusinessCalendar.DateOf(cluster.Clock.GetUtcNow()));
        var first = application with { Financing = application.Financing! with { ExistingBankDebtMinor = 0, LendingBanks = 0 } };

        var reply = (await cluster.Assessment.Assess(new AssessRequest { Actor = LineCluster.Caller, RequestId = "assess-1", Application = first })).Value!;
        var other = (await cluster.Assessment.Assess(new AssessRequest { Actor = LineCluster.Caller, RequestId = "assess-1", Application = application with { EnterpriseId = TestEnterprises.Unique() } })).Value!;

        Assert.Equal(Outcome.Approve, reply.Decision!.Outcome);
        Assert.True(reply.Decision.FirstLoan);
        Assert.True(reply.Line!.FirstLoan);
        Assert.True((await cluster.Line(first.EnterpriseId).GetDecision(reply.Decision.DecisionId)).Value!.Champion.FirstLoan);
        Assert.False(other.Decision!.FirstLoan);
        Assert.False(other.Line!.FirstLoan);
    }
}
