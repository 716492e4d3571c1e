using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Bad input over the wire: each case gets the exact status, a stable reason in
/// google.rpc.ErrorInfo, a message naming what was wrong, and changes nothing on the line.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class BadRequestTests(ServiceFixture fixture) : IAsyncLifetime
{
    // The line every case aims at (or next to): limit 1,000,000 fen, 100,000 drawn, hold H4 of 50,000 open.
    private static readonly string Target = TestEnterprises.Unique();
    private static readonly string Stranger = TestEnterprises.Unique();
    private const string UsedRequestId = "draw-setup";

    private static readonly Dictionary<string, BadCase> Cases = new BadCase[]
    {
        // CheckLimit
        new("CheckLimit with an empty enterprise id", StatusCode.InvalidArgument, "ENTERPRISE_ID_INVALID", "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = "", AmountMinor = 1 }).ResponseAsync),
        new("CheckLimit with a 17-character enterprise id", StatusCode.InvalidArgument, "ENTERPRISE_ID_INVALID", "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target[..17], AmountMinor = 1 }).ResponseAsync),
        new("CheckLimit with a lowercase letter in the enterprise id", StatusCode.InvalidArgument, "ENTERPRISE_ID_INVALID", "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target[..8] + "m" + Target[9..], AmountMinor = 1 }).ResponseAsync),
        new("CheckLimit with a typo caught by the check character", StatusCode.InvalidArgument, "ENTERPRISE_ID_INVALID", "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Typo(Target), AmountMinor = 1 }).ResponseAsync),
        new("CheckLimit of zero", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "amount_minor", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target, AmountMinor = 0 }).ResponseAsync),
        new("CheckLimit of minus one", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "amount_minor", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target, AmountMinor = -1 }).ResponseAsync),
        new("CheckLimit of long.MaxValue", StatusCode.InvalidArgument, "AMOUNT_TOO_LARGE", "amount_minor", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target, AmountMinor = long.MaxValue }).ResponseAsync),
        new("CheckLimit for an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Stranger, AmountMinor = 1 }).ResponseAsync),

        // Draw
        new("Draw without a request id", StatusCode.InvalidArgument, "REQUEST_ID_REQUIRED", "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, AmountMinor = 1 }).ResponseAsync),
        new("Draw with a 65-character request id", StatusCode.InvalidArgument, "REQUEST_ID_TOO_LONG", "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = new string('r', 65), AmountMinor = 1 }).ResponseAsync),
        new("Draw with a space in the request id", StatusCode.InvalidArgument, "REQUEST_ID_MALFORMED", "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "a b", AmountMinor = 1 }).ResponseAsync),
        new("Draw with a non-ASCII request id", StatusCode.InvalidArgument, "REQUEST_ID_MALFORMED", "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "提款-1", AmountMinor = 1 }).ResponseAsync),
        new("Draw of zero", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "amount_minor", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "d-zero", AmountMinor = 0 }).ResponseAsync),
        new("Draw of long.MinValue", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "amount_minor", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "d-min", AmountMinor = long.MinValue }).ResponseAsync),
        new("Draw of long.MaxValue", StatusCode.InvalidArgument, "AMOUNT_TOO_LARGE", "amount_minor", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "d-max", AmountMinor = long.MaxValue }).ResponseAsync),
        new("Draw on an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Stranger, RequestId = "d-1", AmountMinor = 1 }).ResponseAsync),
        new("Draw reusing a request id with another amount", StatusCode.AlreadyExists, "REQUEST_ID_REUSED", "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId, AmountMinor = 99 }).ResponseAsync),
        new("Draw with every field wrong", StatusCode.InvalidArgument, "ENTERPRISE_ID_INVALID", "enterprise_id", c => c.Lines.DrawAsync(new() { EnterpriseId = "X", RequestId = "", AmountMinor = -5 }).ResponseAsync),

        // Repay
        new("Repay more than is owed", StatusCode.FailedPrecondition, "REPAYMENT_EXCEEDS_OUTSTANDING", "amount_minor", c => c.Lines.RepayAsync(new() { EnterpriseId = Target, RequestId = "r-over", AmountMinor = 100_001 }).ResponseAsync),
        new("Repay zero", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "amount_minor", c => c.Lines.RepayAsync(new() { EnterpriseId = Target, RequestId = "r-zero", AmountMinor = 0 }).ResponseAsync),
        new("Repay on an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Lines.RepayAsync(new() { EnterpriseId = Stranger, RequestId = "r-1", AmountMinor = 1 }).ResponseAsync),
        new("Repay reusing a draw's request id", StatusCode.AlreadyExists, "REQUEST_ID_REUSED", "request_id", c => c.Lines.RepayAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId, AmountMinor = 100_000 }).ResponseAsync),

        // PlaceHold
        new("PlaceHold with a negative time to live", StatusCode.InvalidArgument, "HOLD_TTL_OUT_OF_RANGE", "hold_ttl_seconds", c => c.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "h-neg", AmountMinor = 1, HoldTtlSeconds = -1 }).ResponseAsync),
        new("PlaceHold for longer than seven days", StatusCode.InvalidArgument, "HOLD_TTL_OUT_OF_RANGE", "hold_ttl_seconds", c => c.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "h-long", AmountMinor = 1, HoldTtlSeconds = 7 * 24 * 3600 + 1 }).ResponseAsync),
        new("PlaceHold of a negative amount", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "amount_minor", c => c.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "h-neg-amount", AmountMinor = -100 }).ResponseAsync),
        new("PlaceHold on an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Lines.PlaceHoldAsync(new() { EnterpriseId = Stranger, RequestId = "h-1", AmountMinor = 1 }).ResponseAsync),

        // CaptureHold
        new("CaptureHold without a hold id", StatusCode.InvalidArgument, "HOLD_ID_REQUIRED", "hold_id", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-1" }).ResponseAsync),
        new("CaptureHold with a malformed hold id", StatusCode.InvalidArgument, "HOLD_ID_MALFORMED", "hold_id", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-2", HoldId = "X3" }).ResponseAsync),
        new("CaptureHold of a hold that was never placed", StatusCode.NotFound, "HOLD_NOT_FOUND", "hold_id", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-3", HoldId = "H999" }).ResponseAsync),
        new("CaptureHold of more than the hold reserves", StatusCode.FailedPrecondition, "CAPTURE_EXCEEDS_HOLD", "amount_minor", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-4", HoldId = "H4", AmountMinor = 50_001 }).ResponseAsync),
        new("CaptureHold of a negative amount", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "amount_minor", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-5", HoldId = "H4", AmountMinor = -1 }).ResponseAsync),

        // ReleaseHold
        new("ReleaseHold of a hold that was never placed", StatusCode.NotFound, "HOLD_NOT_FOUND", "hold_id", c => c.Lines.ReleaseHoldAsync(new() { EnterpriseId = Target, RequestId = "x-1", HoldId = "H2" }).ResponseAsync),
        new("ReleaseHold without a request id", StatusCode.InvalidArgument, "REQUEST_ID_REQUIRED", "request_id", c => c.Lines.ReleaseHoldAsync(new() { EnterpriseId = Target, HoldId = "H4" }).ResponseAsync),

        // GetLine and ListTransactions
        new("GetLine of an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Lines.GetLineAsync(new() { EnterpriseId = Stranger }).ResponseAsync),
        new("GetLine with a malformed enterprise id", StatusCode.InvalidArgument, "ENTERPRISE_ID_INVALID", "enterprise_id", c => c.Lines.GetLineAsync(new() { EnterpriseId = "91350100M000100Y4!" }).ResponseAsync),
        new("ListTransactions with a negative page size", StatusCode.InvalidArgument, "PAGE_SIZE_OUT_OF_RANGE", "page_size", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageSize = -1 }).ResponseAsync),
        new("ListTransactions with a page size of 501", StatusCode.InvalidArgument, "PAGE_SIZE_OUT_OF_RANGE", "page_size", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageSize = 501 }).ResponseAsync),
        new("ListTransactions with a page token that is not base64", StatusCode.InvalidArgument, "PAGE_TOKEN_INVALID", "page_token", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageToken = "not a token!" }).ResponseAsync),
        new("ListTransactions with a forged page token", StatusCode.InvalidArgument, "PAGE_TOKEN_INVALID", "page_token", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageToken = Convert.ToBase64String("before:-5"u8.ToArray()) }).ResponseAsync),
        new("ListTransactions of an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Stranger }).ResponseAsync),

        // OpenLine
        new("OpenLine on an enterprise whose line is open", StatusCode.FailedPrecondition, "LINE_ALREADY_OPEN", null, c => c.Admin.OpenLineAsync(Opening(Target, "open-again")).ResponseAsync),
        new("OpenLine with a zero limit", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "limit_minor", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-1", limit: 0)).ResponseAsync),
        new("OpenLine with a negative rate", StatusCode.InvalidArgument, "RATE_OUT_OF_RANGE", "annual_rate_bps", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-2", rate: -1)).ResponseAsync),
        new("OpenLine with a rate above 100%", StatusCode.InvalidArgument, "RATE_OUT_OF_RANGE", "annual_rate_bps", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-3", rate: 10_001)).ResponseAsync),
        new("OpenLine with a zero term", StatusCode.InvalidArgument, "TERM_OUT_OF_RANGE", "term_days", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-4", term: 0)).ResponseAsync),
        new("OpenLine without a product", StatusCode.InvalidArgument, "PRODUCT_REQUIRED", "product", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-5", product: Product.Unspecified)).ResponseAsync),
        new("OpenLine with an unknown product number", StatusCode.InvalidArgument, "PRODUCT_REQUIRED", "product", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-6", product: (Product)99)).ResponseAsync),
        new("OpenLine with a limit above the maximum amount", StatusCode.InvalidArgument, "AMOUNT_TOO_LARGE", "limit_minor", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-7", limit: 100_000_000_001)).ResponseAsync),

        // Freeze, unfreeze, adjust, close
        new("FreezeLine with a 257-character reason", StatusCode.InvalidArgument, "TEXT_TOO_LONG", "reason", c => c.Admin.FreezeLineAsync(new() { EnterpriseId = Target, RequestId = "f-1", Reason = new string('x', 257) }).ResponseAsync),
        new("FreezeLine of an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Admin.FreezeLineAsync(new() { EnterpriseId = Stranger, RequestId = "f-2" }).ResponseAsync),
        new("UnfreezeLine of a line that is not frozen", StatusCode.FailedPrecondition, "LINE_NOT_FROZEN", null, c => c.Admin.UnfreezeLineAsync(new() { EnterpriseId = Target, RequestId = "u-1" }).ResponseAsync),
        new("AdjustLimit to a negative limit", StatusCode.InvalidArgument, "LIMIT_MUST_NOT_BE_NEGATIVE", "limit_minor", c => c.Admin.AdjustLimitAsync(new() { EnterpriseId = Target, RequestId = "a-1", LimitMinor = -1 }).ResponseAsync),
        new("AdjustLimit above the maximum amount", StatusCode.InvalidArgument, "AMOUNT_TOO_LARGE", "limit_minor", c => c.Admin.AdjustLimitAsync(new() { EnterpriseId = Target, RequestId = "a-2", LimitMinor = long.MaxValue }).ResponseAsync),
        new("CloseLine while principal is outstanding", StatusCode.FailedPrecondition, "LINE_HAS_OUTSTANDING_BALANCE", null, c => c.Admin.CloseLineAsync(new() { EnterpriseId = Target, RequestId = "x-2" }).ResponseAsync),
        new("CloseLine reusing a request id of a draw", StatusCode.AlreadyExists, "REQUEST_ID_REUSED", "request_id", c => c.Admin.CloseLineAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId }).ResponseAsync),

        // AssessEnterprise
        new("AssessEnterprise without a request id", StatusCode.InvalidArgument, "REQUEST_ID_REQUIRED", "request_id", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Target, "", r => { })).ResponseAsync),
        new("AssessEnterprise with a typo in the enterprise id", StatusCode.InvalidArgument, "ENTERPRISE_ID_INVALID", "enterprise_id", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Typo(Target), "a-1", r => { })).ResponseAsync),
        new("AssessEnterprise without a profile", StatusCode.InvalidArgument, "FIELD_REQUIRED", "profile", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-2", r => r.Profile = null)).ResponseAsync),
        new("AssessEnterprise with a founding date that is not a date", StatusCode.InvalidArgument, "DATE_MALFORMED", "profile.founded_on", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-3", r => r.Profile.FoundedOn = "2016-13-01")).ResponseAsync),
        new("AssessEnterprise with a founding date in the future", StatusCode.InvalidArgument, "DATE_IN_THE_FUTURE", "profile.founded_on", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-4", r => r.Profile.FoundedOn = "2999-01-01")).ResponseAsync),
        new("AssessEnterprise with a negative number of employees", StatusCode.InvalidArgument, "COUNT_OUT_OF_RANGE", "profile.employees", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-5", r => r.Profile.Employees = -1)).ResponseAsync),
        new("AssessEnterprise with zero total assets", StatusCode.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "financials.total_assets_minor", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-6", r => r.Financials.TotalAssetsMinor = 0)).ResponseAsync),
        new("AssessEnterprise with eleven months of fund flow", StatusCode.InvalidArgument, "FUND_FLOW_MONTHS_INCOMPLETE", "fund_flow.months", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-7", r => r.FundFlow.Months.RemoveAt(0))).ResponseAsync),
        new("AssessEnterprise with counterparties paying more than the month's inflow", StatusCode.InvalidArgument, "COUNTERPARTIES_EXCEED_INFLOW", "fund_flow.months[3].counterparties", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-8", r => r.FundFlow.Months[3].InflowMinor = 1)).ResponseAsync),
        new("AssessEnterprise fetching external data while supplying the credit report", StatusCode.InvalidArgument, "SUPPLIED_WITH_FETCH", "financing", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-9", r => r.FetchExternalData = true)).ResponseAsync),
        new("AssessEnterprise with an unknown product number", StatusCode.InvalidArgument, "UNKNOWN_PRODUCT", "product", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-10", r => r.Product = (Product)7)).ResponseAsync),
        new("AssessEnterprise with a fund-flow statement ending three complete months ago", StatusCode.InvalidArgument, "FUND_FLOW_OUT_OF_DATE", "fund_flow", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-11", r => MonthsEarlier(r.FundFlow, 2))).ResponseAsync),
        new("AssessEnterprise reusing a draw's request id", StatusCode.AlreadyExists, "REQUEST_ID_REUSED", "request_id", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Target, UsedRequestId, r => { })).ResponseAsync),

        // GetDecision
        new("GetDecision with a malformed decision id", StatusCode.InvalidArgument, "DECISION_ID_MALFORMED", "decision_id", c => c.Decisioning.GetDecisionAsync(new() { EnterpriseId = Target, DecisionId = "D-XYZ" }).ResponseAsync),
        new("GetDecision without a decision id", StatusCode.InvalidArgument, "DECISION_ID_REQUIRED", "decision_id", c => c.Decisioning.GetDecisionAsync(new() { EnterpriseId = Target }).ResponseAsync),
        new("GetDecision of a decision never made", StatusCode.NotFound, "DECISION_NOT_FOUND", "decision_id", c => c.Decisioning.GetDecisionAsync(new() { EnterpriseId = Target, DecisionId = "D-000000000000000000000000" }).ResponseAsync),

        // RenewLine
        new("RenewLine of an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Decisioning.RenewLineAsync(Applications.Renewal(Stranger, "n-1")).ResponseAsync),
        new("RenewLine without financials", StatusCode.InvalidArgument, "FIELD_REQUIRED", "financials", c => c.Decisioning.RenewLineAsync(Renewing(Target, "n-2", r => r.Financials = null)).ResponseAsync),
        new("RenewLine with a month of fund flow out of order", StatusCode.InvalidArgument, "FUND_FLOW_MONTHS_NOT_CONSECUTIVE", "fund_flow.months[5].month", c => c.Decisioning.RenewLineAsync(Renewing(Target, "n-3", r => r.FundFlow.Months[5].Month = r.FundFlow.Months[6].Month)).ResponseAsync),
        new("RenewLine reusing a draw's request id", StatusCode.AlreadyExists, "REQUEST_ID_REUSED", "request_id", c => c.Decisioning.RenewLineAsync(Renewing(Target, UsedRequestId, r => { })).ResponseAsync),

        // ReportRiskSignal
        new("ReportRiskSignal without a signal type", StatusCode.InvalidArgument, "SIGNAL_TYPE_REQUIRED", "signal_type", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = "s-1", Severity = RiskSeverity.Severe }).ResponseAsync),
        new("ReportRiskSignal without a severity", StatusCode.InvalidArgument, "SEVERITY_REQUIRED", "severity", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = "s-2", SignalType = RiskSignalType.Overdue }).ResponseAsync),
        new("ReportRiskSignal with an unknown signal type number", StatusCode.InvalidArgument, "SIGNAL_TYPE_REQUIRED", "signal_type", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = "s-3", SignalType = (RiskSignalType)9, Severity = RiskSeverity.Low }).ResponseAsync),
        new("ReportRiskSignal with a 257-character note", StatusCode.InvalidArgument, "TEXT_TOO_LONG", "note", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = "s-4", SignalType = RiskSignalType.Overdue, Severity = RiskSeverity.Low, Note = new string('n', 257) }).ResponseAsync),
        new("ReportRiskSignal for an enterprise without a line", StatusCode.NotFound, "LINE_NOT_FOUND", "enterprise_id", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Stranger, RequestId = "s-5", SignalType = RiskSignalType.Overdue, Severity = RiskSeverity.Severe }).ResponseAsync),
        new("ReportRiskSignal reusing a draw's request id", StatusCode.AlreadyExists, "REQUEST_ID_REUSED", "request_id", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId, SignalType = RiskSignalType.Overdue, Severity = RiskSeverity.Severe }).ResponseAsync),

        // Size
        new("A message larger than the 64 KiB limit", StatusCode.ResourceExhausted, null, null, c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = new string('r', 70_000), AmountMinor = 1 }).ResponseAsync),
    }.ToDictionary(c => c.Name);

    public static TheoryData<string> Names => [.. Cases.Keys];

    public async Task InitializeAsync()
    {
        try
        {
            await fixture.Lines.GetLineAsync(new() { EnterpriseId = Target });
            return;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // First case of the run: set the target line up.
        }

        await fixture.Service.OpenLineByFourEyesAsync(Opening(Target, "open"));
        await fixture.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId, AmountMinor = 100_000 });
        var hold = await fixture.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "hold-setup", AmountMinor = 50_000, HoldTtlSeconds = 3600 });
        Assert.Equal("H4", hold.HoldId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_table_holds_at_least_forty_cases() => Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bad_request_gets_a_precise_status_and_changes_nothing(string name)
    {
        var bad = Cases[name];
        var lineBefore = await fixture.Lines.GetLineAsync(new() { EnterpriseId = Target });
        var journalBefore = await fixture.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageSize = 500 });

        var error = await Assert.ThrowsAsync<RpcException>(() => bad.Call(fixture));

        Assert.Equal(bad.Code, error.StatusCode);
        var status = error.GetRpcStatus();
        if (bad.Reason is not null)
        {
            var info = status?.GetDetail<ErrorInfo>();
            Assert.NotNull(info);
            Assert.Equal((bad.Reason, "decisioning.v1"), (info.Reason, info.Domain));
            Assert.DoesNotContain("Exception", error.Status.Detail, StringComparison.Ordinal);
        }

        if (bad.Field is not null)
        {
            Assert.Contains(bad.Field, error.Status.Detail, StringComparison.Ordinal);
        }

        if (bad.Code == StatusCode.InvalidArgument)
        {
            Assert.Contains(status!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == bad.Field);
        }

        Assert.Equal(lineBefore, await fixture.Lines.GetLineAsync(new() { EnterpriseId = Target }));
        Assert.Equal(journalBefore, await fixture.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageSize = 500 }));
        var stranger = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Lines.GetLineAsync(new() { EnterpriseId = Stranger }));
        Assert.Equal(StatusCode.NotFound, stranger.StatusCode);
    }

    [Fact]
    public async Task Every_wrong_field_of_one_request_is_named()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Lines.DrawAsync(new() { EnterpriseId = "X", RequestId = "", AmountMinor = -5 }));

        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field);
        Assert.Equal(["enterprise_id", "request_id", "amount_minor"], fields);
    }

    private static OpenLineRequest Opening(string id, string requestId, long limit = 1_000_000, int rate = 0, int term = 365, Product product = Product.OperatingQuickLoan) =>
        new() { EnterpriseId = id, RequestId = requestId, LimitMinor = limit, AnnualRateBps = rate, TermDays = term, Product = product };

    /// <summary>Moves every month of the statement <paramref name="months"/> earlier (its last month ends before last month).</summary>
    private static void MonthsEarlier(FundFlowStatement statement, int months)
    {
        foreach (var month in statement.Months)
        {
            month.Month = DateOnly.ParseExact(month.Month, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddMonths(-months).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static AssessEnterpriseRequest Assessing(string id, string requestId, Action<AssessEnterpriseRequest> spoil)
    {
        var request = Applications.Sound(id, requestId);
        spoil(request);
        return request;
    }

    private static RenewLineRequest Renewing(string id, string requestId, Action<RenewLineRequest> spoil)
    {
        var request = Applications.Renewal(id, requestId);
        spoil(request);
        return request;
    }

    private static string Typo(string id) => id[..10] + (id[10] == '7' ? '8' : '7') + id[11..];

    public sealed record BadCase(string Name, StatusCode Code, string? Reason, string? Field, Func<ServiceFixture, Task> Call);
}
