using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Decisioning.Grains.Lines;

/// <summary>
/// One enterprise's line. Reentrant so that reads never wait behind a write and concurrent changes
/// are committed together. The grain owns the line's <see cref="LinePipeline"/> (loads it, reloads
/// it after a failed write, closes it on deactivation); the pipeline holds the state and does the
/// work, for the grain's callers and for those of this process (<see cref="LocalLines"/>).
/// </summary>
[Reentrant]
[GrainType("credit-line")]
public sealed class CreditLineGrain(ILineStore store, LocalLines local, TimeProvider clock, IOptions<FourEyesOptions> fourEyes, ILogger<CreditLineGrain> logger)
    : Grain, ICreditLineGrain
{
    private LinePipeline? _pipeline;
    private Task<LinePipeline>? _loading;

    public async ValueTask<LimitCheckReply> CheckLimit(long amountMinor)
    {
        if (LineRules.Amount(amountMinor) is { } invalid)
        {
            LeaveIfUnlined();
            return LimitCheckReply.Failed(invalid);
        }

        var line = await Line();
        LeaveIfUnlined();
        return line is not null
            ? LimitCheckReply.Check(line.Durable, amountMinor, clock.GetUtcNow())
            : LimitCheckReply.Failed(DomainError.StorageUnavailable());
    }

    public async ValueTask<LineReply> GetLine()
    {
        var line = await Line();
        LeaveIfUnlined();
        return line is not null
            ? LineReply.Read(line.Durable, clock.GetUtcNow())
            : LineReply.Failed(DomainError.StorageUnavailable());
    }

    public async ValueTask<JournalPageReply> ListTransactions(int pageSize, long beforeSequence)
    {
        var line = await Line();
        LeaveIfUnlined();
        switch (line)
        {
            case null:
                return new JournalPageReply { Error = LineError.From(DomainError.StorageUnavailable()) };
            // A decline for an enterprise without a line still leaves a journal to read.
            case { Durable.Sequence: 0 }:
                return new JournalPageReply { Error = LineError.From(DomainError.LineNotFound()) };
        }

        try
        {
            var entries = await store.ReadJournalAsync(this.GetPrimaryKeyString(), beforeSequence, pageSize);
            var oldest = entries.Count == pageSize ? entries[^1].Sequence : 0;
            return new JournalPageReply
            {
                Entries = [.. entries.Select(JournalEntrySnapshot.From)],
                NextBefore = oldest > 1 ? oldest : 0,
            };
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading the journal of {EnterpriseId} failed", this.GetPrimaryKeyString());
            return new JournalPageReply { Error = LineError.From(DomainError.StorageUnavailable()) };
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_pipeline is { } pipeline)
        {
            // Callers in this process go through the grain again (and reactivate it); changes
            // already taken are written and answered before the activation goes.
            local.Withdraw(this.GetPrimaryKeyString(), pipeline);
            await pipeline.CloseAsync().WaitAsync(cancellationToken);
        }
    }

    public ValueTask<LineReply> OpenLine(string requestId, long limitMinor, int annualRateBps, int termDays, Product product, string actor) =>
        Change(new OpenLineCommand(requestId, limitMinor, annualRateBps, termDays, product) { Actor = actor });

    public ValueTask<LineReply> OpenLine(string requestId, long limitMinor, int annualRateBps, int termDays, Product product, int subsidyBps, string actor) =>
        Change(new OpenLineCommand(requestId, limitMinor, annualRateBps, termDays, product) { SubsidyBps = subsidyBps, Actor = actor });

    public ValueTask<LineReply> Draw(string requestId, long amountMinor, string actor) =>
        Change(new DrawCommand(requestId, amountMinor) { Actor = actor });

    public ValueTask<LineReply> Repay(string requestId, long amountMinor, string actor) =>
        Change(new RepayCommand(requestId, amountMinor) { Actor = actor });

    public ValueTask<LineReply> PlaceHold(string requestId, long amountMinor, int ttlSeconds, string actor) =>
        Change(new PlaceHoldCommand(requestId, amountMinor, ttlSeconds) { Actor = actor });

    public ValueTask<LineReply> CaptureHold(string requestId, string holdId, long amountMinor, string actor) =>
        Change(new CaptureHoldCommand(requestId, holdId, amountMinor) { Actor = actor });

    public ValueTask<LineReply> ReleaseHold(string requestId, string holdId, string actor) =>
        Change(new ReleaseHoldCommand(requestId, holdId) { Actor = actor });

    public ValueTask<LineReply> FreezeLine(string requestId, string note, string actor) =>
        Change(new FreezeLineCommand(requestId, note) { Actor = actor });

    public ValueTask<LineReply> UnfreezeLine(string requestId, string note, string actor) =>
        Change(new UnfreezeLineCommand(requestId, note) { Actor = actor });

    public ValueTask<LineReply> AdjustLimit(string requestId, long limitMinor, string note, string actor) =>
        Change(new AdjustLimitCommand(requestId, limitMinor, note) { Actor = actor });

    public ValueTask<LineReply> CloseLine(string requestId, string note, string actor) =>
        Change(new CloseLineCommand(requestId, note) { Actor = actor });

    public ValueTask<LineReply> ApproveProposal(string requestId, string proposalId, string actor) =>
        Change(new ApproveProposalCommand(requestId, proposalId) { Actor = actor });

    public ValueTask<LineReply> RejectProposal(string requestId, string proposalId, string note, string actor) =>
        Change(new RejectProposalCommand(requestId, proposalId, note) { Actor = actor });

    public async ValueTask<ProposalsReply> ListProposals() => await Line() is { } line
        ? ProposalsReply.Read(line.Durable, clock.GetUtcNow())
        : new ProposalsReply { Error = LineError.From(DomainError.StorageUnavailable()) };

    public ValueTask<LineReply> RecordDecision(DecisionToRecord decision) =>
        Change(decision.ToCommand(), [new Attachment(DecisionCodec.AttachmentName(decision.DecisionId), DecisionCodec.Encode(decision.Document))]);

    public ValueTask<LineReply> Renew(RenewalToApply renewal) =>
        Change(renewal.ToCommand(), [new Attachment(DecisionCodec.AttachmentName(renewal.DecisionId), DecisionCodec.Encode(renewal.Document))]);

    public ValueTask<LineReply> ApplyRiskSignal(SignalToApply signal) => Change(signal.ToCommand());

    public async ValueTask<DecisionDocumentReply> GetDecision(string decisionId)
    {
        if (ApplicationRules.DecisionId(decisionId) is { } invalid)
        {
            LeaveIfUnlined();
            return new DecisionDocumentReply { Error = LineError.From(invalid) };
        }

        // Loaded beside the read, so that the activation knows whether it holds a line (and whether to stay).
        var line = Line();
        try
        {
            var bytes = await store.ReadAttachmentAsync(this.GetPrimaryKeyString(), DecisionCodec.AttachmentName(decisionId));
            return new DecisionDocumentReply { Document = bytes is null ? null : DecisionCodec.Decode(bytes) };
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading decision {DecisionId} of {EnterpriseId} failed", decisionId, this.GetPrimaryKeyString());
            return new DecisionDocumentReply { Error = LineError.From(DomainError.StorageUnavailable()) };
        }
        finally
        {
            await line;
            LeaveIfUnlined();
        }
    }

    public async ValueTask<LineReply> FindAnswer(string requestKey)
    {
        var line = Line();
        try
        {
            return await store.FindRequestAsync(this.GetPrimaryKeyString(), requestKey) is { } first
                ? LineReply.From(first.Result) with { Replayed = true }
                : LineReply.Failed(new DomainError(ErrorReasons.RequestNotFound, "request_id names no request this line remembers", "request_id"));
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Looking up request {RequestKey} of {EnterpriseId} failed", requestKey, this.GetPrimaryKeyString());
            return LineReply.Failed(DomainError.StorageUnavailable());
        }
        finally
        {
            await line;
            LeaveIfUnlined();
        }
    }

    private async ValueTask<LineReply> Change(LineCommand command, IReadOnlyList<Attachment>? attachments = null)
    {
        try
        {
            return await Submit(command, attachments);
        }
        finally
        {
            LeaveIfUnlined();
        }
    }

    private async ValueTask<LineReply> Submit(LineCommand command, IReadOnlyList<Attachment>? attachments)
    {
        if (command.Validate() is { } invalid)
        {
            return LineReply.Failed(invalid);
        }

        // A pipeline that faults between the load and the submit is loaded again, once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await Line() is not { } pipeline)
            {
                break;
            }

            if (pipeline.TrySubmit(command, attachments, out var answer))
            {
                return await answer;
            }
        }

        return LineReply.Failed(DomainError.StorageUnavailable());
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

    /// <summary>The loaded line; loads it (once, for all concurrent callers) when there is none or the last write failed. Null when storage is down.</summary>
    private ValueTask<LinePipeline?> Line()
    {
        if (_pipeline is { IsServing: true } ready)
        {
            return ValueTask.FromResult<LinePipeline?>(ready);
        }

        _pipeline = null;
        return LoadOnce();

        async ValueTask<LinePipeline?> LoadOnce()
        {
            var loading = _loading ??= Load();
            try
            {
                return await loading;
            }
            catch (Exception ex) when (StorageFailure.IsTransient(ex))
            {
                logger.LogWarning(ex, "Loading line {EnterpriseId} failed", this.GetPrimaryKeyString());
                return null;
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

    private async Task<LinePipeline> Load()
    {
        var id = this.GetPrimaryKeyString();
        var state = await store.LoadAsync(id);
        _pipeline = new LinePipeline(id, store, local, clock, fourEyes.Value.Policy, logger, state);
        local.Publish(id, _pipeline);
        return _pipeline;
    }
}
