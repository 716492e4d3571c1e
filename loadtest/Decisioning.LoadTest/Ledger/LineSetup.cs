using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.LoadTest.Configuration;
using Decisioning.LoadTest.Hosting;
using Decisioning.LoadTest.Keys;
using Decisioning.LoadTest.Metrics;
using Grpc.Core;

namespace Decisioning.LoadTest.Ledger;

/// <summary>
/// Opens the run's lines before the load, as staff open lines by hand: proposed with the run's
/// token and approved with a second staff member's (four eyes). The largest limit and the lowest rate the products allow
/// staff to set (the SRDI e-Loan's cap and rate floor, issue 10): interest accrues only when a Beijing day ends, so a run
/// that crosses midnight there sees repayments pay that day's interest first; with repayments in the mix, an opening draw of
/// half the limit gives them something to repay. Then reads each line back as the ledger's zero
/// point. Calls whose outcome is unknown are retried with the same request id, which the service
/// makes idempotent.
/// </summary>
internal static class LineSetup
{
    /// <summary>The SRDI e-Loan's cap in the shipped model (10,000,000 CNY): staff cannot open a line above it.</summary>
    public const long LineLimitMinor = 1_000_000_000;

    /// <summary>The SRDI e-Loan's rate floor in the shipped model (2.70%): staff cannot open a line below it.</summary>
    public const int AnnualRateBps = 270;
    public const long OpeningDrawMinor = LineLimitMinor / 2;
    public const int TermDays = 365;
    public const int MaxHistory = 100_000;
    public const long MaxHistoryOperations = 2_000_000;
    private const int Parallelism = 32;
    private const int HistoryInFlight = 64;

    public static async Task RunAsync(Connections connections, LineAdminService.LineAdminServiceClient? approver, KeySpace keys, LedgerBook ledger, bool openingBalance, int history, TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (approver is null)
        {
            throw new SetupException(
                "opening lines needs a second staff member: an opening by hand takes effect only when another subject with credit.approve approves it; " +
                "pass --approver-token (or DECISIONING_APPROVER_TOKEN)");
        }

        if ((long)history * keys.Count > MaxHistoryOperations)
        {
            throw new SetupException($"--history {history} over {keys.Count} lines is more than {MaxHistoryOperations:N0} set-up draws");
        }

        await Parallel.ForEachAsync(
            Enumerable.Range(0, keys.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var connection = index % connections.Count;
                var id = keys.Id(index);
                await OpenAsync(connections.Admin[connection], approver, keys, index, deadline, ct);

                // The proposal and the opening.
                var expectedSequence = 2L;
                if (openingBalance)
                {
                    var draw = await RetryAsync($"the opening draw for {id}", () => connections.Lines[connection].DrawAsync(
                        new DrawRequest { EnterpriseId = id, RequestId = keys.SetupRequestId(index, "opening"), AmountMinor = OpeningDrawMinor },
                        deadline: DateTime.UtcNow + deadline,
                        cancellationToken: ct).ResponseAsync);
                    if (!draw.Approved)
                    {
                        throw new SetupException($"the opening draw for {id} was declined ({draw.DeclineReason})");
                    }

                    expectedSequence = 3;
                }

                if (history > 0)
                {
                    await HistoryAsync(connections.Lines[connection], keys, index, history, deadline, ct);
                    expectedSequence += history;
                }

                var line = (await RetryAsync($"GetLine for {id}", () => connections.Lines[connection].GetLineAsync(
                    new GetLineRequest { EnterpriseId = id },
                    deadline: DateTime.UtcNow + deadline,
                    cancellationToken: ct).ResponseAsync)).Line;
                if (line.JournalSequence != expectedSequence)
                {
                    // Only a reused --seed gets here: this run's ids would collide with an earlier run's.
                    throw new SetupException(
                        $"{id} already has {line.JournalSequence} journal entries: an earlier run used this --seed; run without --seed or with another");
                }

                ledger[index].SetBaseline(line.DrawnMinor, line.HeldMinor, line.JournalSequence);
            });
    }

    /// <summary>
    /// Draws of 1 fen, a line's worth in flight at a time: the line then remembers that many request
    /// ids and holds that many journal entries, which is what a long-lived line looks like to storage.
    /// </summary>
    private static async Task HistoryAsync(CreditLineService.CreditLineServiceClient lines, KeySpace keys, int index, int history, TimeSpan deadline, CancellationToken ct)
    {
        var id = keys.Id(index);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, history),
            new ParallelOptions { MaxDegreeOfParallelism = HistoryInFlight, CancellationToken = ct },
            async (n, ct2) =>
            {
                var draw = await RetryAsync($"history draw {n} for {id}", () => lines.DrawAsync(
                    new DrawRequest { EnterpriseId = id, RequestId = keys.SetupRequestId(index, $"history-{n}"), AmountMinor = 1 },
                    deadline: DateTime.UtcNow + deadline,
                    cancellationToken: ct2).ResponseAsync);
                if (!draw.Approved)
                {
                    throw new SetupException($"history draw {n} for {id} was declined ({draw.DeclineReason})");
                }
            });
    }

    private static async Task OpenAsync(LineAdminService.LineAdminServiceClient admin, LineAdminService.LineAdminServiceClient approver, KeySpace keys, int index, TimeSpan deadline, CancellationToken ct)
    {
        var id = keys.Id(index);
        var request = new OpenLineRequest
        {
            EnterpriseId = id,
            RequestId = keys.SetupRequestId(index, "open"),
            LimitMinor = LineLimitMinor,
            AnnualRateBps = AnnualRateBps,
            TermDays = TermDays,
            Product = Product.SrdiELoan,
        };
        try
        {
            // A retry after an unknown outcome reuses the request id: the service answers it with
            // the first reply if the first attempt landed.
            var proposed = await Calls.RetryUnknownAsync(() => admin.OpenLineAsync(request, deadline: DateTime.UtcNow + deadline, cancellationToken: ct).ResponseAsync);
            var approval = new ApproveProposalRequest { EnterpriseId = id, RequestId = keys.SetupRequestId(index, "approve"), ProposalId = proposed.Proposal.ProposalId };
            await Calls.RetryUnknownAsync(() => approver.ApproveProposalAsync(approval, deadline: DateTime.UtcNow + deadline, cancellationToken: ct).ResponseAsync);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
        {
            throw new SetupException($"opening {id} was not approved: {ex.Status.Detail} (--approver-token must be another subject than --token, with credit.approve)", ex);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            throw new SetupException($"{id} already has a line: an earlier run used this --seed; run without --seed or with another", ex);
        }
        catch (RpcException ex)
        {
            throw new SetupException($"OpenLine for {id} failed: {Operations.StatusName(ex.StatusCode)} {ex.Status.Detail}", ex);
        }
    }

    internal static async Task<T> RetryAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await Calls.RetryUnknownAsync(call);
        }
        catch (RpcException ex)
        {
            throw new SetupException($"{what} failed: {Operations.StatusName(ex.StatusCode)} {ex.Status.Detail}", ex);
        }
    }
}

/// <summary>Calls outside the measured load (set-up, read-back), where a transient failure is retried, not counted.</summary>
internal static class Calls
{
    private const int Attempts = 4;

    /// <summary>
    /// Retries a call whose outcome is unknown. Safe for reads, and for mutations only because the
    /// caller reuses the same request id, which the service makes idempotent.
    /// </summary>
    public static async Task<T> RetryUnknownAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException ex) when (Operations.OutcomeUnknown(ex.StatusCode) && ex.StatusCode != StatusCode.Cancelled && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }
}
