using System.Globalization;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Hosting;
using Decisioning.Grains.Lines;
using Decisioning.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

/// <summary>
/// Time moves the line (issue 11) through a real silo and a real Redis: the daily step, its
/// reminder across a silo restart, the hold-expiry timer, and a year of a line that is drawn, not
/// renewed, falls overdue, is classified down tier by tier, written off with four eyes and partly
/// recovered; the reminder registered when the line opens, not on each activation.
/// </summary>
public sealed class DailyProcessGrainTests
{
    private const long Limit = 1_000_000;
    private const int Rate = 365;
    private const int Term = 30;
    private const string Staff = "officer-li";

    /// <summary>
    /// Two days before the cluster's usual start: the term then ends on Thursday 24 December 2026, a
    /// working day, so the maturity does not roll (from LineCluster.Start it would end on a Saturday
    /// and roll to the Monday) and the days below count from the opening.
    /// </summary>
    private static readonly DateTimeOffset Start = LineCluster.Start.AddDays(-2);

    private static async Task<ICreditLineGrain> OpenDrawnAsync(LineCluster cluster, string id)
    {
        var line = cluster.Line(id);
        Assert.True((await line.OpenApproved("open", Limit, Rate, Term, Product.SrdiELoan, Staff)).Value!.Approved);
        Assert.True((await line.Draw("draw", Limit, Staff)).Value!.Approved);
        return line;
    }

    private static async Task<List<JournalEntry>> JournalAsync(ICreditLineGrain line) =>
        [.. (await line.ListTransactions(500, 0)).Value!.Entries.Reverse()];

    [Fact]
    public async Task A_year_of_a_drawn_unrenewed_line_is_journaled_overdue_tier_by_tier_written_off_and_partly_recovered_with_exact_figures()
    {
        await using var redis = await RedisServer.StartAsync();
        var clock = new MovableClock(Start);
        await using var cluster = await LineCluster.StartAsync(redis, services: s => s.AddSingleton<TimeProvider>(clock));
        var id = TestEnterprises.Unique();
        var line = await OpenDrawnAsync(cluster, id);

        // Through a year, on the days around each bound (every day is the domain tests' and the
        // reminder's): the daily step, as the reminder runs it; once mid-way the line is
        // deactivated, as a silo's collection would.
        var today = 0;
        foreach (var day in new[] { 1, 29, 30, 31, 32, 90, 120, 121, 122, 200, 270, 300, 301, 302, 364, 365 })
        {
            clock.Advance(TimeSpan.FromDays(day - today));
            today = day;
            Assert.True((await line.RunDaily()).Value!.Approved);
            if (day == 200)
            {
                await cluster.Cluster.DeactivateAsync(line);
            }
        }

        var before = await line.GetLine();
        var owed = before.Value!;
        // 30 days of interest: 1,000,000 × 365 × 30 / 3,600,000 = 3,041; 335 penalty days at
        // 365 bps + 50%: 1,000,000 × 365 × 15,000 × 335 / 36 × 10^9 = 50,947.
        Assert.Equal((LineStatus.Overdue, 335, Limit, 3_041L, 50_947L, LoanClass.Doubtful),
            (owed.Status, owed.DaysPastDue, owed.OverduePrincipalMinor, owed.AccruedInterestMinor, owed.AccruedPenaltyMinor, owed.Classification));

        var proposed = (await line.Change(new WriteOffLineCommand("write-off", "no prospect of repayment") { Actor = Staff })).Value!;
        Assert.Equal(LineStatus.Overdue, proposed.Line.Status);
        Assert.Equal("APPROVER_IS_PROPOSER", (await line.ApproveProposal("approve-self", proposed.Proposal!.Id, Staff)).Error?.Reason);
        var writtenOff = (await line.ApproveProposal("approve-write-off", proposed.Proposal.Id, FourEyes.Approver)).Value!;
        Assert.Equal((LineStatus.WrittenOff, 0L, 0L), (writtenOff.Line.Status, writtenOff.Line.AvailableMinor, writtenOff.Line.DrawnMinor));
        Assert.False((await line.Draw("draw-after", 1, Staff)).Value!.Approved);

        var recovered = (await line.Repay("recovery", 300_000, Staff)).Value!;
        Assert.Equal((50_947L, 3_041L, 246_012L), (recovered.PenaltyPaidMinor, recovered.InterestPaidMinor, recovered.PrincipalPaidMinor));

        // Nothing more happens to a written-off line, whatever the day.
        clock.Advance(TimeSpan.FromDays(30));
        await line.RunDaily();

        var journal = await JournalAsync(line);
        Assert.Equal(
            [
                EntryKind.ProposalRecorded, EntryKind.LineOpened, EntryKind.Draw,
                EntryKind.LineMatured, EntryKind.LineOverdue, EntryKind.ClassificationChanged,
                EntryKind.ClassificationChanged, EntryKind.ClassificationChanged,
                EntryKind.ProposalRecorded, EntryKind.LineWrittenOff, EntryKind.DrawDeclined, EntryKind.Recovery,
            ],
            journal.Select(e => e.Kind));
        Assert.Equal(Enumerable.Range(1, journal.Count).Select(i => (long)i), journal.Select(e => e.Sequence));
        var start = Start;
        Assert.Equal(
            [
                (start.AddDays(30), 0, LoanClass.None),
                (start.AddDays(31), 1, LoanClass.None),
                (start.AddDays(31), 1, LoanClass.SpecialMention),
                (start.AddDays(121), 91, LoanClass.Substandard),
                (start.AddDays(301), 271, LoanClass.Doubtful),
            ],
            journal.Where(e => e.Actor == "system").Select(e => (e.At, e.DaysPastDue, e.Classification)));

        var off = journal.Single(e => e.Kind == EntryKind.LineWrittenOff);
        Assert.Equal((Staff, FourEyes.Approver, "write-off"), (off.Actor, off.ApprovedBy, off.RequestId));
        Assert.Equal((Limit, 3_041L, 50_947L, Limit + 3_041 + 50_947), (off.WrittenOffPrincipalMinor, off.WrittenOffInterestMinor, off.WrittenOffPenaltyMinor, off.AmountMinor));
        Assert.Equal((335, LoanClass.Doubtful, 0), (off.DaysPastDue, off.Classification, off.RenewalCount));

        var recovery = journal.Single(e => e.Kind == EntryKind.Recovery);
        Assert.Equal((300_000L, 300_000L, 50_947L, 3_041L, 246_012L), (recovery.AmountMinor, recovery.RecoveredAfterMinor, recovery.PenaltyPaidMinor, recovery.InterestPaidMinor, recovery.PrincipalPaidMinor));
        Assert.Equal((Limit, 3_041L, 50_947L), (recovery.WrittenOffPrincipalMinor, recovery.WrittenOffInterestMinor, recovery.WrittenOffPenaltyMinor));

        var after = (await line.GetLine()).Value!;
        Assert.Equal((LineStatus.WrittenOff, 300_000L, 0), (after.Status, after.RecoveredMinor, after.DaysPastDue));
    }

