using System.Collections.Immutable;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Assessment;
using Decisioning.Grains.Programmes;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Decisioning.Grains.Lines;

/// <summary>
/// One enterprise's line. Reentrant so that reads never wait behind a write and concurrent changes
/// are committed together. The grain owns the line's <see cref="LinePipeline"/> (loads it, reloads
/// it after a failed write, closes it on deactivation); the pipeline holds the state and does the
/// work, for the grain's callers and for those of this process (<see cref="LocalLines"/>).
/// A line whose storage is behind what this process acknowledged (<see cref="LedgerRegressions"/>)
/// is not loaded: every call on it is LEDGER_REGRESSION until storage catches up.
/// </summary>
[Reentrant]
[GrainType(TypeName)]
public sealed class CreditLineGrain(
    ILineStore store,
    LocalLines local,
    LedgerRegressions regressions,
    TimeProvider clock,
    IOptions<FourEyesOptions> fourEyes,
    IOptions<LineStorageOptions> storage,
    DecisionModels models,
    IOptions<OverdueOptions> overdue,
    RelendingTable relending,
    WorkingDays workingDays,
    ILogger<CreditLineGrain> logger)
    : Grain, ICreditLineGrain, IRemindable
{
    public const string TypeName = "credit-line";

    private LinePipeline? _pipeline;
    private Task<Result<LinePipeline>>? _loading;
    private DailySchedule? _schedule;

    /// <summary>
    /// The reminder mark as read beside the state at load: a line opened by this activation (an
    /// assessment's approval, say) registers its reminder without reading the mark again.
    /// </summary>
    private Task<ReminderMark>? _mark;
    private RelendingLease? _lease;

    public async ValueTask<Result<LimitCheck>> CheckLimit(long amountMinor, CancellationToken cancellationToken)
    {
        var line = await Line();
        LeaveIfUnlined();
        return line.Value is { } pipeline ? pipeline.Durable.Check(amountMinor, clock.GetUtcNow()) : line.Error!;
    }

    public async ValueTask<Result<LineView>> GetLine(CancellationToken cancellationToken)
    {
        var line = await Line();
        LeaveIfUnlined();
        return line.Value is { } pipeline ? pipeline.Durable.Read(clock.GetUtcNow()) : line.Error!;
    }

    public async ValueTask<Result<JournalPage>> ListTransactions(int pageSize, long beforeSequence, CancellationToken cancellationToken)
    {
        var line = await Line();
        LeaveIfUnlined();
        switch (line.Value)
        {
            case null:
                return line.Error!;
            // A decline for an enterprise without a line still leaves a journal to read.
            case { Durable.Sequence: 0 }:
                return DomainError.LineNotFound();
        }

        try
        {
            var entries = await store.ReadJournalAsync(this.GetPrimaryKeyString(), beforeSequence, pageSize);
            var oldest = entries.Count == pageSize ? entries[^1].Sequence : 0;
            return new JournalPage([.. entries], oldest > 1 ? oldest : 0);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading the journal of {EnterpriseId} failed", this.GetPrimaryKeyString());
            return DomainError.StorageUnavailable();
        }
    }

    public async ValueTask<Result<ImmutableArray<Proposal>>> ListProposals(CancellationToken cancellationToken)
    {
        var line = await Line();
        return line.Value is { } pipeline ? pipeline.Durable.ProposalsAt(clock.GetUtcNow()) : line.Error!;
    }

    public async ValueTask<Result<ImmutableArray<Referral>>> ListReferrals(CancellationToken cancellationToken)
    {
        var line = await Line();
        LeaveIfUnlined();
        return line.Value is { } pipeline ? pipeline.Durable.Referrals : line.Error!;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_pipeline is { } pipeline)
        {
            // An idle line's lease goes back to the quota, for lines that draw. Not while the silo
            // stops (the quota may no longer answer): the line tells the quota what it holds when
            // it is next loaded, and what it held is reclaimed then.
            if (_lease is not null && pipeline.IsServing && reason.ReasonCode == DeactivationReasonCode.ActivationIdle)
            {
                try
                {
                    await _lease.GiveBackAllAsync().WaitAsync(cancellationToken);
                }
                catch (Exception ex)
                {
                    // Not given back, the lease stays counted for this line: unused, and reclaimed when it next asks.
                    logger.LogWarning(ex, "Giving back the re-lending lease of {EnterpriseId} failed", this.GetPrimaryKeyString());
                }
            }

            // Callers in this process go through the grain again (and reactivate it); changes
            // already taken are written and answered before the activation goes.
            local.Withdraw(this.GetPrimaryKeyString(), pipeline);
            await pipeline.CloseAsync().WaitAsync(cancellationToken);
        }
    }

    public ValueTask<Result<OperationResult>> Change(LineCommand command, CancellationToken cancellationToken) => Submit(command, null);

    public ValueTask<Result<OperationResult>> Change(LineCommand command, DecisionDocument document, CancellationToken cancellationToken) =>
        Submit(command, [new Attachment(DecisionCodec.AttachmentName(document.DecisionId), DecisionCodec.Encode(document)) { Decision = DecisionSummary.Of(document) }]);

    public ValueTask<Result<OperationResult>> RunDaily(CancellationToken cancellationToken) =>
        Submit(RunDailyCommand.For(Domain.BusinessCalendar.DateOf(clock.GetUtcNow())), null);

    /// <summary>The daily reminder: the day's run, after which a line no longer open stops its reminder.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DailySchedule.ReminderName)
        {
            await RunDaily(CancellationToken.None);
            if (_pipeline is { } pipeline)
            {
                await Schedule().Ticked(pipeline.Durable);
            }
        }
    }

    public async ValueTask<Result<DecisionDocument?>> GetDecision(string decisionId, CancellationToken cancellationToken)
    {
        if (ApplicationRules.DecisionId(decisionId) is { } invalid)
        {
            LeaveIfUnlined();
            return invalid;
        }

        // Loaded beside the read, so that the activation knows whether it holds a line (and whether to stay).
        var line = Line();
        Result<DecisionDocument?> read;
        try
        {
            var bytes = await store.ReadAttachmentAsync(this.GetPrimaryKeyString(), DecisionCodec.AttachmentName(decisionId));
            read = bytes is null ? null : DecisionCodec.Decode(bytes);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading decision {DecisionId} of {EnterpriseId} failed", decisionId, this.GetPrimaryKeyString());
            read = DomainError.StorageUnavailable();
        }

        var loaded = await line;
        LeaveIfUnlined();
        return Regressed(loaded) ?? read;
    }

    public async ValueTask<Result<OperationResult>> FindAnswer(string requestKey, CancellationToken cancellationToken)
    {
        var line = Line();
        Result<OperationResult> found;
        try
        {
            found = await store.FindRequestAsync(this.GetPrimaryKeyString(), requestKey) is { } first
                ? first.Result with { Replayed = true }
                : new DomainError(ErrorReasons.RequestNotFound, "request_id names no request this line remembers", "request_id");
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Looking up request {RequestKey} of {EnterpriseId} failed", requestKey, this.GetPrimaryKeyString());
            found = DomainError.StorageUnavailable();
        }

        var loaded = await line;
        LeaveIfUnlined();
        return Regressed(loaded) ?? found;
    }

    /// <summary>The line validates the command when it applies it: once, for this path and the in-process one alike.</summary>
    private async ValueTask<Result<OperationResult>> Submit(LineCommand command, IReadOnlyList<Attachment>? attachments)
    {
        var reply = await SubmitOnce(command, attachments);
        if (_pipeline is { } pipeline)
        {
            await Schedule().Keep(pipeline.Durable, _mark);
        }

        return reply;
    }

    private async ValueTask<Result<OperationResult>> SubmitOnce(LineCommand command, IReadOnlyList<Attachment>? attachments)
    {
        try
        {
            // A pipeline that faults between the load and the submit is loaded again, once; so is
            // one whose write the fence refused because another activation wrote first (a handover
            // between silos): nothing of that write was stored, so the command is simply taken again.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var line = await Line();
                if (line.Value is not { } pipeline)
                {
                    return line.Error!;
                }

                if (pipeline.LeaseFor(command) is { } lease)
                {
                    await lease;
                }

                if (pipeline.TrySubmit(command, attachments, out var answer))
                {
                    var reply = await answer;
                    if (attempt == 0 && reply.Error?.Reason == ErrorReasons.ConcurrentModification.Code)
                    {
                        continue;
                    }

                    return reply;
                }
            }

            return DomainError.StorageUnavailable();
        }
        finally
        {
            LeaveIfUnlined();
        }
    }

    /// <summary>
    /// An activation that holds no line goes as soon as its calls are answered, instead of waiting
    /// for idle collection: any caller can name any valid code, and each would otherwise keep one
    /// activation (and its pipeline) in the silo's memory for the collection age.
    /// </summary>
    private void LeaveIfUnlined()
    {
        if (_pipeline is not { Durable.Exists: true })
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// The reads of stored records (decisions, first answers) that do not go through the line's
    /// state still stop with it when its storage regressed: what they find may be what survived the loss.
    /// </summary>
    private static DomainError? Regressed(Result<LinePipeline> line) =>
        line.Error is { } error && error.Reason == ErrorReasons.LedgerRegression.Code ? error : null;

    /// <summary>
    /// The loaded line; loads it (once, for all concurrent callers) when there is none or the last
    /// write failed. STORAGE_UNAVAILABLE when storage is down, LEDGER_REGRESSION when it is behind
    /// what this process acknowledged.
    /// </summary>
    private ValueTask<Result<LinePipeline>> Line()
    {
        if (_pipeline is { IsServing: true } ready)
        {
            return ValueTask.FromResult<Result<LinePipeline>>(ready);
        }

        _pipeline = null;
        return LoadOnce();

        async ValueTask<Result<LinePipeline>> LoadOnce()
        {
            var loading = _loading ??= Load();
            try
            {
                return await loading;
            }
            catch (Exception ex) when (StorageFailure.IsTransient(ex))
            {
                logger.LogWarning(ex, "Loading line {EnterpriseId} failed", this.GetPrimaryKeyString());
                return DomainError.StorageUnavailable();
            }
            finally
            {
                // Cleared here, not inside Load: a load that fails synchronously would otherwise
                // stay cached as the answer for every later caller.
                if (_loading == loading)
                {
                    _loading = null;
                }
            }
        }
    }

    /// <summary>A lease change goes to the serving pipeline straight (even while the activation goes), else through the grain.</summary>
    private Task<Result<OperationResult>> SubmitLeaseChange(LineCommand command) =>
        _pipeline is { } pipeline && pipeline.TrySubmit(command, out var answer)
            ? answer
            : GrainFactory.GetGrain<ICreditLineGrain>(this.GetPrimaryKeyString()).Change(command).AsTask();

    private async Task<Result<LinePipeline>> Load()
    {
        var id = this.GetPrimaryKeyString();
        // The reminder's mark is read beside the state (one round trip for both), though only an
        // existing line needs it. A registration it calls for (a line opened before the mark) is
        // not waited for: the first call must not wait on the reminder service.
        var mark = Reminders?.ReadAsync(id);
        var state = await store.LoadAsync(id);
        _mark = mark;
        if (regressions.Check(id, state.Sequence) is { } regressed)
        {
            return regressed;
        }

        _lease ??= relending.Managed ? new RelendingLease(id, () => _pipeline?.Durable ?? LineState.NotOpened, SubmitLeaseChange, GrainFactory, relending, clock, logger) : null;
        _pipeline = new LinePipeline(id, store, local, regressions, clock, fourEyes.Value.Policy, overdue.Value.Policy, storage.Value.CommitTimeout, logger, state, ProductBounds.Of(models.Champion), _lease)
        {
            Calendar = workingDays.Calendar,
            Committed = KeepScheduleAfter,
        };
        local.Publish(id, _pipeline);
        if (state.Exists)
        {
            _ = Schedule().Keep(state, mark);
        }

        _lease?.Loaded(state);
        return _pipeline;
    }

    /// <summary>
    /// A commit that changed the line's holds or whether it is open moves its timer and reminder,
    /// on the grain's scheduler: changes handed straight to the pipeline by the front door
    /// (<see cref="LocalLines"/>) pass no grain method that would.
    /// </summary>
    private void KeepScheduleAfter(LineState before, LineState after)
    {
        if (before.Holds != after.Holds || before.Status != after.Status)
        {
            GrainContext.Scheduler.QueueAction(() => _ = Schedule().Keep(_pipeline?.Durable ?? after, _mark));
        }
    }

    private DailyReminders? Reminders => ServiceProvider.GetService<DailyReminders>();

    private DailySchedule Schedule() => _schedule ??= new DailySchedule(
        this,
        async () => await Submit(RunDailyCommand.AtExpiry(clock.GetUtcNow()), null),
        clock,
        overdue.Value,
        Reminders,
        logger);
}
