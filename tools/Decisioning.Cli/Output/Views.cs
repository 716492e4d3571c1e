using System.Globalization;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Output;

/// <summary>The contract's messages as tables and lines for people (every value through <see cref="Display"/>).</summary>
internal static class Views
{
    public static void Line(IAnsiConsole console, Line line)
    {
        var grid = Facts(
            ("Enterprise", line.EnterpriseId),
            ("Status", Display.Name(line.Status)),
            ("Product", Display.Name(line.Product)),
            ($"Limit ({line.CurrencyCode})", Display.Money(line.LimitMinor)),
            ("Drawn", Display.Money(line.DrawnMinor)),
            ("Held", Display.Money(line.HeldMinor)),
            ("Available", Display.Money(line.AvailableMinor)),
            ("Accrued interest", Display.Money(line.AccruedInterestMinor)),
            ("Annual rate", Display.Rate(line.AnnualRateBps)),
            ("Interest subsidy", Display.Rate(line.SubsidyBps)),
            ("Opened", line.OpenedDate),
            ("Matures", line.MaturityDate),
            ("Renewals", Number(line.RenewalCount)),
            ("Journal sequence", Number(line.JournalSequence)),
            ("Last decision", line.LastDecisionId),
            ("Days past due", Number(line.DaysPastDue)),
            ("Overdue principal", Display.Money(line.OverduePrincipalMinor)),
            ("Penalty interest", Display.Money(line.AccruedPenaltyMinor)),
            ("Classification", Display.Name(line.Classification)),
            ("Classification floor", Display.Name(line.ClassificationFloor)),
            ("Written off", Display.Money(line.WrittenOffPrincipalMinor + line.WrittenOffInterestMinor + line.WrittenOffPenaltyMinor)),
            ("Recovered", Display.Money(line.RecoveredMinor)));
        console.Write(new Panel(grid).Header("Line"));
        if (line.Holds.Count > 0)
        {
            var holds = Table("Hold", "Amount (CNY)", "Expires");
            foreach (var hold in line.Holds)
            {
                holds.AddRow(Cells(hold.HoldId, Display.Money(hold.AmountMinor), Display.Time(hold.ExpireTime)));
            }

            console.Write(holds);
        }
    }

    public static void Journal(IAnsiConsole console, string enterpriseId, ListTransactionsResponse page)
    {
        var table = Table("Seq", "Time", "Type", "Amount (CNY)", "Limit after", "Drawn after", "Held after", "Status after", "Actor", "Request id", "Detail");
        table.Title = new TableTitle("Journal, newest first");
        foreach (var t in page.Transactions)
        {
            table.AddRow(Cells(
                Number(t.Sequence),
                Display.Time(t.CreateTime),
                Display.Name(t.Type),
                t.AmountMinor == 0 ? "" : Display.Money(t.AmountMinor),
                Display.Money(t.LimitAfterMinor),
                Display.Money(t.DrawnAfterMinor),
                Display.Money(t.HeldAfterMinor),
                Display.Name(t.StatusAfter),
                t.Actor,
                t.RequestId,
                Detail(t)));
        }

        console.Write(table);
        if (page.NextPageToken.Length > 0)
        {
            console.WriteLine($"Older entries: decisioning show {enterpriseId} --page-token {page.NextPageToken}");
        }
    }

    /// <summary>What a line's balances are after a draw, repayment or hold.</summary>
    public static void Balances(IAnsiConsole console, long limitMinor, long drawnMinor, long heldMinor, long availableMinor) =>
        console.WriteLine($"Limit {Display.MoneyWithCurrency(limitMinor)}, drawn {Display.Money(drawnMinor)}, held {Display.Money(heldMinor)}, available {Display.Money(availableMinor)}");

    public static void Outcome(IAnsiConsole console, string what, bool approved, DeclineReason reason, long sequence, string? requestId)
    {
        var verdict = approved ? "APPROVED" : "DECLINED " + Display.Name(reason);
        console.WriteLine($"{what} {verdict}" + Journaled(sequence, requestId));
    }

    public static string Journaled(long sequence, string? requestId) =>
        (sequence > 0 ? $" (journal entry {Number(sequence)}" : " (") + (requestId is null ? ")" : $"{(sequence > 0 ? ", " : "")}request id {requestId})");

    public static void Proposals(IAnsiConsole console, IEnumerable<Proposal> proposals)
    {
        var table = Table("Proposal", "Kind", "Status", "Proposed by", "Request id", "Proposed", "Expires", "Limit (CNY)", "Rate", "Term", "Reason", "Decided by", "Decided");
        foreach (var p in proposals)
        {
            table.AddRow(Cells(
                p.ProposalId,
                Display.Name(p.Kind),
                Display.Name(p.Status),
                p.ProposedBy,
                p.RequestId,
                Display.Time(p.CreateTime),
                Display.Time(p.ExpireTime),
                p.LimitMinor == 0 ? "" : Display.Money(p.LimitMinor),
                p.Kind == ProposalKind.OpenLine ? Display.Rate(p.AnnualRateBps) : "",
                p.TermDays == 0 ? "" : $"{p.TermDays} days",
                p.Reason,
                p.DecidedBy,
                Display.Time(p.DecideTime)));
        }

        console.Write(table);
    }

