using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Inputs a caller may not set, over the wire: the exclusion list is kept by staff in the service,
/// the subsidy comes from the configured programmes, and the providers' parts come from the bank's
/// data services or from the providers. The fixture's clients are bank staff holding every scope.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class CallerInputsTests(ServiceFixture fixture)
{
    private const string ExclusionKnockOut = "ON_BANK_EXCLUSION_LIST";

    private LineAdminService.LineAdminServiceClient Admin => fixture.Admin;
    private DecisioningService.DecisioningServiceClient Decisioning => fixture.Decisioning;

    private static AddExclusionRequest Adding(string id, string requestId, string reason = "fraud referral 2026-114") =>
        new() { EnterpriseId = id, RequestId = requestId, Reason = reason };

    private async Task<List<ExclusionChange>> ChangesOf(string id) =>
        [.. (await Admin.ListExclusionChangesAsync(new() { PageSize = 200 })).Changes.Where(c => c.EnterpriseId == id)];

    private async Task<bool> Listed(string id)
    {
        var token = "";
        do
        {
            var page = await Admin.ListExclusionsAsync(new() { PageSize = 200, PageToken = token });
            if (page.Exclusions.Any(e => e.EnterpriseId == id))
            {
                return true;
            }

            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return false;
    }

    [Fact]
    public async Task An_enterprise_staff_put_on_the_exclusion_list_is_declined_and_its_decision_shows_the_list_as_found()
    {
        var id = TestEnterprises.Unique();

        var added = await Admin.AddExclusionAsync(Adding(id, "exclude-1"));
        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));
        var recorded = await Decisioning.GetDecisionAsync(new() { EnterpriseId = id, DecisionId = assessed.Decision.DecisionId });

        Assert.Equal((id, "fraud referral 2026-114", "exclude-1"), (added.Exclusion.EnterpriseId, added.Exclusion.Reason, added.Exclusion.RequestId));
        Assert.NotEmpty(added.Exclusion.AddedBy);
        Assert.Equal(Outcome.Decline, assessed.Decision.Outcome);
        Assert.Contains(assessed.Decision.Reasons, r => r.Code == ExclusionKnockOut && r.Kind == ReasonKind.KnockOut);
        Assert.Null(assessed.Line);
        Assert.True(recorded.Application.OnExclusionList);
        Assert.True(await Listed(id));
    }

    [Fact]
    public async Task Every_change_of_the_list_is_journaled_with_who_when_and_why_newest_first()
    {
        var id = TestEnterprises.Unique();

        var added = await Admin.AddExclusionAsync(Adding(id, "exclude-1"));
        var removed = await Admin.RemoveExclusionAsync(new() { EnterpriseId = id, RequestId = "readmit-1", Reason = "referral closed, no fraud found" });
        var changes = await ChangesOf(id);

        Assert.Equal([removed.ChangeId, added.ChangeId], changes.Select(c => c.ChangeId));
        Assert.Equal(
            [(ExclusionChangeType.Removed, "referral closed, no fraud found", "readmit-1"), (ExclusionChangeType.Added, "fraud referral 2026-114", "exclude-1")],
            changes.Select(c => (c.ChangeType, c.Reason, c.RequestId)));
        Assert.All(changes, c => Assert.Equal(added.Exclusion.AddedBy, c.Actor));
        Assert.All(changes, c => Assert.InRange(c.ChangeTime.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Equal(added.Exclusion, removed.Exclusion);
    }

    [Fact]
    public async Task An_enterprise_taken_off_the_list_is_approved_again()
    {
        var id = TestEnterprises.Unique();
        await Admin.AddExclusionAsync(Adding(id, "exclude-1"));

        await Admin.RemoveExclusionAsync(new() { EnterpriseId = id, RequestId = "readmit-1", Reason = "referral closed" });
        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Sound(id, "assess-1"));

        Assert.False(await Listed(id));
        Assert.Equal(Outcome.Approve, assessed.Decision.Outcome);
    }

    [Fact]
    public async Task A_retried_addition_gets_the_first_reply_and_another_addition_under_its_request_id_is_already_exists()
    {
        var id = TestEnterprises.Unique();
        var first = await Admin.AddExclusionAsync(Adding(id, "exclude-1"));

        var retry = await Admin.AddExclusionAsync(Adding(id, "exclude-1"));
        var reused = await Assert.ThrowsAsync<RpcException>(async () => await Admin.AddExclusionAsync(Adding(id, "exclude-1", reason: "another reason")));

        Assert.Equal(first, retry);
        Assert.Equal((StatusCode.AlreadyExists, "REQUEST_ID_REUSED"), (reused.StatusCode, reused.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason));
        Assert.Single(await ChangesOf(id));
    }

    public static TheoryData<string> BadExclusionRequests => [.. BadCases.Keys];

    private static readonly Dictionary<string, (StatusCode Code, string Reason, string Field, Func<LineAdminService.LineAdminServiceClient, string, Task> Call)> BadCases = new()
    {
        ["AddExclusion without a reason"] = (StatusCode.InvalidArgument, "REASON_REQUIRED", "reason", (c, id) => c.AddExclusionAsync(Adding(id, "x-1", reason: "")).ResponseAsync),
        ["AddExclusion with a 257-character reason"] = (StatusCode.InvalidArgument, "TEXT_TOO_LONG", "reason", (c, id) => c.AddExclusionAsync(Adding(id, "x-2", reason: new string('r', 257))).ResponseAsync),
        ["AddExclusion without a request id"] = (StatusCode.InvalidArgument, "REQUEST_ID_REQUIRED", "request_id", (c, id) => c.AddExclusionAsync(Adding(id, "")).ResponseAsync),
        ["AddExclusion with a typo in the enterprise id"] = (StatusCode.InvalidArgument, "ENTERPRISE_ID_INVALID", "enterprise_id", (c, id) => c.AddExclusionAsync(Adding(id[..17] + (id[17] == '0' ? '1' : '0'), "x-3")).ResponseAsync),
        ["RemoveExclusion of an enterprise not on the list"] = (StatusCode.FailedPrecondition, "NOT_ON_EXCLUSION_LIST", "enterprise_id", (c, id) => c.RemoveExclusionAsync(new() { EnterpriseId = id, RequestId = "x-4", Reason = "readmit" }).ResponseAsync),
        ["ListExclusions of 201 a page"] = (StatusCode.InvalidArgument, "PAGE_SIZE_OUT_OF_RANGE", "page_size", (c, _) => c.ListExclusionsAsync(new() { PageSize = 201 }).ResponseAsync),
        ["ListExclusionChanges with a made-up page token"] = (StatusCode.InvalidArgument, "PAGE_TOKEN_INVALID", "page_token", (c, _) => c.ListExclusionChangesAsync(new() { PageToken = "+" }).ResponseAsync),
    };

    [Theory]
    [MemberData(nameof(BadExclusionRequests))]
    public async Task A_bad_exclusion_request_gets_a_precise_status_naming_the_field_and_changes_nothing(string name)
    {
        var (code, reason, field, call) = BadCases[name];
        var id = TestEnterprises.Unique();

        var error = await Assert.ThrowsAsync<RpcException>(() => call(Admin, id));

        Assert.Equal(code, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal((reason, "decisioning.v1"), (info.Reason, info.Domain));
        Assert.Contains(field, error.Status.Detail, StringComparison.Ordinal);
        Assert.False(await Listed(id));
        Assert.Empty(await ChangesOf(id));
    }

    [Fact]
    public async Task Adding_an_enterprise_already_on_the_list_is_failed_precondition_and_keeps_the_first_entry()
    {
        var id = TestEnterprises.Unique();
        var first = await Admin.AddExclusionAsync(Adding(id, "exclude-1"));

        var again = await Assert.ThrowsAsync<RpcException>(async () => await Admin.AddExclusionAsync(Adding(id, "exclude-2", reason: "second referral")));

        Assert.Equal((StatusCode.FailedPrecondition, "ALREADY_ON_EXCLUSION_LIST"), (again.StatusCode, again.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason));
        Assert.Equal([first.ChangeId], (await ChangesOf(id)).Select(c => c.ChangeId));
    }

    [Fact]
    public async Task A_line_staff_open_by_hand_takes_its_subsidy_from_the_programmes_not_the_request()
    {
        // The configured programme needs a provincial or national recognition, which a line opened
        // by hand does not establish: no subsidy.
        var id = TestEnterprises.Unique();

        var opened = await fixture.Service.OpenLineByFourEyesAsync(new() { EnterpriseId = id, RequestId = "open-1", LimitMinor = 1_000_000_00, AnnualRateBps = 350, TermDays = 365, Product = Product.SrdiELoan });

        Assert.Equal(0, opened.Line.SubsidyBps);
    }

    [Fact]
    public async Task A_data_service_supplying_the_providers_parts_has_them_used_as_supplied()
    {
        var assessed = await Decisioning.AssessEnterpriseAsync(Applications.Sound(TestEnterprises.Unique(), "assess-1"));

        Assert.All(assessed.Decision.ExternalData, u => Assert.Equal(DataSource.Supplied, u.Source));
    }

    [Fact]
    public async Task A_fund_flow_statement_ending_three_complete_months_ago_is_invalid_argument_naming_fund_flow_and_records_nothing()
    {
        var id = TestEnterprises.Unique();
        var request = Applications.Sound(id, "assess-1");
        foreach (var month in request.FundFlow.Months)
        {
            month.Month = DateOnly.Parse(month.Month, System.Globalization.CultureInfo.InvariantCulture).AddMonths(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Decisioning.AssessEnterpriseAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == "fund_flow" && v.Reason == "FUND_FLOW_OUT_OF_DATE");
        var journal = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Lines.ListTransactionsAsync(new() { EnterpriseId = id }));
        Assert.Equal(StatusCode.NotFound, journal.StatusCode);
    }
}
