using System.Collections.Concurrent;
using System.Diagnostics;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace Decisioning.Failover.Tests;

public enum OperationKind
{
    Draw,
    Repay,
    PlaceHold,
}

/// <summary>One operation as its client saw it: what it asked, every failed attempt, and the reply that settled it.</summary>
public sealed class Operation(string enterpriseId, string requestId, OperationKind kind, long amountMinor)
{
    public string EnterpriseId { get; } = enterpriseId;

    public string RequestId { get; } = requestId;

    public OperationKind Kind { get; } = kind;

    public long AmountMinor { get; } = amountMinor;

    public List<Failure> Failures { get; } = [];

    /// <summary>The settled reply's journal sequence; null while the outcome is unknown.</summary>
    public long? Sequence { get; set; }

    public bool Approved { get; set; }

    /// <summary>What a repayment paid off the principal (rates are 0: no interest).</summary>
    public long PrincipalPaidMinor { get; set; }
}

/// <param name="At">Since the load started.</param>
/// <param name="Transport">The call failed in transport (no status from the service), as with a killed front door.</param>
public sealed record Failure(TimeSpan At, StatusCode Code, bool Transport, string Door, string Detail);

/// <summary>
/// Many concurrent clients, each with its own token for its own enterprises, drawing, repaying and
/// placing holds through both front doors. An operation that fails is retried with the same
/// request id (through the other door) until it is settled: every unknown outcome resolves by a retry.
/// Each client repays only what it knows it has drawn, so no repayment exceeds what a line owes.
/// </summary>
public sealed class LoadClients
{
    public const long LimitMinor = 5_000_000;

    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(3);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentBag<Operation> _operations = [];
    private readonly IReadOnlyList<string> _doors;

    public LoadClients(IReadOnlyList<string> doors) => _doors = doors;

    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyCollection<Operation> Operations => _operations;

    /// <summary>Runs <paramref name="clients"/> clients over their enterprises until <paramref name="stop"/>, then settles what is in flight.</summary>
    public Task RunAsync(IReadOnlyList<IReadOnlyList<string>> enterprisesPerClient, CancellationToken stop) =>
        Task.WhenAll(enterprisesPerClient.Select((enterprises, i) => Task.Run(() => ClientAsync(i, enterprises, stop))));

    private async Task ClientAsync(int index, IReadOnlyList<string> enterprises, CancellationToken stop)
    {
        var name = $"client-{index}";
        var token = TestTokens.Shared.Issue(name, ["credit.read", "credit.draw", "credit.repay"], enterprises);
        var channels = _doors.Select(d => BearerChannels.For(d, token, o =>
        {
            // A front door that comes back is used again within a second.
            o.InitialReconnectBackoff = TimeSpan.FromMilliseconds(100);
            o.MaxReconnectBackoff = TimeSpan.FromSeconds(1);
        })).ToArray();
        var random = new Random(index);
        var drawnKnown = enterprises.ToDictionary(e => e, _ => 0L);
        var door = index % channels.Length;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var enterprise = enterprises[random.Next(enterprises.Count)];
            var roll = random.Next(100);
            var operation = roll switch
            {
                < 50 => new Operation(enterprise, $"{name}-{n}", OperationKind.Draw, random.Next(100, 5_000)),
                < 80 when drawnKnown[enterprise] > 0 => new Operation(enterprise, $"{name}-{n}", OperationKind.Repay, random.NextInt64(1, drawnKnown[enterprise] + 1)),
                _ => new Operation(enterprise, $"{name}-{n}", OperationKind.PlaceHold, random.Next(100, 2_000)),
            };
            _operations.Add(operation);
            if (operation.Kind == OperationKind.Repay)
            {
                // Counted as repaid before the reply: an unknown repayment may have happened.
                drawnKnown[enterprise] -= operation.AmountMinor;
            }

            door = await SettleAsync(operation, new CreditLineService.CreditLineServiceClient(channels[door]), channels, door);
            if (operation is { Kind: OperationKind.Draw, Approved: true })
            {
                drawnKnown[enterprise] += operation.AmountMinor;
            }
        }

        foreach (var channel in channels)
        {
            channel.Dispose();
        }
    }

    /// <summary>Calls until a reply settles the operation, switching doors after each failure; returns the door that answered.</summary>
    private async Task<int> SettleAsync(Operation operation, CreditLineService.CreditLineServiceClient client, GrpcChannel[] channels, int door)
    {
        // Bounded: after this long without a reply the operation stays unknown and the test fails.
        var giveUp = _clock.Elapsed + TimeSpan.FromMinutes(1);
        while (true)
        {
            try
            {
                await CallAsync(operation, client);
                return door;
            }
            catch (RpcException ex)
            {
                var transport = ex.Status.DebugException is HttpRequestException or IOException or System.Net.Sockets.SocketException
                    || ex.Status.DebugException?.InnerException is IOException or System.Net.Sockets.SocketException;
                lock (operation.Failures)
                {
                    operation.Failures.Add(new Failure(_clock.Elapsed, ex.StatusCode, transport, _doors[door], ex.Status.Detail));
                }

                if (!IsRetryable(ex.StatusCode, transport) || _clock.Elapsed > giveUp)
                {
                    return door;
                }

                door = (door + 1) % channels.Length;
                client = new CreditLineService.CreditLineServiceClient(channels[door]);
                await Task.Delay(100);
            }
        }
    }

    public static bool IsRetryable(StatusCode code, bool transport) =>
        code is StatusCode.Unavailable or StatusCode.Aborted or StatusCode.DeadlineExceeded || transport;

    private static async Task CallAsync(Operation operation, CreditLineService.CreditLineServiceClient client)
    {
        var deadline = DateTime.UtcNow + CallDeadline;
        switch (operation.Kind)
        {
            case OperationKind.Draw:
                var draw = await client.DrawAsync(new DrawRequest { EnterpriseId = operation.EnterpriseId, RequestId = operation.RequestId, AmountMinor = operation.AmountMinor }, deadline: deadline);
                (operation.Sequence, operation.Approved) = (draw.TransactionSequence, draw.Approved);
                break;
            case OperationKind.Repay:
                var repay = await client.RepayAsync(new RepayRequest { EnterpriseId = operation.EnterpriseId, RequestId = operation.RequestId, AmountMinor = operation.AmountMinor }, deadline: deadline);
                (operation.Sequence, operation.Approved, operation.PrincipalPaidMinor) = (repay.TransactionSequence, true, repay.PrincipalPaidMinor);
                break;
            case OperationKind.PlaceHold:
                var hold = await client.PlaceHoldAsync(new PlaceHoldRequest { EnterpriseId = operation.EnterpriseId, RequestId = operation.RequestId, AmountMinor = operation.AmountMinor, HoldTtlSeconds = 3600 }, deadline: deadline);
                (operation.Sequence, operation.Approved) = (hold.TransactionSequence, hold.Approved);
                break;
        }
    }
}