    /// <summary>A proposal just recorded, approved or rejected, with what the other staff member runs next.</summary>
    public static void Proposal(IAnsiConsole console, string enterpriseId, Proposal proposal)
    {
        Proposals(console, [proposal]);
        if (proposal.Status == ProposalStatus.Pending)
        {
            console.WriteLine(
                $"Waiting for a second staff member (scope credit.approve) until {Display.Time(proposal.ExpireTime)}: " +
                $"decisioning approve {enterpriseId} {proposal.ProposalId} --token <theirs>  (or: decisioning reject ... --reason <why>)");
        }
    }

    /// <summary>A change by staff: what was journaled, the proposal it recorded or decided, and the line after it (unchanged while a proposal waits).</summary>
    public static void Change(IAnsiConsole console, string enterpriseId, string what, Line? line, Proposal? proposal, long sequence, string requestId)
    {
        console.WriteLine(what + " recorded" + Journaled(sequence, requestId));
        if (proposal is not null)
        {
            Proposal(console, enterpriseId, proposal);
        }

        if (line is not null && proposal is not { Status: ProposalStatus.Pending })
        {
            Line(console, line);
        }
    }

    public static void Decision(IAnsiConsole console, Decision d)
    {
        console.Write(new Panel(Facts(
            ("Decision", d.DecisionId),
            ("Outcome", Display.Name(d.Outcome)),
            ("Score", $"{d.Score} of {d.MaxScore}"),
            ("Product", $"{Display.Name(d.Product)}" + (d.RequestedProduct != d.Product && d.RequestedProduct != Product.Unspecified ? $" (asked for {Display.Name(d.RequestedProduct)})" : "")),
            ("Limit (CNY)", Display.Money(d.LimitMinor) + (d.LimitBreakdown is { } l
                ? $"  set by {Display.Name(l.Basis)}: product cap {Display.Money(l.ProductCapMinor)}, scorecard {Display.Money(l.ScorecardLimitMinor)}, cash flow {Display.Money(l.CashFlowLimitMinor)}"
                : "")),
            ("Annual rate", Display.Rate(d.AnnualRateBps) + (d.RateBreakdown is { } r
                ? $"  = base {Display.Rate(r.BaseRateBps)} + risk {Display.Rate(r.RiskPremiumBps)} - re-lending {Display.Rate(r.RelendingDiscountBps)}, floor {Display.Rate(r.FloorBps)}{(r.FloorApplied ? " (applied)" : "")}"
                : "")),
            ("Model", d.ModelVersion),
            ("As of", d.AsOfDate))).Header("Decision"));

        var categories = Table("Category", "Score", "Of");
        foreach (var c in d.CategoryScores)
        {
            categories.AddRow(Cells(Display.Name(c.Category), Number(c.Score), Number(c.MaxScore)));
        }

        console.Write(categories);

        var reasons = Table("Reason", "Kind", "Points lost");
        reasons.Title = new TableTitle("Reasons, most important first");
        foreach (var reason in d.Reasons)
        {
            reasons.AddRow(Cells(reason.Code, Display.Name(reason.Kind), reason.ScoreLostCentipoints == 0 ? "" : Display.Centipoints(reason.ScoreLostCentipoints)));
        }

        console.Write(reasons);

        var indicators = Table("Indicator", "Category", "Value", "Points", "Of", "Points lost", "Reason");
        foreach (var i in d.IndicatorScores)
        {
            indicators.AddRow(Cells(
                Display.Name(i.Indicator),
                Display.Name(i.Category),
                Number(i.Value),
                Number(i.Points),
                Number(i.MaxPoints),
                i.ScoreLostCentipoints == 0 ? "" : Display.Centipoints(i.ScoreLostCentipoints),
                i.ReasonCode));
        }

        console.Write(indicators);

        if (d.Counterfactuals.Count > 0)
        {
            var counterfactuals = Table("Change", "From", "To", "Indicator", "Outcome", "Score", "Product", "Limit (CNY)", "Rate");
            counterfactuals.Title = new TableTitle("What would have been enough (one input changed, assessed)");
            foreach (var c in d.Counterfactuals)
            {
                counterfactuals.AddRow(Cells(
                    c.Field,
                    Number(c.CurrentValue),
                    Number(c.TargetValue),
                    $"{Display.Name(c.Indicator)} {Number(c.CurrentIndicatorValue)} → {Number(c.TargetIndicatorValue)}",
                    Display.Name(c.Outcome),
                    Number(c.Score),
                    Display.Name(c.Product),
                    Display.Money(c.LimitMinor),
                    Display.Rate(c.AnnualRateBps)));
            }

            console.Write(counterfactuals);
        }
    }

