using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Decisioning.Grains.Tests;

/// <summary>The front door's in-process path to lines whose grain is active here (<see cref="LocalLines"/>).</summary>
public sealed class LocalAccessTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>
{
    private LineCluster Cluster => shared.Line;

    private LocalLines Local => Cluster.Cluster.GetSiloServiceProvider().GetRequiredService<LocalLines>();

    private LineAccess Access => new(Cluster.Grains, Cluster.Clock, Local);

    [Fact]
    public async Task An_active_line_answers_in_process_exactly_as_its_grain_does()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");

        var viaAccess = await Access.Change(id, new DrawCommand("d-1", 2_500) { Actor = "test" });
        var retryViaGrain = await line.Draw("d-1", 2_500, "test");

        Assert.True(Local.TryGet(id, out _));
        LineCommands.AssertSameAnswer(viaAccess, retryViaGrain);
        Assert.Equivalent(await line.CheckLimit(7_500), await Access.CheckLimit(id, 7_500));
        Assert.Equivalent(await line.GetLine(), await Access.GetLine(id));
    }

    [Fact]
    public async Task Concurrent_changes_in_process_and_through_the_grain_never_exceed_the_limit()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 1_000_000, 300, 30, Product.OperatingQuickLoan, "staff");
        var random = new Random(7);
        var amounts = Enumerable.Range(0, 1000).Select(_ => (long)random.Next(1, 4_000)).ToArray();

        var replies = await Task.WhenAll(amounts.Select((amount, i) => i % 2 == 0
            ? Task.Run(() => Access.Change(id, new DrawCommand($"d-{i}", amount) { Actor = LineCluster.Caller }).AsTask())
            : line.Draw($"d-{i}", amount, "test").AsTask()));

        var state = (await line.GetLine()).Value!;
        Assert.All(replies, r => Assert.Null(r.Error));
        Assert.Equal(replies.Zip(amounts).Where(p => p.First.Value!.Approved).Sum(p => p.Second), state.DrawnMinor);
        Assert.True(state.DrawnMinor <= state.LimitMinor);
        Assert.Contains(replies, r => !r.Value!.Approved);
        Assert.Equal(1002, state.Sequence);
    }

    [Fact]
    public async Task The_same_request_id_in_process_and_through_the_grain_at_once_applies_once()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 1_000_000, 300, 30, Product.OperatingQuickLoan, "staff");

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? Task.Run(() => Access.Change(id, new DrawCommand("same", 777) { Actor = LineCluster.Caller }).AsTask())
            : line.Draw("same", 777, "anonymous").AsTask()));

        Assert.All(replies, r => LineCommands.AssertSameAnswer(replies[0], r));
        Assert.Equal(777, (await line.GetLine()).Value!.DrawnMinor);
    }

    [Fact]
    public async Task A_deactivated_line_is_withdrawn_and_reached_through_its_grain_again()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");

        var inFlight = Enumerable.Range(0, 50).Select(i => Access.Change(id, new DrawCommand($"d-{i}", 10) { Actor = LineCluster.Caller }).AsTask()).ToArray();
        await Cluster.Cluster.DeactivateAsync(line);
        var withdrawn = !Local.TryGet(id, out _);
        var answered = await Task.WhenAll(inFlight);
        var after = (await Access.Change(id, new DrawCommand("after", 1) { Actor = LineCluster.Caller })).Value!;

        Assert.True(withdrawn);
        Assert.All(answered, r => Assert.True(r.Value!.Approved));
        Assert.True(after.Approved);
        Assert.Equal(501, after.Line!.DrawnMinor);
        Assert.True(Local.TryGet(id, out _));
    }

    [Fact]
    public async Task A_stale_pipeline_stores_nothing_and_the_change_goes_through_a_reloaded_grain()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");
        await Cluster.DrawElsewhereAsync(shared.Redis, id, "elsewhere", 1_000);

        var pipeline = Local.TryGet(id, out var held) ? held : null;
        var answered = (await Access.Change(id, new DrawCommand("d-1", 10) { Actor = LineCluster.Caller })).Value!;
        var retry = (await Access.Change(id, new DrawCommand("d-1", 10) { Actor = LineCluster.Caller })).Value!;

        Assert.NotNull(pipeline);
        Assert.False(pipeline.IsServing);
        Assert.Equal(1_010, answered.Line!.DrawnMinor);
        Assert.True(retry.Replayed);
        Assert.Equal(1_010, (await Access.GetLine(id)).Value!.DrawnMinor);
    }

    [Fact]
    public async Task A_stale_pipeline_does_not_refuse_by_the_state_it_missed_and_the_change_goes_through_a_reloaded_grain()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");
        await Access.Change(id, new DrawCommand("d-1", 1_000) { Actor = LineCluster.Caller });
        await Cluster.DrawElsewhereAsync(shared.Redis, id, "elsewhere", 2_000);
        var pipeline = Local.TryGet(id, out var held) ? held : null;

        // The pipeline holds 1,000 owed: 2,500 would exceed it, but the line owes 3,000.
        var repaid = (await Access.Change(id, new RepayCommand("r-1", 2_500) { Actor = LineCluster.Caller })).Value!;

        Assert.NotNull(pipeline);
        Assert.False(pipeline.IsServing);
        Assert.Equal(2_500, repaid.PrincipalPaidMinor);
        Assert.Equal(500, (await Access.GetLine(id)).Value!.DrawnMinor);
    }

    [Fact]
    public async Task An_enterprise_without_a_line_is_not_found_in_process_too()
    {
        var id = TestEnterprises.Unique();

        var first = await Access.GetLine(id);
        var second = await Access.CheckLimit(id, 1);
        var third = await Access.Change(id, new DrawCommand("d-1", 1) { Actor = LineCluster.Caller });

        Assert.Equal("LINE_NOT_FOUND", first.Error?.Reason);
        Assert.Equal("LINE_NOT_FOUND", second.Error?.Reason);
        Assert.Equal("LINE_NOT_FOUND", third.Error?.Reason);
    }
}
