using Decisioning.Domain.Lines;
using Decisioning.Grains.Lines;
using Decisioning.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Decisioning.Grains.Tests;

public sealed class LocalReadTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>
{
    private LineCluster Cluster => shared.Line;

    private LocalLineStates Local => Cluster.Cluster.GetSiloServiceProvider().GetRequiredService<LocalLineStates>();

    private LineReads Reads => new(Cluster.Grains, Cluster.Clock, Local);

    [Fact]
    public async Task An_active_line_is_read_locally_with_exactly_its_durable_state()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenLine("open", 10_000, 0, 30, Product.OperatingQuickLoan, "staff");
        await line.Draw("d-1", 2_500, "test");

        Assert.True(Local.TryGet(id, out var published));
        Assert.Equal(2_500, published.DrawnMinor);
        Assert.Equivalent(await line.CheckLimit(7_500), await Reads.CheckLimit(id, 7_500));
        Assert.Equivalent(await line.GetLine(), await Reads.GetLine(id));
    }

    [Fact]
    public async Task A_deactivated_line_is_withdrawn_and_read_through_its_grain_again()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenLine("open", 10_000, 0, 30, Product.OperatingQuickLoan, "staff");

        await Cluster.Cluster.DeactivateAsync(line);
        var withdrawn = !Local.TryGet(id, out _);
        var reply = await Reads.CheckLimit(id, 10_000);

        Assert.True(withdrawn);
        Assert.True(reply.Approved);
        Assert.True(Local.TryGet(id, out _));
    }

    [Fact]
    public async Task An_enterprise_without_a_line_reads_as_not_found_locally_too()
    {
        var id = TestEnterprises.Unique();

        var first = await Reads.GetLine(id);
        var second = await Reads.CheckLimit(id, 1);

        Assert.Equal("LINE_NOT_FOUND", first.Error?.Reason);
        Assert.Equal("LINE_NOT_FOUND", second.Error?.Reason);
    }
}
