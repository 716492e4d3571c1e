using Decisioning.Contracts.V1;
using Decisioning.LoadTest.Metrics;
using Grpc.Core;
using Grpc.Health.V1;

namespace Decisioning.LoadTest.Workloads;

/// <summary>grpc.health.v1.Health/Check: the service answers from a stored status, so this is the stack's own cost.</summary>
internal sealed class NoopWorkload : IWorkload
{
    private static readonly HealthCheckRequest Request = new();

    public WorkloadKind Kind => WorkloadKind.Noop;

    public bool Mutates => false;

    public bool NeedsLines => false;

    public bool NeedsOpeningBalance => false;

    public async Task RunAsync(RunContext context, Arrival arrival)
    {
        context.Metrics.CallStarted();
        try
        {
            await context.Health[arrival.Connection].CheckAsync(Request, deadline: context.NewDeadline());
            context.Metrics.Succeeded(Operation.Noop, arrival.Start, arrival.Measured);
        }
        catch (RpcException ex)
        {
            context.Metrics.Failed(Operation.Noop, arrival.Start, arrival.Measured, ex.StatusCode);
        }
    }
}

internal sealed class CheckWorkload : IWorkload
{
    public WorkloadKind Kind => WorkloadKind.Check;

    public bool Mutates => false;

    public bool NeedsLines => true;

    public bool NeedsOpeningBalance => false;

    public async Task RunAsync(RunContext context, Arrival arrival)
    {
        var request = new CheckLimitRequest
        {
            EnterpriseId = context.Keys.Id(arrival.Enterprise),
            AmountMinor = context.Amounts.Next(arrival.Random),
        };
        context.Metrics.CallStarted();
        try
        {
            var reply = await context.Lines[arrival.Connection].CheckLimitAsync(request, deadline: context.NewDeadline());
            context.Metrics.Succeeded(Operation.Check, arrival.Start, arrival.Measured, reply.Approved ? DeclineReason.Unspecified : reply.DeclineReason);
        }
        catch (RpcException ex)
        {
            context.Metrics.Failed(Operation.Check, arrival.Start, arrival.Measured, ex.StatusCode);
        }
    }
}

internal sealed class DrawWorkload : IWorkload
{
    public WorkloadKind Kind => WorkloadKind.Draw;

    public bool Mutates => true;

    public bool NeedsLines => true;

    public bool NeedsOpeningBalance => false;

    public async Task RunAsync(RunContext context, Arrival arrival)
    {
        var account = context.Ledger[arrival.Enterprise];
        var amount = context.Amounts.Next(arrival.Random);
        var n = account.Begin();
        var request = new DrawRequest
        {
            EnterpriseId = context.Keys.Id(arrival.Enterprise),
            RequestId = context.Keys.RequestId(arrival.Enterprise, n),
            AmountMinor = amount,
        };
        context.Metrics.CallStarted();
        try
        {
            var reply = await context.Lines[arrival.Connection].DrawAsync(request, deadline: context.NewDeadline());
            if (reply.Approved)
            {
                account.Applied(n, drawnDelta: amount, heldDelta: 0);
                context.Metrics.Succeeded(Operation.Draw, arrival.Start, arrival.Measured);
            }
            else
            {
                account.Declined(n);
                context.Metrics.Succeeded(Operation.Draw, arrival.Start, arrival.Measured, reply.DeclineReason);
            }
        }
        catch (RpcException ex)
        {
            Failed(account, n, ex.StatusCode);
            context.Metrics.Failed(Operation.Draw, arrival.Start, arrival.Measured, ex.StatusCode);
        }
    }

    internal static void Failed(Ledger.EnterpriseAccount account, long n, StatusCode status, long reservedRepayment = 0)
    {
        if (Operations.OutcomeUnknown(status))
        {
            account.Unknown(n);
        }
        else
        {
            account.Refused(n, reservedRepayment);
        }
    }
}

/// <summary>Repays only what the tool knows was drawn and is not already being repaid, so no repayment is ever refused for exceeding the debt.</summary>
internal sealed class RepayWorkload : IWorkload
{
    public WorkloadKind Kind => WorkloadKind.Repay;

    public bool Mutates => true;

    public bool NeedsLines => true;

    public bool NeedsOpeningBalance => true;

    public async Task RunAsync(RunContext context, Arrival arrival)
    {
        var account = context.Ledger[arrival.Enterprise];
        var amount = account.ReserveRepayment(context.Amounts.Next(arrival.Random));
        if (amount == 0)
        {
            context.Metrics.Skipped(Operation.Repay, arrival.Measured);
            return;
        }

        var n = account.Begin();
        var request = new RepayRequest
        {
            EnterpriseId = context.Keys.Id(arrival.Enterprise),
            RequestId = context.Keys.RequestId(arrival.Enterprise, n),
            AmountMinor = amount,
        };
        context.Metrics.CallStarted();
        try
        {
            var reply = await context.Lines[arrival.Connection].RepayAsync(request, deadline: context.NewDeadline());
            // Lines are opened at 0% so all of it is principal; the check compares drawn with the line.
            account.Applied(n, drawnDelta: -reply.PrincipalPaidMinor, heldDelta: 0, releasedRepayment: amount);
            context.Metrics.Succeeded(Operation.Repay, arrival.Start, arrival.Measured);
        }
        catch (RpcException ex)
        {
            DrawWorkload.Failed(account, n, ex.StatusCode, amount);
            context.Metrics.Failed(Operation.Repay, arrival.Start, arrival.Measured, ex.StatusCode);
        }
    }
}

