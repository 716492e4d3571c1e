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
/// The caller's cancellation (its gRPC deadline) ends its wait on either path; a change the
/// pipeline has taken is still written, and only its answer goes undelivered.
/// </summary>
public sealed class LineAccess(IGrainFactory grains, TimeProvider clock, LocalLines? local = null)
{
    public ValueTask<Result<LimitCheck>> CheckLimit(string enterpriseId, long amountMinor, CancellationToken cancellationToken = default) =>
        Local(enterpriseId) is { } pipeline
            ? ValueTask.FromResult(pipeline.Durable.Check(amountMinor, clock.GetUtcNow()))
            : Grain(enterpriseId).CheckLimit(amountMinor, cancellationToken);

    public ValueTask<Result<LineView>> GetLine(string enterpriseId, CancellationToken cancellationToken = default) =>
        Local(enterpriseId) is { } pipeline
            ? ValueTask.FromResult(pipeline.Durable.Read(clock.GetUtcNow()))
            : Grain(enterpriseId).GetLine(cancellationToken);

    public ValueTask<Result<ImmutableArray<Proposal>>> ListProposals(string enterpriseId, CancellationToken cancellationToken = default) =>
        Local(enterpriseId) is { } pipeline
            ? ValueTask.FromResult<Result<ImmutableArray<Proposal>>>(pipeline.Durable.ProposalsAt(clock.GetUtcNow()))
            : Grain(enterpriseId).ListProposals(cancellationToken);

    public ValueTask<Result<ImmutableArray<Referral>>> ListReferrals(string enterpriseId, CancellationToken cancellationToken = default) =>
        Local(enterpriseId) is { } pipeline
            ? ValueTask.FromResult<Result<ImmutableArray<Referral>>>(pipeline.Durable.Referrals)
            : Grain(enterpriseId).ListReferrals(cancellationToken);

    /// <summary>A caller that is already cancelled submits nothing; once submitted, the change is written whether or not its caller still waits.</summary>
    public ValueTask<Result<OperationResult>> Change(string enterpriseId, LineCommand command, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Result<OperationResult>>(cancellationToken);
        }

        // A draw that must wait for its line's re-lending lease goes through the grain, which waits.
        return Local(enterpriseId) is { } pipeline && pipeline.LeaseFor(command) is null && pipeline.TrySubmit(command, out var answer)
            ? ChangeLocally(enterpriseId, command, answer, cancellationToken)
            : Grain(enterpriseId).Change(command, cancellationToken);
    }

    public ValueTask<Result<JournalPage>> ListTransactions(string enterpriseId, int pageSize, long beforeSequence, CancellationToken cancellationToken = default) =>
        Grain(enterpriseId).ListTransactions(pageSize, beforeSequence, cancellationToken);

    public ValueTask<Result<DecisionDocument?>> GetDecision(string enterpriseId, string decisionId, CancellationToken cancellationToken = default) =>
        Grain(enterpriseId).GetDecision(decisionId, cancellationToken);

    /// <summary>
    /// A write the fence refused (another activation wrote first) stored nothing of the command: the
    /// grain, which loads the line again, takes it once more, as it does for its own callers.
    /// </summary>
    private async ValueTask<Result<OperationResult>> ChangeLocally(string enterpriseId, LineCommand command, Task<Result<OperationResult>> answer, CancellationToken cancellationToken)
    {
        var reply = await answer.WaitAsync(cancellationToken);
        return reply.Error?.Reason == ErrorReasons.ConcurrentModification.Code
            ? await Grain(enterpriseId).Change(command, cancellationToken)
            : reply;
    }

    private LinePipeline? Local(string enterpriseId) =>
        local is not null && local.TryGet(enterpriseId, out var pipeline) ? pipeline : null;

    private ICreditLineGrain Grain(string enterpriseId) => grains.GetGrain<ICreditLineGrain>(enterpriseId);
}
