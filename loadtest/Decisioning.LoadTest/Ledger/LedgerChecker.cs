using Decisioning.Contracts.V1;
using Decisioning.LoadTest.Hosting;
using Decisioning.LoadTest.Keys;
using Grpc.Core;

namespace Decisioning.LoadTest.Ledger;

/// <summary>The verdict of the ledger check, as the result file and the report show it.</summary>
public sealed record LedgerReport
{
    public bool Checked { get; init; }

    /// <summary>Why the check did not run (a scenario that changes nothing, or --ledger-check false).</summary>
    public string? SkippedReason { get; init; }

    public int Lines { get; init; }

    /// <summary>Lines whose journal had to be read: unknown outcomes to resolve, or a mismatch to explain.</summary>
    public int JournalsRead { get; init; }

    public long JournalEntriesRead { get; init; }

    public long AcknowledgedOperations { get; init; }

    public long UnknownOperations { get; init; }

    public long ResolvedApplied { get; init; }

    public long ResolvedNotApplied { get; init; }

    /// <summary>Acknowledged operations the line does not hold (or holds as the opposite of what was answered).</summary>
    public long Lost { get; init; }

    /// <summary>Extra journal entries for a request id that the service should have applied once.</summary>
    public long DoubleApplied { get; init; }

    /// <summary>Journal entries the tool cannot explain: refused or declined requests that were applied, or ids it never sent.</summary>
    public long Unexpected { get; init; }

    /// <summary>Lines whose drawn or held amount differs from what the acknowledged (and resolved) operations imply.</summary>
    public int BalanceMismatches { get; init; }

    /// <summary>Lines that could not be read back.</summary>
    public int Unverified { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    public bool Ok => !Checked || (Lost == 0 && DoubleApplied == 0 && Unexpected == 0 && BalanceMismatches == 0 && Unverified == 0);

    public static LedgerReport Skipped(string reason) => new() { Checked = false, SkippedReason = reason };
}

/// <summary>What the check found on one line.</summary>
public sealed record LineCheck(
    int Index,
    long Acknowledged,
    long Unknown,
    long ResolvedApplied,
    long ResolvedNotApplied,
    long Lost,
    long DoubleApplied,
    long Unexpected,
    bool BalanceMismatch,
    bool Unverified,
    bool JournalRead,
    long JournalEntries,
    IReadOnlyList<string> Problems);

/// <summary>
/// Reads every line back after the run and holds it against what the tool was told. The cheap
/// path is one GetLine: when the line's drawn, held and journal length are exactly what the
/// acknowledged replies imply and no outcome is unknown, every acknowledged operation is there once.
/// Otherwise the journal since set-up is read (paged, newest first) and each operation is matched
/// to its entries by request id: unknown outcomes are resolved, and lost and double-applied
/// operations are named.
/// </summary>
internal static class LedgerChecker
{
    private const int Parallelism = 16;
    private const int PageSize = 500;
    private const int MaxProblems = 50;

    public static async Task<LedgerReport> CheckAsync(
        Connections connections, KeySpace keys, LedgerBook ledger, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var checks = new LineCheck[ledger.Count];
        await Parallel.ForEachAsync(
            ledger.Accounts,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (account, ct) =>
            {
                var client = connections.Lines[account.Index % connections.Count];
                checks[account.Index] = await CheckLineAsync(client, keys, account.View(), deadline, ct);
            });
        return Summarise(checks);
    }

    public static LedgerReport Summarise(IReadOnlyList<LineCheck> checks) => new()
    {
        Checked = true,
        Lines = checks.Count,
        JournalsRead = checks.Count(c => c.JournalRead),
        JournalEntriesRead = checks.Sum(c => c.JournalEntries),
        AcknowledgedOperations = checks.Sum(c => c.Acknowledged),
        UnknownOperations = checks.Sum(c => c.Unknown),
        ResolvedApplied = checks.Sum(c => c.ResolvedApplied),
        ResolvedNotApplied = checks.Sum(c => c.ResolvedNotApplied),
        Lost = checks.Sum(c => c.Lost),
        DoubleApplied = checks.Sum(c => c.DoubleApplied),
        Unexpected = checks.Sum(c => c.Unexpected),
        BalanceMismatches = checks.Count(c => c.BalanceMismatch),
        Unverified = checks.Count(c => c.Unverified),
        Problems = [.. checks.SelectMany(c => c.Problems).Take(MaxProblems)],
    };