    /// <summary>The challenger model's shadow decision in one line; nothing when none ran.</summary>
    public static void Challenger(IAnsiConsole console, Decision? challenger)
    {
        if (challenger is not null)
        {
            console.WriteLine(
                $"Challenger {challenger.ModelVersion} (shadow): {Display.Name(challenger.Outcome)}, score {challenger.Score} of {challenger.MaxScore}, " +
                $"limit {Display.MoneyWithCurrency(challenger.LimitMinor)} at {Display.Rate(challenger.AnnualRateBps)}");
        }
    }

    /// <summary>
    /// An event as one line: when, whose, which journal entry, what, the balances after it, who,
    /// the decision it records, and the entry's details as the journal shows them.
    /// </summary>
    public static string Event(LineEvent e)
    {
        var t = e.Transaction ?? new Transaction();
        var parts = new List<string>
        {
            Display.Time(t.CreateTime),
            e.EnterpriseId,
            "#" + Number(t.Sequence),
            Display.Name(t.Type),
            t.AmountMinor == 0 ? "" : Display.MoneyWithCurrency(t.AmountMinor),
            $"limit {Display.Money(t.LimitAfterMinor)} drawn {Display.Money(t.DrawnAfterMinor)} held {Display.Money(t.HeldAfterMinor)}",
            Display.Name(t.StatusAfter),
            t.Actor.Length == 0 ? "" : "by " + t.Actor,
            e.Decision is { } d
                ? $"decision {Display.Name(d.Outcome)} {Display.Name(d.Product)} limit {Display.Money(d.LimitMinor)} at {Display.Rate(d.AnnualRateBps)}, score {d.Score}"
                : "",
            Detail(t),
        };
        return string.Join("  ", parts.Where(p => p.Length > 0));
    }

    private static string Detail(Transaction t)
    {
        var parts = new List<string>();
        Add(Display.Name(t.DeclineReason), "declined");
        Add(t.HoldId, "hold");
        if (t.InterestPaidMinor != 0 || t.PrincipalPaidMinor != 0)
        {
            parts.Add($"interest {Display.Money(t.InterestPaidMinor)}, principal {Display.Money(t.PrincipalPaidMinor)}");
        }

        Add(t.DecisionId, "decision");
        Add(Display.Name(t.DecisionOutcome), "outcome");
        Add(Display.Name(t.SignalType), "signal");
        Add(Display.Name(t.SignalSeverity), "severity");
        Add(Display.Name(t.SignalEffect), "effect");
        Add(t.ProposalId, "proposal");
        Add(t.ApprovedBy, "approved by");
        Add(t.MaturityDateAfter, "matures");
        Add(t.Note, "note");
        return string.Join("; ", parts);

        void Add(string value, string label)
        {
            if (value.Length > 0)
            {
                parts.Add($"{label} {value}");
            }
        }
    }

    /// <summary>GetPortfolio's totals, then every figure by measure, product, month (empty for a stock) and recognition level.</summary>
    public static void Portfolio(IAnsiConsole console, GetPortfolioResponse portfolio)
    {
        if (portfolio.Totals.Count == 0)
        {
            console.WriteLine("No figures yet: the portfolio follows the event stream a few poll intervals behind the commits.");
            return;
        }

        var totals = Table("Measure", "Total");
        foreach (var total in portfolio.Totals.OrderBy(t => t.Measure, StringComparer.Ordinal))
        {
            totals.AddRow(Cells(total.Measure, Figure(total.Measure, total.Value)));
        }

        console.Write(totals);
        var figures = Table("Measure", "Product", "Month", "Recognition level", "Value");
        foreach (var f in portfolio.Figures.OrderBy(f => f.Measure, StringComparer.Ordinal).ThenBy(f => f.Product).ThenBy(f => f.Month, StringComparer.Ordinal).ThenBy(f => Decisioning.Domain.Assessment.SrdiLadder.SortKey((Decisioning.Domain.Assessment.SrdiLevel)f.SrdiLevel)))
        {
            figures.AddRow(Cells(f.Measure, Display.Name(f.Product), f.Month, Display.Name(f.SrdiLevel), Figure(f.Measure, f.Value)));
        }

        console.Write(figures);
    }

    /// <summary>A portfolio figure: an amount in CNY for a measure in minor units (…_minor), else a count.</summary>
    private static string Figure(string measure, long value) =>
        measure.EndsWith("_minor", StringComparison.Ordinal) ? Display.MoneyWithCurrency(value) : Number(value);

    public static Grid Facts(params (string Name, string Value)[] facts)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in facts)
        {
            grid.AddRow(new Text(name), new Text(value));
        }

        return grid;
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column));
        }

        return table;
    }

    // Text, not markup: a reason or note may hold '[' and ']'.
    public static Text[] Cells(params string[] values) => [.. values.Select(v => new Text(v))];

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
