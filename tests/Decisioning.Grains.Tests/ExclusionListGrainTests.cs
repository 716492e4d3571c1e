using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Abstractions;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>The bank's exclusion list over a real silo and a real Redis: staff's changes, their journal, and assessments that consult it.</summary>
public sealed class ExclusionListGrainTests(SharedLineCluster shared) : IClassFixture<SharedLineCluster>
{
    private const string ExclusionKnockOut = "ON_BANK_EXCLUSION_LIST";
    private static readonly DateOnly Today = BusinessCalendar.DateOf(LineCluster.Start);

    private LineCluster Cluster => shared.Line;

    private IExclusionListGrain List => Cluster.Grains.GetGrain<IExclusionListGrain>(0);

    private static ExclusionCommand Add(string id, string requestId, string reason = "fraud referral 2026-114", string actor = "officer-7") =>
        new(ExclusionChangeKind.Added, id, requestId, reason) { Actor = actor };

    private static ExclusionCommand Remove(string id, string requestId, string reason = "referral closed", string actor = "officer-9") =>
        new(ExclusionChangeKind.Removed, id, requestId, reason) { Actor = actor };

    private async Task<AssessmentResult> Assess(string id, string requestId, CreditApplication? application = null) =>
        (await Cluster.Assessment.Assess(new AssessRequest { Actor = LineCluster.Caller, RequestId = requestId, Application = application ?? TestApplications.Sound(id, Today) })).Value!;

    private async Task<List<ExclusionChange>> ChangesOf(string id) =>
        [.. (await List.ListChanges("", ExclusionRules.MaxPageSize)).Value!.Items.Where(c => c.EnterpriseId == id)];

    [Fact]
    public async Task An_added_enterprise_is_stored_and_journaled_with_who_when_and_why()
    {
        var id = TestEnterprises.Unique();
        var now = Cluster.Clock.GetUtcNow();

        var reply = await List.Change(Add(id, $"add-{id}"));

        Assert.Null(reply.Error);
        var expected = new Exclusion { EnterpriseId = id, Reason = "fraud referral 2026-114", AddedBy = "officer-7", AddedAt = now, RequestId = $"add-{id}" };
        Assert.Equal(expected, reply.Value!.Exclusion);
        Assert.Contains(expected, (await List.List("", ExclusionRules.MaxPageSize)).Value!.Items);
        var change = Assert.Single(await ChangesOf(id));
        Assert.Equal(
            (reply.Value.ChangeId, ExclusionChangeKind.Added, "fraud referral 2026-114", "officer-7", now, $"add-{id}"),
            (change.ChangeId, change.Kind, change.Reason, change.Actor, change.At, change.RequestId));
    }

    [Fact]
    public async Task An_enterprise_on_the_list_is_declined_with_the_knock_out_and_its_decision_shows_the_list_as_found()
    {
        var id = TestEnterprises.Unique();
        await List.Change(Add(id, $"add-{id}"));

        var reply = await Assess(id, "assess-1");

        Assert.Equal(Outcome.Decline, reply.Decision!.Outcome);
        Assert.Contains(ExclusionKnockOut, reply.Decision.ReasonCodes);
        Assert.Null(reply.Line);
        Assert.True((await Cluster.Line(id).GetDecision(reply.Decision.DecisionId)).Value!.Application.OnExclusionList);
    }

    [Fact]
    public async Task A_removed_enterprise_is_off_the_list_journaled_with_the_remover_and_approved_again()
    {
        var id = TestEnterprises.Unique();
        var added = await List.Change(Add(id, $"add-{id}"));

        var removed = await List.Change(Remove(id, $"remove-{id}"));
        var reply = await Assess(id, "assess-1");

        Assert.Null(removed.Error);
        Assert.Equal(added.Value!.Exclusion, removed.Value!.Exclusion);
        Assert.DoesNotContain((await List.List("", ExclusionRules.MaxPageSize)).Value!.Items, e => e.EnterpriseId == id);
        var changes = await ChangesOf(id);
        Assert.Equal([(ExclusionChangeKind.Removed, "officer-9", "referral closed"), (ExclusionChangeKind.Added, "officer-7", "fraud referral 2026-114")], changes.Select(c => (c.Kind, c.Actor, c.Reason)));
        Assert.Equal(removed.Value.ChangeId, changes[0].ChangeId);
        Assert.Equal(Outcome.Approve, reply.Decision!.Outcome);
        Assert.False((await Cluster.Line(id).GetDecision(reply.Decision.DecisionId)).Value!.Application.OnExclusionList);
    }

    [Fact]
    public async Task A_retry_gets_the_first_answer_and_journals_nothing_more_and_another_change_under_its_request_id_is_refused()
    {
        var id = TestEnterprises.Unique();
        var first = await List.Change(Add(id, $"add-{id}"));
        Cluster.Clock.Advance(TimeSpan.FromMinutes(1));

        var retry = await List.Change(Add(id, $"add-{id}"));
        var other = await List.Change(Add(id, $"add-{id}", reason: "another reason"));

        Assert.Equal(first.Value, retry.Value);
        Assert.Equal((ErrorKind.AlreadyExists, "REQUEST_ID_REUSED"), (other.Error!.Kind, other.Error.Reason));
        Assert.Single(await ChangesOf(id));
    }

