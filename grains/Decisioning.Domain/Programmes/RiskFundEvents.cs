using Decisioning.Domain.Assessment;
using Decisioning.Domain.Events;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Programmes;

/// <summary>What the risk-fund projection remembers of an enterprise: enough to describe its next write-off or recovery.</summary>
/// <param name="Sequence">The newest journal sequence applied: an event at or below it was applied before.</param>
/// <param name="Level">The recognition level its newest decision stated (<see cref="SrdiLevel.Unspecified"/>: none did).</param>
/// <param name="FirstLoan">Its line was opened as its first bank credit (首贷).</param>
/// <param name="Renewed">Its line was renewed (续贷) since it opened.</param>
/// <param name="WriteOffSequence">The sequence of its newest write-off (0: none), which later recoveries recover.</param>
public sealed record RiskFundEnterprise(long Sequence, Product Product, SrdiLevel Level, bool FirstLoan, bool Renewed, long WriteOffSequence)
{
    public static readonly RiskFundEnterprise New = new(0, Product.None, SrdiLevel.Unspecified, false, false, 0);
}

/// <summary>
/// The one mapping from the event stream to the risk funds: a journal entry as the stream carries
/// it (<see cref="LineEvent"/>, the very fields decisioning.v1.LineEvent maps one to one) to the
/// fund's input, with what is remembered of its enterprise.
/// </summary>
public static class RiskFundEvents
{
    /// <summary>A staff write-off (four eyes): the principal and interest it wrote off.</summary>
    public const EntryKind WriteOffKind = EntryKind.LineWrittenOff;

    /// <summary>A repayment after a write-off: <see cref="JournalEntry.AmountMinor"/> recovered.</summary>
    public const EntryKind RecoveryKind = EntryKind.Recovery;

    /// <summary>Principal and interest (penalty interest included) the write-off entry wrote off.</summary>
    public static (long PrincipalMinor, long InterestMinor) WriteOffOf(JournalEntry entry) =>
        (entry.WrittenOffPrincipalMinor, checked(entry.WrittenOffInterestMinor + entry.WrittenOffPenaltyMinor));

    /// <summary>Whether the decision that opened the line flagged a first loan (首贷).</summary>
    public static bool FirstLoanOf(LineEvent e) => e.Decision?.FirstLoan ?? false;

    // ---- The mapping itself. ----

    /// <summary>What <paramref name="e"/> gives the funds (null: nothing) and what to remember after it; null when it was applied before.</summary>
    public static (RiskFundEnterprise After, RiskFundEvent? Input)? Read(RiskFundEnterprise? before, LineEvent e)
    {
        var entry = e.Entry;
        if (before is not null && entry.Sequence <= before.Sequence)
        {
            return null;
        }

        var b = before ?? RiskFundEnterprise.New;
        var after = b with
        {
            Sequence = entry.Sequence,
            Product = e.Product != Product.None ? e.Product : b.Product,
            Level = e.Decision?.SrdiLevel ?? b.Level,
        };
        switch (entry.Kind)
        {
            case EntryKind.LineOpened:
                return (after with { FirstLoan = FirstLoanOf(e), Renewed = false }, null);
            case EntryKind.LineRenewed:
                return (after with { Renewed = true }, null);
            case WriteOffKind:
                var (principal, interest) = WriteOffOf(entry);
                return (after with { WriteOffSequence = entry.Sequence }, new LoanWrittenOff(e.EnterpriseId, entry.Sequence, entry.At, after.Product, principal, interest, after.FirstLoan, after.Renewed, after.Level));
            case RecoveryKind when b.WriteOffSequence > 0:
                return (after, new LoanRecovered(e.EnterpriseId, entry.Sequence, entry.At, b.WriteOffSequence, entry.AmountMinor));
            default:
                return (after, null);
        }
    }
}
