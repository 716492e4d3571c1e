using System.Text.Json;
using Decisioning.Contracts.V1;
using Decisioning.LoadTest;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Decisioning.PlainScript.Tests;

/// <summary>
/// The plain baseline server over a real Redis: it must promise what Decisioning promises, or the
/// benchmark's ratio to it means nothing. No assertion is about speed.
/// </summary>
public sealed class PlainServerTests(PlainServers servers, ITestOutputHelper log) : IClassFixture<PlainServers>
{
    [Fact]
    public async Task A_retry_with_the_same_request_id_draws_once_and_gets_the_first_answer()
    {
        var id = await OpenAsync(servers.Journaled, limitMinor: 10_000);
        var lines = new CreditLineService.CreditLineServiceClient(servers.Journaled.Staff);
        var draw = new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 4_000 };

        var first = await lines.DrawAsync(draw);
        var retry = await lines.DrawAsync(draw);

        Assert.Equal(first, retry);
        Assert.Equal((true, 4_000L, 6_000L, 3L), (first.Approved, first.DrawnMinor, first.AvailableMinor, first.TransactionSequence));
        var line = (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;
        Assert.Equal((4_000L, 3L), (line.DrawnMinor, line.JournalSequence));
        // The proposal, the opening and one draw.
        Assert.Equal(3, await servers.Keys.StreamLengthAsync(PlainKeys.Journal(id)));
    }

