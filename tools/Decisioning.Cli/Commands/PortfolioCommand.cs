using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;

namespace Decisioning.Cli.Commands;

/// <summary>
/// decisioning portfolio: PortfolioService/GetPortfolio, the programme's figures as the event
/// stream's projection holds them (scope credit.read, a token serving every enterprise): the
/// totals, then each figure by product, month and recognition level. The request has no filters.
/// </summary>
internal sealed class PortfolioCommand : ToolCommand
{
    protected override Command Define() =>
        new("portfolio", "Show the programme's figures: credit granted, outstanding principal, enterprises served, lines by status, decisions by outcome, fund-flow approvals, renewals; totals, then by product, month and recognition level.");

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var reply = await new PortfolioService.PortfolioServiceClient(session.Invoker).GetPortfolioAsync(new GetPortfolioRequest(), session.Call(cancellationToken));
        session.Answer(reply, () => Views.Portfolio(session.Console, reply));
        return ExitCodes.Success;
    }
}
