using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Grpc.Core;
using Grpc.Health.V1;

namespace Decisioning.EndToEnd.Tests;

[Collection(ServiceCollection.Name)]
public sealed class LineSessionTests(ServiceFixture fixture)
{
    private CreditLineService.CreditLineServiceClient Lines => fixture.Lines;
    private LineAdminService.LineAdminServiceClient Admin => fixture.Admin;

    [Fact]
    public async Task A_whole_session_open_check_draw_hold_capture_release_repay_read_works_over_grpc()
    {
        var id = TestEnterprises.Unique();

        var opened = await fixture.Service.OpenLineByFourEyesAsync(new OpenLineRequest
        {
            EnterpriseId = id,
            RequestId = "open-1",
            LimitMinor = 1_000_000_00,
            AnnualRateBps = 350,
            TermDays = 365,
            Product = Product.SrdiELoan,
        });
        var check = await Lines.CheckLimitAsync(new CheckLimitRequest { EnterpriseId = id, AmountMinor = 250_000_00 });
        var draw = await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 250_000_00 });
        var hold = await Lines.PlaceHoldAsync(new PlaceHoldRequest { EnterpriseId = id, RequestId = "hold-1", AmountMinor = 100_000_00, HoldTtlSeconds = 600 });
        var capture = await Lines.CaptureHoldAsync(new CaptureHoldRequest { EnterpriseId = id, RequestId = "cap-1", HoldId = hold.HoldId, AmountMinor = 60_000_00 });
        var hold2 = await Lines.PlaceHoldAsync(new PlaceHoldRequest { EnterpriseId = id, RequestId = "hold-2", AmountMinor = 10_000_00 });
        var release = await Lines.ReleaseHoldAsync(new ReleaseHoldRequest { EnterpriseId = id, RequestId = "rel-1", HoldId = hold2.HoldId });
        var repay = await Lines.RepayAsync(new RepayRequest { EnterpriseId = id, RequestId = "repay-1", AmountMinor = 10_000_00 });
        var line = (await Lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;
        var journal = await Lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 100 });

        Assert.Equal(LineStatus.Active, opened.Line.Status);
        Assert.Equal((true, 1_000_000_00L), (check.Approved, check.AvailableMinor));
        Assert.Equal((true, 750_000_00L, 250_000_00L), (draw.Approved, draw.AvailableMinor, draw.DrawnMinor));
        Assert.Equal((true, "H4", 100_000_00L), (hold.Approved, hold.HoldId, hold.HeldMinor));
        Assert.Equal((60_000_00L, 40_000_00L, 310_000_00L, 0L), (capture.CapturedMinor, capture.ReleasedMinor, capture.DrawnMinor, capture.HeldMinor));
        Assert.Equal(10_000_00L, release.ReleasedMinor);
        Assert.Equal((0L, 10_000_00L, 300_000_00L), (repay.InterestPaidMinor, repay.PrincipalPaidMinor, repay.DrawnMinor));
        Assert.Equal((300_000_00L, 0L, 700_000_00L, "CNY"), (line.DrawnMinor, line.HeldMinor, line.AvailableMinor, line.CurrencyCode));
        Assert.Equal(
            [
                TransactionType.Repayment, TransactionType.HoldReleased, TransactionType.HoldPlaced, TransactionType.HoldCaptured,
                TransactionType.HoldPlaced, TransactionType.Draw, TransactionType.LineOpened, TransactionType.ProposalRecorded,
            ],
            journal.Transactions.Select(t => t.Type));
        Assert.Equal("", journal.NextPageToken);
    }

    [Fact]
    public async Task A_draw_beyond_available_credit_is_an_ok_reply_with_a_decline_reason()
    {
        var id = await OpenAsync(limit: 1_000);

        var draw = await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "d-1", AmountMinor = 1_001 });

        Assert.False(draw.Approved);
        Assert.Equal(DeclineReason.ExceedsAvailableCredit, draw.DeclineReason);
        Assert.Equal(1_000, draw.AvailableMinor);
    }

    [Fact]
    public async Task Credit_staff_freeze_unfreeze_adjust_and_close_a_line()
    {
        var id = await OpenAsync(limit: 100_000);
        await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "d-1", AmountMinor = 60_000 });

        var frozen = await Admin.FreezeLineAsync(new FreezeLineRequest { EnterpriseId = id, RequestId = "f-1", Reason = "litigation" });
        var declined = await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "d-2", AmountMinor = 1 });
        var unfrozen = await Admin.UnfreezeLineAsync(new UnfreezeLineRequest { EnterpriseId = id, RequestId = "u-1" });
        var lowered = await Admin.AdjustLimitAsync(new AdjustLimitRequest { EnterpriseId = id, RequestId = "l-1", LimitMinor = 50_000, Reason = "review" });
        await Lines.RepayAsync(new RepayRequest { EnterpriseId = id, RequestId = "r-1", AmountMinor = 60_000 });
        var closed = await Admin.CloseLineAsync(new CloseLineRequest { EnterpriseId = id, RequestId = "c-1" });
        var journal = await Lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id });

        Assert.Equal(LineStatus.Frozen, frozen.Line.Status);
        Assert.Equal(DeclineReason.LineFrozen, declined.DeclineReason);
        Assert.Equal(LineStatus.Active, unfrozen.Line.Status);
        Assert.Equal((50_000L, 0L), (lowered.Line.LimitMinor, lowered.Line.AvailableMinor));
        Assert.Equal(LineStatus.Closed, closed.Line.Status);
        Assert.Equal("litigation", journal.Transactions.Single(t => t.Type == TransactionType.LineFrozen).Note);
    }

    [Fact]
    public async Task The_journal_pages_newest_first_with_a_page_token()
    {
        var id = await OpenAsync(limit: 1_000_000);
        for (var i = 0; i < 11; i++)
        {
            await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = $"d-{i}", AmountMinor = 1 });
        }

        var sequences = new List<long>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await Lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 5, PageToken = token });
            sequences.AddRange(page.Transactions.Select(t => t.Sequence));
            token = page.NextPageToken;
            pages++;
        }
        while (token != "");

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 13).Reverse().Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task A_retried_draw_returns_the_first_reply_and_changes_nothing()
    {
        var id = await OpenAsync(limit: 1_000_000);
        var request = new DrawRequest { EnterpriseId = id, RequestId = "once", AmountMinor = 12_345 };

        var first = await Lines.DrawAsync(request);
        await Lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "other", AmountMinor = 1 });
        var retry = await Lines.DrawAsync(request);

        Assert.Equal(first, retry);
        Assert.Equal(12_346, (await Lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line.DrawnMinor);
    }

    [Fact]
    public async Task The_Xiamen_legacy_codes_are_accepted()
    {
        foreach (var id in TestEnterprises.XiamenLegacy)
        {
            var status = await Assert.ThrowsAsync<RpcException>(async () => await Lines.GetLineAsync(new GetLineRequest { EnterpriseId = id }));
            Assert.Equal(StatusCode.NotFound, status.StatusCode);
        }
    }

    [Fact]
    public async Task The_standard_health_service_answers_serving()
    {
        var health = new Health.HealthClient(fixture.Service.Channel);

        var reply = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    private async Task<string> OpenAsync(long limit)
    {
        var id = TestEnterprises.Unique();
        await fixture.Service.OpenLineByFourEyesAsync(new OpenLineRequest
        {
            EnterpriseId = id,
            RequestId = "open",
            LimitMinor = limit,
            AnnualRateBps = 300,
            TermDays = 365,
            Product = Product.OperatingQuickLoan,
        });
        return id;
    }
}
