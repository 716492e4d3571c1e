using System.Collections.Immutable;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Abstractions;

/// <summary>
/// The revolving credit line of one enterprise; the key is its unified social credit code. It takes
/// the domain's commands and answers with the domain's results, refusals as values
/// (<see cref="Result{T}"/>): exceptions are for bugs only.
/// </summary>
[Alias("decisioning.ICreditLineGrain")]
public interface ICreditLineGrain : IGrainWithStringKey
{
    [Alias("CheckLimit")]
    ValueTask<Result<LimitCheck>> CheckLimit(long amountMinor);

    [Alias("GetLine")]
    ValueTask<Result<LineView>> GetLine();

    [Alias("ListTransactions")]
    ValueTask<Result<JournalPage>> ListTransactions(int pageSize, long beforeSequence);

    /// <summary>Pending proposals, then the newest decided ones.</summary>
    [Alias("ListProposals")]
    ValueTask<Result<ImmutableArray<Proposal>>> ListProposals();

    /// <summary>Applies a command (validated once, by the line); a retry of its request id gets the first answer.</summary>
    [Alias("Change")]
    ValueTask<Result<OperationResult>> Change(LineCommand command);

    /// <summary>A credit decision or a renewal, stored with the document of the assessment behind it, atomically.</summary>
    [Alias("ChangeWithDecision")]
    ValueTask<Result<OperationResult>> Change(LineCommand command, DecisionDocument document);

    /// <summary>A decision recorded on this line, with its inputs; null when there is none.</summary>
    [Alias("GetDecision")]
    ValueTask<Result<DecisionDocument?>> GetDecision(string decisionId);

    /// <summary>What a request answered, while storage remembers it (NOT_FOUND otherwise); the key is <c>LineCommand.RequestKey</c>, the id with its caller.</summary>
    [Alias("FindAnswer")]
    ValueTask<Result<OperationResult>> FindAnswer(string requestKey);
}
