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
/// After a failed, unknown or fenced-off write the pipeline is <see cref="Faulted"/>: every command
/// not yet answered fails, and the grain must load the line again before serving.
/// Runs on the grain's single-threaded scheduler: no locks.
/// </summary>
internal sealed class LinePipeline(string enterpriseId, ILineStore store, LocalLineStates local, TimeProvider clock, ILogger logger, LineState loaded)
{
    private LineState _speculative = loaded;
    private List<Pending>? _open;
    private Dictionary<string, Pending>? _unanswered;
    private bool _writing;

    /// <summary>The state as stored in Redis.</summary>
    public LineState Durable { get; private set; } = loaded;

    public bool Faulted { get; private set; }

    /// <param name="attachments">Documents stored in the same atomic write as the command (a credit decision).</param>
    public Task<LineReply> Submit(LineCommand command, IReadOnlyList<Attachment>? attachments = null)
    {
        if (_unanswered is not null && _unanswered.TryGetValue(command.RequestId, out var twin))
        {
            // A retry that arrives while the first attempt is still in flight shares its answer.
            return twin.Command.Fingerprint == command.Fingerprint
                ? twin.Answer.Task
                : Task.FromResult(LineReply.Failed(DomainError.RequestIdReused()));
        }

        var pending = new Pending(command, attachments);
        if (Accept(pending) is { } refusal)
        {
            return Refused(command, refusal);
        }

        if (!_writing)
        {
            _ = WriteAsync();
        }

        return pending.Answer.Task;
    }

    /// <summary>Validates a command against every command accepted before it; null when it joins the next batch.</summary>
    private DomainError? Accept(Pending pending)
    {
        switch (_speculative.Apply(pending.Command, clock.GetUtcNow()))
        {
            case Applied applied:
                _speculative = applied.State;
                pending.Applied = applied;
                (_open ??= []).Add(pending);
                (_unanswered ??= new(StringComparer.Ordinal))[pending.Command.RequestId] = pending;
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
    private async Task<LineReply> Refused(LineCommand command, DomainError refusal)
    {
        if (refusal.Kind is not (ErrorKind.FailedPrecondition or ErrorKind.NotFound) || !Durable.Exists)
        {
            return LineReply.Failed(refusal);
        }

        StoredRequest? first;
        try
        {
            first = await store.FindRequestAsync(enterpriseId, command.RequestId);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Looking up request {RequestId} of {EnterpriseId} failed", command.RequestId, enterpriseId);
            return LineReply.Failed(DomainError.StorageUnavailable());
        }

        return first switch
        {
            null => LineReply.Failed(refusal),
            _ when first.Fingerprint == command.Fingerprint => LineReply.From(first.Result) with { Replayed = true },
            _ => LineReply.Failed(DomainError.RequestIdReused()),
        };
    }

    private async Task WriteAsync()
    {
        _writing = true;
        try
        {
            while (_open is { } batch && !Faulted)
            {
                _open = null;
                var after = _speculative;
                CommitOutcome outcome;
                try
                {
                    outcome = await store.CommitAsync(enterpriseId, Durable.Sequence, after, [.. batch.Select(p => p.ToCommitItem())]);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Commit of {Count} commands for {EnterpriseId} failed or timed out", batch.Count, enterpriseId);
                    FailAll(batch, DomainError.StorageUnavailable());
                    return;
                }

                switch (outcome)
                {
                    case CommittedOutcome:
                        Durable = after;
                        local.Publish(enterpriseId, after);
                        foreach (var pending in batch)
                        {
                            Answer(pending, LineReply.From(pending.Applied!.Result));
                        }

                        break;
                    case StaleOutcome stale:
                        logger.LogWarning(
                            "Line {EnterpriseId} is at {Stored} in storage, this activation held {Held}: reloading",
                            enterpriseId, stale.StoredSequence, Durable.Sequence);
                        FailAll(batch, DomainError.StaleActivation());
                        return;
                    case DuplicatesOutcome duplicates:
                        Replay(batch, duplicates);
                        break;
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    /// <summary>
    /// Some commands of the batch reused request ids known to storage, and nothing was written.
    /// They get their first answer (or ALREADY_EXISTS); every other command not yet answered is
    /// validated again, in order, from the durable state.
    /// </summary>
    private void Replay(List<Pending> batch, DuplicatesOutcome duplicates)
    {
        var retry = new List<Pending>(batch.Count + (_open?.Count ?? 0));
        for (var i = 0; i < batch.Count; i++)
        {
            if (duplicates.ByBatchIndex.TryGetValue(i, out var first))
            {
                Answer(batch[i], first.Fingerprint == batch[i].Command.Fingerprint
                    ? LineReply.From(first.Result) with { Replayed = true }
                    : LineReply.Failed(DomainError.RequestIdReused()));
            }
            else
            {
                retry.Add(batch[i]);
            }
        }

        retry.AddRange(_open ?? []);
        _open = null;
        _speculative = Durable;
        foreach (var pending in retry)
        {
            _unanswered!.Remove(pending.Command.RequestId);
            pending.Applied = null;
            if (Accept(pending) is { } refusal)
            {
                // Storage has just said this request id is new: the refusal is the answer.
                pending.Answer.SetResult(LineReply.Failed(refusal));
            }
        }
    }

    private void FailAll(List<Pending> batch, DomainError error)
    {
        Faulted = true;
        local.Withdraw(enterpriseId);
        var reply = LineReply.Failed(error);
        foreach (var pending in batch.Concat(_open ?? []))
        {
            pending.Answer.TrySetResult(reply);
        }

        _open = null;
        _unanswered = null;
    }

    private void Answer(Pending pending, LineReply reply)
    {
        _unanswered!.Remove(pending.Command.RequestId);
        if (_unanswered.Count == 0)
        {
            _unanswered = null;
        }

        pending.Answer.SetResult(reply);
    }

    private sealed class Pending(LineCommand command, IReadOnlyList<Attachment>? attachments)
    {
        public LineCommand Command { get; } = command;

        // Continuations run on the grain's scheduler, never inline inside the write loop.
        public TaskCompletionSource<LineReply> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Applied? Applied { get; set; }

        public CommitItem ToCommitItem() => new(Command.RequestId, Command.Fingerprint, Applied!.Result, Applied.Entries, attachments);
    }
}
