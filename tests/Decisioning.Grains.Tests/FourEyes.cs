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
    public static async Task<LineReply> OpenApproved(this ICreditLineGrain line, string requestId, long limitMinor, int annualRateBps, int termDays, Product product, string actor)
    {
        var proposed = await line.OpenLine(requestId, limitMinor, annualRateBps, termDays, product, actor);
        return proposed.Proposal is { } proposal
            ? await line.ApproveProposal("approve-" + requestId, proposal.ProposalId, Approver)
            : proposed;
    }
}