    [Fact]
    public async Task The_same_request_id_with_another_amount_is_already_exists_and_draws_nothing()
    {
        var id = await OpenAsync(servers.Journaled, limitMinor: 10_000);
        var lines = new CreditLineService.CreditLineServiceClient(servers.Journaled.Staff);
        await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 100 });

        var reused = await Assert.ThrowsAsync<RpcException>(() => lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 200 }).ResponseAsync);

        Assert.Equal((StatusCode.AlreadyExists, "REQUEST_ID_REUSED"), (reused.StatusCode, Reason(reused)));
        Assert.Equal(100, (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line.DrawnMinor);
    }

    [Fact]
    public async Task A_draw_beyond_the_available_credit_is_declined_and_draws_nothing()
    {
        var id = await OpenAsync(servers.Journaled, limitMinor: 1_000);
        var lines = new CreditLineService.CreditLineServiceClient(servers.Journaled.Staff);

        var over = await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "over", AmountMinor = 1_001 });
        var all = await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "all", AmountMinor = 1_000 });
        var one = await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "one-more", AmountMinor = 1 });
        var check = await lines.CheckLimitAsync(new CheckLimitRequest { EnterpriseId = id, AmountMinor = 1 });

        Assert.Equal((false, DeclineReason.ExceedsAvailableCredit, 0L), (over.Approved, over.DeclineReason, over.DrawnMinor));
        Assert.Equal((true, 1_000L, 0L), (all.Approved, all.DrawnMinor, all.AvailableMinor));
        Assert.Equal((false, DeclineReason.ExceedsAvailableCredit, 1_000L), (one.Approved, one.DeclineReason, one.DrawnMinor));
        Assert.Equal((false, DeclineReason.ExceedsAvailableCredit, 0L), (check.Approved, check.DeclineReason, check.AvailableMinor));
        Assert.Equal(1_000, (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line.DrawnMinor);
    }

    [Fact]
    public async Task With_the_journal_every_accepted_draw_appends_one_entry()
    {
        var id = await OpenAsync(servers.Journaled, limitMinor: 10_000);
        var lines = new CreditLineService.CreditLineServiceClient(servers.Journaled.Staff);
        var before = await servers.Keys.StreamLengthAsync(PlainKeys.Journal(id));

        for (var n = 1; n <= 5; n++)
        {
            Assert.True((await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = $"draw-{n}", AmountMinor = 100 })).Approved);
        }

        Assert.Equal(before + 5, await servers.Keys.StreamLengthAsync(PlainKeys.Journal(id)));
        var page = await lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 5 });
        Assert.Equal([7L, 6, 5, 4, 3], page.Transactions.Select(t => t.Sequence));
        Assert.All(page.Transactions, t => Assert.Equal((TransactionType.Draw, 100L, "staff-tests"), (t.Type, t.AmountMinor, t.Actor)));
        Assert.Equal(["draw-5", "draw-4", "draw-3", "draw-2", "draw-1"], page.Transactions.Select(t => t.RequestId));
        Assert.Equal([500L, 400, 300, 200, 100], page.Transactions.Select(t => t.DrawnAfterMinor));
        var older = await lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 5, PageToken = page.NextPageToken });
        Assert.Equal([TransactionType.LineOpened, TransactionType.ProposalRecorded], older.Transactions.Select(t => t.Type));
        Assert.Equal("", older.NextPageToken);
    }

    [Fact]
    public async Task Without_the_journal_no_draw_appends_an_entry()
    {
        var id = await OpenAsync(servers.Unjournaled, limitMinor: 10_000);
        var lines = new CreditLineService.CreditLineServiceClient(servers.Unjournaled.Staff);

        for (var n = 1; n <= 5; n++)
        {
            Assert.True((await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = $"draw-{n}", AmountMinor = 100 })).Approved);
        }

        var line = (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;
        Assert.Equal((500L, 7L), (line.DrawnMinor, line.JournalSequence));
        Assert.False(await servers.Keys.KeyExistsAsync(PlainKeys.Journal(id)));
        Assert.Empty((await lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id })).Transactions);
    }

    [Fact]
    public async Task Callers_are_refused_as_the_service_refuses_them()
    {
        var id = await OpenAsync(servers.Journaled, limitMinor: 10_000);
        var draw = new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 100 };
        using var anonymous = Grpc.Net.Client.GrpcChannel.ForAddress(servers.Journaled.Address);
        using var reader = BearerChannels.For(servers.Journaled.Address, TestTokens.Shared.Issue("reader", ["credit.read"], ["*"]));
        using var stranger = BearerChannels.For(servers.Journaled.Address, TestTokens.Shared.Issue("stranger", ["credit.draw"], [TestEnterprises.Unique()]));

        var refusals = new List<(StatusCode, string?)>();
        foreach (var channel in new[] { anonymous, reader, stranger })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => new CreditLineService.CreditLineServiceClient(channel).DrawAsync(draw).ResponseAsync);
            refusals.Add((refused.StatusCode, Reason(refused)));
        }

        Assert.Equal(
            [(StatusCode.Unauthenticated, "TOKEN_MISSING"), (StatusCode.PermissionDenied, "SCOPE_REQUIRED"), (StatusCode.PermissionDenied, "ENTERPRISE_NOT_SERVED")],
            refusals);
        Assert.Equal(0, (await new CreditLineService.CreditLineServiceClient(servers.Journaled.Staff).GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line.DrawnMinor);
    }

    [Fact]
    public async Task A_Redis_that_does_not_fsync_every_write_is_refused_at_start()
    {
        await using var redis = await RedisServer.StartAsync(durable: false);
        await using var app = PlainHost.Create(redis.Configuration, journal: true, RedisServer.FreePort());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("appendfsync", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_its_first_health_check_is_published_the_server_answers_not_serving_rather_than_an_unknown_service()
    {
        // Not started: no check has run, so what the health service holds is what a probe gets
        // between the listener opening and the first check's Redis round trip.
        await using var app = PlainHost.Create("127.0.0.1:1", journal: true, RedisServer.FreePort());
        var health = app.Services.GetRequiredService<HealthServiceImpl>();

        var answers = new[] { "", "decisioning.ready", "decisioning.live" }
            .Select(service => health.Check(new HealthCheckRequest { Service = service }, context: null!).Result.Status);

        Assert.Equal([ServingStatus.NotServing, ServingStatus.NotServing, ServingStatus.Serving], answers);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_load_tool_opens_its_lines_draws_and_finds_its_ledger_exact(bool journal)
    {
        var host = journal ? servers.Journaled : servers.Unjournaled;
        var reports = Directory.CreateTempSubdirectory("decisioning-plain-load-");
        try
        {
            using var output = new StringWriter();
            var exit = await LoadTestRunner.RunAsync(
                ["--target", host.Address, "--token", TestTokens.Shared.Staff, "--approver-token", TestTokens.Shared.Approver,
                    "--scenario", "draw", "--enterprises", "4", "--concurrency", "8", "--duration", "1s", "--warmup", "200ms",
                    "--redis-pid", servers.Redis.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--quiet", "--out", reports.FullName],
                output);
            log.WriteLine(output.ToString());

            Assert.Equal(ExitCodes.Success, exit);
            using var result = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports.FullName, "result.json")));
            var ledger = result.RootElement.GetProperty("ledger");
            Assert.True(ledger.GetProperty("checked").GetBoolean());
            Assert.True(ledger.GetProperty("ok").GetBoolean(), string.Join('\n', ledger.GetProperty("problems").EnumerateArray()));
            Assert.True(ledger.GetProperty("acknowledged_operations").GetInt64() > 0);
            Assert.True(result.RootElement.GetProperty("redis_cpu").GetProperty("cpu_seconds").GetDouble() >= 0);
            Assert.Contains("redis_cpu_us_per_call=", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            reports.Delete(recursive: true);
        }
    }

    /// <summary>A fresh enterprise with an active line: opened by staff, approved by a second staff member.</summary>
    private static async Task<string> OpenAsync(PlainHost host, long limitMinor)
    {
        var id = TestEnterprises.Unique();
        var proposed = await new LineAdminService.LineAdminServiceClient(host.Staff).OpenLineAsync(new OpenLineRequest
        {
            EnterpriseId = id,
            RequestId = "open-1",
            LimitMinor = limitMinor,
            TermDays = 365,
            Product = Product.SrdiELoan,
        });
        var approved = await new LineAdminService.LineAdminServiceClient(host.Approver).ApproveProposalAsync(new ApproveProposalRequest
        {
            EnterpriseId = id,
            RequestId = "approve-1",
            ProposalId = proposed.Proposal.ProposalId,
        });
        Assert.Equal((ProposalStatus.Approved, 2L, limitMinor), (approved.Proposal.Status, approved.Line.JournalSequence, approved.Line.LimitMinor));
        return id;
    }

    private static string? Reason(RpcException error) => error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
}