/// <summary>
/// PlaceHold, then on the hold it placed: release (half the time), capture in full (a quarter) or
/// capture part (a quarter). The second call is timed from its own send.
/// </summary>
internal sealed class HoldWorkload : IWorkload
{
    public WorkloadKind Kind => WorkloadKind.Hold;

    public bool Mutates => true;

    public bool NeedsLines => true;

    public bool NeedsOpeningBalance => false;

    public async Task RunAsync(RunContext context, Arrival arrival)
    {
        var account = context.Ledger[arrival.Enterprise];
        var amount = context.Amounts.Next(arrival.Random);
        var dice = arrival.Random.Next(4);
        var partial = arrival.Random.NextInt64(1, amount + 1);
        var enterpriseId = context.Keys.Id(arrival.Enterprise);
        var client = context.Lines[arrival.Connection];

        var n = account.Begin();
        var place = new PlaceHoldRequest
        {
            EnterpriseId = enterpriseId,
            RequestId = context.Keys.RequestId(arrival.Enterprise, n),
            AmountMinor = amount,
            HoldTtlSeconds = RunContext.HoldTtlSeconds,
        };
        string holdId;
        context.Metrics.CallStarted();
        try
        {
            var reply = await client.PlaceHoldAsync(place, deadline: context.NewDeadline());
            if (!reply.Approved)
            {
                account.Declined(n);
                context.Metrics.Succeeded(Operation.PlaceHold, arrival.Start, arrival.Measured, reply.DeclineReason);
                return;
            }

            account.Applied(n, drawnDelta: 0, heldDelta: amount);
            context.Metrics.Succeeded(Operation.PlaceHold, arrival.Start, arrival.Measured);
            holdId = reply.HoldId;
        }
        catch (RpcException ex)
        {
            DrawWorkload.Failed(account, n, ex.StatusCode);
            context.Metrics.Failed(Operation.PlaceHold, arrival.Start, arrival.Measured, ex.StatusCode);
            return;
        }

        if (dice < 2)
        {
            await ReleaseAsync(context, arrival, account, client, enterpriseId, holdId);
        }
        else
        {
            await CaptureAsync(context, arrival, account, client, enterpriseId, holdId, dice == 2 ? 0 : partial);
        }
    }

    private static async Task CaptureAsync(
        RunContext context, Arrival arrival, Ledger.EnterpriseAccount account, CreditLineService.CreditLineServiceClient client, string enterpriseId, string holdId, long amount)
    {
        var n = account.Begin();
        var request = new CaptureHoldRequest
        {
            EnterpriseId = enterpriseId,
            RequestId = context.Keys.RequestId(arrival.Enterprise, n),
            HoldId = holdId,
            AmountMinor = amount,
        };
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        context.Metrics.CallStarted();
        try
        {
            var reply = await client.CaptureHoldAsync(request, deadline: context.NewDeadline());
            if (reply.Approved)
            {
                account.Applied(n, drawnDelta: reply.CapturedMinor, heldDelta: -(reply.CapturedMinor + reply.ReleasedMinor));
                context.Metrics.Succeeded(Operation.CaptureHold, start, arrival.Measured);
            }
            else
            {
                account.Declined(n);
                context.Metrics.Succeeded(Operation.CaptureHold, start, arrival.Measured, reply.DeclineReason);
            }
        }
        catch (RpcException ex)
        {
            DrawWorkload.Failed(account, n, ex.StatusCode);
            context.Metrics.Failed(Operation.CaptureHold, start, arrival.Measured, ex.StatusCode);
        }
    }

    private static async Task ReleaseAsync(
        RunContext context, Arrival arrival, Ledger.EnterpriseAccount account, CreditLineService.CreditLineServiceClient client, string enterpriseId, string holdId)
    {
        var n = account.Begin();
        var request = new ReleaseHoldRequest
        {
            EnterpriseId = enterpriseId,
            RequestId = context.Keys.RequestId(arrival.Enterprise, n),
            HoldId = holdId,
        };
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        context.Metrics.CallStarted();
        try
        {
            var reply = await client.ReleaseHoldAsync(request, deadline: context.NewDeadline());
            account.Applied(n, drawnDelta: 0, heldDelta: -reply.ReleasedMinor);
            context.Metrics.Succeeded(Operation.ReleaseHold, start, arrival.Measured);
        }
        catch (RpcException ex)
        {
            DrawWorkload.Failed(account, n, ex.StatusCode);
            context.Metrics.Failed(Operation.ReleaseHold, start, arrival.Measured, ex.StatusCode);
        }
    }
}
