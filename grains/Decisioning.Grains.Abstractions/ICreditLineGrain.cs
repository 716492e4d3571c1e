using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Abstractions;

/// <summary>
/// The revolving credit line of one enterprise; the key is its unified social credit code. Replies
/// carry refusals as values (<see cref="LineError"/>): exceptions are for bugs only.
/// </summary>
[Alias("decisioning.ICreditLineGrain")]
public interface ICreditLineGrain : IGrainWithStringKey
{
    [Alias("CheckLimit")]
    ValueTask<LimitCheckReply> CheckLimit(long amountMinor);

    [Alias("GetLine")]
    ValueTask<LineReply> GetLine();

    [Alias("ListTransactions")]
    ValueTask<JournalPageReply> ListTransactions(int pageSize, long beforeSequence);

    [Alias("OpenLine")]
    ValueTask<LineReply> OpenLine(string requestId, long limitMinor, int annualRateBps, int termDays, Product product, string actor);

    /// <summary>Opens a line that carries a fiscal interest subsidy (0 to the rate, in basis points).</summary>
    [Alias("OpenLineWithSubsidy")]
    ValueTask<LineReply> OpenLine(string requestId, long limitMinor, int annualRateBps, int termDays, Product product, int subsidyBps, string actor);

    [Alias("Draw")]
    ValueTask<LineReply> Draw(string requestId, long amountMinor, string actor);

    [Alias("Repay")]
    ValueTask<LineReply> Repay(string requestId, long amountMinor, string actor);

    [Alias("PlaceHold")]
    ValueTask<LineReply> PlaceHold(string requestId, long amountMinor, int ttlSeconds, string actor);

    [Alias("CaptureHold")]
    ValueTask<LineReply> CaptureHold(string requestId, string holdId, long amountMinor, string actor);

    [Alias("ReleaseHold")]
    ValueTask<LineReply> ReleaseHold(string requestId, string holdId, string actor);

    [Alias("FreezeLine")]
    ValueTask<LineReply> FreezeLine(string requestId, string note, string actor);

    [Alias("UnfreezeLine")]
    ValueTask<LineReply> UnfreezeLine(string requestId, string note, string actor);

    [Alias("AdjustLimit")]
    ValueTask<LineReply> AdjustLimit(string requestId, long limitMinor, string note, string actor);

    [Alias("CloseLine")]
    ValueTask<LineReply> CloseLine(string requestId, string note, string actor);

    /// <summary>A second staff member approves a proposal: its change is applied to the line as it is now.</summary>
    [Alias("ApproveProposal")]
    ValueTask<LineReply> ApproveProposal(string requestId, string proposalId, string actor);

    [Alias("RejectProposal")]
    ValueTask<LineReply> RejectProposal(string requestId, string proposalId, string note, string actor);

    /// <summary>Pending proposals, then the newest decided ones.</summary>
    [Alias("ListProposals")]
    ValueTask<ProposalsReply> ListProposals();

    /// <summary>Records a credit decision (opening or updating the line on approval) with its document, atomically.</summary>
    [Alias("RecordDecision")]
    ValueTask<LineReply> RecordDecision(DecisionToRecord decision);

    [Alias("Renew")]
    ValueTask<LineReply> Renew(RenewalToApply renewal);

    [Alias("ApplyRiskSignal")]
    ValueTask<LineReply> ApplyRiskSignal(SignalToApply signal);

    /// <summary>A decision recorded on this line, with its inputs.</summary>
    [Alias("GetDecision")]
    ValueTask<DecisionDocumentReply> GetDecision(string decisionId);

    /// <summary>What a request answered, while storage remembers it (NOT_FOUND otherwise); the key is <c>LineCommand.RequestKey</c>, the id with its caller.</summary>
    [Alias("FindAnswer")]
    ValueTask<LineReply> FindAnswer(string requestKey);
}