    private static async Task<LineCheck> CheckLineAsync(
        CreditLineService.CreditLineServiceClient client, KeySpace keys, AccountView view, TimeSpan deadline, CancellationToken ct)
    {
        var id = keys.Id(view.Index);
        try
        {
            var line = (await Calls.RetryUnknownAsync(() =>
                client.GetLineAsync(new GetLineRequest { EnterpriseId = id }, deadline: DateTime.UtcNow + deadline, cancellationToken: ct).ResponseAsync)).Line;
            var quick = QuickCheck(view, line.DrawnMinor, line.HeldMinor, line.JournalSequence);
            if (quick is not null)
            {
                return quick;
            }

            var journal = await ReadJournalAsync(client, id, view.BaseSequence, line.JournalSequence, deadline, ct);
            return Reconcile(keys, view, id, line.DrawnMinor, line.HeldMinor, line.JournalSequence, journal);
        }
        catch (RpcException ex)
        {
            return Unverifiable(view, $"{id}: could not be read back ({ex.StatusCode}: {ex.Status.Detail})");
        }
    }

    /// <summary>A clean line needs no journal: null when it does.</summary>
    public static LineCheck? QuickCheck(AccountView view, long drawn, long held, long journalSequence) =>
        view.UnknownCount == 0 && journalSequence - view.BaseSequence == view.Acknowledged && drawn == view.ExpectedDrawn && held == view.ExpectedHeld
            ? new LineCheck(view.Index, view.Acknowledged, 0, 0, 0, 0, 0, 0, false, false, false, 0, [])
            : null;

    /// <summary>
    /// Matches every operation of the account with the journal entries after set-up (oldest first,
    /// up to the sequence the line was read at). Each entry's effect is its after-balances minus the
    /// previous entry's, which resolves an unknown operation to exactly what it did.
    /// </summary>
    public static LineCheck Reconcile(KeySpace keys, AccountView view, string id, long drawn, long held, long journalSequence, IReadOnlyList<Transaction> journal)
    {
        var problems = new List<string>();
        if (journal.Count != journalSequence - view.BaseSequence
            || journal.Select((entry, i) => entry.Sequence != view.BaseSequence + 1 + i).Any(gap => gap))
        {
            return Unverifiable(view, $"{id}: the journal after set-up should hold entries {view.BaseSequence + 1}..{journalSequence}, it returned {journal.Count}");
        }

        var byOperation = new Dictionary<long, EntryTally>();
        long unexpected = 0;
        long previousDrawn = view.BaseDrawn, previousHeld = view.BaseHeld;
        foreach (var entry in journal)
        {
            var (drawnDelta, heldDelta) = (entry.DrawnAfterMinor - previousDrawn, entry.HeldAfterMinor - previousHeld);
            (previousDrawn, previousHeld) = (entry.DrawnAfterMinor, entry.HeldAfterMinor);
            var kind = Classify(entry.Type);
            if (kind == EntryKind.Other || !keys.TryParseOperation(entry.RequestId, view.Index, out var n) || n > view.Operations)
            {
                unexpected++;
                Note(problems, $"{id}: journal entry {entry.Sequence} ({entry.Type}, request id '{entry.RequestId}') is no operation of this run");
                continue;
            }

            var tally = byOperation.GetValueOrDefault(n);
            byOperation[n] = kind == EntryKind.Applied
                ? tally with { Applied = tally.Applied + 1, DrawnDelta = tally.DrawnDelta + drawnDelta, HeldDelta = tally.HeldDelta + heldDelta }
                : tally with { Declined = tally.Declined + 1 };
        }

        long lost = 0, doubleApplied = 0, resolvedApplied = 0, resolvedNotApplied = 0, unknown = 0;
        long expectedDrawn = view.ExpectedDrawn, expectedHeld = view.ExpectedHeld;
        for (var n = 1L; n <= view.Operations; n++)
        {
            var tally = byOperation.GetValueOrDefault(n);
            var entries = tally.Applied + tally.Declined;
            if (entries > 1)
            {
                doubleApplied += entries - 1;
                Note(problems, $"{id}: {keys.RequestId(view.Index, n)} has {entries} journal entries");
            }

            switch (view.Outcomes[n])
            {
                case OperationOutcome.Applied when tally.Applied == 0:
                    lost++;
                    Note(problems, $"{id}: {keys.RequestId(view.Index, n)} was acknowledged as applied and the journal {(tally.Declined > 0 ? "records it as declined" : "does not hold it")}");
                    break;
                case OperationOutcome.Declined when tally.Applied > 0:
                    unexpected++;
                    Note(problems, $"{id}: {keys.RequestId(view.Index, n)} was answered as declined and the journal records it as applied");
                    break;
                case OperationOutcome.Declined when tally.Declined == 0:
                    lost++;
                    Note(problems, $"{id}: {keys.RequestId(view.Index, n)} was answered as declined and the journal does not hold the decline");
                    break;
                case OperationOutcome.Refused when entries > 0:
                    unexpected++;
                    Note(problems, $"{id}: {keys.RequestId(view.Index, n)} was refused with an error and the journal holds it");
                    break;
                case OperationOutcome.Unknown or OperationOutcome.InFlight:
                    unknown++;
                    if (tally.Applied > 0)
                    {
                        resolvedApplied++;
                        expectedDrawn += tally.DrawnDelta;
                        expectedHeld += tally.HeldDelta;
                    }
                    else
                    {
                        resolvedNotApplied++;
                    }

                    break;
            }
        }

        var mismatch = drawn != expectedDrawn || held != expectedHeld;
        if (mismatch)
        {
            Note(problems, $"{id}: the line has drawn {drawn}, held {held}; the acknowledged and resolved operations make drawn {expectedDrawn}, held {expectedHeld}");
        }

        return new LineCheck(view.Index, view.Acknowledged, unknown, resolvedApplied, resolvedNotApplied, lost, doubleApplied, unexpected, mismatch, false, true, journal.Count, problems);
    }

