using System.Reflection;
using System.Text.RegularExpressions;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Tests.Lines;

namespace Decisioning.Domain.Tests;

/// <summary>
/// The catalogue of error reasons (<see cref="ErrorReasons"/>): well formed, complete, and what
/// README.md tells callers. The end-to-end bad-request table triggers each reason over the wire.
/// </summary>
public sealed partial class ErrorReasonsTests
{
    /// <summary>
    /// Reasons no request can cause: the service builds these commands from its decisions, its
    /// subsidy programmes and its model, and the refusal stands guard against a bug or a bad model.
    /// </summary>
    private static readonly Dictionary<string, (ErrorReason Reason, Func<DomainError?> Validate)> ServiceBuilt = new (ErrorReason Reason, Func<DomainError?> Validate)[]
    {
        (ErrorReasons.OutcomeRequired, () => (Decision() with { Outcome = (Outcome)9 }).Validate()),
        (ErrorReasons.SubsidyOutOfRange, () => (Decision() with { SubsidyBps = -1 }).Validate()),
        (ErrorReasons.SubsidyOutOfRange, () => new OpenLineCommand("open-1", 1_000_000, 300, 365, Product.SrdiELoan) { Actor = TestLine.Caller, SubsidyBps = 301 }.Validate()),
        (ErrorReasons.AmountOutOfRange, () => (Decision() with { AverageMonthlyInflowMinor = -1 }).Validate()),
        (ErrorReasons.TermOutOfRange, () => (Decision() with { TermMonths = 0 }).Validate()),
        (ErrorReasons.WindowOutOfRange, () => new RenewLineCommand("renew-1", "D-1", "fp") { Actor = TestLine.Caller, Eligible = true, WindowDays = -1, TermMonths = 12 }.Validate()),
        (ErrorReasons.EffectRequired, () => (Signal() with { Effect = (RiskEffect)9 }).Validate()),
        (ErrorReasons.ShareOutOfRange, () => (Signal() with { LowerByBps = 10_001 }).Validate()),
    }.Select((c, i) => (Name: $"{c.Reason.Code} ({i})", c)).ToDictionary(c => c.Name, c => c.c);

    public static TheoryData<string> ServiceBuiltNames => [.. ServiceBuilt.Keys];

    [Fact]
    public void Every_reason_has_a_code_of_its_own_in_UPPER_SNAKE_CASE_a_kind_and_a_one_line_meaning()
    {
        Assert.Equal(ErrorReasons.All.Count, ErrorReasons.All.Select(r => r.Code).Distinct().Count());
        Assert.All(ErrorReasons.All, r =>
        {
            // google.rpc.ErrorInfo: [A-Z][A-Z0-9_]+[A-Z0-9], at most 63 characters.
            Assert.Matches("^[A-Z][A-Z0-9_]{0,61}[A-Z0-9]$", r.Code);
            Assert.True(Enum.IsDefined(r.Kind), $"{r.Code}: kind {(int)r.Kind}");
            Assert.False(string.IsNullOrWhiteSpace(r.Meaning), r.Code);
            Assert.DoesNotContain('\n', r.Meaning);
            Assert.DoesNotContain('|', r.Meaning);
        });
    }

    [Fact]
    public void Every_reason_field_of_the_catalogue_is_in_All_and_named_after_its_code()
    {
        var fields = typeof(ErrorReasons).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorReason))
            .ToDictionary(f => (ErrorReason)f.GetValue(null)!, f => f.Name);

        Assert.Equal(fields.Keys.OrderBy(r => r.Code), ErrorReasons.All.OrderBy(r => r.Code));
        Assert.All(fields, f => Assert.Equal(f.Key.Code, UpperSnake(f.Value)));
    }

    [Fact]
    public void The_README_table_of_error_reasons_is_the_catalogue()
    {
        var expected = ErrorReasons.All.Select(r => $"| `{r.Code}` | `{UpperSnake(r.Kind.ToString())}` | {r.Meaning} |").ToList();

        var actual = ReadmeTable("| reason | status | meaning |");

        Assert.True(
            expected.SequenceEqual(actual),
            "README.md's table of reasons differs from ErrorReasons; the table as it should read:\n" + string.Join('\n', expected));
    }

    [Fact]
    public void The_README_table_of_declines_names_every_decline_reason()
    {
        var expected = Enum.GetValues<DeclineReason>().Where(r => r != DeclineReason.None).Select(r => "DECLINE_REASON_" + UpperSnake(r.ToString()));

        var actual = ReadmeTable("| decline_reason | when |").Select(row => row.Split('`')[1]);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(ServiceBuiltNames))]
    public void A_command_the_service_builds_refuses_a_value_no_request_can_carry(string name)
    {
        var (reason, validate) = ServiceBuilt[name];

        var error = validate();

        Assert.Equal((reason.Kind, reason.Code), (error?.Kind, error?.Reason));
    }

    private static RecordDecisionCommand Decision() =>
        new("assess-1", "D-1", "fp") { Actor = TestLine.Caller, Outcome = Outcome.Approve, Product = Product.SrdiELoan, LimitMinor = 500_000_000, AnnualRateBps = 345, TermMonths = 12 };

    private static ApplyRiskSignalCommand Signal() =>
        new("signal-1", RiskSignalType.Litigation, RiskSeverity.Moderate, "") { Actor = TestLine.Caller, Effect = RiskEffect.LowerLimit, LowerByBps = 3_000, ReasonCode = "MODERATE_LITIGATION_REPORTED" };

    /// <summary>The rows of the README table under <paramref name="header"/>.</summary>
    private static List<string> ReadmeTable(string header)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var at = Array.IndexOf(lines, header);
        Assert.True(at >= 0, $"README.md has no table headed {header}");
        return [.. lines.Skip(at + 2).TakeWhile(l => l.StartsWith('|'))];
    }

    private static string UpperSnake(string pascal) => WordStart().Replace(pascal, "_$1").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();
}
