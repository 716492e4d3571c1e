using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Testing;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// The simulated clock (Decisioning:Clock:Mode=Simulated) over gRPC, each test with a service and a
/// Redis of its own: a year and more of a line moved by SimulationService/AdvanceClock, and what the
/// service without the clock, or a caller without the scope, is refused.
/// </summary>
public sealed class SimulatedClockTests
{
    /// <summary>
    /// Tuesday 9 March 2027, 00:10 in Beijing: the daily run time, so that every move by whole days
    /// stops on run times only. The term of 12 months ends on Thursday 9 March 2028 (a working day,
    /// not rolled): 366 days, 2028 being a leap year.
    /// </summary>
    private static readonly DateTimeOffset Start = new(2027, 3, 8, 16, 10, 0, TimeSpan.Zero);

    private static readonly DateOnly Opened = new(2027, 3, 9);
    private static readonly DateOnly Maturity = new(2028, 3, 9);

    private const long Principal = 3_000_000;
    private const long Recovered = 1_000_000;

    private static Dictionary<string, string> Simulated(params IEnumerable<KeyValuePair<string, string>> more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Decisioning__Clock__Mode"] = "Simulated",
            ["Decisioning__Clock__Start"] = Start.ToString("O"),
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task A_first_loan_drawn_not_renewed_goes_overdue_tier_by_tier_is_written_off_partly_recovered_and_claimed_against_the_fund_with_exact_figures()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration, Simulated(TestRiskFunds.Settings(TestRiskFunds.Enhancement, TestRiskFunds.Compensation)));
        var (lines, admin, approver) = (new CreditLineService.CreditLineServiceClient(service.Channel), new LineAdminService.LineAdminServiceClient(service.Channel), new LineAdminService.LineAdminServiceClient(service.ApproverChannel));
        var clock = new SimulationService.SimulationServiceClient(service.Channel);
        var id = TestEnterprises.Unique();

        // A first loan (首贷: no bank debt, no lending bank) of a provincially recognised SRDI enterprise.
        var application = Applications.Sound(id, "assess", Opened);
        (application.Financing.ExistingBankDebtMinor, application.Financing.LendingBanks) = (0, 0);
        var assessed = await new DecisioningService.DecisioningServiceClient(service.Channel).AssessEnterpriseAsync(application);
        Assert.Equal((Outcome.Approve, true), (assessed.Decision.Outcome, assessed.Decision.FirstLoan));
        Assert.Equal((Opened.ToString("yyyy-MM-dd"), Maturity.ToString("yyyy-MM-dd")), (assessed.Line.OpenedDate, assessed.Line.MaturityDate));
        var rate = assessed.Line.AnnualRateBps;
        Assert.True((await lines.DrawAsync(new DrawRequest { EnterpriseId = id, RequestId = "draw", AmountMinor = Principal })).Approved);

        // Not renewed: to the maturity date, then through each classification bound.
        var term = Maturity.DayNumber - Opened.DayNumber;
        var matured = await AdvanceAsync(clock, term);
        Assert.Equal((term, 1, Start.AddDays(term)), (matured.DailyRuns, matured.Lines, matured.Now.ToDateTimeOffset()));
        var atMaturity = await LineAsync(lines, id);
        Assert.Equal((LineStatus.Matured, 0, 0L, Interest(term), 0L), (atMaturity.Status, atMaturity.DaysPastDue, atMaturity.OverduePrincipalMinor, atMaturity.AccruedInterestMinor, atMaturity.AccruedPenaltyMinor));

