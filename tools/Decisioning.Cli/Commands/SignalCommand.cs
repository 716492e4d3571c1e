using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning signal: report a risk signal from monitoring; severe freezes, moderate lowers the limit, low is recorded.</summary>
internal sealed class SignalCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Option<RiskSignalType> _type = EnumOption<RiskSignalType>("--type", "What was observed.");
    private readonly Option<RiskSeverity> _severity = EnumOption<RiskSeverity>("--severity", "How severe: severe freezes the line, moderate lowers its limit, low is recorded.");
    private readonly Option<string?> _requestId = RequestId();

    private readonly Option<string> _note = new("--note")
    {
        Description = "What was observed, for the journal (at most 256 characters).",
        HelpName = "text",
        DefaultValueFactory = _ => "",
    };

    protected override Command Define() => new("signal", "Report a risk signal: severe freezes the line, moderate lowers its limit, low is recorded.") { _enterprise, _type, _severity, _note, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new ReportRiskSignalRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            SignalType = parse.GetValue(_type),
            Severity = parse.GetValue(_severity),
            Note = parse.GetValue(_note)!,
        };
        var reply = await session.Decisioning.ReportRiskSignalAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            session.Console.WriteLine(
                $"Signal {Display.Name(request.SignalType)} {Display.Name(request.Severity)}: {Display.Name(reply.Effect)} {reply.ReasonCode}" +
                (reply.Effect == RiskEffect.LowerLimit ? $" (limit lowered by {Display.Rate(reply.LowerByBps)})" : "") +
                Views.Journaled(reply.TransactionSequence, request.RequestId));
            Views.Line(session.Console, reply.Line);
        });
        return ExitCodes.Success;
    }
}
