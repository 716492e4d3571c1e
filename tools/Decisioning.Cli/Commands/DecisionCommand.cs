using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning decision: a recorded decision with who asked, when, and the challenger's shadow decision (GetDecision).</summary>
internal sealed class DecisionCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _decision = new("decision-id") { Description = "As assess or renew printed it (D- and 24 hex digits)." };

    protected override Command Define() => new("decision", "Show a recorded decision, why, and the challenger model's shadow decision.") { _enterprise, _decision };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var reply = await session.Decisioning.GetDecisionAsync(
            new GetDecisionRequest { EnterpriseId = parse.GetValue(_enterprise)!, DecisionId = parse.GetValue(_decision)! },
            session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            session.Console.WriteLine(
                $"{Display.Name(reply.Purpose)} decision asked by {reply.Actor} (request id {reply.RequestId}) at {Display.Time(reply.CreateTime)}" +
                (reply.Application?.OnExclusionList == true ? "; the enterprise was on the exclusion list" : ""));
            if (reply.Renewal is { } renewal)
            {
                session.Console.WriteLine(renewal.Renewed ? "Renewal granted" : "Renewal not granted: " + string.Join(", ", renewal.Reasons));
            }

            Views.Decision(session.Console, reply.Decision);
            Views.Challenger(session.Console, reply.ChallengerDecision);
        });
        return ExitCodes.Success;
    }
}
