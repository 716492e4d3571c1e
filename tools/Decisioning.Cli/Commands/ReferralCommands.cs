using System.CommandLine;
using System.Globalization;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>
/// decisioning referrals list: the referral queue (ListReferrals; scope decisioning.review, a token
/// serving every enterprise), oldest first, with each referral's age in working days against the
/// three-day target. Without --status, the open ones.
/// </summary>
internal sealed class ListReferralsCommand : ToolCommand
{
    private readonly Option<ReferralStatus[]> _statuses = new("--status")
    {
        Description = $"Only referrals in this status (repeat for several). One of: {Display.Choices<ReferralStatus>()}. Default: the open ones (pending, claimed, awaiting-second-review).",
        HelpName = "name",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = r => [.. r.Tokens.Select(t => Display.TryParse<ReferralStatus>(t.Value, out var s) ? s : throw new FormatException($"--status: '{t.Value}' is not one of {Display.Choices<ReferralStatus>()}"))],
    };

    private readonly Option<bool> _aboutToBreach = new("--about-to-breach")
    {
        Description = "Only those with at most one working day of the three-day target left, or past it.",
    };

    private readonly Option<Product> _product = new("--product")
    {
        Description = $"Only this product. One of: {Display.Choices<Product>()}.",
        HelpName = "name",
        CustomParser = r => Parse(r, text => Display.TryParse<Product>(text, out var p) ? p : throw new FormatException($"--product: '{text}' is not one of {Display.Choices<Product>()}")),
    };

    private readonly Option<string> _assignee = new("--assignee")
    {
        Description = "Only those claimed by this reviewer (the subject of their token).",
        HelpName = "reviewer",
        DefaultValueFactory = _ => "",
    };

    private readonly Option<int> _minAge = new("--min-age")
    {
        Description = "Only those at least this many working days old.",
        HelpName = "days",
    };

    private readonly Option<int> _pageSize = new("--page-size")
    {
        Description = "Referrals per page (the service allows 1-500; 0 takes its default of 50).",
        HelpName = "n",
    };

    private readonly Option<string> _pageToken = new("--page-token")
    {
        Description = "The next page: the token the previous page printed (with the same filters).",
        HelpName = "token",
        DefaultValueFactory = _ => "",
    };

    protected override Command Define() =>
        new("list", "The referral queue, oldest first: each referral's age in working days against the three-day target.")
        {
            _statuses, _aboutToBreach, _product, _assignee, _minAge, _pageSize, _pageToken,
        };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new ListReferralsRequest
        {
            Statuses = { parse.GetValue(_statuses) ?? [] },
            AboutToBreachOnly = parse.GetValue(_aboutToBreach),
            Product = parse.GetValue(_product),
            Assignee = parse.GetValue(_assignee)!,
            MinAgeWorkingDays = parse.GetValue(_minAge),
            PageSize = parse.GetValue(_pageSize),
            PageToken = parse.GetValue(_pageToken)!,
        };
        var reply = await session.Review.ListReferralsAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            ReferralViews.Referrals(session.Console, reply.Referrals, $"{reply.Referrals.Count} referral(s), oldest first");
            if (reply.NextPageToken.Length > 0)
            {
                session.Console.WriteLine($"More: the same command with --page-token {reply.NextPageToken}");
            }
        });
        return ExitCodes.Success;
    }
}

/// <summary>decisioning referrals show: one referral and the whole decision it waits on (GetReferral), shown as decision shows a decision.</summary>
internal sealed class ShowReferralCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _decision = ReferralCommands.DecisionId();

    protected override Command Define() =>
        new("show", "Show a referral and the whole decision: reasons, indicator scores, counterfactuals, the challenger's shadow decision.") { _enterprise, _decision };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var reply = await session.Review.GetReferralAsync(
            new GetReferralRequest { EnterpriseId = parse.GetValue(_enterprise)!, DecisionId = parse.GetValue(_decision)! },
            session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            ReferralViews.Referral(session.Console, reply.Referral);
            Views.Decision(session.Console, reply.Decision);
            Views.Challenger(session.Console, reply.ChallengerDecision);
        });
        return ExitCodes.Success;
    }
}

/// <summary>decisioning referrals claim: take a referral; from then on only the claimant decides it.</summary>
internal sealed class ClaimReferralCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _decision = ReferralCommands.DecisionId();
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() =>
        new("claim", "Take a referral: from then on only you decide it (another reviewer's decision is refused).") { _enterprise, _decision, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new ClaimReferralRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            DecisionId = parse.GetValue(_decision)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
        };
        var reply = await session.Review.ClaimReferralAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            session.Console.WriteLine($"Referral {request.DecisionId} claimed by {reply.Referral.AssignedTo} (request id {request.RequestId})");
            ReferralViews.Referral(session.Console, reply.Referral);
        });
        return ExitCodes.Success;
    }
}

