using Decisioning.Contracts.V1;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

[Collection(ServiceCollection.Name)]
public sealed class RestartTests(ServiceFixture fixture)
{
    [Fact]
    public async Task A_killed_service_comes_back_with_every_acknowledged_change()
    {
        await using var service = await ServiceProcess.StartAsync(fixture.Redis.Configuration);
        var lines = new CreditLineService.CreditLineServiceClient(service.Channel);
        var admin = new LineAdminService.LineAdminServiceClient(service.Channel);
        var id = await service.OpenFreshLineAsync(1_000_000);
        var draws = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = $"d-{i}", AmountMinor = 1_000 }).ResponseAsync));
        var before = (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;

        await service.KillAsync();
        await service.StartAgainAsync();

        var after = (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;
        var retry = await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "d-7", AmountMinor = 1_000 });
        Assert.Equal(before, after);
        Assert.Equal(100_000, after.DrawnMinor);
        Assert.Equal(draws[7], retry);
    }
}
