using System.CommandLine;
using Decisioning.Cli.Input;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning renew: renewal without repaying principal (无还本续贷) from a RenewLineRequest in JSON (the README's renewal.json).</summary>
internal sealed class RenewCommand : ToolCommand
{
    private readonly Argument<string> _file = AssessCommand.ApplicationFile("A RenewLineRequest in JSON, as the README's renewal.json; - reads standard input.");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() =>
        new("renew", "Renew a line without principal repaid, reassessed with current data from a JSON file. Not granted is exit code 3.") { _file, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = await RequestFiles.ReadAsync<RenewLineRequest>(parse.GetValue(_file)!, session.Input, cancellationToken);
        request.RequestId = session.UseRequestId(parse.GetValue(_requestId) ?? AssessCommand.NullIfEmpty(request.RequestId));
        var reply = await session.Decisioning.RenewLineAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            session.Console.WriteLine(
                (reply.Renewed ? "Renewal GRANTED" : "Renewal NOT GRANTED: " + string.Join(", ", reply.Reasons)) +
                Views.Journaled(reply.TransactionSequence, request.RequestId));
            session.Console.WriteLine($"Average monthly inflow fell {Display.Rate(reply.CashFlowFallBps)} since origination");
            if (reply.Decision is not null)
            {
                Views.Decision(session.Console, reply.Decision);
            }

            if (reply.Line is not null)
            {
                Views.Line(session.Console, reply.Line);
            }
        });
        return reply.Renewed ? ExitCodes.Success : ExitCodes.Declined;
    }
}
