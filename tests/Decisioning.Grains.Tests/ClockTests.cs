using Decisioning.Domain.Lines;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>Tests that move the injected clock: each has a cluster of its own, so others never see the jump.</summary>
public sealed class ClockTests
{
    [Fact]
    public async Task Interest_accrues_daily_on_the_drawn_principal_from_the_injected_clock()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var line = cluster.Line(TestEnterprises.Unique());
        await line.OpenApproved("open", 10_000_000, 365, 365, Product.SrdiELoan, "staff");
        await line.Draw("d-1", 1_000_000, "test");

        cluster.Clock.Advance(TimeSpan.FromDays(30));
        var view = (await line.GetLine()).Value!;
        var repay = (await line.Repay("r-1", 5_000, "test")).Value!;

        // 1,000,000 fen × 365 bps × 30 days / (10,000 × 360) = 3,041.67 fen.
        Assert.Equal(3_041, view.AccruedInterestMinor);
        Assert.Equal((3_041L, 1_959L), (repay.InterestPaidMinor, repay.PrincipalPaidMinor));
    }

    [Fact]
    public async Task A_hold_that_is_neither_captured_nor_released_expires_and_is_journaled_at_its_time()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var line = cluster.Line(TestEnterprises.Unique());
        await line.OpenApproved("open", 100_000, 300, 365, Product.SrdiELoan, "staff");
        var hold = (await line.PlaceHold("h-1", 40_000, 60, "test")).Value!;

        // The line's timer journals the expiry at its time (issue 11), without a call; a capture
        // after it is declined as expired all the same, as when the capture itself finds the hold
        // expired (Domain.Tests HoldTests): the line remembers its newest expired holds.
        cluster.Clock.Advance(TimeSpan.FromSeconds(60));
        var journal = await Eventually.SucceedsAsync(async () => (await line.ListTransactions(10, 0)).Value!.Entries, j => j[0].Kind == EntryKind.HoldExpired, seconds: 10);
        var view = (await line.GetLine()).Value!;
        var capture = await line.CaptureHold("c-1", hold.HoldId, 0, "test");

        Assert.Equal((0L, 100_000L), (view.HeldMinor, view.AvailableMinor));
        Assert.Equal((false, DeclineReason.HoldExpired), (capture.Value!.Approved, capture.Value.DeclineReason));
        Assert.Equal([EntryKind.HoldExpired, EntryKind.HoldPlaced, EntryKind.LineOpened, EntryKind.ProposalRecorded], journal.Select(e => e.Kind));
        Assert.Equal(("system", hold.HoldExpiresAt!.Value), (journal[0].Actor, journal[0].At));
    }

    [Fact]
    public async Task A_line_past_maturity_takes_no_new_draws_but_its_holds_can_still_be_captured()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        var line = cluster.Line(TestEnterprises.Unique());
        await line.OpenApproved("open", 100_000, 300, 1, Product.SrdiELoan, "staff");
        var hold = (await line.PlaceHold("h-1", 40_000, 7 * 24 * 3600, "test")).Value!;

        cluster.Clock.Advance(TimeSpan.FromDays(1));
        var draw = (await line.Draw("d-1", 1, "test")).Value!;
        var capture = (await line.CaptureHold("c-1", hold.HoldId, 30_000, "test")).Value!;

        Assert.Equal(DeclineReason.LineMatured, draw.DeclineReason);
        Assert.True(capture.Approved);
        Assert.Equal((30_000L, 10_000L), (capture.CapturedMinor, capture.ReleasedMinor));
        Assert.Equal(LineStatus.Matured, capture.Line!.Status);
    }
}
