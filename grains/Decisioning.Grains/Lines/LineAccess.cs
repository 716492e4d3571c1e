using System.Collections.Immutable;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;

namespace Decisioning.Grains.Lines;

/// <summary>
/// How the front door reaches a line: straight to its pipeline when the line's grain is active in
/// this process (<see cref="LocalLines"/>, with a co-hosted silo), otherwise through the grain,
/// which Orleans activates wherever it places it. Either way the same pipeline answers, with the
/// same domain results: nothing is copied or mapped on either path.
/// </summary>
public sealed class LineAccess(IGrainFactory grains, TimeProvider clock, LocalLines? local = null)
{
    public ValueTask<Result<LimitCheck>> CheckLimit(string enterpriseId, long amountMinor) =>
        Local(enterpriseId) is { } pipeline
            ? ValueTask.FromResult(pipeline.Durable.Check(amountMinor, clock.GetUtcNow()))
            : Grain(enterpriseId).CheckLimit(amountMinor);

    public ValueTask<Result<LineView>> GetLine(string enterpriseId) =>
        Local(enterpriseId) is { } pipeline
            ? ValueTask.FromResult(pipeline.Durable.Read(clock.GetUtcNow()))
            : Grain(enterpriseId).GetLine();

    public ValueTask<Result<ImmutableArray<Proposal>>> ListProposals(string enterpriseId) =>
        Local(enterpriseId) is { } pipeline
            ? ValueTask.FromResult<Result<ImmutableArray<Proposal>>>(pipeline.Durable.ProposalsAt(clock.GetUtcNow()))
            : Grain(enterpriseId).ListProposals();

    public ValueTask<Result<OperationResult>> Change(string enterpriseId, LineCommand command) =>
        Local(enterpriseId) is { } pipeline && pipeline.TrySubmit(command, out var answer)
            ? new ValueTask<Result<OperationResult>>(answer)
            : Grain(enterpriseId).Change(command);

    public ValueTask<Result<JournalPage>> ListTransactions(string enterpriseId, int pageSize, long beforeSequence) =>
        Grain(enterpriseId).ListTransactions(pageSize, beforeSequence);

    public ValueTask<Result<DecisionDocument?>> GetDecision(string enterpriseId, string decisionId) =>
        Grain(enterpriseId).GetDecision(decisionId);

    private LinePipeline? Local(string enterpriseId) =>
        local is not null && local.TryGet(enterpriseId, out var pipeline) ? pipeline : null;

    private ICreditLineGrain Grain(string enterpriseId) => grains.GetGrain<ICreditLineGrain>(enterpriseId);
}
