using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning proposals: the enterprise's pending proposals, then the most recently decided.</summary>
internal sealed class ProposalsCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();

    protected override Command Define() => new("proposals", "List the line's proposals waiting for a second staff member, then the most recently decided.") { _enterprise };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var reply = await session.Admin.ListProposalsAsync(new ListProposalsRequest { EnterpriseId = parse.GetValue(_enterprise)! }, session.Call(cancellationToken));
        session.Answer(reply, () => Views.Proposals(session.Console, reply.Proposals));
        return ExitCodes.Success;
    }
}

/// <summary>decisioning approve: the second pair of eyes applies a pending proposal (scope credit.approve; not the proposer).</summary>
internal sealed class ApproveCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _proposal = ProposalId();
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() =>
        new("approve", "Approve a pending proposal with your own token (scope credit.approve; the proposer cannot approve their own).") { _enterprise, _proposal, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new ApproveProposalRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            ProposalId = parse.GetValue(_proposal)!,
        };
        var reply = await session.Admin.ApproveProposalAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () => Views.Change(session.Console, request.EnterpriseId, $"Approval of {request.ProposalId}", reply.Line, reply.Proposal, reply.TransactionSequence, request.RequestId));
        return ExitCodes.Success;
    }

    internal static Argument<string> ProposalId() => new("proposal-id") { Description = "The proposal, as the proposing command printed it (P and digits)." };
}

/// <summary>decisioning reject: decline a pending proposal (scope credit.approve; the proposer may withdraw their own).</summary>
internal sealed class RejectCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _proposal = ApproveCommand.ProposalId();
    private readonly Option<string> _reason = Reason("Why, for the journal (at most 256 characters).");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() => new("reject", "Reject a pending proposal (or withdraw your own).") { _enterprise, _proposal, _reason, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new RejectProposalRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            ProposalId = parse.GetValue(_proposal)!,
            Reason = parse.GetValue(_reason)!,
        };
        var reply = await session.Admin.RejectProposalAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () => Views.Change(session.Console, request.EnterpriseId, $"Rejection of {request.ProposalId}", null, reply.Proposal, reply.TransactionSequence, request.RequestId));
        return ExitCodes.Success;
    }
}