    [Fact]
    public async Task The_daily_step_run_twice_on_a_day_and_after_a_deactivation_journals_the_day_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var clock = new MovableClock(Start);
        await using var cluster = await LineCluster.StartAsync(redis, services: s => s.AddSingleton<TimeProvider>(clock));
        var line = await OpenDrawnAsync(cluster, TestEnterprises.Unique());
        clock.Advance(TimeSpan.FromDays(Term + 1));

        var first = (await line.RunDaily()).Value!;
        var again = (await line.RunDaily()).Value!;
        await cluster.Cluster.DeactivateAsync(line);
        var reloaded = (await line.RunDaily()).Value!;

        Assert.Equal(6, first.Sequence);
        Assert.Equal((6L, 6L), (again.Sequence, reloaded.Sequence));
        Assert.Equal(
            [EntryKind.LineMatured, EntryKind.LineOverdue, EntryKind.ClassificationChanged],
            (await JournalAsync(line)).Skip(3).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_hold_expiry_is_journaled_at_its_time_by_the_line_s_timer_without_a_call()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var line = cluster.Line(TestEnterprises.Unique());
        await line.OpenApproved("open", Limit, Rate, Term, Product.SrdiELoan, Staff);
        var hold = (await line.PlaceHold("hold", 1_000, 1, Staff)).Value!;

        // The line's clock passes the expiry; the timer, due a real second later, journals it.
        cluster.Clock.Advance(TimeSpan.FromSeconds(2));

        var journal = await Eventually.SucceedsAsync(() => JournalAsync(line), j => j[^1].Kind == EntryKind.HoldExpired, seconds: 10);
        Assert.Equal((hold.HoldId, hold.HoldExpiresAt!.Value, "system"), (journal[^1].HoldId, journal[^1].At, journal[^1].Actor));
    }

