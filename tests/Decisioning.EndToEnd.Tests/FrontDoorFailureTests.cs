using System.Globalization;
using System.Text.RegularExpressions;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// The front door when what is behind it fails: a silo that hangs or dies, a Redis that hangs. No
/// call outlives its caller's deadline, an unknown outcome is settled by a retry with its request
/// id, and a burst of failures is a few lines in the log, not a stack trace per call.
/// </summary>
public sealed partial class FrontDoorFailureTests
{
    private const string DrawCancelled = "/decisioning.v1.CreditLineService/Draw: DeadlineExceeded: the caller's deadline passed; the grain call was cancelled";

    [Fact]
    public async Task A_call_to_a_frozen_silo_ends_at_the_callers_deadline_and_the_front_door_cancels_its_grain_call()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var silo = await SiloProcess.StartAsync(redis.Configuration);
        await using var host = await ServiceProcess.StartAsync(redis.Configuration, ClientOf(silo));
        var lines = new CreditLineService.CreditLineServiceClient(host.Channel);
        var id = await host.OpenFreshLineAsync(1_000_000);
        await lines.DrawAsync(Draw(id, "d-1", 100));

        var late = await DrawWhileFrozenAsync(host, silo.Pid, Draw(id, "d-2", 200));

        // The caller does not know whether d-2 was applied: a retry with its request id settles it, once.
        var retry = await lines.DrawAsync(Draw(id, "d-2", 200), deadline: DateTime.UtcNow.AddSeconds(30));
        var line = (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;
        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        Assert.True(retry.Approved);
        Assert.Equal(300, line.DrawnMinor);
    }

    [Fact]
    public async Task A_change_taken_into_a_write_is_written_although_its_caller_gave_up_at_its_deadline()
    {
        await using var redis = await RedisServer.StartAsync();
        // Co-hosted: the line's grain is active in the front door's process, which hands the draw
        // straight to the line's write pipeline.
        await using var host = await ServiceProcess.StartAsync(redis.Configuration);
        var lines = new CreditLineService.CreditLineServiceClient(host.Channel);
        var id = await host.OpenFreshLineAsync(1_000_000);
        await lines.DrawAsync(Draw(id, "d-1", 100));

        var late = await DrawWhileFrozenAsync(host, redis.Pid, Draw(id, "d-2", 200));

        var retry = await lines.DrawAsync(Draw(id, "d-2", 200), deadline: DateTime.UtcNow.AddSeconds(30));
        var journal = await lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 10 });
        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        Assert.Equal(300, retry.DrawnMinor);
        Assert.Single(journal.Transactions, t => t.RequestId == "d-2");
    }

    [Fact]
    public async Task A_burst_of_calls_failing_on_a_lost_silo_logs_a_few_lines_without_a_stack_trace()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var silo = await SiloProcess.StartAsync(redis.Configuration);
        await using var host = await ServiceProcess.StartAsync(redis.Configuration, ClientOf(silo));
        var lines = new CreditLineService.CreditLineServiceClient(host.Channel);
        var id = await host.OpenFreshLineAsync(1_000_000);

        await silo.KillAsync();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            try
            {
                await lines.DrawAsync(Draw(id, $"burst-{i}", 1), deadline: DateTime.UtcNow.AddSeconds(10));
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }));

        var frontDoor = host.Output.Split('\n').Where(l => l.Contains("ErrorMappingInterceptor", StringComparison.Ordinal)).ToList();
        Assert.All(statuses, s => Assert.Equal(StatusCode.Unavailable, s));
        Assert.DoesNotContain(host.Output.Split('\n'), l => StackFrame().IsMatch(l));
        Assert.InRange(frontDoor.Count, 1, 5);
    }

    /// <summary>
    /// A draw with a 1 s deadline while <paramref name="pid"/> is frozen; its failure, once the
    /// front door's log says it stopped waiting. That line is written when the grain call ends: at
    /// the deadline when the call is cancelled, at Orleans' response timeout (30 s) otherwise.
    /// </summary>
    private static async Task<RpcException> DrawWhileFrozenAsync(ServiceProcess host, int pid, DrawRequest draw)
    {
        var lines = new CreditLineService.CreditLineServiceClient(host.Channel);
        await ProcessSignals.PauseAsync(pid);
        try
        {
            var late = await Assert.ThrowsAsync<RpcException>(async () => await lines.DrawAsync(draw, deadline: DateTime.UtcNow.AddSeconds(1)));
            await host.WaitForOutputAsync(DrawCancelled);
            return late;
        }
        finally
        {
            await ProcessSignals.ResumeAsync(pid);
        }
    }

    /// <summary>A frame of a .NET stack trace: "at Namespace.Type.Method(…)".</summary>
    [GeneratedRegex(@"\bat [\w.`<>\[\],]+\.[\w<>`]+\(")]
    private static partial Regex StackFrame();

    private static Dictionary<string, string> ClientOf(SiloProcess silo) => new()
    {
        ["Decisioning__Grpc__Silo"] = "External",
        ["Decisioning__Cluster__GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
    };

    private static DrawRequest Draw(string id, string requestId, long amount) => new() { EnterpriseId = id, RequestId = requestId, AmountMinor = amount };
}
