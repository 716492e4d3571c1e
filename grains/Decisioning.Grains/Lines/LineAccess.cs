using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;

namespace Decisioning.Grains.Lines;

/// <summary>
/// How the front door reaches a line: straight to its pipeline when the line's grain is active in
/// this process (<see cref="LocalLines"/>, with a co-hosted silo), otherwise through the grain,
/// which Orleans activates wherever it places it. Either way the same pipeline answers.
/// </summary>
public sealed class LineAccess(IGrainFactory grains, TimeProvider clock, LocalLines? local = null)
{
    public ValueTask<LimitCheckReply> CheckLimit(string enterpriseId, long amountMinor)
    {
        if (local is not null && local.TryGet(enterpriseId, out var pipeline) && LineRules.Amount(amountMinor) is null)
        {
            return ValueTask.FromResult(LimitCheckReply.Check(pipeline.Durable, amountMinor, clock.GetUtcNow()));
        }

        return Grain(enterpriseId).CheckLimit(amountMinor);
    }

    public ValueTask<LineReply> GetLine(string enterpriseId) =>
        local is not null && local.TryGet(enterpriseId, out var pipeline)
            ? ValueTask.FromResult(LineReply.Read(pipeline.Durable, clock.GetUtcNow()))
            : Grain(enterpriseId).GetLine();

    public ValueTask<JournalPageReply> ListTransactions(string enterpriseId, int pageSize, long beforeSequence) =>
        Grain(enterpriseId).ListTransactions(pageSize, beforeSequence);

    public ValueTask<LineReply> OpenLine(string enterpriseId, OpenLineCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.OpenLine(c.RequestId, c.LimitMinor, c.AnnualRateBps, c.TermDays, c.Product, c.SubsidyBps, c.Actor));

    public ValueTask<LineReply> Draw(string enterpriseId, DrawCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.Draw(c.RequestId, c.AmountMinor, c.Actor));

    public ValueTask<LineReply> Repay(string enterpriseId, RepayCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.Repay(c.RequestId, c.AmountMinor, c.Actor));

    public ValueTask<LineReply> PlaceHold(string enterpriseId, PlaceHoldCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.PlaceHold(c.RequestId, c.AmountMinor, c.TtlSeconds, c.Actor));

    public ValueTask<LineReply> CaptureHold(string enterpriseId, CaptureHoldCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.CaptureHold(c.RequestId, c.HoldId, c.AmountMinor, c.Actor));

    public ValueTask<LineReply> ReleaseHold(string enterpriseId, ReleaseHoldCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.ReleaseHold(c.RequestId, c.HoldId, c.Actor));

    public ValueTask<LineReply> FreezeLine(string enterpriseId, FreezeLineCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.FreezeLine(c.RequestId, c.Note, c.Actor));

    public ValueTask<LineReply> UnfreezeLine(string enterpriseId, UnfreezeLineCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.UnfreezeLine(c.RequestId, c.Note, c.Actor));

    public ValueTask<LineReply> AdjustLimit(string enterpriseId, AdjustLimitCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.AdjustLimit(c.RequestId, c.LimitMinor, c.Note, c.Actor));

    public ValueTask<LineReply> ApproveProposal(string enterpriseId, ApproveProposalCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.ApproveProposal(c.RequestId, c.ProposalId, c.Actor));

    public ValueTask<LineReply> RejectProposal(string enterpriseId, RejectProposalCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.RejectProposal(c.RequestId, c.ProposalId, c.Note, c.Actor));

    public ValueTask<ProposalsReply> ListProposals(string enterpriseId) =>
        local is not null && local.TryGet(enterpriseId, out var pipeline)
            ? ValueTask.FromResult(ProposalsReply.Read(pipeline.Durable, clock.GetUtcNow()))
            : Grain(enterpriseId).ListProposals();

    public ValueTask<LineReply> CloseLine(string enterpriseId, CloseLineCommand command) =>
        Change(enterpriseId, command, static (g, c) => g.CloseLine(c.RequestId, c.Note, c.Actor));

    private ValueTask<LineReply> Change<TCommand>(string enterpriseId, TCommand command, Func<ICreditLineGrain, TCommand, ValueTask<LineReply>> viaGrain)
        where TCommand : LineCommand
    {
        if (local is not null && local.TryGet(enterpriseId, out var pipeline) && pipeline.TrySubmit(command, out var answer))
        {
            return new ValueTask<LineReply>(answer);
        }

        return viaGrain(Grain(enterpriseId), command);
    }

    private ICreditLineGrain Grain(string enterpriseId) => grains.GetGrain<ICreditLineGrain>(enterpriseId);
}
