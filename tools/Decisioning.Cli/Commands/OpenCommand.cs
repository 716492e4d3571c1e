using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning open: propose a line by hand; it opens when a second staff member approves it (four eyes).</summary>
internal sealed class OpenCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Option<string?> _requestId = RequestId();

    private readonly Option<long> _limit = new("--limit")
    {
        Description = "The line's limit in CNY (yuan), e.g. 5000000.",
        HelpName = "cny",
        Required = true,
        CustomParser = r => Parse(r, Input.Amounts.ParseCny),
    };

    private readonly Option<int> _rate = new("--rate-bps")
    {
        Description = "The annual rate in basis points (345 is 3.45%).",
        HelpName = "bps",
        Required = true,
    };

    private readonly Option<int> _term = new("--term-days")
    {
        Description = "Days until the line matures.",
        HelpName = "days",
        Required = true,
    };

    private readonly Option<Product> _product = EnumOption<Product>("--product", "The product.");

    protected override Command Define() =>
        new("open", "Propose a line (or re-open a closed one). It opens when another staff member approves the proposal: decisioning approve.")
        {
            _enterprise, _limit, _rate, _term, _product, _requestId,
        };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new OpenLineRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            LimitMinor = parse.GetValue(_limit),
            AnnualRateBps = parse.GetValue(_rate),
            TermDays = parse.GetValue(_term),
            Product = parse.GetValue(_product),
        };
        var reply = await session.Admin.OpenLineAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () => Views.Change(session.Console, request.EnterpriseId, "Opening", reply.Line, reply.Proposal, reply.TransactionSequence, request.RequestId));
        return ExitCodes.Success;
    }
}
