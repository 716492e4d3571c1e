using System.IO.Hashing;
using System.Text;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Grains.Storage.V1;
using Decisioning.Testing;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using StackExchange.Redis;
using DomainLevel = Decisioning.Domain.Assessment.SrdiLevel;
using DomainLines = Decisioning.Domain.Lines;
using RiskFundEvents = Decisioning.Domain.Programmes.RiskFundEvents;
using RiskFunds = Decisioning.Domain.Programmes.RiskFunds;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// ProgrammeService/ListRiskFundClaims over gRPC, from the service's own projection of the event
/// streams in a real Redis. No line journals a write-off yet (issue 11, "Time moves the line"): the
/// events are written as commit.lua writes them (XADD to the enterprise's partition, n, p, e, d).
/// </summary>
public sealed class RiskFundClaimsTests
{
    private static readonly DateTimeOffset At = new(2027, 6, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_renewed_loan_written_off_and_partly_recovered_is_claimed_against_the_first_fund_that_covers_it()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration, TestRiskFunds.Settings(TestRiskFunds.Enhancement, TestRiskFunds.Compensation));
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var (renewed, other) = (TestEnterprises.Unique(), TestEnterprises.Unique());

        // Renewed, then 3,000,000 of principal and 120,000 of interest written off, 1,000,000 recovered.
        await AddAsync(db, renewed, Record(1, DomainLines.EntryKind.LineOpened), TestRiskFunds.Decision(DomainLevel.Provincial));
        await AddAsync(db, renewed, Record(2, DomainLines.EntryKind.LineRenewed));
        await AddAsync(db, renewed, WriteOff(3, 3_000_000, 120_000));
        await AddAsync(db, renewed, Record(4, RiskFundEvents.RecoveryKind, amount: 1_000_000));

        // Neither a first loan nor renewed: the compensation fund's, 30% to its cap of 1,000,000.
        await AddAsync(db, other, Record(1, DomainLines.EntryKind.LineOpened), TestRiskFunds.Decision(DomainLevel.Municipal));
        await AddAsync(db, other, WriteOff(2, 5_000_000, 0));

