using System.CommandLine;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>decisioning repay: repay accrued interest first, then principal.</summary>
internal sealed class RepayCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<long> _amount = Amount("The amount to repay (more than is owed is refused).");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() => new("repay", "Repay: accrued interest first, then principal.") { _enterprise, _amount, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new RepayRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            AmountMinor = parse.GetValue(_amount),
        };
        var reply = await session.Lines.RepayAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            session.Console.WriteLine(
                $"Repaid {Display.MoneyWithCurrency(request.AmountMinor)}: interest {Display.Money(reply.InterestPaidMinor)} (subsidised {Display.Money(reply.SubsidisedInterestMinor)}), " +
                $"principal {Display.Money(reply.PrincipalPaidMinor)}" + Views.Journaled(reply.TransactionSequence, request.RequestId));
            Views.Balances(session.Console, reply.LimitMinor, reply.DrawnMinor, reply.HeldMinor, reply.AvailableMinor);
            session.Console.WriteLine($"Accrued interest still owed {Display.Money(reply.AccruedInterestMinor)}");
        });
        return ExitCodes.Success;
    }
}