    [Fact]
    public async Task Adding_an_enterprise_already_on_the_list_or_removing_one_not_on_it_is_refused_and_journals_nothing()
    {
        var listed = TestEnterprises.Unique();
        var unlisted = TestEnterprises.Unique();
        await List.Change(Add(listed, $"add-{listed}"));

        var again = await List.Change(Add(listed, $"add-again-{listed}", reason: "second referral"));
        var absent = await List.Change(Remove(unlisted, $"remove-{unlisted}"));

        Assert.Equal((ErrorKind.FailedPrecondition, "ALREADY_ON_EXCLUSION_LIST", "enterprise_id"), (again.Error!.Kind, again.Error.Reason, again.Error.Field));
        Assert.Equal((ErrorKind.FailedPrecondition, "NOT_ON_EXCLUSION_LIST", "enterprise_id"), (absent.Error!.Kind, absent.Error.Reason, absent.Error.Field));
        Assert.Equal("fraud referral 2026-114", (await List.List("", ExclusionRules.MaxPageSize)).Value!.Items.Single(e => e.EnterpriseId == listed).Reason);
        Assert.Single(await ChangesOf(listed));
        Assert.Empty(await ChangesOf(unlisted));
    }

    [Fact]
    public async Task A_change_without_a_reason_is_refused_and_changes_nothing()
    {
        var id = TestEnterprises.Unique();

        var reply = await List.Change(Add(id, $"add-{id}", reason: ""));

        Assert.Equal((ErrorKind.InvalidArgument, "REASON_REQUIRED", "reason"), (reply.Error!.Kind, reply.Error.Reason, reply.Error.Field));
        Assert.DoesNotContain((await List.List("", ExclusionRules.MaxPageSize)).Value!.Items, e => e.EnterpriseId == id);
        Assert.Empty(await ChangesOf(id));
    }

    [Fact]
    public async Task An_application_that_says_it_is_on_the_list_is_decided_on_the_services_list_instead()
    {
        var id = TestEnterprises.Unique();

        var reply = await Assess(id, "assess-1", TestApplications.Sound(id, Today) with { OnExclusionList = true });

        Assert.Equal(Outcome.Approve, reply.Decision!.Outcome);
        Assert.False((await Cluster.Line(id).GetDecision(reply.Decision.DecisionId)).Value!.Application.OnExclusionList);
    }

    [Fact]
    public async Task A_renewal_consults_the_list_an_enterprise_excluded_after_its_approval_is_not_renewed()
    {
        var id = TestEnterprises.Unique();
        Assert.Equal(Outcome.Approve, (await Assess(id, "assess-1")).Decision!.Outcome);
        await List.Change(Add(id, $"add-{id}"));

        var renewal = (await Cluster.Assessment.Renew(new AssessRequest { Actor = LineCluster.Caller, RequestId = "renew-1", Application = TestApplications.Sound(id, Today) })).Value!;

        Assert.False(renewal.Renewed);
        Assert.Contains(ExclusionKnockOut, renewal.Decision!.ReasonCodes);
    }

    [Fact]
    public async Task The_list_pages_in_enterprise_id_order_and_survives_a_restart_of_the_host()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] ids = [.. Enumerable.Range(0, 5).Select(_ => TestEnterprises.Unique()).Order(StringComparer.Ordinal)];
        await using (var first = await LineCluster.StartAsync(redis))
        {
            foreach (var id in ids.Reverse())
            {
                Assert.Null((await first.Grains.GetGrain<IExclusionListGrain>(0).Change(Add(id, $"add-{id}"))).Error);
            }
        }

        await using var second = await LineCluster.StartAsync(redis);
        var list = second.Grains.GetGrain<IExclusionListGrain>(0);
        var page1 = (await list.List("", 2)).Value!;
        var page2 = (await list.List(page1.Next, 2)).Value!;
        var page3 = (await list.List(page2.Next, 2)).Value!;

        Assert.Equal(ids, page1.Items.Concat(page2.Items).Concat(page3.Items).Select(e => e.EnterpriseId));
        Assert.Equal(("", 1), (page3.Next, page3.Items.Length));
        var changes = (await list.ListChanges("", 3)).Value!;
        var older = (await list.ListChanges(changes.Next, 3)).Value!;
        Assert.Equal(ids, changes.Items.Concat(older.Items).Select(c => c.EnterpriseId));
        Assert.Equal("", older.Next);
    }

    [Fact]
    public async Task Request_ids_are_the_enterprises_the_same_id_for_two_enterprises_is_two_changes()
    {
        var first = TestEnterprises.Unique();
        var second = TestEnterprises.Unique();

        var a = await List.Change(Add(first, "exclude-1"));
        var b = await List.Change(Add(second, "exclude-1"));

        Assert.Equal((null, null), (a.Error, b.Error));
        Assert.NotEqual(a.Value!.ChangeId, b.Value!.ChangeId);
        Assert.Single(await ChangesOf(first));
        Assert.Single(await ChangesOf(second));
    }
}
