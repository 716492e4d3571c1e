namespace Decisioning.LoadTest.Ledger;

/// <summary>What the tool knows of one operation's fate.</summary>
public enum OperationOutcome : byte
{
    /// <summary>Sent, no reply yet.</summary>
    InFlight,

    /// <summary>Acknowledged and approved: it changed the line, and the journal must hold it once.</summary>
    Applied,

    /// <summary>Acknowledged as declined: nothing changed, and the journal must hold the decline once.</summary>
    Declined,

    /// <summary>Refused with a status by which the server says it changed nothing: the journal must not hold it.</summary>
    Refused,

    /// <summary>Failed without telling whether it was applied (deadline, UNAVAILABLE, ...): the journal decides.</summary>
    Unknown,
}

/// <summary>
/// The tool's own account of one enterprise's line: the balances its acknowledged operations imply,
/// and the outcome of every operation it sent (a byte each, so an hour at full rate fits in memory).
/// </summary>
public sealed class EnterpriseAccount
{
    private readonly Lock _gate = new();
    private OperationOutcome[] _outcomes = new OperationOutcome[16];
    private long _operations;
    private long _drawn;
    private long _held;
    private long _repaymentsInFlight;
    private long _acknowledged;
    private long _unknown;

    public EnterpriseAccount(int index) => Index = index;

    public int Index { get; }

    /// <summary>The line as read back after set-up: the zero point of the check.</summary>
    public long BaseDrawn { get; private set; }

    public long BaseHeld { get; private set; }

    public long BaseSequence { get; private set; }

    public bool IsReady { get; private set; }

    public void SetBaseline(long drawn, long held, long sequence)
    {
        lock (_gate)
        {
            (BaseDrawn, BaseHeld, BaseSequence) = (drawn, held, sequence);
            (_drawn, _held) = (drawn, held);
            IsReady = true;
        }
    }

    /// <summary>Numbers a new operation (from 1) and marks it in flight.</summary>
    public long Begin()
    {
        lock (_gate)
        {
            var n = ++_operations;
            if (n >= _outcomes.Length)
            {
                Array.Resize(ref _outcomes, _outcomes.Length * 2);
            }

            _outcomes[n] = OperationOutcome.InFlight;
            return n;
        }
    }

    /// <summary>
    /// Reserves up to <paramref name="wanted"/> fen of what is known to be drawn and not already being
    /// repaid, so that concurrent repayments never ask for more than is owed. 0 when nothing is.
    /// </summary>
    public long ReserveRepayment(long wanted)
    {
        lock (_gate)
        {
            var amount = Math.Min(wanted, _drawn - _repaymentsInFlight);
            if (amount <= 0)
            {
                return 0;
            }

            _repaymentsInFlight += amount;
            return amount;
        }
    }

    /// <summary>An acknowledged approval, with how it moved the balances by the reply.</summary>
    public void Applied(long n, long drawnDelta, long heldDelta, long releasedRepayment = 0)
    {
        lock (_gate)
        {
            _outcomes[n] = OperationOutcome.Applied;
            _drawn += drawnDelta;
            _held += heldDelta;
            _repaymentsInFlight -= releasedRepayment;
            _acknowledged++;
        }
    }

    public void Declined(long n)
    {
        lock (_gate)
        {
            _outcomes[n] = OperationOutcome.Declined;
            _acknowledged++;
        }
    }

    /// <summary>A definite refusal; a reserved repayment is free again.</summary>
    public void Refused(long n, long releasedRepayment = 0)
    {
        lock (_gate)
        {
            _outcomes[n] = OperationOutcome.Refused;
            _repaymentsInFlight -= releasedRepayment;
        }
    }

    /// <summary>Outcome unknown. A reserved repayment stays reserved: it may have been applied.</summary>
    public void Unknown(long n)
    {
        lock (_gate)
        {
            _outcomes[n] = OperationOutcome.Unknown;
            _unknown++;
        }
    }

    /// <summary>The tool's view, taken when no operation is in flight any more.</summary>
    public AccountView View()
    {
        lock (_gate)
        {
            return new AccountView(Index, _operations, _drawn, _held, _acknowledged, _unknown, BaseDrawn, BaseHeld, BaseSequence, _outcomes);
        }
    }
}

/// <summary>
/// An account as the check reads it once nothing is in flight. <see cref="Outcomes"/>[n] is operation
/// n's, for n from 1 to <see cref="Operations"/> (shared, not copied: it can be large and nothing writes it any more).
/// </summary>
public sealed record AccountView(
    int Index,
    long Operations,
    long ExpectedDrawn,
    long ExpectedHeld,
    long Acknowledged,
    long UnknownCount,
    long BaseDrawn,
    long BaseHeld,
    long BaseSequence,
    OperationOutcome[] Outcomes);

/// <summary>All accounts of a run.</summary>
public sealed class LedgerBook(int enterprises)
{
    private readonly EnterpriseAccount[] _accounts = [.. Enumerable.Range(0, enterprises).Select(i => new EnterpriseAccount(i))];

    public EnterpriseAccount this[int index] => _accounts[index];

    public int Count => _accounts.Length;

    public IEnumerable<EnterpriseAccount> Accounts => _accounts;
}
