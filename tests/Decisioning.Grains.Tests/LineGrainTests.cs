using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Storage;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

public sealed class LineGrainTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>
{
    private const long Limit = 1_000_000_00; // 1,000,000 CNY in fen
    private LineCluster Cluster => shared.Line;

    [Fact]
    public async Task An_unknown_enterprise_has_no_line()
    {
        var line = Cluster.Line(TestEnterprises.Unique());

        Assert.Equal("LINE_NOT_FOUND", (await line.GetLine()).Error?.Reason);
        Assert.Equal("LINE_NOT_FOUND", (await line.CheckLimit(1)).Error?.Reason);
        Assert.Equal("LINE_NOT_FOUND", (await line.Draw("d-1", 1, "test")).Error?.Reason);
        Assert.Equal("LINE_NOT_FOUND", (await line.ListTransactions(10, 0)).Error?.Reason);
    }

    [Fact]
    public async Task State_and_journal_survive_deactivation()
    {
        var id = TestEnterprises.Unique();
        var line = await OpenAsync(id);
        await line.Draw("d-1", 300_00, "test");
        await line.PlaceHold("h-1", 200_00, 600, "test");

        await Cluster.Cluster.DeactivateAsync(line);

        var reloaded = (await Cluster.Line(id).GetLine()).Value!;
        Assert.Equal((300_00L, 200_00L, Limit - 500_00), (reloaded.DrawnMinor, reloaded.HeldMinor, reloaded.AvailableMinor));
        var journal = (await Cluster.Line(id).ListTransactions(10, 0)).Value!;
        Assert.Equal([EntryKind.HoldPlaced, EntryKind.Draw, EntryKind.LineOpened, EntryKind.ProposalRecorded], journal.Entries.Select(e => e.Kind));
    }

