using System.Diagnostics.CodeAnalysis;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Decisioning.Grains.Lines;

/// <summary>
/// Group commit for one line. Commands are validated one after another against the state that
/// includes every command accepted before them (so <c>drawn + held ≤ limit</c> holds in that
/// order), gathered while the previous write is in flight, and committed together in one Redis
/// write. No command is answered before the write that covers it succeeds. Reads see only
/// <see cref="Durable"/>, never a command that is not yet written.
/// A refusal is answered at once only when it holds whichever way the pending writes end: when the
/// durable state refuses the command too. Otherwise it depends on a change not yet durable (a second
/// OpenLine while the first is written, a capture while its hold's release is), and the command waits
/// until the writes before it settle, then is validated again.
/// A refusal that depends on the line's state is answered only once storage has shown it is at a
/// state this pipeline knows: it writes nothing, so the fence never sees it, and another activation
/// of the line (briefly two, while silos join or leave) may have moved the line on. A pipeline that
/// finds storage ahead of it faults, and the command is taken again by the reloaded line.
/// After a failed, unknown, timed-out or fenced-off write, or an unexpected exception in the write
/// loop, the pipeline is faulted: every command not yet answered fails (retryable), it takes no more,
/// the durable sequence is left with <see cref="LedgerRegressions"/>, and the grain loads the line
/// again before serving. A commit answered with a stored sequence below the one it built on is a
/// ledger regression: LEDGER_REGRESSION, never a write over the gap.
/// It belongs to one activation of the line's grain and dies with it, but it is called from the
/// grain and, in the grain's process, straight from the front door (<see cref="LocalLines"/>):
/// every change of its state happens under one lock, and its writes run off the grain's scheduler.
/// </summary>
internal sealed class LinePipeline(
    string enterpriseId,
    ILineStore store,
    LocalLines local,
    LedgerRegressions regressions,
    TimeProvider clock,
    FourEyesPolicy fourEyes,
    OverduePolicy overdue,
    TimeSpan commitTimeout,
    ILogger logger,
    LineState loaded,
    ProductBounds? products = null,
    RelendingLease? relending = null)
{
    /// <summary>
    /// The batch size from which a batch's replies are written by two threads (measured on a hot
    /// line, 2026-12-03: 1.07× the rate of writing them all on the write loop's thread).
    /// </summary>
    private const int SplitDeliveryAt = 8;

    private readonly Lock _gate = new();
    private LineState _speculative = loaded;
    private List<Pending>? _open;
    private List<Pending>? _deferred;
    private Dictionary<string, Pending>? _unanswered;
    private bool _writing;
    private bool _faulted;
    private bool _closed;
    private int _sharedAnswers;
    private TaskCompletionSource? _drained;
    private TaskCompletionSource? _settled;
    private volatile LineState _durable = loaded;

    /// <summary>The working days maturities roll to.</summary>
    public WorkingCalendar Calendar { get; init; } = WorkingCalendar.China;

    /// <summary>
    /// Told of each committed write (the states before and after it), on the writer's thread,
    /// whichever path submitted its commands: the grain keeps the line's timers by it.
    /// </summary>
    public Action<LineState, LineState>? Committed { get; init; }

    /// <summary>The state as stored in Redis.</summary>
    public LineState Durable => _durable;

    /// <summary>False once faulted or closed: the caller must go through the grain, which loads the line again.</summary>
    public bool IsServing
    {
        get
        {
            lock (_gate)
            {
                return !_faulted && !_closed;
            }
        }
    }

    /// <summary>Retries that arrived while their first attempt was in flight and shared its answer.</summary>
    internal int SharedAnswers => Volatile.Read(ref _sharedAnswers);

    /// <summary>
    /// The re-lending lease change a draw must wait for before it is taken (its line's lease cannot
    /// fund it, and the quota may); null for nearly every command.
    /// </summary>
    public Task? LeaseFor(LineCommand command) => relending?.Before(command, _durable);

    /// <summary>Takes a command, or returns false when the pipeline no longer serves.</summary>
    public bool TrySubmit(LineCommand command, [NotNullWhen(true)] out Task<Result<OperationResult>>? answer) => TrySubmit(command, null, out answer);

    /// <summary>Takes a command with documents stored in the same atomic write (a credit decision), or returns false when the pipeline no longer serves.</summary>
    public bool TrySubmit(LineCommand command, IReadOnlyList<Attachment>? attachments, [NotNullWhen(true)] out Task<Result<OperationResult>>? answer)
    {
        DomainError? refusal;
        bool startWriting;
        long decidedAt;
        lock (_gate)
        {
            if (_faulted || _closed)
            {
                answer = null;
                return false;
            }

            var key = command.RequestKey;
            if (_unanswered is not null && _unanswered.TryGetValue(key, out var twin))
            {
                // A retry that arrives while the first attempt is still in flight shares its answer:
                // the first attempt's, given again, as storage would replay it.
                answer = twin.Command.Fingerprint == command.Fingerprint
                    ? Shared(twin.Answer.Task)
                    : Task.FromResult<Result<OperationResult>>(DomainError.RequestIdReused());
                return true;
            }

            var pending = new Pending(command, key, attachments);
            refusal = Consider(pending, clock.GetUtcNow());
            decidedAt = _durable.Sequence;
            answer = pending.Answer.Task;
            startWriting = refusal is null && !_writing && _open is not null;
            _writing |= startWriting;
        }

        if (refusal is not null)
        {
            answer = Refused(command, refusal, decidedAt);
        }
        else if (startWriting)
        {
            _ = WriteAsync();
        }

        return true;
    }

    /// <summary>Takes no more commands and completes when every command taken is answered.</summary>
    public Task CloseAsync()
    {
        lock (_gate)
        {
            _closed = true;
            if (!_writing)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    private async Task<Result<OperationResult>> Shared(Task<Result<OperationResult>> first)
    {
        Interlocked.Increment(ref _sharedAnswers);
        var reply = await first.ConfigureAwait(false);
        return reply.Value is { } result ? result with { Replayed = true } : reply;
    }

    /// <summary>
    /// Validates a command against every command accepted before it. Null when it joins the next
    /// batch, or waits because its refusal depends on changes not yet durable; otherwise its
    /// refusal, which holds whichever way those changes end (the durable state refuses it too).
    /// </summary>
    private DomainError? Consider(Pending pending, DateTimeOffset now)
    {
        switch (_speculative.Apply(pending.Command, now, fourEyes, overdue, products, Calendar))
        {
            case Applied { Entries.Count: 0 } idle:
                // A daily run with nothing to journal: nothing to write, answered at once. The
                // caller (the grain) awaits it on its own scheduler, never inline under this lock.
                pending.Answer.TrySetResult(idle.Result);
                return null;
            case Applied applied:
                _speculative = applied.State;
                pending.Applied = applied;
                (_open ??= []).Add(pending);
                (_unanswered ??= new(StringComparer.Ordinal))[pending.Key] = pending;
                return null;
            case Rejected rejected when ReferenceEquals(_speculative, _durable) || _durable.Apply(pending.Command, now, fourEyes, overdue, products, Calendar) is Rejected:
                return rejected.Error;
            case Rejected:
                (_deferred ??= []).Add(pending);
                (_unanswered ??= new(StringComparer.Ordinal))[pending.Key] = pending;
                return null;
            default:
                throw new InvalidOperationException("A line outcome is applied or rejected.");
        }
    }

    /// <summary>
    /// The commands that waited, after a write settled: each is validated again, and joins the next
    /// batch, waits on, or is refused for good.
    /// </summary>
    private List<(Pending Pending, DomainError Refusal, long DecidedAt)>? Reconsider()
    {
        if (_deferred is not { } waiting)
        {
            return null;
        }

        _deferred = null;
        List<(Pending, DomainError, long)>? refused = null;
        var now = clock.GetUtcNow();
        foreach (var pending in waiting)
        {
            _unanswered!.Remove(pending.Key);
            if (Consider(pending, now) is { } refusal)
            {
                (refused ??= []).Add((pending, refusal, _durable.Sequence));
            }
        }

        if (_unanswered!.Count == 0)
        {
            _unanswered = null;
        }

        return refused;
    }

    /// <summary>
    /// A refusal that depends on the line's state (every one but a malformed field's, or a lease's
    /// retryable conflict) may be a retry of a request that succeeded and changed that state (a second
    /// CloseLine, a repeated final Repay): such a retry gets its first answer, and a reuse of the id
    /// for something else is ALREADY_EXISTS, as for any other command. Otherwise the refusal holds
    /// only if <paramref name="decidedAt"/>, the durable sequence it was decided on, is still the
    /// line as stored, or storage has moved on by this pipeline's own writes alone (<see cref="Confirm"/>).
    /// </summary>
    private async Task<Result<OperationResult>> Refused(LineCommand command, DomainError refusal, long decidedAt)
    {
        if (refusal.Kind is ErrorKind.InvalidArgument or ErrorKind.Aborted)
        {
            return refusal;
        }

        StoredRequest? first;
        long stored;
        try
        {
            (first, stored) = await store.FindRequestAndSequenceAsync(enterpriseId, command.RequestKey).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Looking up request {RequestId} of {EnterpriseId} failed", command.RequestId, enterpriseId);
            return DomainError.StorageUnavailable();
        }

        if (first is not null)
        {
            return first.AnswerTo(command.Fingerprint);
        }

        return await Confirm(stored, decidedAt).ConfigureAwait(false) ?? refusal;
    }

    /// <summary>
    /// Null when <paramref name="stored"/>, the sequence storage was at after a refusal was decided
    /// on <paramref name="decidedAt"/>, is one this pipeline wrote since (every commit is fenced on the
    /// sequence before it, so the states from the load to <see cref="Durable"/> are this pipeline's);
    /// a write in flight is waited for first, as it may be the one storage is at. Otherwise storage is
    /// ahead (another activation wrote) or behind (a ledger regression): the pipeline faults, and the
    /// error says so.
    /// </summary>
    private async Task<DomainError?> Confirm(long stored, long decidedAt)
    {
        while (true)
        {
            Task settled;
            lock (_gate)
            {
                if (stored >= decidedAt && stored <= _durable.Sequence)
                {
                    return null;
                }

                if (_faulted)
                {
                    return DomainError.StaleActivation();
                }

                if (!_writing)
                {
                    var error = Outdated(stored, _durable);
                    FailAll([], error, []);
                    return error;
                }

                settled = (_settled ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await settled.ConfigureAwait(false);
        }
    }

    /// <summary>Storage is at <paramref name="stored"/>, not at the sequence of <paramref name="held"/>; under the lock.</summary>
    private DomainError Outdated(long stored, LineState held)
    {
        regressions.Acknowledge(enterpriseId, held);
        if (regressions.Check(enterpriseId, stored) is { } regressed)
        {
            return regressed;
        }

        logger.LogWarning("Line {EnterpriseId} is at {Stored} in storage, this activation held {Held}: reloading", enterpriseId, stored, held.Sequence);
        return DomainError.StaleActivation();
    }

    /// <summary>Answers the commands that waited and were then refused, each once its first answer (if any) is looked up.</summary>
    private void Refuse(List<(Pending Pending, DomainError Refusal, long DecidedAt)>? refused)
    {
        foreach (var (pending, refusal, decidedAt) in refused ?? [])
        {
            _ = Answer(pending, refusal, decidedAt);
        }

        async Task Answer(Pending pending, DomainError refusal, long decidedAt)
        {
            Result<OperationResult> reply;
            try
            {
                reply = await Refused(pending.Command, refusal, decidedAt).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Answering request {RequestId} of {EnterpriseId} failed", pending.Command.RequestId, enterpriseId);
                reply = DomainError.StorageUnavailable();
            }

            pending.Answer.TrySetResult(reply);
        }
    }

    private async Task WriteAsync()
    {
        // Replies are given outside the lock and inline, on this thread: each caller's continuation
        // (its reply on the wire) runs here instead of being queued to the thread pool, one hand-off
        // fewer per change (a large batch shares its replies with one worker: Deliver). A batch's
        // callers are answered once the next batch is on its way.
        List<(Pending Pending, Result<OperationResult> Reply)>? answers = null;
        try
        {
            while (true)
            {
                List<Pending> batch;
                LineState before, after;
                TaskCompletionSource? drained = null, settled = null;
                lock (_gate)
                {
                    if (_open is null || _faulted)
                    {
                        _writing = false;
                        drained = _drained;
                        (settled, _settled) = (_settled, null);
                        batch = [];
                        (before, after) = (_durable, _durable);
                    }
                    else
                    {
                        (batch, _open) = (_open, null);
                        (before, after) = (_durable, _speculative);
                    }
                }

                if (batch.Count == 0)
                {
                    Deliver(answers);
                    drained?.TrySetResult();
                    settled?.TrySetResult();
                    return;
                }

                Task<CommitOutcome> commit;
                try
                {
                    var items = new CommitItem[batch.Count];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = batch[i].ToCommitItem();
                    }

                    commit = store.CommitAsync(enterpriseId, before, after, items);
                }
                catch (Exception ex)
                {
                    commit = Task.FromException<CommitOutcome>(ex);
                }

                Deliver(answers);
                CommitOutcome outcome;
                try
                {
                    // A commit that never completes must not hold the line for ever: past the
                    // timeout its outcome is unknown, as for a failed one.
                    outcome = await commit.WaitAsync(commitTimeout, clock).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Commit of {Count} commands for {EnterpriseId} failed or timed out", batch.Count, enterpriseId);
                    outcome = new UnknownOutcome();
                }

                answers = new(batch.Count);
                List<(Pending, DomainError, long)>? refused;
                lock (_gate)
                {
                    Settle(batch, before, after, outcome, answers);
                    refused = Reconsider();
                    (settled, _settled) = (_settled, null);
                }

                Refuse(refused);
                settled?.TrySetResult();
                if (outcome is CommittedOutcome)
                {
                    relending?.AfterCommit(after);
                    Committed?.Invoke(before, after);
                }
            }
        }
        catch (Exception ex)
        {
            Fault(ex, answers);
        }
    }

    /// <summary>Answers a batch by its write's outcome; under the lock.</summary>
    private void Settle(List<Pending> batch, LineState before, LineState after, CommitOutcome outcome, List<(Pending, Result<OperationResult>)> answers)
    {
        switch (outcome)
        {
            case CommittedOutcome:
                _durable = after;
                foreach (var pending in batch)
                {
                    Answer(pending, pending.Applied!.Result, answers);
                }

                break;
            case StaleOutcome stale:
                FailAll(batch, Outdated(stale.StoredSequence, before), answers);
                break;
            case DuplicatesOutcome duplicates:
                Replay(batch, duplicates, answers);
                break;
            case FailedOutcome failed:
                logger.LogWarning("Storage refused the commit of {Count} commands for {EnterpriseId}, writing none of it: {Error}", batch.Count, enterpriseId, failed.Error);
                FailAll(batch, DomainError.StorageUnavailable(), answers);
                break;
            default:
                FailAll(batch, DomainError.StorageUnavailable(), answers);
                break;
        }
    }

    /// <summary>
    /// The write loop threw where nothing should (a bug): the line must not be left writing for ever,
    /// with every later call waiting. Every command not yet answered fails as retryable, and the
    /// grain loads the line again.
    /// </summary>
    private void Fault(Exception exception, List<(Pending Pending, Result<OperationResult> Reply)>? decided)
    {
        List<(Pending Pending, Result<OperationResult> Reply)> failed = [];
        TaskCompletionSource? drained, settled;
        lock (_gate)
        {
            _writing = false;
            drained = _drained;
            (settled, _settled) = (_settled, null);
            if (!_faulted)
            {
                regressions.Acknowledge(enterpriseId, _durable);
                local.Withdraw(enterpriseId, this);
            }

            _faulted = true;
            Result<OperationResult> reply = DomainError.StorageUnavailable();
            foreach (var pending in _unanswered?.Values.AsEnumerable() ?? [])
            {
                failed.Add((pending, reply));
            }

            (_open, _deferred, _unanswered) = (null, null, null);
        }

        logger.LogError(exception, "The write loop of line {EnterpriseId} failed: its {Count} waiting commands are answered as unavailable and the line is loaded again", enterpriseId, failed.Count);
        Deliver(decided);
        Deliver(failed);
        drained?.TrySetResult();
        settled?.TrySetResult();
    }

    private static void Deliver(List<(Pending Pending, Result<OperationResult> Reply)>? answers)
    {
        if (answers is null)
        {
            return;
        }

        // A large batch's replies are shared with one thread-pool worker: the second half there,
        // the first half here, so that two cores write them.
        var inline = answers.Count;
        if (answers.Count >= SplitDeliveryAt)
        {
            inline = answers.Count / 2;
            ThreadPool.UnsafeQueueUserWorkItem(static state => Deliver(state.Answers, state.From, state.Answers.Count), (Answers: answers, From: inline), preferLocal: false);
        }

        Deliver(answers, 0, inline);
    }

    private static void Deliver(List<(Pending Pending, Result<OperationResult> Reply)> answers, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            answers[i].Pending.Answer.TrySetResult(answers[i].Reply);
        }
    }

    /// <summary>
    /// Some commands of the batch reused request ids known to storage, and nothing was written.
    /// They get their first answer (or ALREADY_EXISTS); every other command not yet answered is
    /// validated again, in order, from the durable state.
    /// </summary>
    private void Replay(List<Pending> batch, DuplicatesOutcome duplicates, List<(Pending, Result<OperationResult>)> answers)
    {
        var retry = new List<Pending>(batch.Count + (_open?.Count ?? 0));
        for (var i = 0; i < batch.Count; i++)
        {
            if (duplicates.ByBatchIndex.TryGetValue(i, out var first))
            {
                Answer(batch[i], first.AnswerTo(batch[i].Command.Fingerprint), answers);
            }
            else
            {
                retry.Add(batch[i]);
            }
        }

        retry.AddRange(_open ?? []);
        _open = null;
        _speculative = _durable;
        var now = clock.GetUtcNow();
        foreach (var pending in retry)
        {
            _unanswered!.Remove(pending.Key);
            pending.Applied = null;
            if (Consider(pending, now) is { } refusal)
            {
                // Storage has just said this request id is new: the refusal is the answer.
                answers.Add((pending, refusal));
            }
        }
    }

    private void FailAll(List<Pending> batch, DomainError error, List<(Pending, Result<OperationResult>)> answers)
    {
        _faulted = true;
        regressions.Acknowledge(enterpriseId, _durable);
        local.Withdraw(enterpriseId, this);
        Result<OperationResult> reply = error;
        foreach (var pending in batch.Concat(_open ?? []).Concat(_deferred ?? []))
        {
            answers.Add((pending, reply));
        }

        (_open, _deferred, _unanswered) = (null, null, null);
    }

    private void Answer(Pending pending, Result<OperationResult> reply, List<(Pending, Result<OperationResult>)> answers)
    {
        _unanswered!.Remove(pending.Key);
        if (_unanswered.Count == 0)
        {
            _unanswered = null;
        }

        answers.Add((pending, reply));
    }

    /// <summary>The write failed or timed out: it may or may not have been applied.</summary>
    private sealed record UnknownOutcome : CommitOutcome;

    private sealed class Pending(LineCommand command, string key, IReadOnlyList<Attachment>? attachments)
    {
        public LineCommand Command { get; } = command;

        /// <summary>The command's <see cref="LineCommand.RequestKey"/>, made once.</summary>
        public string Key { get; } = key;

        // Completed outside the lock, by the writer: the caller's continuation runs inline.
        public TaskCompletionSource<Result<OperationResult>> Answer { get; } = new();

        public Applied? Applied { get; set; }

        public CommitItem ToCommitItem() => new(Key, Command.Fingerprint, Applied!.Result, Applied.Entries, attachments);
    }
}