        var expected = new List<(TransactionType, int Day, int DaysPastDue, LoanClassification)> { (TransactionType.LineMatured, term, 0, LoanClassification.Unspecified) };
        foreach (var (days, pastDue, tier) in new[] { (1, 1, LoanClassification.SpecialMention), (90, 91, LoanClassification.Substandard), (180, 271, LoanClassification.Doubtful), (90, 361, LoanClassification.Loss) })
        {
            await AdvanceAsync(clock, days);
            var line = await LineAsync(lines, id);
            Assert.Equal((LineStatus.Overdue, pastDue, Principal, Interest(term), Penalty(pastDue), tier),
                (line.Status, line.DaysPastDue, line.OverduePrincipalMinor, line.AccruedInterestMinor, line.AccruedPenaltyMinor, line.Classification));
            if (pastDue == 1)
            {
                expected.Add((TransactionType.LineOverdue, term + 1, 1, LoanClassification.Unspecified));
            }

            expected.Add((TransactionType.ClassificationChanged, term + pastDue, pastDue, tier));
        }

        // Each change journaled by the daily process (actor "system") at the run time of its day.
        var journal = await JournalAsync(lines, id);
        Assert.Equal(
            expected.Select(e => (e.Item1, Start.AddDays(e.Day), e.DaysPastDue, e.Item4)),
            journal.Where(t => t.Actor == "system").Select(t => (t.Type, t.CreateTime.ToDateTimeOffset(), t.DaysPastDue, t.Type == TransactionType.ClassificationChanged ? t.Classification : LoanClassification.Unspecified)));

        // Written off with four eyes: proposed by one staff member, approved by another.
        var (interest, penalty) = (Interest(term), Penalty(361));
        var proposed = await admin.WriteOffLineAsync(new WriteOffLineRequest { EnterpriseId = id, RequestId = "write-off", Reason = "no prospect of repayment" });
        Assert.Equal(LineStatus.Overdue, proposed.Line.Status);
        var writtenOff = await approver.ApproveProposalAsync(new ApproveProposalRequest { EnterpriseId = id, RequestId = "approve-write-off", ProposalId = proposed.Proposal.ProposalId });
        Assert.Equal((LineStatus.WrittenOff, 0L, Principal, interest, penalty), (writtenOff.Line.Status, writtenOff.Line.DrawnMinor, writtenOff.Line.WrittenOffPrincipalMinor, writtenOff.Line.WrittenOffInterestMinor, writtenOff.Line.WrittenOffPenaltyMinor));

        // Partly recovered: penalty interest first, then interest, then principal.
        var recovery = await lines.RepayAsync(new RepayRequest { EnterpriseId = id, RequestId = "recovery", AmountMinor = Recovered });
        var (penaltyPaid, interestPaid) = (Math.Min(Recovered, penalty), Math.Min(Recovered - Math.Min(Recovered, penalty), interest));
        var principalPaid = Recovered - penaltyPaid - interestPaid;
        Assert.Equal((penaltyPaid, interestPaid, principalPaid), (recovery.PenaltyPaidMinor, recovery.InterestPaidMinor, recovery.PrincipalPaidMinor));

        journal = await JournalAsync(lines, id);
        var off = journal.Single(t => t.Type == TransactionType.LineWrittenOff);
        Assert.Equal(("staff-tests", "approver-tests", 361, LoanClassification.Loss, Principal + interest + penalty, Start.AddDays(term + 361)),
            (off.Actor, off.ApprovedBy, off.DaysPastDue, off.Classification, off.AmountMinor, off.CreateTime.ToDateTimeOffset()));
        var recoveryEntry = journal[^1];
        Assert.Equal((TransactionType.Recovery, Recovered, Recovered, penaltyPaid, interestPaid, principalPaid),
            (recoveryEntry.Type, recoveryEntry.AmountMinor, recoveryEntry.RecoveredAfterMinor, recoveryEntry.PenaltyPaidMinor, recoveryEntry.InterestPaidMinor, recoveryEntry.PrincipalPaidMinor));
        Assert.Equal(Enumerable.Range(1, journal.Count).Select(i => (long)i), journal.Select(t => t.Sequence));