    /// <summary>The entries after <paramref name="baseSequence"/> up to <paramref name="upTo"/>, oldest first.</summary>
    private static async Task<List<Transaction>> ReadJournalAsync(
        CreditLineService.CreditLineServiceClient client, string id, long baseSequence, long upTo, TimeSpan deadline, CancellationToken ct)
    {
        var entries = new List<Transaction>();
        var token = "";
        while (true)
        {
            var request = new ListTransactionsRequest { EnterpriseId = id, PageSize = PageSize, PageToken = token };
            var page = await Calls.RetryUnknownAsync(() => client.ListTransactionsAsync(request, deadline: DateTime.UtcNow + deadline, cancellationToken: ct).ResponseAsync);
            var reachedBase = false;
            foreach (var entry in page.Transactions)
            {
                if (entry.Sequence <= baseSequence)
                {
                    reachedBase = true;
                    break;
                }

                if (entry.Sequence <= upTo)
                {
                    entries.Add(entry);
                }
            }

            if (reachedBase || string.IsNullOrEmpty(page.NextPageToken))
            {
                break;
            }

            token = page.NextPageToken;
        }

        entries.Reverse();
        return entries;
    }

    private static LineCheck Unverifiable(AccountView view, string problem) =>
        new(view.Index, view.Acknowledged, view.UnknownCount, 0, 0, 0, 0, 0, false, true, false, 0, [problem]);

    private static void Note(List<string> problems, string problem)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(problem);
        }
    }

    private static EntryKind Classify(TransactionType type) => type switch
    {
        TransactionType.Draw or TransactionType.Repayment or TransactionType.HoldPlaced or TransactionType.HoldCaptured or TransactionType.HoldReleased => EntryKind.Applied,
        TransactionType.DrawDeclined or TransactionType.HoldDeclined or TransactionType.HoldCaptureDeclined => EntryKind.Declined,
        _ => EntryKind.Other,
    };

    private enum EntryKind
    {
        Applied,
        Declined,
        Other,
    }

    private readonly record struct EntryTally(int Applied, int Declined, long DrawnDelta, long HeldDelta);
}
