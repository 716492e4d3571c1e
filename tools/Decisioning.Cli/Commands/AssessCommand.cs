using System.CommandLine;
using Decisioning.Cli.Input;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>
/// decisioning assess: decide an application written as an AssessEnterpriseRequest in JSON (the
/// README's application.json) and show the decision with its reasons, indicator scores and
/// counterfactuals. An approval opens (or updates) the line; anything else is exit code 3.
/// </summary>
internal sealed class AssessCommand : ToolCommand
{
    private readonly Argument<string> _file = ApplicationFile("An AssessEnterpriseRequest in JSON, as the README's application.json; - reads standard input.");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() =>
        new("assess", "Decide an application from a JSON file and show why. An approval opens the line; a decline or referral is exit code 3.") { _file, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = await RequestFiles.ReadAsync<AssessEnterpriseRequest>(parse.GetValue(_file)!, session.Input, cancellationToken);
        request.RequestId = session.UseRequestId(parse.GetValue(_requestId) ?? NullIfEmpty(request.RequestId));
        var reply = await session.Decisioning.AssessEnterpriseAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            Views.Decision(session.Console, reply.Decision);
            session.Console.WriteLine("Assessment recorded" + Views.Journaled(reply.TransactionSequence, request.RequestId));
            if (reply.Line is not null)
            {
                Views.Line(session.Console, reply.Line);
            }
        });
        return reply.Decision.Outcome == Outcome.Approve ? ExitCodes.Success : ExitCodes.Declined;
    }

    /// <summary>The file's own request id counts unless --request-id is given.</summary>
    internal static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    internal static Argument<string> ApplicationFile(string description) => new("file") { Description = description };
}
