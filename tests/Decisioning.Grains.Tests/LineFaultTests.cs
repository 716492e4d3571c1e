using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Assessment;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>One Redis and one silo whose store injects the faults each test arms for its own enterprise.</summary>
public sealed class SharedFaultyCluster : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public LineCluster Line { get; private set; } = null!;

    internal FaultyLineStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        (Line, Store) = await FaultyLineStore.StartAsync(Redis);
    }

    public async Task DisposeAsync()
    {
        await Line.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>Faults inside one line (issue 8): each test holds, fails or breaks one of its line's writes.</summary>
public sealed class LineFaultTests(SharedFaultyCluster shared) : IClassFixture<SharedFaultyCluster>
{
    /// <summary>Bounds a call that must be answered, so that a hang fails the test instead of stalling the run.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly DateOnly Today = BusinessCalendar.DateOf(LineCluster.Start);

    private LineCluster Cluster => shared.Line;

    private FaultyLineStore Store => shared.Store;

    private LocalLines Local => Cluster.SiloService<LocalLines>();

    // The front door's in-process path hands a command to the line's pipeline synchronously: once
    // Change returns, the pipeline has taken it, which orders it behind the write in flight.
    private LineAccess Access => new(Cluster.Grains, Cluster.Clock, Local);

    [Fact]
    public async Task An_opening_while_another_is_written_is_not_refused_for_good_when_that_write_fails()
    {
        var (id, line, gate, approval, second) = await OpeningWhileAnotherIsWrittenAsync();
        gate.Fail();

        Assert.Equal(ErrorKind.Unavailable, (await approval.WaitAsync(Bound)).Error?.Kind);
        Assert.Equal(ErrorKind.Unavailable, (await second.WaitAsync(Bound)).Error?.Kind);
        Assert.Equal("LINE_NOT_FOUND", (await line.GetLine()).Error?.Reason);
        var retry = await line.OpenLine("open-2", 20_000, 300, 30, Product.OperatingQuickLoan, "staff");
        Assert.Equal(20_000, retry.Value!.Proposal!.LimitMinor);
    }

    [Fact]
    public async Task An_opening_while_another_is_written_is_refused_once_that_write_succeeds()
    {
        var (_, _, gate, approval, second) = await OpeningWhileAnotherIsWrittenAsync();
        gate.Pass();

        Assert.Equal(LineStatus.Active, (await approval.WaitAsync(Bound)).Value!.Line.Status);
        Assert.Equal("LINE_ALREADY_OPEN", (await second.WaitAsync(Bound)).Error?.Reason);
    }

    [Fact]
    public async Task A_capture_while_the_holds_release_is_written_is_not_refused_for_good_when_that_write_fails()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");
        var hold = (await line.PlaceHold("hold-1", 4_000, 3600, LineCluster.Caller)).Value!.HoldId;
        var gate = Store.HoldNextCommit(id);
        var release = line.ReleaseHold("release-1", hold, LineCluster.Caller).AsTask();
        await gate.Entered.WaitAsync(Bound);

        var capture = Access.Change(id, new CaptureHoldCommand("capture-1", hold, 3_000) { Actor = LineCluster.Caller }).AsTask();
        gate.Fail();

        Assert.Equal(ErrorKind.Unavailable, (await release.WaitAsync(Bound)).Error?.Kind);
        Assert.Equal(ErrorKind.Unavailable, (await capture.WaitAsync(Bound)).Error?.Kind);
        var retry = (await line.CaptureHold("capture-1", hold, 3_000, LineCluster.Caller)).Value!;
        Assert.Equal((true, 3_000L, 3_000L, 0L), (retry.Approved, retry.CapturedMinor, retry.Line.DrawnMinor, retry.Line.HeldMinor));
    }

    [Fact]
    public async Task A_write_the_fence_refuses_is_taken_again_once_and_a_second_refusal_is_a_concurrent_modification()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");

        Store.FenceNextCommits(id, 1);
        var once = await line.Draw("d-1", 1_000, LineCluster.Caller).AsTask().WaitAsync(Bound);
        Store.FenceNextCommits(id, 2);
        var twice = await line.Draw("d-2", 500, LineCluster.Caller).AsTask().WaitAsync(Bound);
        var retry = await line.Draw("d-2", 500, LineCluster.Caller).AsTask().WaitAsync(Bound);

        Assert.True(once.Value!.Approved);
        Assert.Equal(1_000, once.Value.Line.DrawnMinor);
        Assert.Equal(ErrorReasons.ConcurrentModification.Code, twice.Error?.Reason);
        Assert.Equal(1_500, retry.Value!.Line.DrawnMinor);
    }

    [Fact]
    public async Task A_refusal_while_the_lines_own_write_is_stored_but_not_yet_answered_waits_for_that_write_and_holds()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");
        await line.Draw("d-1", 1_000, LineCluster.Caller);
        var pipeline = Local.TryGet(id, out var held) ? held : null;
        var gate = Store.HoldNextOutcome(id);
        var draw = line.Draw("d-2", 500, LineCluster.Caller).AsTask();
        Assert.IsType<CommittedOutcome>(await gate.Stored.WaitAsync(Bound));

        // Storage is one entry ahead of the line's durable state, by the line's own write; the
        // in-process path decides the refusal before the outcome is delivered.
        var repay = Access.Change(id, new RepayCommand("r-1", 2_000) { Actor = LineCluster.Caller }).AsTask();
        gate.Deliver();

        Assert.Equal("REPAYMENT_EXCEEDS_OUTSTANDING", (await repay.WaitAsync(Bound)).Error?.Reason);
        Assert.Equal(1_500, (await draw.WaitAsync(Bound)).Value!.Line.DrawnMinor);
        Assert.NotNull(pipeline);
        Assert.True(pipeline.IsServing);
    }

    [Fact]
    public async Task A_refusal_while_a_write_is_in_flight_on_a_line_another_activation_moved_on_is_taken_again_by_the_reloaded_line()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");
        await line.Draw("d-1", 1_000, LineCluster.Caller);
        var gate = Store.HoldNextCommit(id);
        var draw = line.Draw("d-2", 500, LineCluster.Caller).AsTask();
        await gate.Entered.WaitAsync(Bound);
        await Cluster.DrawElsewhereAsync(shared.Redis, id, "elsewhere", 2_000);

        // The line holds 1,500 owed at most (the in-process path decides before the write settles);
        // it owes 3,000, and 3,500 once d-2 is taken again.
        var repay = Access.Change(id, new RepayCommand("r-1", 2_500) { Actor = LineCluster.Caller }).AsTask();
        gate.Pass();

        Assert.Equal(2_500, (await repay.WaitAsync(Bound)).Value!.PrincipalPaidMinor);
        Assert.True((await draw.WaitAsync(Bound)).Value!.Approved);
        Assert.Equal(1_000, (await line.GetLine()).Value!.DrawnMinor);
    }

    [Fact]
    public async Task An_exception_inside_the_write_loop_answers_its_commands_as_unavailable_and_the_line_serves_again()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");
        Store.BreakNextOutcome(id);

        var broken = await line.Draw("d-1", 1_000, LineCluster.Caller).AsTask().WaitAsync(Bound);
        var retry = await line.Draw("d-1", 1_000, LineCluster.Caller).AsTask().WaitAsync(Bound);
        var next = await line.Draw("d-2", 500, LineCluster.Caller).AsTask().WaitAsync(Bound);

        Assert.Equal(ErrorKind.Unavailable, broken.Error?.Kind);
        Assert.True(retry.Value!.Approved);
        Assert.Equal(1_500, next.Value!.Line.DrawnMinor);
    }

    [Fact]
    public async Task A_commit_that_never_completes_times_out_as_unavailable_and_the_line_serves_again()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        await line.OpenApproved("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff");
        var gate = Store.HoldNextCommit(id);
        var lost = line.Draw("d-1", 1_000, LineCluster.Caller).AsTask();
        await gate.Entered.WaitAsync(Bound);

        var behind = Access.Change(id, new DrawCommand("d-2", 500) { Actor = LineCluster.Caller }).AsTask();
        // The line's clock runs the commit timeout: moved on past it until the write gives up.
        for (var step = 0; step < 300 && !lost.IsCompleted; step++)
        {
            Cluster.Clock.Advance(new LineStorageOptions().CommitTimeout);
            await Task.WhenAny(lost, Task.Delay(10));
        }

        Assert.Equal(ErrorKind.Unavailable, (await lost.WaitAsync(Bound)).Error?.Kind);
        Assert.Equal(ErrorKind.Unavailable, (await behind.WaitAsync(Bound)).Error?.Kind);
        var retry = (await line.Draw("d-1", 1_000, LineCluster.Caller).AsTask().WaitAsync(Bound)).Value!;
        Assert.Equal(1_000, retry.Line.DrawnMinor);
    }

    [Fact]
    public async Task An_opening_that_storage_refuses_writes_nothing_and_its_retry_opens_the_line_once()
    {
        await using var connection = await shared.Redis.ConnectAsync();
        var db = connection.GetDatabase();
        var id = TestEnterprises.Unique();
        var (journal, unlined) = ($"dc:{{{id}}}:journal", $"dc:{{{id}}}:unlined");
        var line = Cluster.Line(id);
        var proposal = (await line.OpenLine("open", 10_000, 300, 30, Product.OperatingQuickLoan, "staff")).Value!.Proposal!;
        // Opening the line reads this set: of the wrong type, that read fails.
        await db.StringSetAsync(unlined, "not a set");

        var failed = await line.ApproveProposal("approve", proposal.Id, FourEyes.Approver);

        Assert.Equal(ErrorKind.Unavailable, failed.Error?.Kind);
        Assert.Equal(1, await db.StreamLengthAsync(journal));
        Assert.False(await db.KeyExistsAsync($"dc:{{{id}}}:rq:{RequestKeys.Of("approve", FourEyes.Approver)}"));
        Assert.Null(await db.KeyTimeToLiveAsync(unlined));

        await db.KeyDeleteAsync(unlined);
        var opened = await line.ApproveProposal("approve", proposal.Id, FourEyes.Approver);
        var retry = await line.ApproveProposal("approve", proposal.Id, FourEyes.Approver);

        Assert.Equal(LineStatus.Active, opened.Value!.Line.Status);
        LineCommands.AssertSameAnswer(opened, retry);
        Assert.Equal(2, await db.StreamLengthAsync(journal));
        Assert.Null(await db.KeyTimeToLiveAsync(journal));
    }

    [Fact]
    public async Task Two_identical_assessments_at_once_return_the_stored_decision()
    {
        var id = TestApplications.SimulatedApprovedEnterprise(Cluster.SiloService<DecisionModels>().Champion, Today, 800_000);
        // Fetched by the first attempt, cached for the second: the two documents differ.
        var request = new AssessRequest { Actor = LineCluster.Caller, RequestId = "assess-1", Application = TestApplications.ToFetch(id, Today), FetchExternalData = true };
        // A line to assess again: an activation without one leaves as soon as it is idle.
        await Cluster.Line(id).OpenApproved("open", 1_000_000, 300, 30, Product.OperatingQuickLoan, "staff");
        await Cluster.GrantConsent(id);
        var gate = Store.HoldNextCommit(id);
        var first = Cluster.Assessment.Assess(request).AsTask();
        await gate.Entered.WaitAsync(Bound);
        Assert.True(Local.TryGet(id, out var pipeline));

        var second = Cluster.Assessment.Assess(request).AsTask();
        for (var step = 0; step < 2000 && pipeline.SharedAnswers == 0; step++)
        {
            await Task.Delay(10);
        }

        gate.Pass();
        var (a, b) = ((await first.WaitAsync(Bound)).Value!, (await second.WaitAsync(Bound)).Value!);

        Assert.Equal(1, pipeline.SharedAnswers);
        var stored = (await Cluster.Line(id).GetDecision(a.Decision.DecisionId)).Value!;
        Assert.Equal(a.Decision.DecisionId, b.Decision.DecisionId);
        Assert.All(stored.ExternalData, use => Assert.Equal(DataSource.Fetched, use.Source));
        Assert.Equal(stored.ExternalData.AsEnumerable(), a.ExternalData.AsEnumerable());
        Assert.Equal(stored.ExternalData.AsEnumerable(), b.ExternalData.AsEnumerable());
        Assert.Equivalent(stored.Champion, b.Decision);
    }

    [Fact]
    public async Task Every_draw_of_a_batch_large_enough_to_share_its_replies_between_two_threads_gets_its_own_answer()
    {
        var id = TestEnterprises.Unique();
        await Cluster.Line(id).OpenApproved("open", 1_000_000, 300, 30, Product.OperatingQuickLoan, "staff");
        var gate = Store.HoldNextCommit(id);
        var first = Access.Change(id, new DrawCommand("d-0", 100) { Actor = LineCluster.Caller }).AsTask();
        await gate.Entered.WaitAsync(Bound);

        // Twenty draws gather behind the held write and leave in one batch, whose replies are split.
        var batch = Enumerable.Range(1, 20).Select(i => Access.Change(id, new DrawCommand($"d-{i}", 100 * i) { Actor = LineCluster.Caller }).AsTask()).ToArray();
        gate.Pass();

        var replies = await Task.WhenAll(batch).WaitAsync(Bound);
        var head = (await first.WaitAsync(Bound)).Value!;
        Assert.True(head.Approved);
        var sequence = head.Sequence;
        for (var i = 0; i < replies.Length; i++)
        {
            // In the order taken: the i-th of the batch is entry i after the first, with the first's 100 and the batch's draws up to it drawn.
            Assert.Equal(sequence + i + 1, replies[i].Value!.Sequence);
            Assert.Equal(100 + (100L * (i + 1) * (i + 2) / 2), replies[i].Value!.Line.DrawnMinor);
        }
    }

    /// <summary>
    /// A line proposed, its approval (which opens it) held in the store, and a second OpenLine
    /// taken by the pipeline while that write is in flight.
    /// </summary>
    private async Task<(string Id, ICreditLineGrain Line, CommitGate Gate, Task<Result<OperationResult>> Approval, Task<Result<OperationResult>> Second)> OpeningWhileAnotherIsWrittenAsync()
    {
        var id = TestEnterprises.Unique();
        var line = Cluster.Line(id);
        var proposal = (await line.OpenLine("open-1", 10_000, 300, 30, Product.OperatingQuickLoan, "staff")).Value!.Proposal!;
        var gate = Store.HoldNextCommit(id);
        var approval = line.ApproveProposal("approve-1", proposal.Id, FourEyes.Approver).AsTask();
        await gate.Entered.WaitAsync(Bound);
        var second = Access.Change(id, new OpenLineCommand("open-2", 20_000, 300, 30, Product.OperatingQuickLoan) { Actor = "staff" }).AsTask();
        return (id, line, gate, approval, second);
    }
}