/// <summary>
/// decisioning referrals decide: approve with a limit and rate the policy allows, or decline, with a
/// reason code and a note. An approval opens or changes the line in the same commit; above the
/// four-eyes limit it waits for a second reviewer, who runs the same command with the same terms.
/// A decline recorded is done (exit code 0): the reviewer's answer, not the service's.
/// </summary>
internal sealed class DecideReferralCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _decision = ReferralCommands.DecisionId();
    private readonly Option<bool> _approve = new("--approve") { Description = "Approve, with --limit and --rate-bps." };
    private readonly Option<bool> _decline = new("--decline") { Description = "Decline." };
    private readonly Option<long?> _limit = new("--limit")
    {
        Description = "With --approve: the limit in CNY (yuan), e.g. 3000000; at most the product's cap, at least the policy's minimum.",
        HelpName = "cny",
        CustomParser = r => Parse<long?>(r, text => Input.Amounts.ParseCny(text)),
    };

    private readonly Option<int?> _rate = new("--rate-bps")
    {
        Description = "With --approve: the annual rate in basis points (345 is 3.45%), at least the rate floor.",
        HelpName = "bps",
    };

    private readonly Option<string> _reasonCode = new("--reason-code") { Description = "Why, as a code (UPPER_SNAKE_CASE), e.g. TAX_FILING_LAG_EXPLAINED.", HelpName = "CODE", Required = true };
    private readonly Option<string> _note = new("--note") { Description = "Why, in words, for the journal.", HelpName = "text", Required = true };
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define()
    {
        var command = new Command("decide", "Approve a referral with a limit and rate the policy allows (--approve --limit --rate-bps), or decline it (--decline); a reason code and a note are required.")
        {
            _enterprise, _decision, _approve, _decline, _limit, _rate, _reasonCode, _note, _requestId,
        };
        command.Validators.Add(result =>
        {
            // Whether the terms were given, not their values: a value that did not parse has its own error.
            var (approve, decline) = (result.GetValue(_approve), result.GetValue(_decline));
            var (limit, rate) = (result.GetResult(_limit) is not null, result.GetResult(_rate) is not null);
            if (approve == decline)
            {
                result.AddError("--approve or --decline: choose one");
            }
            else if (approve && !(limit && rate))
            {
                result.AddError("--approve needs --limit and --rate-bps: the terms approved");
            }
            else if (decline && (limit || rate))
            {
                result.AddError("--decline takes no --limit or --rate-bps");
            }
        });
        return command;
    }

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new DecideReferralRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            DecisionId = parse.GetValue(_decision)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            Verdict = parse.GetValue(_approve) ? ReviewVerdict.Approve : ReviewVerdict.Decline,
            LimitMinor = parse.GetValue(_limit) ?? 0,
            AnnualRateBps = parse.GetValue(_rate) ?? 0,
            ReasonCode = parse.GetValue(_reasonCode)!,
            Note = parse.GetValue(_note)!,
        };
        var reply = await session.Review.DecideReferralAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () =>
        {
            var referral = reply.Referral;
            session.Console.WriteLine($"Referral {referral.DecisionId} {Display.Name(referral.Status)}" + Views.Journaled(reply.Sequence, request.RequestId));
            ReferralViews.Referral(session.Console, referral);
            if (referral.Status == ReferralStatus.AwaitingSecondReview)
            {
                session.Console.WriteLine("Above the four-eyes limit: waiting for a second reviewer (scope decisioning.review), who approves the same terms:");
                session.Console.WriteLine(
                    $"  decisioning referrals decide {referral.EnterpriseId} {referral.DecisionId} --approve --limit {(referral.LimitMinor / 100m).ToString(CultureInfo.InvariantCulture)} " +
                    $"--rate-bps {referral.AnnualRateBps} --reason-code <CODE> --note <why> --token <theirs>");
            }

            if (reply.Line is not null)
            {
                Views.Line(session.Console, reply.Line);
            }
        });
        return ExitCodes.Success;
    }
}

internal static class ReferralCommands
{
    public static Argument<string> DecisionId() => new("decision-id") { Description = "The referred decision, as assess or referrals list printed it (D- and 24 hex digits)." };
}

internal static class ReferralViews
{
    /// <summary>The queue as a table; the age reads "1 of 3" working days, with BREACHED past the due date and "due soon" with at most one working day left.</summary>
    public static void Referrals(IAnsiConsole console, IEnumerable<Referral> referrals, string heading)
    {
        console.WriteLine(heading);
        var table = Views.Table("Enterprise", "Decision", "Product", "Status", "Referred", "Age (working days)", "Due", "Assigned to", "Reviewer");
        foreach (var r in referrals)
        {
            table.AddRow(Views.Cells(
                r.EnterpriseId,
                r.DecisionId,
                Display.Name(r.Product),
                Display.Name(r.Status),
                Display.Time(r.ReferTime),
                Age(r),
                r.DueDate,
                r.AssignedTo,
                r.SecondReviewer.Length > 0 ? $"{r.Reviewer}, {r.SecondReviewer}" : r.Reviewer));
        }

        console.Write(table);
    }

    /// <summary>One referral, every field: who referred, claimed and decided it, the terms, the reason and the note.</summary>
    public static void Referral(IAnsiConsole console, Referral r)
    {
        console.Write(new Panel(Views.Facts(
            ("Enterprise", r.EnterpriseId),
            ("Decision", r.DecisionId),
            ("Product", Display.Name(r.Product)),
            ("Status", Display.Name(r.Status)),
            ("Referred", $"{Display.Time(r.ReferTime)} (asked by {r.ReferredBy})"),
            ("Age", Age(r) + " working days"),
            ("Due", r.DueDate),
            ("Assigned to", r.AssignedTo),
            ("Reviewer", r.Reviewer),
            ("Second reviewer", r.SecondReviewer),
            ("Terms", r.LimitMinor == 0 ? "" : $"{Display.MoneyWithCurrency(r.LimitMinor)} at {Display.Rate(r.AnnualRateBps)}"),
            ("Reason", r.ReasonCode),
            ("Note", r.Note),
            ("Decided", Display.Time(r.DecideTime)))).Header("Referral"));
    }

    private static string Age(Referral r) =>
        $"{r.AgeWorkingDays} of {r.TargetWorkingDays}" + (r.Breached ? " BREACHED" : r.AboutToBreach ? " due soon" : "");
}
