using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning check: would a draw of this amount be approved now (CheckLimit)? Changes nothing.</summary>
internal sealed class CheckCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<long> _amount = Amount("The draw to check.");

    protected override Command Define() => new("check", "Would a draw of this amount be approved now? Changes nothing.") { _enterprise, _amount };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var reply = await session.Lines.CheckLimitAsync(
            new CheckLimitRequest { EnterpriseId = parse.GetValue(_enterprise)!, AmountMinor = parse.GetValue(_amount) },
            session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            session.Console.WriteLine($"A draw would be {(reply.Approved ? "APPROVED" : "DECLINED " + Display.Name(reply.DeclineReason))}; the line is {Display.Name(reply.Status)}");
            Views.Balances(session.Console, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor, reply.AvailableMinor);
        });
        return reply.Approved ? ExitCodes.Success : ExitCodes.Declined;
    }
}
