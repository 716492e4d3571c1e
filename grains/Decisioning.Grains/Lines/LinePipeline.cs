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
/// After a failed, unknown or fenced-off write the pipeline is faulted: every command not yet
/// answered fails, it takes no more, and the grain loads the line again before serving.
/// It belongs to one activation of the line's grain and dies with it, but it is called from the
/// grain and, in the grain's process, straight from the front door (<see cref="LocalLines"/>):
/// every change of its state happens under one lock, and its writes run off the grain's scheduler.
/// </summary>
internal sealed class LinePipeline(string enterpriseId, ILineStore store, LocalLines local, TimeProvider clock, FourEyesPolicy fourEyes, ILogger logger, LineState loaded)
{
    private readonly Lock _gate = new();
    private LineState _speculative = loaded;
    private List<Pending>? _open;
    private Dictionary<string, Pending>? _unanswered;
    private bool _writing;
    private bool _faulted;
    private bool _closed;
    private TaskCompletionSource? _drained;
    private volatile LineState _durable = loaded;

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

    /// <summary>Takes a command, or returns false when the pipeline no longer serves.</summary>
    public bool TrySubmit(LineCommand command, [NotNullWhen(true)] out Task<Result<OperationResult>>? answer) => TrySubmit(command, null, out answer);

    /// <summary>Takes a command with documents stored in the same atomic write (a credit decision), or returns false when the pipeline no longer serves.</summary>
    public bool TrySubmit(LineCommand command, IReadOnlyList<Attachment>? attachments, [NotNullWhen(true)] out Task<Result<OperationResult>>? answer)
    {
        DomainError? refusal;
        bool startWriting;
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
                // A retry that arrives while the first attempt is still in flight shares its answer.
                answer = twin.Command.Fingerprint == command.Fingerprint
                    ? twin.Answer.Task
                    : Task.FromResult<Result<OperationResult>>(DomainError.RequestIdReused());
                return true;
            }

            var pending = new Pending(command, key, attachments);
            refusal = Accept(pending);
            answer = pending.Answer.Task;
            startWriting = refusal is null && !_writing;
            _writing |= startWriting;
        }

        if (refusal is not null)
        {
            answer = Refused(command, refusal);
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

    /// <summary>Validates a command against every command accepted before it; null when it joins the next batch.</summary>
    private DomainError? Accept(Pending pending)
    {
        switch (_speculative.Apply(pending.Command, clock.GetUtcNow(), fourEyes))
        {
            case Applied applied:
                _speculative = applied.State;
                pending.Applied = applied;
                (_open ??= []).Add(pending);
                (_unanswered ??= new(StringComparer.Ordinal))[pending.Key] = pending;
                return null;
            case Rejected rejected:
                return rejected.Error;
            default:
                throw new InvalidOperationException("A line outcome is applied or rejected.");
        }
    }

    /// <summary>
    /// A refusal that depends on the line's state may be a retry of a request that succeeded and
    /// changed that state (a second CloseLine, a repeated final Repay): such a retry gets its first
    /// answer, and a reuse of the id for something else is ALREADY_EXISTS, as for any other command.
    /// </summary>
    private async Task<Result<OperationResult>> Refused(LineCommand command, DomainError refusal)
    {
        if (refusal.Kind is not (ErrorKind.FailedPrecondition or ErrorKind.NotFound) || !Durable.Exists)
        {
            return refusal;
        }

        StoredRequest? first;
        try
        {
            first = await store.FindRequestAsync(enterpriseId, command.RequestKey).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Looking up request {RequestId} of {EnterpriseId} failed", command.RequestId, enterpriseId);
            return DomainError.StorageUnavailable();
        }

        return first?.AnswerTo(command.Fingerprint) ?? refusal;
    }

    private async Task WriteAsync()
    {
        // Replies are given outside the lock and inline, on this thread: each caller's continuation
        // (its reply on the wire) runs here instead of being queued to the thread pool, one hand-off
        // fewer per change. A batch's callers are answered once the next batch is on its way.
        List<(Pending Pending, Result<OperationResult> Reply)>? answers = null;
        while (true)
        {
            List<Pending> batch;
            LineState before, after;
            TaskCompletionSource? drained = null;
            lock (_gate)
            {
                if (_open is null || _faulted)
                {
                    _writing = false;
                    drained = _drained;
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
                return;
            }

            Task<CommitOutcome> commit;
            try
            {
                commit = store.CommitAsync(enterpriseId, before, after, [.. batch.Select(p => p.ToCommitItem())]);
            }
            catch (Exception ex)
            {
                commit = Task.FromException<CommitOutcome>(ex);
            }

            Deliver(answers);
            CommitOutcome outcome;
            try
            {
                outcome = await commit.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Commit of {Count} commands for {EnterpriseId} failed or timed out", batch.Count, enterpriseId);
                outcome = new UnknownOutcome();
            }

            answers = new(batch.Count);
            lock (_gate)
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
                        logger.LogWarning(
                            "Line {EnterpriseId} is at {Stored} in storage, this activation held {Held}: reloading",
                            enterpriseId, stale.StoredSequence, before.Sequence);
                        FailAll(batch, DomainError.StaleActivation(), answers);
                        break;
                    case DuplicatesOutcome duplicates:
                        Replay(batch, duplicates, answers);
                        break;
                    default:
                        FailAll(batch, DomainError.StorageUnavailable(), answers);
                        break;
                }
            }
        }
    }

    private static void Deliver(List<(Pending Pending, Result<OperationResult> Reply)>? answers)
    {
        foreach (var (pending, reply) in answers ?? [])
        {
            pending.Answer.TrySetResult(reply);
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
        foreach (var pending in retry)
        {
            _unanswered!.Remove(pending.Key);
            pending.Applied = null;
            if (Accept(pending) is { } refusal)
            {
                // Storage has just said this request id is new: the refusal is the answer.
                answers.Add((pending, refusal));
            }
        }
    }

    private void FailAll(List<Pending> batch, DomainError error, List<(Pending, Result<OperationResult>)> answers)
    {
        _faulted = true;
        local.Withdraw(enterpriseId, this);
        Result<OperationResult> reply = error;
        foreach (var pending in batch.Concat(_open ?? []))
        {
            answers.Add((pending, reply));
        }

        _open = null;
        _unanswered = null;
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