        // The claim: the first fund covering a first loan of a provincial SRDI e-Loan, its share of
        // the written-off principal under the cap per loan, reduced by the recovery's share.
        var fund = TestRiskFunds.Enhancement;
        var claimed = Math.Min(Principal * fund.ShareBps / 10_000, fund.CapPerLoanMinor);
        var returned = claimed * Math.Min(Recovered, Principal) / Principal;
        var claims = await ClaimsAsync(new ProgrammeService.ProgrammeServiceClient(service.Channel), id);
        var claim = Assert.Single(claims.Claims);
        Assert.Equal(
            (fund.Id, off.Sequence, true, false, Principal, interest + penalty, fund.ShareBps, claimed, ClaimLimit.Share, Recovered, returned, claimed - returned, 1),
            (claim.FundId, claim.WriteOffSequence, claim.FirstLoan, claim.Renewal, claim.WrittenOffPrincipalMinor, claim.WrittenOffInterestMinor, claim.ShareBps, claim.ClaimedMinor, claim.LimitedBy, claim.RecoveredMinor, claim.ReturnedMinor, claim.NetClaimMinor, claim.Recoveries));
        Assert.Equal((off.CreateTime, recoveryEntry.CreateTime), (claim.WriteOffTime, claim.LastRecoveryTime));
        var totals = claims.Funds.Single(f => f.FundId == fund.Id);
        Assert.Equal((1L, claimed, returned, fund.BalanceMinor - claimed + returned), (totals.Claims, totals.ClaimedMinor, totals.ReturnedMinor, totals.AvailableMinor));

