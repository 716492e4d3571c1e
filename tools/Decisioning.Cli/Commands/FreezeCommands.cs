using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning freeze: block draws, holds and captures; repayment stays possible.</summary>
internal sealed class FreezeCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Option<string> _reason = Reason("Why, for the journal (at most 256 characters).");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() => new("freeze", "Freeze the line: no draws, holds or captures; repayments still work.") { _enterprise, _reason, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new FreezeLineRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            Reason = parse.GetValue(_reason)!,
        };
        var reply = await session.Admin.FreezeLineAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () => Views.Change(session.Console, request.EnterpriseId, "Freeze", reply.Line, null, reply.TransactionSequence, request.RequestId));
        return ExitCodes.Success;
    }
}

/// <summary>decisioning unfreeze: lift a freeze; at once for a freeze by staff, a proposal for a risk signal's (four eyes).</summary>
internal sealed class UnfreezeCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Option<string> _reason = Reason("Why, for the journal (at most 256 characters).");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() =>
        new("unfreeze", "Lift a freeze: at once for a freeze by staff; for a risk signal's, a proposal another staff member approves.") { _enterprise, _reason, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new UnfreezeLineRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            Reason = parse.GetValue(_reason)!,
        };
        var reply = await session.Admin.UnfreezeLineAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () => Views.Change(session.Console, request.EnterpriseId, "Unfreeze", reply.Line, reply.Proposal, reply.TransactionSequence, request.RequestId));
        return ExitCodes.Success;
    }
}
