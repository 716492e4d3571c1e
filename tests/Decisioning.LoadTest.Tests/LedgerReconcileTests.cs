using Decisioning.Contracts.V1;
using Decisioning.LoadTest.Keys;
using Decisioning.LoadTest.Ledger;

namespace Decisioning.LoadTest.Tests;

/// <summary>The ledger check's matching of operations to journal entries, on made-up journals.</summary>
public sealed class LedgerReconcileTests
{
    private const long BaseDrawn = 1_000, BaseSequence = 2;

    private readonly KeySpace _keys = new(2024, 1);

    [Fact]
    public void A_clean_line_needs_no_journal()
    {
        var account = Account();
        account.Applied(account.Begin(), drawnDelta: 50, heldDelta: 0);
        account.Declined(account.Begin());

        Assert.NotNull(LedgerChecker.QuickCheck(account.View(), BaseDrawn + 50, 0, BaseSequence + 2));
        Assert.Null(LedgerChecker.QuickCheck(account.View(), BaseDrawn + 50, 0, BaseSequence + 3));
        Assert.Null(LedgerChecker.QuickCheck(account.View(), BaseDrawn + 51, 0, BaseSequence + 2));
    }

    [Fact]
    public void Unknown_outcomes_are_resolved_from_the_journal_with_their_exact_effect()
    {
        var account = Account();
        var acknowledged = account.Begin();
        account.Applied(acknowledged, drawnDelta: 50, heldDelta: 0);
        var appliedUnknown = account.Begin();
        account.Unknown(appliedUnknown);
        var lostInTransit = account.Begin();
        account.Unknown(lostInTransit);

        var journal = Journal((acknowledged, TransactionType.Draw, 50, 0), (appliedUnknown, TransactionType.Draw, 70, 0));
        var check = LedgerChecker.Reconcile(_keys, account.View(), _keys.Id(0), BaseDrawn + 120, 0, BaseSequence + 2, journal);

        Assert.Equal((2L, 1L, 1L), (check.Unknown, check.ResolvedApplied, check.ResolvedNotApplied));
        Assert.Equal((0L, 0L, 0L, false), (check.Lost, check.DoubleApplied, check.Unexpected, check.BalanceMismatch));
        Assert.Empty(check.Problems);
    }

    [Fact]
    public void An_acknowledged_draw_missing_from_the_journal_is_lost()
    {
        var account = Account();
        var kept = account.Begin();
        account.Applied(kept, drawnDelta: 50, heldDelta: 0);
        var lost = account.Begin();
        account.Applied(lost, drawnDelta: 30, heldDelta: 0);

        var check = LedgerChecker.Reconcile(_keys, account.View(), _keys.Id(0), BaseDrawn + 50, 0, BaseSequence + 1, Journal((kept, TransactionType.Draw, 50, 0)));

        Assert.Equal(1, check.Lost);
        Assert.True(check.BalanceMismatch);
        Assert.Contains(check.Problems, p => p.Contains(_keys.RequestId(0, lost), StringComparison.Ordinal));
    }

    [Fact]
    public void A_request_applied_twice_is_double_applied()
    {
        var account = Account();
        var n = account.Begin();
        account.Applied(n, drawnDelta: 50, heldDelta: 0);

        var check = LedgerChecker.Reconcile(
            _keys, account.View(), _keys.Id(0), BaseDrawn + 100, 0, BaseSequence + 2, Journal((n, TransactionType.Draw, 50, 0), (n, TransactionType.Draw, 50, 0)));

        Assert.Equal(1, check.DoubleApplied);
        Assert.True(check.BalanceMismatch);
    }

    [Fact]
    public void A_declined_answer_that_was_applied_and_an_entry_of_someone_else_are_unexpected()
    {
        var account = Account();
        var n = account.Begin();
        account.Declined(n);

        var journal = Journal((n, TransactionType.Draw, 50, 0));
        journal.Add(new Transaction { Sequence = BaseSequence + 2, Type = TransactionType.Draw, RequestId = "someone-else", DrawnAfterMinor = BaseDrawn + 60 });
        var check = LedgerChecker.Reconcile(_keys, account.View(), _keys.Id(0), BaseDrawn + 60, 0, BaseSequence + 2, journal);

        Assert.Equal(2, check.Unexpected);
    }

    [Fact]
    public void Holds_resolve_through_their_held_amount()
    {
        var account = Account();
        var place = account.Begin();
        account.Applied(place, drawnDelta: 0, heldDelta: 80);
        var capture = account.Begin();
        account.Unknown(capture);

        // Captured 30 of 80: drawn +30, held -80.
        var journal = Journal((place, TransactionType.HoldPlaced, 0, 80), (capture, TransactionType.HoldCaptured, 30, -80));
        var check = LedgerChecker.Reconcile(_keys, account.View(), _keys.Id(0), BaseDrawn + 30, 0, BaseSequence + 2, journal);

        Assert.Equal((1L, false), (check.ResolvedApplied, check.BalanceMismatch));
    }

    [Fact]
    public void A_journal_with_a_gap_cannot_be_verified()
    {
        var account = Account();
        var n = account.Begin();
        account.Applied(n, drawnDelta: 50, heldDelta: 0);

        var check = LedgerChecker.Reconcile(_keys, account.View(), _keys.Id(0), BaseDrawn + 50, 0, BaseSequence + 2, Journal((n, TransactionType.Draw, 50, 0)));

        Assert.True(check.Unverified);
    }

    private static EnterpriseAccount Account()
    {
        var account = new EnterpriseAccount(0);
        account.SetBaseline(BaseDrawn, 0, BaseSequence);
        return account;
    }

    /// <summary>Entries after the baseline, each moving drawn and held by the given deltas.</summary>
    private List<Transaction> Journal(params (long Operation, TransactionType Type, long DrawnDelta, long HeldDelta)[] entries)
    {
        var (drawn, held, sequence) = (BaseDrawn, 0L, BaseSequence);
        var journal = new List<Transaction>();
        foreach (var (operation, type, drawnDelta, heldDelta) in entries)
        {
            (drawn, held) = (drawn + drawnDelta, held + heldDelta);
            journal.Add(new Transaction { Sequence = ++sequence, Type = type, RequestId = _keys.RequestId(0, operation), DrawnAfterMinor = drawn, HeldAfterMinor = held });
        }

        return journal;
    }
}
