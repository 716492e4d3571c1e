using System.Collections.Immutable;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Abstractions;

/// <summary>
/// The revolving credit line of one enterprise; the key is its unified social credit code. It takes
/// the domain's commands and answers with the domain's results, refusals as values
/// (<see cref="Result{T}"/>): exceptions are for bugs only.
/// Each method takes the caller's cancellation (the gRPC caller's deadline): once it fires, Orleans
/// stops the caller's wait (OperationCanceledException) and tells the line, which drops a call not
/// yet started; a change already taken into a write is still written, its answer simply not delivered.
/// </summary>
[Alias("decisioning.ICreditLineGrain")]
public interface ICreditLineGrain : IGrainWithStringKey
{
    [Alias("CheckLimit")]
    ValueTask<Result<LimitCheck>> CheckLimit(long amountMinor, CancellationToken cancellationToken = default);

    [Alias("GetLine")]
    ValueTask<Result<LineView>> GetLine(CancellationToken cancellationToken = default);

    [Alias("ListTransactions")]
    ValueTask<Result<JournalPage>> ListTransactions(int pageSize, long beforeSequence, CancellationToken cancellationToken = default);

    /// <summary>Pending proposals, then the newest decided ones.</summary>
    [Alias("ListProposals")]
    ValueTask<Result<ImmutableArray<Proposal>>> ListProposals(CancellationToken cancellationToken = default);

    /// <summary>Applies a command (validated once, by the line); a retry of its request id gets the first answer.</summary>
    /// <summary>The line's open referrals and the newest decided ones.</summary>
    [Alias("ListReferrals")]
    ValueTask<Result<ImmutableArray<Referral>>> ListReferrals(CancellationToken cancellationToken = default);

    [Alias("Change")]
    ValueTask<Result<OperationResult>> Change(LineCommand command, CancellationToken cancellationToken = default);

    /// <summary>A credit decision or a renewal, stored with the document of the assessment behind it, atomically.</summary>
    [Alias("ChangeWithDecision")]
    ValueTask<Result<OperationResult>> Change(LineCommand command, DecisionDocument document, CancellationToken cancellationToken = default);

    /// <summary>A decision recorded on this line, with its inputs; null when there is none.</summary>
    [Alias("GetDecision")]
    ValueTask<Result<DecisionDocument?>> GetDecision(string decisionId, CancellationToken cancellationToken = default);

    /// <summary>What a request answered, while storage remembers it (NOT_FOUND otherwise); the key is <c>LineCommand.RequestKey</c>, the id with its caller.</summary>
    [Alias("FindAnswer")]
    ValueTask<Result<OperationResult>> FindAnswer(string requestKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// The daily process as of the line's clock, as the line's reminder runs it: journals what the
    /// day finds (nothing is written on a day that has run, or that finds nothing).
    /// </summary>
    [Alias("RunDaily")]
    ValueTask<Result<OperationResult>> RunDaily(CancellationToken cancellationToken = default);
}
