using System.Collections.Frozen;
using System.Globalization;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Events;

/// <summary>What the portfolio remembers of one enterprise: enough to move the totals by its next event.</summary>
/// <param name="Sequence">The newest journal sequence applied: an event at or below it was applied before.</param>
/// <param name="Status">The line's status after that event (<see cref="LineStatus.None"/>: no line).</param>
/// <param name="Level">The recognition level its newest decision stated (<see cref="SrdiLevel.Unspecified"/> when no decision did: a line opened by hand).</param>
public sealed record PortfolioEnterprise(long Sequence, LineStatus Status, Product Product, SrdiLevel Level, long DrawnMinor);

/// <summary>One figure of the portfolio, for one product, month (YYYY-MM; empty for a stock, as of now) and recognition level.</summary>
public readonly record struct PortfolioCell(string Measure, Product Product, string Month, SrdiLevel Level);

/// <summary>
/// The programme's figures as a projection of the event stream: each event gives the changes it
/// makes to the totals, from what is remembered of its enterprise, exactly once (an event whose
/// sequence is not above the remembered one changes nothing). Flows are counted in the month of
/// the event (Asia/Shanghai business calendar); stocks (outstanding principal, lines by status)
/// hold each line's figure as of its newest event, under its product and recognition level.
/// </summary>
public static class PortfolioProjection
{
    /// <summary>Lines opened, and their limits at opening: the credit granted.</summary>
    public const string LinesOpened = "lines_opened";

    public const string CreditGrantedMinor = "credit_granted_minor";

    /// <summary>Enterprises whose first line opened.</summary>
    public const string EnterprisesServed = "enterprises_served";

    /// <summary>Credit decisions (originations and renewals) by outcome: <c>decisions_approve</c>, <c>decisions_decline</c>, <c>decisions_refer</c>.</summary>
    public const string DecisionsPrefix = "decisions_";

    /// <summary>Approvals that rested on fund-flow data.</summary>
    public const string FundFlowApprovals = "fund_flow_approvals";

    /// <summary>Renewals granted, and the principal they carried over (drawn at renewal).</summary>
    public const string RenewalsGranted = "renewals_granted";

    public const string RenewedPrincipalMinor = "renewed_principal_minor";

    /// <summary>Stock: principal drawn and not repaid.</summary>
    public const string OutstandingPrincipalMinor = "outstanding_principal_minor";

    /// <summary>Stock: lines by status, <c>lines_active</c>, <c>lines_frozen</c>, <c>lines_matured</c>, <c>lines_closed</c>, <c>lines_overdue</c>, <c>lines_writtenoff</c>.</summary>
    public const string LinesPrefix = "lines_";

    /// <summary>Stock: lines (any status) of enterprises recognised at municipal level or above, by product and level; derived from the lines_* stocks when read, not stored.</summary>
    public const string SrdiLines = "srdi_lines";

    // The measures' names, made once: an event names one or two of them.
    private static readonly FrozenDictionary<Outcome, string> DecisionMeasures =
        Enum.GetValues<Outcome>().ToFrozenDictionary(o => o, o => DecisionsPrefix + o.ToString().ToLowerInvariant());

    private static readonly FrozenDictionary<LineStatus, string> LineMeasures =
        Enum.GetValues<LineStatus>().ToFrozenDictionary(s => s, s => LinesPrefix + s.ToString().ToLowerInvariant());

    public static string Decisions(Outcome outcome) => DecisionMeasures[outcome];

    public static string Lines(LineStatus status) => LineMeasures[status];

    /// <summary>The figures as stored, with <see cref="SrdiLines"/> added: the lines by status of the levels municipal and above, summed per product and level.</summary>
    public static Dictionary<PortfolioCell, long> WithSrdiLines(IReadOnlyDictionary<PortfolioCell, long> figures)
    {
        var all = new Dictionary<PortfolioCell, long>(figures);
        var srdi = figures.Where(f => f.Key.Month.Length == 0 && SrdiLadder.AtLeast(f.Key.Level, SrdiLevel.Municipal) && f.Key.Measure.StartsWith(LinesPrefix, StringComparison.Ordinal));
        foreach (var (cell, lines) in srdi)
        {
            var key = cell with { Measure = SrdiLines };
            all[key] = checked(all.GetValueOrDefault(key) + lines);
        }

        return all;
    }

    /// <summary>The changes <paramref name="e"/> makes, and what to remember of its enterprise after it; null when it was applied before.</summary>
    public static (PortfolioEnterprise After, List<(PortfolioCell Cell, long Delta)> Changes)? Apply(PortfolioEnterprise? before, LineEvent e)
    {
        var entry = e.Entry;
        if (before is not null && entry.Sequence <= before.Sequence)
        {
            return null;
        }

        // Flows (decisions, openings, renewals) are counted in their month; other entries move stocks only.
        var month = e.Decision is not null || entry.Kind is EntryKind.LineOpened or EntryKind.LineRenewed
            ? BusinessCalendar.DateOf(entry.At).ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : "";
        var level = e.Decision?.SrdiLevel ?? before?.Level ?? SrdiLevel.Unspecified;
        var product = e.Product != Product.None ? e.Product : before?.Product ?? Product.None;
        var had = before is { Status: not LineStatus.None };
        var has = entry.StatusAfter != LineStatus.None;
        var after = new PortfolioEnterprise(entry.Sequence, entry.StatusAfter, product, level, has ? entry.DrawnAfterMinor : 0);
        var changes = new List<(PortfolioCell, long)>(4);

        if (e.Decision is { } decision)
        {
            changes.Add((new(Decisions(decision.Outcome), decision.Product, month, decision.SrdiLevel), 1));
            if (decision.Outcome == Outcome.Approve && decision.FundFlowBased)
            {
                changes.Add((new(FundFlowApprovals, decision.Product, month, decision.SrdiLevel), 1));
            }
        }

        switch (entry.Kind)
        {
            case EntryKind.LineOpened:
                changes.Add((new(LinesOpened, product, month, level), 1));
                changes.Add((new(CreditGrantedMinor, product, month, level), entry.LimitAfterMinor));
                if (before is null || before.Product == Product.None)
                {
                    changes.Add((new(EnterprisesServed, product, month, level), 1));
                }

                break;
            case EntryKind.LineRenewed:
                changes.Add((new(RenewalsGranted, product, month, level), 1));
                changes.Add((new(RenewedPrincipalMinor, product, month, level), entry.DrawnAfterMinor));
                break;
        }

        // Stocks: a line whose status, product and level stay moves its principal only; otherwise
        // it leaves its old cells and enters its new ones.
        if (had && has && (before!.Status, before.Product, before.Level) == (after.Status, after.Product, after.Level))
        {
            if (after.DrawnMinor != before.DrawnMinor)
            {
                changes.Add((new(OutstandingPrincipalMinor, after.Product, "", after.Level), checked(after.DrawnMinor - before.DrawnMinor)));
            }
        }
        else
        {
            if (had)
            {
                changes.Add((new(Lines(before!.Status), before.Product, "", before.Level), -1));
                changes.Add((new(OutstandingPrincipalMinor, before.Product, "", before.Level), -before.DrawnMinor));
            }

            if (has)
            {
                changes.Add((new(Lines(after.Status), after.Product, "", after.Level), 1));
                changes.Add((new(OutstandingPrincipalMinor, after.Product, "", after.Level), after.DrawnMinor));
            }
        }

        return (after, changes);
    }
}