    [Fact]
    public async Task The_reminder_runs_the_day_and_after_a_silo_restart_runs_each_later_day_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var serviceId = "daily-" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string?> { ["Decisioning:Overdue:DailyRunPeriod"] = "00:00:01" };
        var id = TestEnterprises.Unique();
        var clock = new MovableClock(Start, running: true);
        void Reminders(IServiceCollection services) => services.AddDecisioningDailyProcess()
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1))
            .AddSingleton<TimeProvider>(clock);

        await using (var first = await LineCluster.StartAsync(redis, settings: settings, services: Reminders, serviceId: serviceId))
        {
            await OpenDrawnAsync(first, id);
            clock.Advance(TimeSpan.FromDays(Term + 1));
            var journal = await Eventually.SucceedsAsync(() => JournalAsync(first.Line(id)), j => j.Count == 6, seconds: 10);
            Assert.Equal([EntryKind.LineMatured, EntryKind.LineOverdue, EntryKind.ClassificationChanged], journal.Skip(3).Select(e => e.Kind));
        }

        await using var second = await LineCluster.StartAsync(redis, settings: settings, services: Reminders, serviceId: serviceId);
        clock.Advance(TimeSpan.FromDays(90));

        // Only the reminder, found in Redis by the new silo, runs the step: reading the journal does not.
        var later = await Eventually.SucceedsAsync(() => JournalAsync(second.Line(id)), j => j.Count >= 7, seconds: 15);
        Assert.Equal((EntryKind.ClassificationChanged, LoanClass.Substandard, 91), (later[6].Kind, later[6].Classification, later[6].DaysPastDue));

        // More ticks on the same day journal nothing more.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(7, (await JournalAsync(second.Line(id))).Count);
    }

    [Fact]
    public async Task An_open_line_whose_reminder_is_registered_is_activated_without_a_write_to_Redis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, services: s => s.AddDecisioningDailyProcess());
        var id = TestEnterprises.Unique();
        var line = await OpenDrawnAsync(cluster, id);
        Assert.NotNull(await ReminderAsync(cluster, line));
        await cluster.Cluster.DeactivateAsync(line);

        // One connection for the statistics: a connection's handshake sends commands of its own.
        await using var connection = await redis.ConnectAsync();
        var server = connection.GetServer("127.0.0.1", redis.Port);
        var (changes, calls) = (await ChangesAsync(server), await CallsAsync(server));
        Assert.Equal(Limit, (await line.GetLine()).Value!.DrawnMinor);

        // The activation read the line and its reminder's mark (sent first, on the same connection,
        // so counted before the line's read is answered) and changed nothing.
        Assert.Equal(changes, await ChangesAsync(server));
        var after = await CallsAsync(server);
        Assert.Equal((1, 1), (after["xrevrange"] - calls["xrevrange"], after["get"] - calls.GetValueOrDefault("get")));
        Assert.NotNull(await ReminderAsync(cluster, line));
    }

    [Fact]
    public async Task A_line_opened_before_the_daily_process_registers_its_reminder_on_its_first_activation_only()
    {
        await using var redis = await RedisServer.StartAsync();
        var serviceId = "daily-" + Guid.NewGuid().ToString("N");
        var id = TestEnterprises.Unique();
        await using (var before = await LineCluster.StartAsync(redis, serviceId: serviceId))
        {
            await OpenDrawnAsync(before, id);
        }

        await using var cluster = await LineCluster.StartAsync(redis, services: s => s.AddDecisioningDailyProcess(), serviceId: serviceId);
        var line = cluster.Line(id);
        Assert.Null(await ReminderAsync(cluster, line));
        await using var connection = await redis.ConnectAsync();
        var server = connection.GetServer("127.0.0.1", redis.Port);

        var changes = await ChangesAsync(server);
        await line.GetLine();
        var marks = cluster.SiloService<DailyReminders>();
        Assert.Equal(ReminderMark.Current, await Eventually.SucceedsAsync(() => marks.ReadAsync(id), m => m == ReminderMark.Current, seconds: 10));
        Assert.NotNull(await ReminderAsync(cluster, line));
        Assert.True(await ChangesAsync(server) > changes);

        await cluster.Cluster.DeactivateAsync(line);
        changes = await ChangesAsync(server);
        await line.GetLine();
        Assert.Equal(changes, await ChangesAsync(server));
    }

    [Fact]
    public async Task A_closed_line_drops_its_reminder_and_its_mark()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, services: s => s.AddDecisioningDailyProcess());
        var id = TestEnterprises.Unique();
        var line = cluster.Line(id);
        Assert.True((await line.OpenApproved("open", Limit, Rate, Term, Product.SrdiELoan, Staff)).Value!.Approved);
        Assert.NotNull(await ReminderAsync(cluster, line));

        Assert.True((await line.CloseLine("close", "done", Staff)).Value!.Approved);

        Assert.Null(await ReminderAsync(cluster, line));
        Assert.Equal(ReminderMark.None, await cluster.SiloService<DailyReminders>().ReadAsync(id));
    }

    /// <summary>The line's daily reminder as the silo's reminder table holds it, or null.</summary>
    private static Task<ReminderEntry?> ReminderAsync(LineCluster cluster, ICreditLineGrain line) =>
        cluster.SiloService<IReminderTable>().ReadRow(line.GetGrainId(), DailySchedule.ReminderName);

    /// <summary>Changes Redis made to its data since it started (test Redis never saves, so the count is never reset).</summary>
    private static async Task<long> ChangesAsync(IServer redis) =>
        long.Parse((await InfoAsync(redis, "persistence"))["rdb_changes_since_last_save"], CultureInfo.InvariantCulture);

    /// <summary>Calls of each command since Redis started.</summary>
    private static async Task<Dictionary<string, long>> CallsAsync(IServer redis) =>
        (await InfoAsync(redis, "commandstats")).ToDictionary(
            p => p.Key["cmdstat_".Length..],
            p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));

    private static async Task<Dictionary<string, string>> InfoAsync(IServer redis, string section) =>
        (await redis.InfoAsync(section)).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
}