    [Fact]
    public async Task A_thousand_concurrent_draws_never_exceed_the_limit_and_approved_draws_equal_drawn()
    {
        var line = await OpenAsync(TestEnterprises.Unique(), limit: 5_000_000);
        var random = new Random(20261126);
        var amounts = Enumerable.Range(0, 1000).Select(_ => (long)random.Next(1, 20_000)).ToArray();

        var replies = (await Task.WhenAll(amounts.Select((amount, i) => line.Draw($"d-{i}", amount, "test").AsTask()))).Select(r => r.Value!).ToArray();

        var approved = replies.Zip(amounts).Where(p => p.First.Approved).Sum(p => p.Second);
        var state = (await line.GetLine()).Value!;
        Assert.Equal(approved, state.DrawnMinor);
        Assert.True(state.DrawnMinor <= state.LimitMinor);
        Assert.Contains(replies, r => !r.Approved);
        Assert.All(replies.Where(r => !r.Approved), r => Assert.Equal(DeclineReason.ExceedsAvailableCredit, r.DeclineReason));
        Assert.Equal(1002, state.Sequence);
        Assert.Equal(1000, replies.Select(r => r.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task The_same_request_id_sent_ten_times_concurrently_applies_once_and_all_replies_agree()
    {
        var line = await OpenAsync(TestEnterprises.Unique());

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => line.Draw("same", 123_45, "test").AsTask()));

        Assert.All(replies, r => LineCommands.AssertSameAnswer(replies[0], r));
        Assert.True(replies[0].Value!.Approved);
        Assert.Equal(123_45, (await line.GetLine()).Value!.DrawnMinor);
        Assert.Equal(3, (await line.ListTransactions(10, 0)).Value!.Entries.Length);
    }

    [Fact]
    public async Task A_retry_after_reactivation_returns_the_original_reply_from_storage()
    {
        var id = TestEnterprises.Unique();
        var line = await OpenAsync(id);
        var first = await line.Draw("d-1", 500_00, "test");
        await line.Draw("d-2", 100_00, "test");
        await Cluster.Cluster.DeactivateAsync(line);

        var retry = await Cluster.Line(id).Draw("d-1", 500_00, "test");

        LineCommands.AssertSameAnswer(first, retry);
        Assert.Equal(600_00, (await Cluster.Line(id).GetLine()).Value!.DrawnMinor);
    }

    [Fact]
    public async Task A_request_id_reused_with_other_parameters_is_refused_and_changes_nothing()
    {
        var id = TestEnterprises.Unique();
        var line = await OpenAsync(id);
        await line.Draw("d-1", 500_00, "test");

        var sameActivation = await line.Draw("d-1", 500_01, "test");
        var otherKind = await line.Repay("d-1", 500_00, "test");
        await Cluster.Cluster.DeactivateAsync(line);
        var fromStorage = await Cluster.Line(id).Draw("d-1", 1, "test");

        Assert.All([sameActivation, otherKind, fromStorage], r => Assert.Equal(ErrorKind.AlreadyExists, r.Error?.Kind));
        Assert.Equal(500_00, (await Cluster.Line(id).GetLine()).Value!.DrawnMinor);
        Assert.Equal(3, (await Cluster.Line(id).ListTransactions(10, 0)).Value!.Entries.Length);
    }

    [Fact]
    public async Task The_same_request_id_from_two_callers_is_two_requests()
    {
        var id = TestEnterprises.Unique();
        var line = await OpenAsync(id);

        var first = await line.Draw("pay-1", 100_00, "channel-a");
        var sameAmount = await line.Draw("pay-1", 100_00, "channel-b");
        var otherAmount = await line.Repay("pay-1", 30_00, "channel-c");
        await Cluster.Cluster.DeactivateAsync(line);
        var retryOfB = await Cluster.Line(id).Draw("pay-1", 100_00, "channel-b");

        Assert.All([first, sameAmount, otherAmount], r => Assert.Null(r.Error));
        Assert.NotEqual(first.Value!.Sequence, sameAmount.Value!.Sequence);
        Assert.Equal(sameAmount.Value.Sequence, retryOfB.Value!.Sequence);
        Assert.Equal(170_00, (await Cluster.Line(id).GetLine()).Value!.DrawnMinor);
        var actors = (await Cluster.Line(id).ListTransactions(10, 0)).Value!.Entries.Select(e => e.Actor).Take(3);
        Assert.Equal(["channel-c", "channel-b", "channel-a"], actors);
    }

    [Fact]
    public async Task A_holds_owner_is_stored_so_another_caller_cannot_capture_it_after_a_reload()
    {
        var id = TestEnterprises.Unique();
        var line = await OpenAsync(id);
        var hold = (await line.PlaceHold("h-1", 50_00, 600, "channel-a")).Value!;
        await Cluster.Cluster.DeactivateAsync(line);

        var byOther = await Cluster.Line(id).CaptureHold("cap-1", hold.HoldId, 0, "channel-b");
        var byOwner = await Cluster.Line(id).CaptureHold("cap-1", hold.HoldId, 0, "channel-a");

        Assert.Equal("HOLD_NOT_FOUND", byOther.Error?.Reason);
        Assert.Null(byOwner.Error);
        Assert.Equal(50_00, (await Cluster.Line(id).GetLine()).Value!.DrawnMinor);
    }

    [Fact]
    public async Task A_retry_of_a_change_that_the_line_would_now_refuse_still_gets_its_first_reply()
    {
        var line = await OpenAsync(TestEnterprises.Unique());
        await line.Draw("d-1", 100_00, "test");
        var hold = (await line.PlaceHold("h-1", 50_00, 600, "test")).Value!;
        var released = await line.ReleaseHold("rel-1", hold.HoldId, "test");
        var repaid = await line.Repay("r-1", 100_00, "test");
        var closed = await line.CloseLine("c-1", "done", "staff");

        // Each of these would be refused if evaluated afresh: the hold is gone, nothing is owed, the line is closed.
        LineCommands.AssertSameAnswer(released, await line.ReleaseHold("rel-1", hold.HoldId, "test"));
        LineCommands.AssertSameAnswer(repaid, await line.Repay("r-1", 100_00, "test"));
        LineCommands.AssertSameAnswer(closed, await line.CloseLine("c-1", "done", "staff"));
        Assert.Equal(ErrorKind.AlreadyExists, (await line.CloseLine("r-1", "done", "test")).Error?.Kind);
        Assert.Equal("LINE_ALREADY_CLOSED", (await line.CloseLine("c-2", "done", "staff")).Error?.Reason);
    }

    [Fact]
    public async Task Retries_mixed_into_a_batch_of_new_draws_get_their_first_reply_and_the_new_draws_apply_once()
    {
        var id = TestEnterprises.Unique();
        var line = await OpenAsync(id, limit: 10_000);
        var originals = new List<Result<OperationResult>>();
        for (var i = 0; i < 5; i++)
        {
            originals.Add(await line.Draw($"old-{i}", 1_000, "test"));
        }

        await Cluster.Cluster.DeactivateAsync(line);
        line = Cluster.Line(id);
        var calls = Enumerable.Range(0, 5).SelectMany(i => new[]
        {
            line.Draw($"old-{i}", 1_000, "test").AsTask(),
            line.Draw($"new-{i}", 1_000, "test").AsTask(),
        }).ToArray();
        var replies = await Task.WhenAll(calls);

        for (var i = 0; i < 5; i++)
        {
            LineCommands.AssertSameAnswer(originals[i], replies[2 * i]);
            Assert.True(replies[(2 * i) + 1].Value!.Approved);
        }

        Assert.Equal(10_000, (await line.GetLine()).Value!.DrawnMinor);
        var ten = replies.Where((_, i) => i % 2 == 1).Select(r => r.Value!.Sequence).Order().ToArray();
        Assert.Equal(Enumerable.Range(8, 5).Select(i => (long)i), ten);
    }

    [Fact]
    public async Task A_stale_activation_cannot_acknowledge_and_the_grain_reloads_and_takes_the_command_again()
    {
        var id = TestEnterprises.Unique();
        var line = await OpenAsync(id);
        await line.Draw("d-1", 100_00, "test");

        await Cluster.DrawElsewhereAsync(shared.Redis, id, "elsewhere", 200_00);

        // The activation's write builds on the sequence before "elsewhere": the fence refuses it,
        // nothing is stored, and the grain takes the draw again on the line as stored.
        var drawn = (await line.Draw("d-2", 400_00, "test")).Value!;

        Assert.True(drawn.Approved);
        Assert.Equal(700_00, drawn.Line.DrawnMinor);
        var journal = (await line.ListTransactions(10, 0)).Value!.Entries;
        Assert.Equal(["d-2", "elsewhere", "d-1"], journal.Where(e => e.RequestId is "d-1" or "d-2" or "elsewhere").Select(e => e.RequestId));
        Assert.Equal(700_00, (await line.GetLine()).Value!.DrawnMinor);
    }

    [Fact]
    public async Task A_stale_activation_does_not_refuse_by_the_state_it_missed_and_the_grain_reloads_and_takes_the_command_again()
    {
        var id = TestEnterprises.Unique();
        var line = await OpenAsync(id);
        await line.Draw("d-1", 100_00, "test");
        await Cluster.DrawElsewhereAsync(shared.Redis, id, "elsewhere", 200_00);

        // The activation holds 100.00 owed: 250.00 would exceed it, but the line owes 300.00.
        var repaid = (await line.Repay("r-1", 250_00, "test")).Value!;

        Assert.Equal(250_00, repaid.PrincipalPaidMinor);
        Assert.Equal(50_00, repaid.Line!.DrawnMinor);
        var journal = (await line.ListTransactions(10, 0)).Value!.Entries;
        Assert.Equal(["r-1", "elsewhere", "d-1"], journal.Where(e => e.RequestId is "d-1" or "r-1" or "elsewhere").Select(e => e.RequestId));
    }

    [Fact]
    public async Task Freeze_blocks_draws_and_holds_but_not_repayment()
    {
        var line = await OpenAsync(TestEnterprises.Unique());
        await line.Draw("d-1", 100_00, "test");

        var frozen = (await line.FreezeLine("f-1", "bureau shows overdue", "staff")).Value!;
        var draw = (await line.Draw("d-2", 1, "test")).Value!;
        var hold = (await line.PlaceHold("h-1", 1, 0, "test")).Value!;
        var repay = (await line.Repay("r-1", 100_00, "test")).Value!;

        Assert.Equal(LineStatus.Frozen, frozen.Line!.Status);
        Assert.Equal(DeclineReason.LineFrozen, draw.DeclineReason);
        Assert.Equal(DeclineReason.LineFrozen, hold.DeclineReason);
        Assert.Equal(100_00, repay.PrincipalPaidMinor);
        Assert.Equal(0, repay.Line!.DrawnMinor);
    }

    [Fact]
    public async Task Reads_answer_from_durable_state_while_writes_are_in_flight()
    {
        var line = await OpenAsync(TestEnterprises.Unique());

        var draws = Enumerable.Range(0, 200).Select(i => line.Draw($"d-{i}", 100, "test").AsTask()).ToArray();
        var checks = Enumerable.Range(0, 200).Select(_ => line.CheckLimit(1).AsTask()).ToArray();
        await Task.WhenAll(draws);
        var seen = await Task.WhenAll(checks);

        // A read never sees a draw that is not yet durable: what it reports is some committed prefix.
        Assert.All(seen, c => Assert.True(c.Value!.Line.DrawnMinor % 100 == 0 && c.Value.Line.DrawnMinor <= 20_000));
        Assert.Equal(20_000, (await line.CheckLimit(1)).Value!.Line.DrawnMinor);
    }

    private async Task<ICreditLineGrain> OpenAsync(string id, long limit = Limit)
    {
        var line = Cluster.Line(id);
        var reply = await line.OpenApproved("open", limit, 365, 365, Product.SrdiELoan, "staff");
        Assert.Null(reply.Error);
        return line;
    }
}
