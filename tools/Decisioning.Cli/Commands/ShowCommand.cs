using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Grpc.Core;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning show: the line (GetLine) and a page of its journal, newest first (ListTransactions); the journal alone for an enterprise declined before it had a line.</summary>
internal sealed class ShowCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();

    private readonly Option<int> _pageSize = new("--page-size")
    {
        Description = "Journal entries per page (the service allows 1-500).",
        HelpName = "n",
        DefaultValueFactory = _ => 20,
    };

    private readonly Option<string> _pageToken = new("--page-token")
    {
        Description = "An older page: the token the previous page printed.",
        HelpName = "token",
        DefaultValueFactory = _ => "",
    };

    protected override Command Define() => new("show", "Show a line and its journal, newest first.") { _enterprise, _pageSize, _pageToken };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var id = parse.GetValue(_enterprise)!;

        // The journal first: an enterprise declined before it had a line has a journal and no line.
        var journal = await session.Lines.ListTransactionsAsync(
            new ListTransactionsRequest { EnterpriseId = id, PageSize = parse.GetValue(_pageSize), PageToken = parse.GetValue(_pageToken) },
            session.Call(cancellationToken));
        GetLineResponse? line;
        try
        {
            line = await session.Lines.GetLineAsync(new GetLineRequest { EnterpriseId = id }, session.Call(cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            line = null;
        }

        session.Answer(line is null ? [("journal", journal)] : [("line", line), ("journal", journal)], () =>
        {
            if (line is null)
            {
                session.Console.WriteLine($"{id} has no line; its journal:");
            }
            else
            {
                Views.Line(session.Console, line.Line);
            }

            Views.Journal(session.Console, id, journal);
        });
        return ExitCodes.Success;
    }
}