        long Interest(int days) => (long)((Int128)Principal * rate * days / 3_600_000);
        long Penalty(int days) => (long)((Int128)Principal * rate * 15_000 * days / 36_000_000_000);
    }

    [Fact]
    public async Task A_hold_placed_over_grpc_expires_at_its_time_without_another_call_on_the_line()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration, Simulated());
        var lines = new CreditLineService.CreditLineServiceClient(service.Channel);
        var id = TestEnterprises.Unique();
        await service.OpenLineByFourEyesAsync(new OpenLineRequest { EnterpriseId = id, RequestId = "open", LimitMinor = 100_000, AnnualRateBps = 300, TermDays = 30, Product = Product.SrdiELoan });

        // The line is active in the service's silo now: the hold goes straight to its pipeline.
        var hold = await lines.PlaceHoldAsync(new PlaceHoldRequest { EnterpriseId = id, RequestId = "hold", AmountMinor = 40_000, HoldTtlSeconds = 1 });
        var moved = await AdvanceAsync(new SimulationService.SimulationServiceClient(service.Channel), TimeSpan.FromMinutes(1));

        // No daily run time passed: only the line's timer can journal the expiry. Reading the journal changes nothing.
        Assert.Equal(0, moved.DailyRuns);
        var journal = await Eventually(() => JournalAsync(lines, id), j => j[^1].Type == TransactionType.HoldExpired);
        Assert.Equal((hold.HoldId, hold.ExpireTime, "system", 40_000L), (journal[^1].HoldId, journal[^1].CreateTime, journal[^1].Actor, journal[^1].AmountMinor));
        Assert.Equal(Start.AddSeconds(1), hold.ExpireTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task AdvanceClock_moves_only_forward_needs_its_scope_and_names_a_bad_by()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration, Simulated());
        await service.WaitForOutputAsync("The clock is SIMULATED");
        var clock = new SimulationService.SimulationServiceClient(service.Channel);

        foreach (var by in new Duration?[] { null, Duration.FromTimeSpan(TimeSpan.Zero), Duration.FromTimeSpan(TimeSpan.FromSeconds(-1)), Duration.FromTimeSpan(TimeSpan.FromDays(366) + TimeSpan.FromTicks(10)) })
        {
            var bad = await Assert.ThrowsAsync<RpcException>(() => clock.AdvanceClockAsync(new AdvanceClockRequest { By = by }).ResponseAsync);
            Assert.Equal((StatusCode.InvalidArgument, ErrorReasons.ClockAdvanceOutOfRange.Code), (bad.StatusCode, bad.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason));
            Assert.Equal(["by"], bad.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        }

        var unscoped = new SimulationService.SimulationServiceClient(service.ChannelFor(TestTokens.Shared.Issue("staff-tests", TestTokens.AllScopes.Where(s => s != "decisioning.simulation"), ["*"])));
        var refused = await Assert.ThrowsAsync<RpcException>(() => unscoped.AdvanceClockAsync(new AdvanceClockRequest { By = Duration.FromTimeSpan(TimeSpan.FromDays(1)) }).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, ErrorReasons.ScopeRequired.Code), (refused.StatusCode, refused.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason));
        var onlyOne = new SimulationService.SimulationServiceClient(service.ChannelFor(TestTokens.Shared.Issue("demo", ["decisioning.simulation"], [TestEnterprises.Unique()])));
        var notServed = await Assert.ThrowsAsync<RpcException>(() => onlyOne.AdvanceClockAsync(new AdvanceClockRequest { By = Duration.FromTimeSpan(TimeSpan.FromDays(1)) }).ResponseAsync);
        Assert.Equal(ErrorReasons.EnterpriseNotServed.Code, notServed.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);

        // Nothing refused moved the clock; the largest move is allowed, once and then again.
        var first = await AdvanceAsync(clock, TimeSpan.FromDays(366));
        var second = await AdvanceAsync(clock, TimeSpan.FromHours(1));
        Assert.Equal((Start.AddDays(366), 366, 0), (first.Now.ToDateTimeOffset(), first.DailyRuns, first.Lines));
        Assert.Equal(Start.AddDays(366).AddHours(1), second.Now.ToDateTimeOffset());
    }

    [Fact]
    public async Task Without_the_simulated_clock_AdvanceClock_is_unimplemented()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration);

        var absent = await Assert.ThrowsAsync<RpcException>(() => new SimulationService.SimulationServiceClient(service.Channel)
            .AdvanceClockAsync(new AdvanceClockRequest { By = Duration.FromTimeSpan(TimeSpan.FromDays(1)) }).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, absent.StatusCode);
        Assert.DoesNotContain("The clock is SIMULATED", service.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Decisioning__Grpc__ListenAddress", "0.0.0.0", "loopback only")]
    [InlineData("Decisioning__Clock__Start", "", "without Decisioning:Clock:Start")]
    public async Task A_simulated_clock_off_loopback_or_without_a_start_refuses_to_start(string key, string value, string said)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = ServiceProcess.Create(redis.Configuration, Simulated(new KeyValuePair<string, string>(key, value)));

        var exit = await service.RunToExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        Assert.Contains(said, service.Output, StringComparison.Ordinal);
    }

    private static Task<AdvanceClockResponse> AdvanceAsync(SimulationService.SimulationServiceClient clock, int days) => AdvanceAsync(clock, TimeSpan.FromDays(days));

    private static async Task<AdvanceClockResponse> AdvanceAsync(SimulationService.SimulationServiceClient clock, TimeSpan by) =>
        await clock.AdvanceClockAsync(new AdvanceClockRequest { By = Duration.FromTimeSpan(by) }, deadline: DateTime.UtcNow.AddMinutes(2));

    private static async Task<Line> LineAsync(CreditLineService.CreditLineServiceClient lines, string id) =>
        (await lines.GetLineAsync(new GetLineRequest { EnterpriseId = id })).Line;

    /// <summary>The whole journal, oldest first.</summary>
    private static async Task<List<Transaction>> JournalAsync(CreditLineService.CreditLineServiceClient lines, string id) =>
        [.. (await lines.ListTransactionsAsync(new ListTransactionsRequest { EnterpriseId = id, PageSize = 500 })).Transactions.Reverse()];

    /// <summary>The enterprise's claims, once the projection (a few poll intervals behind the commits) has applied the recovery.</summary>
    private static Task<ListRiskFundClaimsResponse> ClaimsAsync(ProgrammeService.ProgrammeServiceClient programmes, string id) =>
        Eventually(() => programmes.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { EnterpriseId = id }).ResponseAsync, r => r.Claims.Count == 1 && r.Claims[0].Recoveries == 1);

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var last = await read();
        for (var attempt = 0; attempt < 300 && !done(last); attempt++)
        {
            await Task.Delay(100);
            last = await read();
        }

        return last;
    }
}
