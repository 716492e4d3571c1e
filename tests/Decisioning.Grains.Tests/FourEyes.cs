using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;

namespace Decisioning.Grains.Tests;

/// <summary>Lines opened as staff must open them: proposed by one staff member, approved by another.</summary>
internal static class FourEyes
{
    public const string Approver = "approver";

    /// <summary>
    /// OpenLine as <paramref name="actor"/>, approved by <see cref="Approver"/>: the reply of the
    /// approval (the line opened), or the opening's refusal. The journal holds two entries: the
    /// proposal and the opening.
    /// </summary>
    public static async Task<Result<OperationResult>> OpenApproved(this ICreditLineGrain line, string requestId, long limitMinor, int annualRateBps, int termDays, Product product, string actor)
    {
        var proposed = await line.OpenLine(requestId, limitMinor, annualRateBps, termDays, product, actor);
        return proposed.Value?.Proposal is { } proposal
            ? await line.ApproveProposal("approve-" + requestId, proposal.Id, Approver)
            : proposed;
    }
}

/// <summary>The line's commands as the tests send them: each a domain command through <see cref="ICreditLineGrain.Change(LineCommand, CancellationToken)"/>.</summary>
internal static class LineCommands
{
    public static ValueTask<Result<OperationResult>> OpenLine(this ICreditLineGrain line, string requestId, long limitMinor, int annualRateBps, int termDays, Product product, string actor, int subsidyBps = 0) =>
        line.Change(new OpenLineCommand(requestId, limitMinor, annualRateBps, termDays, product) { Actor = actor, SubsidyBps = subsidyBps });

    public static ValueTask<Result<OperationResult>> Draw(this ICreditLineGrain line, string requestId, long amountMinor, string actor) =>
        line.Change(new DrawCommand(requestId, amountMinor) { Actor = actor });

    public static ValueTask<Result<OperationResult>> Repay(this ICreditLineGrain line, string requestId, long amountMinor, string actor) =>
        line.Change(new RepayCommand(requestId, amountMinor) { Actor = actor });

    public static ValueTask<Result<OperationResult>> PlaceHold(this ICreditLineGrain line, string requestId, long amountMinor, int ttlSeconds, string actor) =>
        line.Change(new PlaceHoldCommand(requestId, amountMinor, ttlSeconds) { Actor = actor });

    public static ValueTask<Result<OperationResult>> CaptureHold(this ICreditLineGrain line, string requestId, string holdId, long amountMinor, string actor) =>
        line.Change(new CaptureHoldCommand(requestId, holdId, amountMinor) { Actor = actor });

    public static ValueTask<Result<OperationResult>> ReleaseHold(this ICreditLineGrain line, string requestId, string holdId, string actor) =>
        line.Change(new ReleaseHoldCommand(requestId, holdId) { Actor = actor });

    public static ValueTask<Result<OperationResult>> FreezeLine(this ICreditLineGrain line, string requestId, string note, string actor) =>
        line.Change(new FreezeLineCommand(requestId, note) { Actor = actor });

    public static ValueTask<Result<OperationResult>> UnfreezeLine(this ICreditLineGrain line, string requestId, string note, string actor) =>
        line.Change(new UnfreezeLineCommand(requestId, note) { Actor = actor });

    public static ValueTask<Result<OperationResult>> AdjustLimit(this ICreditLineGrain line, string requestId, long limitMinor, string note, string actor) =>
        line.Change(new AdjustLimitCommand(requestId, limitMinor, note) { Actor = actor });

    public static ValueTask<Result<OperationResult>> CloseLine(this ICreditLineGrain line, string requestId, string note, string actor) =>
        line.Change(new CloseLineCommand(requestId, note) { Actor = actor });

    public static ValueTask<Result<OperationResult>> ApproveProposal(this ICreditLineGrain line, string requestId, string proposalId, string actor) =>
        line.Change(new ApproveProposalCommand(requestId, proposalId) { Actor = actor });

    public static ValueTask<Result<OperationResult>> RejectProposal(this ICreditLineGrain line, string requestId, string proposalId, string note, string actor) =>
        line.Change(new RejectProposalCommand(requestId, proposalId, note) { Actor = actor });

    /// <summary>The first answer and a retry's agree in all the caller sees; the retry is marked as given again.</summary>
    public static void AssertSameAnswer(Result<OperationResult> first, Result<OperationResult> retry) =>
        Assert.Equivalent(first, retry with { Value = retry.Value is { } value ? value with { Replayed = first.Value?.Replayed ?? false } : null });
}
