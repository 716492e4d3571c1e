using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Bad input over the wire: each case names a reason of <see cref="ErrorReasons"/> and gets it in
/// google.rpc.ErrorInfo with the status the catalogue gives it, a message naming what was wrong,
/// and changes nothing. With <see cref="HostileCallerTests"/> the cases cause every reason of the
/// catalogue a caller can cause (<see cref="ErrorReasonCoverageTests"/>).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class BadRequestTests(ServiceFixture fixture) : IAsyncLifetime
{
    // The line most cases aim at (or next to): limit 1,000,000 fen, 100,000 drawn, hold H4 of 50,000
    // open, proposal P1 (its opening) approved and P5 (a higher limit, proposed by staff) waiting.
    private static readonly string Target = TestEnterprises.Unique();
    private static readonly string Stranger = TestEnterprises.Unique();
    private const string UsedRequestId = "draw-setup";

    // A frozen line with nothing drawn, hold H3 open and as many proposals waiting as a line keeps.
    private static readonly string Frozen = TestEnterprises.Unique();

    private static readonly string Closed = TestEnterprises.Unique();

    // A line whose only hold, H3, has expired with no command since.
    private static readonly string Lapsed = TestEnterprises.Unique();
    private static DateTime _lapsedAt;

    // On the bank's exclusion list.
    private static readonly string Excluded = TestEnterprises.Unique();

    // Target's consent recorded and revoked by staff in the set-up.
    private static readonly string RevokedConsentId = Domain.Assessment.ConsentIds.For(Target, Domain.Lines.RequestKeys.Of("consent-setup", "staff-tests"));

    private static readonly Method<byte[], byte[]> RawDraw = new(MethodType.Unary, "decisioning.v1.CreditLineService", "Draw", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    private static readonly Dictionary<string, BadCase> Cases = new BadCase[]
    {
        new("Draw with bytes that are not a DrawRequest", ErrorReasons.RequestMalformed, null, c => c.Service.Channel.CreateCallInvoker().AsyncUnaryCall(RawDraw, null, default, [0x18, 0xFF]).ResponseAsync),

        // CheckLimit
        new("CheckLimit with an empty enterprise id", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = "", AmountMinor = 1 }).ResponseAsync),
        new("CheckLimit with a 17-character enterprise id", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target[..17], AmountMinor = 1 }).ResponseAsync),
        new("CheckLimit with a lowercase letter in the enterprise id", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target[..8] + "m" + Target[9..], AmountMinor = 1 }).ResponseAsync),
        new("CheckLimit with a typo caught by the check character", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Typo(Target), AmountMinor = 1 }).ResponseAsync),
        new("CheckLimit of zero", ErrorReasons.AmountMustBePositive, "amount_minor", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target, AmountMinor = 0 }).ResponseAsync),
        new("CheckLimit of minus one", ErrorReasons.AmountMustBePositive, "amount_minor", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target, AmountMinor = -1 }).ResponseAsync),
        new("CheckLimit of long.MaxValue", ErrorReasons.AmountTooLarge, "amount_minor", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Target, AmountMinor = long.MaxValue }).ResponseAsync),
        new("CheckLimit for an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Lines.CheckLimitAsync(new() { EnterpriseId = Stranger, AmountMinor = 1 }).ResponseAsync),

        // Draw
        new("Draw without a request id", ErrorReasons.RequestIdRequired, "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, AmountMinor = 1 }).ResponseAsync),
        new("Draw with a 65-character request id", ErrorReasons.RequestIdTooLong, "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = new string('r', 65), AmountMinor = 1 }).ResponseAsync),
        new("Draw with a space in the request id", ErrorReasons.RequestIdMalformed, "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "a b", AmountMinor = 1 }).ResponseAsync),
        new("Draw with a non-ASCII request id", ErrorReasons.RequestIdMalformed, "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "提款-1", AmountMinor = 1 }).ResponseAsync),
        new("Draw of zero", ErrorReasons.AmountMustBePositive, "amount_minor", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "d-zero", AmountMinor = 0 }).ResponseAsync),
        new("Draw of long.MinValue", ErrorReasons.AmountMustBePositive, "amount_minor", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "d-min", AmountMinor = long.MinValue }).ResponseAsync),
        new("Draw of long.MaxValue", ErrorReasons.AmountTooLarge, "amount_minor", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "d-max", AmountMinor = long.MaxValue }).ResponseAsync),
        new("Draw on an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Stranger, RequestId = "d-1", AmountMinor = 1 }).ResponseAsync),
        new("Draw reusing a request id with another amount", ErrorReasons.RequestIdReused, "request_id", c => c.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId, AmountMinor = 99 }).ResponseAsync),
        new("Draw with every field wrong", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Lines.DrawAsync(new() { EnterpriseId = "X", RequestId = "", AmountMinor = -5 }).ResponseAsync),

        // Repay
        new("Repay more than is owed", ErrorReasons.RepaymentExceedsOutstanding, "amount_minor", c => c.Lines.RepayAsync(new() { EnterpriseId = Target, RequestId = "r-over", AmountMinor = 100_001 }).ResponseAsync),
        new("Repay zero", ErrorReasons.AmountMustBePositive, "amount_minor", c => c.Lines.RepayAsync(new() { EnterpriseId = Target, RequestId = "r-zero", AmountMinor = 0 }).ResponseAsync),
        new("Repay on an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Lines.RepayAsync(new() { EnterpriseId = Stranger, RequestId = "r-1", AmountMinor = 1 }).ResponseAsync),
        new("Repay reusing a draw's request id", ErrorReasons.RequestIdReused, "request_id", c => c.Lines.RepayAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId, AmountMinor = 100_000 }).ResponseAsync),
        new("Repay on a closed line", ErrorReasons.LineClosed, null, c => c.Lines.RepayAsync(new() { EnterpriseId = Closed, RequestId = "r-closed", AmountMinor = 1 }).ResponseAsync),

        // PlaceHold
        new("PlaceHold with a negative time to live", ErrorReasons.HoldTtlOutOfRange, "hold_ttl_seconds", c => c.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "h-neg", AmountMinor = 1, HoldTtlSeconds = -1 }).ResponseAsync),
        new("PlaceHold for longer than seven days", ErrorReasons.HoldTtlOutOfRange, "hold_ttl_seconds", c => c.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "h-long", AmountMinor = 1, HoldTtlSeconds = 7 * 24 * 3600 + 1 }).ResponseAsync),
        new("PlaceHold of a negative amount", ErrorReasons.AmountMustBePositive, "amount_minor", c => c.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "h-neg-amount", AmountMinor = -100 }).ResponseAsync),
        new("PlaceHold on an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Lines.PlaceHoldAsync(new() { EnterpriseId = Stranger, RequestId = "h-1", AmountMinor = 1 }).ResponseAsync),

        // CaptureHold
        new("CaptureHold without a hold id", ErrorReasons.HoldIdRequired, "hold_id", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-1" }).ResponseAsync),
        new("CaptureHold with a malformed hold id", ErrorReasons.HoldIdMalformed, "hold_id", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-2", HoldId = "X3" }).ResponseAsync),
        new("CaptureHold of a hold that was never placed", ErrorReasons.HoldNotFound, "hold_id", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-3", HoldId = "H999" }).ResponseAsync),
        new("CaptureHold of more than the hold reserves", ErrorReasons.CaptureExceedsHold, "amount_minor", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-4", HoldId = "H4", AmountMinor = 50_001 }).ResponseAsync),
        new("CaptureHold of a negative amount", ErrorReasons.AmountMustBePositive, "amount_minor", c => c.Lines.CaptureHoldAsync(new() { EnterpriseId = Target, RequestId = "c-5", HoldId = "H4", AmountMinor = -1 }).ResponseAsync),

        // ReleaseHold
        new("ReleaseHold of a hold that was never placed", ErrorReasons.HoldNotFound, "hold_id", c => c.Lines.ReleaseHoldAsync(new() { EnterpriseId = Target, RequestId = "x-1", HoldId = "H2" }).ResponseAsync),
        new("ReleaseHold without a request id", ErrorReasons.RequestIdRequired, "request_id", c => c.Lines.ReleaseHoldAsync(new() { EnterpriseId = Target, HoldId = "H4" }).ResponseAsync),
        new("ReleaseHold of a hold that has expired", ErrorReasons.HoldExpired, "hold_id", c => c.Lines.ReleaseHoldAsync(new() { EnterpriseId = Lapsed, RequestId = "x-lapsed", HoldId = "H3" }).ResponseAsync),

        // GetLine and ListTransactions
        new("GetLine of an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Lines.GetLineAsync(new() { EnterpriseId = Stranger }).ResponseAsync),
        new("GetLine with a malformed enterprise id", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Lines.GetLineAsync(new() { EnterpriseId = "91350100M000100Y4!" }).ResponseAsync),
        new("ListTransactions with a negative page size", ErrorReasons.PageSizeOutOfRange, "page_size", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageSize = -1 }).ResponseAsync),
        new("ListTransactions with a page size of 501", ErrorReasons.PageSizeOutOfRange, "page_size", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageSize = 501 }).ResponseAsync),
        new("ListTransactions with a page token that is not base64", ErrorReasons.PageTokenInvalid, "page_token", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageToken = "not a token!" }).ResponseAsync),
        new("ListTransactions with a forged page token", ErrorReasons.PageTokenInvalid, "page_token", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageToken = Convert.ToBase64String("before:-5"u8.ToArray()) }).ResponseAsync),

        // ListRiskFundClaims
        new("ListRiskFundClaims with a page size of 501", ErrorReasons.PageSizeOutOfRange, "page_size", c => new ProgrammeService.ProgrammeServiceClient(c.Service.Channel).ListRiskFundClaimsAsync(new() { PageSize = 501 }).ResponseAsync),
        new("ListRiskFundClaims with a forged page token", ErrorReasons.PageTokenInvalid, "page_token", c => new ProgrammeService.ProgrammeServiceClient(c.Service.Channel).ListRiskFundClaimsAsync(new() { PageToken = "x|1" }).ResponseAsync),
        new("ListTransactions of an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Lines.ListTransactionsAsync(new() { EnterpriseId = Stranger }).ResponseAsync),

        // OpenLine
        new("OpenLine on an enterprise whose line is open", ErrorReasons.LineAlreadyOpen, null, c => c.Admin.OpenLineAsync(Opening(Target, "open-again")).ResponseAsync),
        new("OpenLine with a zero limit", ErrorReasons.AmountMustBePositive, "limit_minor", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-1", limit: 0)).ResponseAsync),
        new("OpenLine with a negative rate", ErrorReasons.RateOutOfRange, "annual_rate_bps", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-2", rate: -1)).ResponseAsync),
        new("OpenLine with a rate above 100%", ErrorReasons.RateOutOfRange, "annual_rate_bps", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-3", rate: 10_001)).ResponseAsync),
        new("OpenLine with a zero term", ErrorReasons.TermOutOfRange, "term_days", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-4", term: 0)).ResponseAsync),
        new("OpenLine without a product", ErrorReasons.ProductRequired, "product", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-5", product: Product.Unspecified)).ResponseAsync),
        new("OpenLine with an unknown product number", ErrorReasons.ProductRequired, "product", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-6", product: (Product)99)).ResponseAsync),
        new("OpenLine with a limit above the maximum amount", ErrorReasons.AmountTooLarge, "limit_minor", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-7", limit: 100_000_000_001)).ResponseAsync),
        new("OpenLine above the Operating Quick Loan's cap", ErrorReasons.LimitAboveProductCap, "limit_minor", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-8", limit: 300_000_001)).ResponseAsync),
        new("OpenLine above the SRDI e-Loan's cap", ErrorReasons.LimitAboveProductCap, "limit_minor", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-9", limit: 1_000_000_001, rate: 345, product: Product.SrdiELoan)).ResponseAsync),
        new("OpenLine at 0%, below the product's rate floor", ErrorReasons.RateBelowProductFloor, "annual_rate_bps", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-10", rate: 0)).ResponseAsync),
        new("OpenLine above the product's rate ceiling", ErrorReasons.RateAboveProductCeiling, "annual_rate_bps", c => c.Admin.OpenLineAsync(Opening(Stranger, "o-11", rate: 701)).ResponseAsync),

        // Freeze, unfreeze, adjust, close
        new("FreezeLine with a 257-character reason", ErrorReasons.TextTooLong, "reason", c => c.Admin.FreezeLineAsync(new() { EnterpriseId = Target, RequestId = "f-1", Reason = new string('x', 257) }).ResponseAsync),
        new("FreezeLine of an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Admin.FreezeLineAsync(new() { EnterpriseId = Stranger, RequestId = "f-2" }).ResponseAsync),
        new("UnfreezeLine of a line that is not frozen", ErrorReasons.LineNotFrozen, null, c => c.Admin.UnfreezeLineAsync(new() { EnterpriseId = Target, RequestId = "u-1" }).ResponseAsync),
        new("AdjustLimit to a negative limit", ErrorReasons.LimitMustNotBeNegative, "limit_minor", c => c.Admin.AdjustLimitAsync(new() { EnterpriseId = Target, RequestId = "a-1", LimitMinor = -1 }).ResponseAsync),
        new("AdjustLimit above the maximum amount", ErrorReasons.AmountTooLarge, "limit_minor", c => c.Admin.AdjustLimitAsync(new() { EnterpriseId = Target, RequestId = "a-2", LimitMinor = long.MaxValue }).ResponseAsync),
        new("AdjustLimit above the cap of the line's product", ErrorReasons.LimitAboveProductCap, "limit_minor", c => c.Admin.AdjustLimitAsync(new() { EnterpriseId = Target, RequestId = "a-4", LimitMinor = 300_000_001 }).ResponseAsync),
        new("CloseLine while principal is outstanding", ErrorReasons.LineHasOutstandingBalance, null, c => c.Admin.CloseLineAsync(new() { EnterpriseId = Target, RequestId = "x-2" }).ResponseAsync),
        new("CloseLine reusing a request id of a draw", ErrorReasons.RequestIdReused, "request_id", c => c.Admin.CloseLineAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId }).ResponseAsync),
        new("CloseLine with a hold open and nothing owed", ErrorReasons.LineHasOpenHolds, null, c => c.Admin.CloseLineAsync(new() { EnterpriseId = Frozen, RequestId = "x-3" }).ResponseAsync),
        new("CloseLine of a closed line", ErrorReasons.LineAlreadyClosed, null, c => c.Admin.CloseLineAsync(new() { EnterpriseId = Closed, RequestId = "x-4" }).ResponseAsync),
        new("FreezeLine of a frozen line", ErrorReasons.LineAlreadyFrozen, null, c => c.Admin.FreezeLineAsync(new() { EnterpriseId = Frozen, RequestId = "f-3" }).ResponseAsync),
        new("SetClassificationFloor without a floor", ErrorReasons.ClassificationRequired, "floor", c => c.Admin.SetClassificationFloorAsync(new() { EnterpriseId = Target, RequestId = "cf-1" }).ResponseAsync),
        new("SetClassificationFloor to a tier the contract does not define", ErrorReasons.ClassificationRequired, "floor", c => c.Admin.SetClassificationFloorAsync(new() { EnterpriseId = Target, RequestId = "cf-2", Floor = (LoanClassification)6 }).ResponseAsync),
        new("WriteOffLine of a loan classified normal", ErrorReasons.LineNotClassifiedForWriteOff, null, c => c.Admin.WriteOffLineAsync(new() { EnterpriseId = Target, RequestId = "wo-1" }).ResponseAsync),
        new("WriteOffLine of a loss-classified line that owes nothing", ErrorReasons.NothingToWriteOff, null, c => c.Admin.WriteOffLineAsync(new() { EnterpriseId = Frozen, RequestId = "wo-2" }).ResponseAsync),
        new("WriteOffLine of a closed line", ErrorReasons.LineClosed, null, c => c.Admin.WriteOffLineAsync(new() { EnterpriseId = Closed, RequestId = "wo-3" }).ResponseAsync),

        // Four eyes
        new("AdjustLimit upwards with as many proposals waiting as the line keeps", ErrorReasons.TooManyPendingProposals, null, c => c.Admin.AdjustLimitAsync(new() { EnterpriseId = Frozen, RequestId = "a-3", LimitMinor = 9_000_000 }).ResponseAsync),
        new("ApproveProposal without a proposal id", ErrorReasons.ProposalIdRequired, "proposal_id", c => Approver(c).ApproveProposalAsync(new() { EnterpriseId = Target, RequestId = "p-1" }).ResponseAsync),
        new("RejectProposal with a malformed proposal id", ErrorReasons.ProposalIdMalformed, "proposal_id", c => Approver(c).RejectProposalAsync(new() { EnterpriseId = Target, RequestId = "p-2", ProposalId = "X5" }).ResponseAsync),
        new("ApproveProposal of a proposal never made", ErrorReasons.ProposalNotFound, "proposal_id", c => Approver(c).ApproveProposalAsync(new() { EnterpriseId = Target, RequestId = "p-3", ProposalId = "P99" }).ResponseAsync),
        new("ApproveProposal of a proposal already approved", ErrorReasons.ProposalAlreadyDecided, "proposal_id", c => Approver(c).ApproveProposalAsync(new() { EnterpriseId = Target, RequestId = "p-4", ProposalId = "P1" }).ResponseAsync),
        new("ApproveProposal by its proposer", ErrorReasons.ApproverIsProposer, null, c => c.Admin.ApproveProposalAsync(new() { EnterpriseId = Target, RequestId = "p-5", ProposalId = "P5" }).ResponseAsync),

        // The exclusion list
        new("AddExclusion without a reason", ErrorReasons.ReasonRequired, "reason", c => c.Admin.AddExclusionAsync(new() { EnterpriseId = Stranger, RequestId = "e-1" }).ResponseAsync),
        new("AddExclusion of an enterprise on the list", ErrorReasons.AlreadyOnExclusionList, "enterprise_id", c => c.Admin.AddExclusionAsync(new() { EnterpriseId = Excluded, RequestId = "e-2", Reason = "again" }).ResponseAsync),
        new("RemoveExclusion of an enterprise not on the list", ErrorReasons.NotOnExclusionList, "enterprise_id", c => c.Admin.RemoveExclusionAsync(new() { EnterpriseId = Stranger, RequestId = "e-3", Reason = "never was" }).ResponseAsync),

        // AssessEnterprise
        new("AssessEnterprise without a request id", ErrorReasons.RequestIdRequired, "request_id", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Target, "", r => { })).ResponseAsync),
        new("AssessEnterprise with a typo in the enterprise id", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Typo(Target), "a-1", r => { })).ResponseAsync),
        new("AssessEnterprise without a profile", ErrorReasons.FieldRequired, "profile", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-2", r => r.Profile = null)).ResponseAsync),
        new("AssessEnterprise with a founding date that is not a date", ErrorReasons.DateMalformed, "profile.founded_on", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-3", r => r.Profile.FoundedOn = "2016-13-01")).ResponseAsync),
        new("AssessEnterprise with a founding date in the future", ErrorReasons.DateInTheFuture, "profile.founded_on", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-4", r => r.Profile.FoundedOn = "2999-01-01")).ResponseAsync),
        new("AssessEnterprise with a negative number of employees", ErrorReasons.CountOutOfRange, "profile.employees", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-5", r => r.Profile.Employees = -1)).ResponseAsync),
        new("AssessEnterprise with zero total assets", ErrorReasons.AmountMustBePositive, "financials.total_assets_minor", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-6", r => r.Financials.TotalAssetsMinor = 0)).ResponseAsync),
        new("AssessEnterprise with eleven months of fund flow", ErrorReasons.FundFlowMonthsIncomplete, "fund_flow.months", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-7", r => r.FundFlow.Months.RemoveAt(0))).ResponseAsync),
        new("AssessEnterprise with counterparties paying more than the month's inflow", ErrorReasons.CounterpartiesExceedInflow, "fund_flow.months[3].counterparties", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-8", r => r.FundFlow.Months[3].InflowMinor = 1)).ResponseAsync),
        new("AssessEnterprise fetching external data while supplying the credit report", ErrorReasons.SuppliedWithFetch, "financing", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-9", r => r.FetchExternalData = true)).ResponseAsync),
        new("AssessEnterprise with an unknown product number", ErrorReasons.UnknownProduct, "product", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-10", r => r.Product = (Product)7)).ResponseAsync),
        new("AssessEnterprise with a fund-flow statement ending three complete months ago", ErrorReasons.FundFlowOutOfDate, "fund_flow", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-11", r => MonthsEarlier(r.FundFlow, 2))).ResponseAsync),
        new("AssessEnterprise founded before 1900", ErrorReasons.DateTooEarly, "profile.founded_on", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-12", r => r.Profile.FoundedOn = "1899-12-31")).ResponseAsync),
        new("AssessEnterprise with an unknown SRDI level number", ErrorReasons.SrdiLevelRequired, "profile.srdi_level", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-13", r => r.Profile.SrdiLevel = (SrdiLevel)99)).ResponseAsync),
        new("AssessEnterprise with a lowercase industry code", ErrorReasons.InvalidIndustryCode, "profile.industry_code", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-14", r => r.Profile.IndustryCode = "c3921")).ResponseAsync),
        new("AssessEnterprise with a net profit of long.MaxValue", ErrorReasons.AmountOutOfRange, "financials.net_profit_minor", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-15", r => r.Financials.NetProfitMinor = long.MaxValue)).ResponseAsync),
        new("AssessEnterprise overdue longer in 12 months than in 24", ErrorReasons.InconsistentOverdueHistory, "financing.max_overdue_days_last_12_months", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-16", r => r.Financing.MaxOverdueDaysLast12Months = 5)).ResponseAsync),
        new("AssessEnterprise with a fund-flow month not on its first day", ErrorReasons.MonthNotFirstDay, "fund_flow.months[4].month", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-17", r => r.FundFlow.Months[4].Month = r.FundFlow.Months[4].Month[..8] + "15")).ResponseAsync),
        new("AssessEnterprise with a fund-flow statement ending this month", ErrorReasons.FundFlowMonthNotComplete, "fund_flow.months[11].month", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-18", r => MonthsEarlier(r.FundFlow, -1))).ResponseAsync),
        new("AssessEnterprise with 104 counterparties in a month", ErrorReasons.TooManyCounterparties, "fund_flow.months[2].counterparties", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-19", r => r.FundFlow.Months[2].Counterparties.Add(Enumerable.Range(0, 101).Select(i => new CounterpartyInflow { Name = $"payer {i}", InflowMinor = 1 })))).ResponseAsync),
        new("AssessEnterprise with a counterparty twice in a month", ErrorReasons.DuplicateCounterparty, "fund_flow.months[0].counterparties[3].name", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Stranger, "a-20", r => r.FundFlow.Months[0].Counterparties.Add(new CounterpartyInflow { Name = r.FundFlow.Months[0].Counterparties[0].Name, InflowMinor = 1 }))).ResponseAsync),
        new("AssessEnterprise reusing a draw's request id", ErrorReasons.RequestIdReused, "request_id", c => c.Decisioning.AssessEnterpriseAsync(Assessing(Target, UsedRequestId, r => { })).ResponseAsync),

        // GetDecision
        new("GetDecision with a malformed decision id", ErrorReasons.DecisionIdMalformed, "decision_id", c => c.Decisioning.GetDecisionAsync(new() { EnterpriseId = Target, DecisionId = "D-XYZ" }).ResponseAsync),
        new("GetDecision without a decision id", ErrorReasons.DecisionIdRequired, "decision_id", c => c.Decisioning.GetDecisionAsync(new() { EnterpriseId = Target }).ResponseAsync),
        new("GetDecision with a 65-character decision id", ErrorReasons.DecisionIdTooLong, "decision_id", c => c.Decisioning.GetDecisionAsync(new() { EnterpriseId = Target, DecisionId = "D-" + new string('0', 63) }).ResponseAsync),
        new("GetDecision of a decision never made", ErrorReasons.DecisionNotFound, "decision_id", c => c.Decisioning.GetDecisionAsync(new() { EnterpriseId = Target, DecisionId = "D-000000000000000000000000" }).ResponseAsync),

        // RenewLine
        new("RenewLine of an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Decisioning.RenewLineAsync(Applications.Renewal(Stranger, "n-1")).ResponseAsync),
        new("RenewLine without financials", ErrorReasons.FieldRequired, "financials", c => c.Decisioning.RenewLineAsync(Renewing(Target, "n-2", r => r.Financials = null)).ResponseAsync),
        new("RenewLine with a month of fund flow out of order", ErrorReasons.FundFlowMonthsNotConsecutive, "fund_flow.months[5].month", c => c.Decisioning.RenewLineAsync(Renewing(Target, "n-3", r => r.FundFlow.Months[5].Month = r.FundFlow.Months[6].Month)).ResponseAsync),
        new("RenewLine reusing a draw's request id", ErrorReasons.RequestIdReused, "request_id", c => c.Decisioning.RenewLineAsync(Renewing(Target, UsedRequestId, r => { })).ResponseAsync),

        // ReportRiskSignal
        new("ReportRiskSignal without a signal type", ErrorReasons.SignalTypeRequired, "signal_type", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = "s-1", Severity = RiskSeverity.Severe }).ResponseAsync),
        new("ReportRiskSignal without a severity", ErrorReasons.SeverityRequired, "severity", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = "s-2", SignalType = RiskSignalType.Overdue }).ResponseAsync),
        new("ReportRiskSignal with an unknown signal type number", ErrorReasons.SignalTypeRequired, "signal_type", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = "s-3", SignalType = (RiskSignalType)9, Severity = RiskSeverity.Low }).ResponseAsync),
        new("ReportRiskSignal with a 257-character note", ErrorReasons.TextTooLong, "note", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = "s-4", SignalType = RiskSignalType.Overdue, Severity = RiskSeverity.Low, Note = new string('n', 257) }).ResponseAsync),
        new("ReportRiskSignal for an enterprise without a line", ErrorReasons.LineNotFound, "enterprise_id", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Stranger, RequestId = "s-5", SignalType = RiskSignalType.Overdue, Severity = RiskSeverity.Severe }).ResponseAsync),
        new("ReportRiskSignal reusing a draw's request id", ErrorReasons.RequestIdReused, "request_id", c => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId, SignalType = RiskSignalType.Overdue, Severity = RiskSeverity.Severe }).ResponseAsync),

        // GetRelendingQuota
        new("GetRelendingQuota of a period never configured", ErrorReasons.RelendingPeriodNotFound, "period", c => c.Programmes.GetRelendingQuotaAsync(new() { Period = "1999" }).ResponseAsync),

        // Consents
        new("RecordConsent without a request id", ErrorReasons.RequestIdRequired, "request_id", c => c.Consents.RecordConsentAsync(Consenting(Target, "", t => { })).ResponseAsync),
        new("RecordConsent with a typo in the enterprise id", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Consents.RecordConsentAsync(Consenting(Typo(Target), "c-1", t => { })).ResponseAsync),
        new("RecordConsent without terms", ErrorReasons.FieldRequired, "terms", c => c.Consents.RecordConsentAsync(new() { EnterpriseId = Target, RequestId = "c-2" }).ResponseAsync),
        new("RecordConsent without a source", ErrorReasons.ConsentSourcesInvalid, "terms.sources", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-3", t => t.Sources.Clear())).ResponseAsync),
        new("RecordConsent naming the tax bureau twice", ErrorReasons.ConsentSourcesInvalid, "terms.sources[3]", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-4", t => t.Sources.Add(ExternalProvider.TaxBureau))).ResponseAsync),
        new("RecordConsent with an unspecified source", ErrorReasons.ConsentSourcesInvalid, "terms.sources[0]", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-5", t => t.Sources[0] = ExternalProvider.Unspecified)).ResponseAsync),
        new("RecordConsent without saying who signed", ErrorReasons.FieldRequired, "terms.granted_by", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-6", t => t.GrantedBy = "")).ResponseAsync),
        new("RecordConsent without a grantor", ErrorReasons.ConsentGrantInvalid, "terms.grantor", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-7", t => t.Grantor = ConsentGrantor.Unspecified)).ResponseAsync),
        new("RecordConsent with an unknown channel number", ErrorReasons.ConsentGrantInvalid, "terms.channel", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-8", t => t.Channel = (ConsentChannel)9)).ResponseAsync),
        new("RecordConsent with a 257-character reference", ErrorReasons.TextTooLong, "terms.authorisation_reference", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-9", t => t.AuthorisationReference = new string('r', 257))).ResponseAsync),
        new("RecordConsent without an end", ErrorReasons.ConsentPeriodInvalid, "terms.valid_until", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-10", t => t.ValidUntil = null)).ResponseAsync),
        new("RecordConsent ending before it starts", ErrorReasons.ConsentPeriodInvalid, "terms.valid_until", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-11", t => t.ValidUntil = t.ValidFrom)).ResponseAsync),
        new("RecordConsent with a start that is no timestamp", ErrorReasons.ConsentPeriodInvalid, "terms.valid_from", c => c.Consents.RecordConsentAsync(Consenting(Target, "c-12", t => t.ValidFrom.Nanos = -1)).ResponseAsync),
        new("RecordConsent reusing a request id with other terms", ErrorReasons.RequestIdReused, "request_id", c => c.Consents.RecordConsentAsync(Consenting(Target, "consent-setup", t => t.AuthorisationReference = "another form")).ResponseAsync),
        new("RevokeConsent with a malformed consent id", ErrorReasons.ConsentIdMalformed, "consent_id", c => c.Consents.RevokeConsentAsync(new() { EnterpriseId = Target, RequestId = "r-1", ConsentId = "C-XYZ", Reason = "withdrawn" }).ResponseAsync),
        new("RevokeConsent without a reason", ErrorReasons.FieldRequired, "reason", c => c.Consents.RevokeConsentAsync(new() { EnterpriseId = Target, RequestId = "r-2", ConsentId = "C-000000000000000000000000" }).ResponseAsync),
        new("RevokeConsent of a consent never recorded", ErrorReasons.ConsentNotFound, "consent_id", c => c.Consents.RevokeConsentAsync(new() { EnterpriseId = Target, RequestId = "r-3", ConsentId = "C-000000000000000000000000", Reason = "withdrawn" }).ResponseAsync),
        new("RevokeConsent of a consent revoked already", ErrorReasons.ConsentAlreadyRevoked, "consent_id", c => c.Consents.RevokeConsentAsync(new() { EnterpriseId = Target, RequestId = "r-4", ConsentId = RevokedConsentId, Reason = "withdrawn" }).ResponseAsync),
        new("ListConsents with a typo in the enterprise id", ErrorReasons.EnterpriseIdInvalid, "enterprise_id", c => c.Consents.ListConsentsAsync(new() { EnterpriseId = Typo(Target) }).ResponseAsync),
    }.ToDictionary(c => c.Name);

    public static TheoryData<string> Names => [.. Cases.Keys];

    /// <summary>The reasons the cases cause.</summary>
    internal static IEnumerable<ErrorReason> Reasons => Cases.Values.Select(c => c.Reason);

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

        await fixture.Service.OpenLineByFourEyesAsync(Opening(Lapsed, "open"));
        Assert.Equal("H3", (await fixture.Lines.PlaceHoldAsync(new() { EnterpriseId = Lapsed, RequestId = "hold-setup", AmountMinor = 50_000, HoldTtlSeconds = 1 })).HoldId);
        _lapsedAt = DateTime.UtcNow.AddSeconds(1.5);

        await fixture.Service.OpenLineByFourEyesAsync(Opening(Target, "open"));
        await fixture.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = UsedRequestId, AmountMinor = 100_000 });
        var hold = await fixture.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "hold-setup", AmountMinor = 50_000, HoldTtlSeconds = 3600 });
        Assert.Equal("H4", hold.HoldId);
        var raise = await fixture.Admin.AdjustLimitAsync(new() { EnterpriseId = Target, RequestId = "raise-setup", LimitMinor = 2_000_000 });
        Assert.Equal("P5", raise.Proposal.ProposalId);

        await fixture.Service.OpenLineByFourEyesAsync(Opening(Frozen, "open"));
        await fixture.Lines.PlaceHoldAsync(new() { EnterpriseId = Frozen, RequestId = "hold-setup", AmountMinor = 50_000, HoldTtlSeconds = 3600 });
        for (var i = 1; i <= Domain.Limits.MaxPendingProposals; i++)
        {
            await fixture.Admin.AdjustLimitAsync(new() { EnterpriseId = Frozen, RequestId = $"raise-{i}", LimitMinor = 2_000_000 + i });
        }

        await fixture.Admin.FreezeLineAsync(new() { EnterpriseId = Frozen, RequestId = "freeze-setup" });
        await fixture.Admin.SetClassificationFloorAsync(new() { EnterpriseId = Frozen, RequestId = "floor-setup", Floor = LoanClassification.Loss });

        await fixture.Service.OpenLineByFourEyesAsync(Opening(Closed, "open"));
        await fixture.Admin.CloseLineAsync(new() { EnterpriseId = Closed, RequestId = "close-setup" });

        await fixture.Admin.AddExclusionAsync(new() { EnterpriseId = Excluded, RequestId = "exclude-setup", Reason = "bad-request tests" });

        var consent = await fixture.Consents.RecordConsentAsync(TestConsents.Request(Target, DateTimeOffset.UtcNow, "consent-setup"));
        Assert.Equal(RevokedConsentId, consent.Consent.ConsentId);
        await fixture.Consents.RevokeConsentAsync(new() { EnterpriseId = Target, RequestId = "revoke-setup", ConsentId = RevokedConsentId, Reason = "bad-request tests" });

        // Lapsed's hold expires while the rest is set up; this waits out what is left of it once.
        if (_lapsedAt - DateTime.UtcNow is { Ticks: > 0 } left)
        {
            await Task.Delay(left);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_table_holds_at_least_forty_cases() => Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bad_request_gets_its_reason_with_the_catalogues_status_and_changes_nothing(string name)
    {
        var bad = Cases[name];
        var before = await Snapshot();

        var error = await Assert.ThrowsAsync<RpcException>(() => bad.Call(fixture));

        Assert.Equal(ErrorReasonCoverageTests.StatusOf(bad.Reason), error.StatusCode);
        var status = error.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal((bad.Reason.Code, "decisioning.v1"), (info.Reason, info.Domain));
        Assert.DoesNotContain("Exception", error.Status.Detail, StringComparison.Ordinal);
        if (bad.Field is not null)
        {
            Assert.Contains(bad.Field, error.Status.Detail, StringComparison.Ordinal);
        }

        if (bad.Reason.Kind == ErrorKind.InvalidArgument && bad.Field is not null)
        {
            Assert.Contains(status!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == bad.Field);
        }

        Assert.Equal(before, await Snapshot());
        var stranger = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Lines.GetLineAsync(new() { EnterpriseId = Stranger }));
        Assert.Equal(StatusCode.NotFound, stranger.StatusCode);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_resource_exhausted_and_changes_nothing()
    {
        var before = await Snapshot();

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = new string('r', 70_000), AmountMinor = 1 }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task Every_wrong_field_of_one_request_is_named()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Lines.DrawAsync(new() { EnterpriseId = "X", RequestId = "", AmountMinor = -5 }));

        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field);
        Assert.Equal(["enterprise_id", "request_id", "amount_minor"], fields);
    }

    /// <summary>Every line the cases aim at, with its journal, and the exclusion list's changes.</summary>
    private async Task<List<object>> Snapshot()
    {
        var snapshot = new List<object>();
        foreach (var line in new[] { Target, Frozen, Closed, Lapsed })
        {
            snapshot.Add(await fixture.Lines.GetLineAsync(new() { EnterpriseId = line }));
            snapshot.Add(await fixture.Lines.ListTransactionsAsync(new() { EnterpriseId = line, PageSize = 500 }));
        }

        snapshot.Add(await fixture.Admin.ListExclusionChangesAsync(new() { PageSize = 200 }));
        snapshot.Add(await fixture.ConsentChangesAsync(Target));
        return snapshot;
    }

    private static LineAdminService.LineAdminServiceClient Approver(ServiceFixture fixture) => new(fixture.Service.ApproverChannel);

    /// <summary>A consent of every source for a year, its terms changed by <paramref name="change"/>.</summary>
    private static RecordConsentRequest Consenting(string id, string requestId, Action<ConsentTerms> change)
    {
        var request = TestConsents.Request(id, DateTimeOffset.UtcNow, requestId);
        change(request.Terms);
        return request;
    }

    private static OpenLineRequest Opening(string id, string requestId, long limit = 1_000_000, int rate = 300, int term = 365, Product product = Product.OperatingQuickLoan) =>
        new() { EnterpriseId = id, RequestId = requestId, LimitMinor = limit, AnnualRateBps = rate, TermDays = term, Product = product };

    /// <summary>Moves every month of the statement <paramref name="months"/> earlier (later, if negative).</summary>
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

    public sealed record BadCase(string Name, ErrorReason Reason, string? Field, Func<ServiceFixture, Task> Call);
}