        var programmes = new ProgrammeService.ProgrammeServiceClient(service.Channel);
        ListRiskFundClaimsResponse reply = new();
        for (var attempt = 0; attempt < 300 && reply.Claims.Sum(c => c.Recoveries) + reply.Claims.Count < 3; attempt++)
        {
            reply = await programmes.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest());
            await Task.Delay(100);
        }

        var byEnterprise = reply.Claims.ToDictionary(c => c.EnterpriseId);
        var enhancement = byEnterprise[renewed];
        Assert.Equal(
            (TestRiskFunds.Enhancement.Id, 3L, Product.SrdiELoan, SrdiLevel.Provincial, false, true, 3_000_000L, 120_000L, 5_000, 1_500_000L, ClaimLimit.Share, 1_000_000L, 500_000L, 1_000_000L, 1),
            (enhancement.FundId, enhancement.WriteOffSequence, enhancement.Product, enhancement.SrdiLevel, enhancement.FirstLoan, enhancement.Renewal, enhancement.WrittenOffPrincipalMinor, enhancement.WrittenOffInterestMinor, enhancement.ShareBps, enhancement.ClaimedMinor, enhancement.LimitedBy, enhancement.RecoveredMinor, enhancement.ReturnedMinor, enhancement.NetClaimMinor, enhancement.Recoveries));
        Assert.Equal(At.AddDays(3), enhancement.WriteOffTime.ToDateTimeOffset());
        Assert.Equal(At.AddDays(4), enhancement.LastRecoveryTime.ToDateTimeOffset());
        var compensation = byEnterprise[other];
        Assert.Equal((TestRiskFunds.Compensation.Id, 1_000_000L, ClaimLimit.PerLoanCap, 0, (Google.Protobuf.WellKnownTypes.Timestamp?)null), (compensation.FundId, compensation.ClaimedMinor, compensation.LimitedBy, compensation.Recoveries, compensation.LastRecoveryTime));

        // The funds reconcile: configured - claimed + returned is what is left.
        Assert.Equal([TestRiskFunds.Enhancement.Id, TestRiskFunds.Compensation.Id], reply.Funds.Select(f => f.FundId));
        var (first, second) = (reply.Funds[0], reply.Funds[1]);
        Assert.Equal((5_000_000L, 1L, 1_500_000L, 500_000L, 4_000_000L), (first.ConfiguredMinor, first.Claims, first.ClaimedMinor, first.ReturnedMinor, first.AvailableMinor));
        Assert.Equal((10_000_000L, 1L, 1_000_000L, 0L, 9_000_000L), (second.ConfiguredMinor, second.Claims, second.ClaimedMinor, second.ReturnedMinor, second.AvailableMinor));
        Assert.Equal((true, true, false, 5_000, 2_000_000L, SrdiLevel.Municipal), (first.CoversFirstLoans, first.CoversRenewals, first.CoversOtherLoans, first.ShareBps, first.CapPerLoanMinor, first.MinSrdiLevel));
        Assert.Equal([Product.SrdiELoan, Product.OperatingQuickLoan], second.Products);

        // A page of one, and one enterprise's claims.
        var page = await programmes.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { PageSize = 1 });
        var next = await programmes.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { PageSize = 1, PageToken = page.NextPageToken });
        Assert.Equal(reply.Claims.OrderBy(c => c.EnterpriseId, StringComparer.Ordinal).Select(c => c.EnterpriseId), page.Claims.Concat(next.Claims).Select(c => c.EnterpriseId));
        Assert.Equal("", next.NextPageToken);
        var mine = await programmes.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { EnterpriseId = other });
        Assert.Equal([other], mine.Claims.Select(c => c.EnterpriseId));
    }

    [Fact]
    public async Task The_claims_need_credit_read_and_a_token_serving_every_enterprise_and_bad_pages_are_named()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration);
        var id = TestEnterprises.Unique();
        ProgrammeService.ProgrammeServiceClient Client(string[] scopes, string[] enterprises) =>
            new(service.ChannelFor(TestTokens.Shared.Issue("fund-reader", scopes, enterprises)));

        var (one, unscoped) = (Client(["credit.read"], [id]), Client(["credit.draw"], ["*"]));
        await AssertRefused(() => one.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { EnterpriseId = id }).ResponseAsync, ErrorReasons.EnterpriseNotServed, null);
        await AssertRefused(() => unscoped.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest()).ResponseAsync, ErrorReasons.ScopeRequired, null);

        var staff = new ProgrammeService.ProgrammeServiceClient(service.Channel);
        await AssertRefused(() => staff.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { PageSize = RiskFunds.MaxPageSize + 1 }).ResponseAsync, ErrorReasons.PageSizeOutOfRange, "page_size");
        await AssertRefused(() => staff.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { PageToken = id + "|5" }).ResponseAsync, ErrorReasons.PageTokenInvalid, "page_token");
        await AssertRefused(() => staff.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { EnterpriseId = id[..17] }).ResponseAsync, ErrorReasons.EnterpriseIdInvalid, "enterprise_id");

        // No fund configured: an empty answer, not an error.
        var none = await staff.ListRiskFundClaimsAsync(new ListRiskFundClaimsRequest { PageSize = RiskFunds.MaxPageSize });
        Assert.Equal((0, 0, ""), (none.Funds.Count, none.Claims.Count, none.NextPageToken));
    }

    private static async Task AssertRefused(Func<Task> call, ErrorReason reason, string? field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(ErrorReasonCoverageTests.StatusOf(reason), error.StatusCode);
        Assert.Equal(reason.Code, error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        if (field is not null)
        {
            Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == field);
        }
    }

    /// <summary>An event as commit.lua publishes it: XADD to the enterprise's partition stream (default keys, 16 partitions), fields n, p, e and d.</summary>
    private static async Task AddAsync(IDatabase db, string id, JournalRecord record, Domain.Assessment.DecisionSummary? decision = null)
    {
        var partition = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(id)) % 16;
        var fields = new List<NameValueEntry> { new("n", id), new("p", (int)Product.SrdiELoan), new("e", record.ToByteArray()) };
        if (decision is not null)
        {
            fields.Add(new("d", new DecisionEventRecord { Purpose = (int)decision.Purpose, Outcome = (int)decision.Outcome, Product = (int)decision.Product, SrdiLevel = (int)decision.SrdiLevel }.ToByteArray()));
        }

        await db.StreamAddAsync($"dc:events:{partition}", [.. fields]);
    }

    /// <summary>A write-off as <see cref="RiskFundEvents.WriteOffOf"/> reads it until the line journals its own.</summary>
    private static JournalRecord WriteOff(long sequence, long principal, long interest)
    {
        var record = Record(sequence, RiskFundEvents.WriteOffKind, amount: principal + interest);
        (record.WrittenOffPrincipalMinor, record.WrittenOffInterestMinor) = (principal, interest);
        return record;
    }

    private static JournalRecord Record(long sequence, DomainLines.EntryKind kind, long amount = 0) => new()
    {
        Sequence = sequence,
        CreateUnixMs = At.AddDays(sequence).ToUnixTimeMilliseconds(),
        Kind = (int)kind,
        RequestId = "r-" + sequence,
        Actor = "officer-li",
        AmountMinor = amount,
        LimitAfterMinor = 10_000_000,
        StatusAfter = (int)DomainLines.LineStatus.Active,
    };
}
