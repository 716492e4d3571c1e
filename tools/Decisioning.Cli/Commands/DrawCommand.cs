using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning draw: draw on the line. A decline is an answer (exit code 3), journaled.</summary>
internal sealed class DrawCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<long> _amount = Amount("The amount to draw.");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() => new("draw", "Draw on the line. A decline is exit code 3, and stands in the journal.") { _enterprise, _amount, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new DrawRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            AmountMinor = parse.GetValue(_amount),
        };
        var reply = await session.Lines.DrawAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            Views.Outcome(session.Console, $"Draw of {Display.MoneyWithCurrency(request.AmountMinor)}", reply.Approved, reply.DeclineReason, reply.TransactionSequence, request.RequestId);
            Views.Balances(session.Console, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor, reply.AvailableMinor);
        });
        return reply.Approved ? ExitCodes.Success : ExitCodes.Declined;
    }
}
