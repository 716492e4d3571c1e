using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning hold place: reserve part of the available credit for a pending payment.</summary>
internal sealed class PlaceHoldCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<long> _amount = Amount("The amount to reserve.");
    private readonly Option<string?> _requestId = RequestId();

    private readonly Option<int> _ttl = new("--ttl-seconds")
    {
        Description = "How long the hold lives unless captured or released; 0 takes the service's default (900 s).",
        HelpName = "seconds",
    };

    protected override Command Define() => new("place", "Reserve part of the available credit. A decline is exit code 3.") { _enterprise, _amount, _ttl, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new PlaceHoldRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            AmountMinor = parse.GetValue(_amount),
            HoldTtlSeconds = parse.GetValue(_ttl),
        };
        var reply = await session.Lines.PlaceHoldAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            Views.Outcome(session.Console, $"Hold of {Display.MoneyWithCurrency(request.AmountMinor)}", reply.Approved, reply.DeclineReason, reply.TransactionSequence, request.RequestId);
            if (reply.Approved)
            {
                session.Console.WriteLine($"Hold {reply.HoldId}, expires {Display.Time(reply.ExpireTime)}");
            }

            Views.Balances(session.Console, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor, reply.AvailableMinor);
        });
        return reply.Approved ? ExitCodes.Success : ExitCodes.Declined;
    }
}

/// <summary>decisioning hold capture: turn a hold into a draw, in full or in part; the rest is released.</summary>
internal sealed class CaptureHoldCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _hold = new("hold-id") { Description = "The hold, as hold place printed it (H and digits)." };
    private readonly Option<string?> _requestId = RequestId();

    private readonly Option<long> _amount = new("--amount")
    {
        Description = "How much of the hold to draw, in CNY; without it, the whole hold.",
        HelpName = "cny",
        CustomParser = r => Parse(r, Input.Amounts.ParseCny),
    };

    protected override Command Define() => new("capture", "Draw a hold, in full or in part (--amount); the rest is released. A decline is exit code 3.") { _enterprise, _hold, _amount, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new CaptureHoldRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            HoldId = parse.GetValue(_hold)!,
            AmountMinor = parse.GetValue(_amount),
        };
        var reply = await session.Lines.CaptureHoldAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            Views.Outcome(session.Console, $"Capture of {request.HoldId}", reply.Approved, reply.DeclineReason, reply.TransactionSequence, request.RequestId);
            session.Console.WriteLine($"Captured {Display.MoneyWithCurrency(reply.CapturedMinor)}, released {Display.Money(reply.ReleasedMinor)}");
            Views.Balances(session.Console, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor, reply.AvailableMinor);
        });
        return reply.Approved ? ExitCodes.Success : ExitCodes.Declined;
    }
}

/// <summary>decisioning hold release: give a hold's amount back to the available credit.</summary>
internal sealed class ReleaseHoldCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _hold = new("hold-id") { Description = "The hold, as hold place printed it (H and digits)." };
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() => new("release", "Give a hold's amount back to the available credit.") { _enterprise, _hold, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new ReleaseHoldRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            HoldId = parse.GetValue(_hold)!,
        };
        var reply = await session.Lines.ReleaseHoldAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            session.Console.WriteLine($"Released {request.HoldId}: {Display.MoneyWithCurrency(reply.ReleasedMinor)}" + Views.Journaled(reply.TransactionSequence, request.RequestId));
            Views.Balances(session.Console, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor, reply.AvailableMinor);
        });
        return ExitCodes.Success;
    }
}
