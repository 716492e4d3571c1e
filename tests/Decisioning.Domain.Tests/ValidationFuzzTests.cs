using System.Collections.Immutable;
using CsCheck;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Tests.Assessment;
using Decisioning.Domain.Tests.Lines;

namespace Decisioning.Domain.Tests;

/// <summary>
/// The pure validation, fuzzed in process: for arbitrary field values (any UTF-16 text, empty and
/// huge strings, int64 extremes, undefined enum numbers) a command's <c>Validate()</c>, the
/// <see cref="LineRules"/> and <see cref="ApplicationRules.Validate"/> answer with errors and never
/// throw, and a command that validates never makes a line throw anything but
/// <see cref="InvariantViolationException"/>, whatever state the line is in. Every error they give
/// is one of <see cref="ErrorReasons"/>, of its kind.
/// </summary>
public sealed class ValidationFuzzTests
{
    private static readonly Gen<long> Int64 = Gen.OneOf(
        Gen.Long,
        Gen.OneOf(long.MinValue, -1L, 0L, 1L, Limits.MaxAmountMinor, Limits.MaxAmountMinor + 1, long.MaxValue),
        Gen.Long[1, 2_000_000]);

    private static readonly Gen<int> Int32 = Gen.OneOf(
        Gen.Int,
        Gen.OneOf(int.MinValue, -1, 0, 1, 60, 365, Limits.MaxHoldTtlSeconds, Limits.MaxHoldTtlSeconds + 1, int.MaxValue),
        Gen.Int[0, 20_000]);

    private static readonly Gen<string> Text = Gen.Frequency(
        (2, Gen.Const("")),
        (3, Gen.String),
        (3, Gen.Char.Array[0, 80].Select(c => new string(c))),
        (1, Gen.Select(Gen.Int[200, 20_000], Gen.Char, (n, c) => new string(c, n))),
        (4, Gen.Int[0, 40].Select(n => "req-" + n)),
        (3, Gen.Int[0, 5].Select(n => "H" + n)));

    private static readonly Gen<Product> Products = Gen.OneOf(Gen.Int[-1, 4], Int32).Select(n => (Product)n);

    private static readonly Gen<LineCommand> Commands = Gen.OneOf<LineCommand>(
        Gen.Select(Text, Int64, Int32, Int32, Products, Int32, (r, limit, rate, term, product, subsidy) => new OpenLineCommand(r, limit, rate, term, product) { Actor = TestLine.Caller, SubsidyBps = subsidy }),
        Gen.Select(Text, Int64, (r, amount) => new DrawCommand(r, amount) { Actor = TestLine.Caller }),
        Gen.Select(Text, Int64, (r, amount) => new RepayCommand(r, amount) { Actor = TestLine.Caller }),
        Gen.Select(Text, Int64, Int32, (r, amount, ttl) => new PlaceHoldCommand(r, amount, ttl) { Actor = TestLine.Caller }),
        Gen.Select(Text, Text, Int64, (r, hold, amount) => new CaptureHoldCommand(r, hold, amount) { Actor = TestLine.Caller }),
        Gen.Select(Text, Text, (r, hold) => new ReleaseHoldCommand(r, hold) { Actor = TestLine.Caller }),
        Gen.Select(Text, Text, (r, note) => new FreezeLineCommand(r, note) { Actor = TestLine.Caller }),
        Gen.Select(Text, Text, (r, note) => new UnfreezeLineCommand(r, note) { Actor = TestLine.Caller }),
        Gen.Select(Text, Int64, Text, (r, limit, note) => new AdjustLimitCommand(r, limit, note) { Actor = TestLine.Caller }),
        Gen.Select(Text, Text, (r, note) => new CloseLineCommand(r, note) { Actor = TestLine.Caller }));

    /// <summary>Lines in every status: none, active with a draw and hold H2 open, frozen, closed.</summary>
    private static readonly LineState[] States = BuildStates();

    [Fact]
    public void Command_validation_never_throws() =>
        Commands.Sample(command => Catalogued(command.Validate()), iter: 20_000);

    [Fact]
    public void Line_rules_never_throw() =>
        Gen.Select(Text, Int64, Int32).Sample((text, amount, number) =>
        {
            Catalogued(LineRules.RequestId(text));
            Catalogued(LineRules.HoldId(text));
            Catalogued(LineRules.Note(text));
            Catalogued(LineRules.Amount(amount));
            Catalogued(LineRules.CaptureAmount(amount));
            Catalogued(LineRules.Limit(amount));
            Catalogued(LineRules.OpeningLimit(amount));
            Catalogued(LineRules.AnnualRate(number));
            Catalogued(LineRules.TermDays(number));
            Catalogued(LineRules.TermMonths(number));
            Catalogued(LineRules.HoldTtl(number));
            Catalogued(LineRules.ProductCode((Product)number));
        }, iter: 20_000);

    [Fact]
    public void A_command_that_validates_never_makes_a_line_throw_but_for_an_invariant() =>
        Gen.Select(Commands, Gen.Int[0, States.Length - 1], Gen.Long[0, TimeSpan.TicksPerDay * 800]).Sample((command, state, ticks) =>
        {
            if (command.Validate() is not null)
            {
                return;
            }

            try
            {
                Catalogued((States[state].Apply(command, TestLine.T0.AddTicks(ticks)) as Rejected)?.Error);
            }
            catch (InvariantViolationException)
            {
                // Deliberate: the line refuses to move into a state that breaks its rules.
            }
        }, iter: 20_000);

    [Fact]
    public void Application_validation_never_throws() =>
        Applications.Sample(application => Assert.All(ApplicationRules.Validate(application, Fixtures.AsOf, Fixtures.Xiamen), Catalogued), iter: 5_000);

    private static readonly Gen<DateOnly> Dates = Gen.OneOf(
        Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber].Select(DateOnly.FromDayNumber),
        Gen.Int[-400, 400].Select(d => Fixtures.AsOf.AddDays(d)),
        Gen.OneOf(DateOnly.MinValue, DateOnly.MaxValue));

    private static readonly Gen<FundFlowStatement?> FundFlows = Gen.Select(
        Dates,
        Int64,
        Int64,
        Gen.Select(Text, Int64, (name, inflow) => new CounterpartyInflow { Name = name, InflowMinor = inflow }).Array[0, 4],
        (month, inflow, outflow, payers) => new MonthlyFundFlow { Month = month, InflowMinor = inflow, OutflowMinor = outflow, Counterparties = [.. payers] })
        .Array[0, 14]
        .Select(months => new FundFlowStatement { Months = [.. months] })
        .Null(0.1);

    private static readonly Gen<CreditApplication> Applications = Gen.Select(
        Gen.Select(Text, Gen.OneOf(Gen.Int[-1, 4], Int32).Select(n => (Product)n), Dates, Int32, Int32, Text, (id, product, founded, srdi, employees, industry) => (id, product, founded, srdi, employees, industry)),
        Gen.Select(Int64, Int64, Int64, Int64, Int64, Int64, (a, b, c, d, e, f) => new Financials
        {
            RevenueThisYearMinor = a,
            RevenueLastYearMinor = b,
            NetProfitMinor = c,
            TotalAssetsMinor = d,
            TotalLiabilitiesMinor = e,
            DeclaredAnnualRevenueMinor = f,
        }),
        Gen.Select(Int32, Int32, Int64, Int32, Int32, (a, b, c, d, e) => new InnovationProfile { InventionPatents = a, OtherPatents = b, RdSpendMinor = c, RdStaff = d, TotalStaff = e }),
        Gen.Select(Gen.Bool, Int32, Int32, Int64, Int32, (a, b, c, d, e) => new CreditBureauReport { CurrentlyOverdue = a, MaxOverdueDaysLast24Months = b, MaxOverdueDaysLast12Months = c, ExistingBankDebtMinor = d, LendingBanks = e }).Null(0.2),
        Gen.Select(Int64, Int64, (a, b) => new TaxRecord { TaxPaidLast12MonthsMinor = a, TaxedRevenueLast12MonthsMinor = b }).Null(0.2),
        FundFlows,
        (head, financials, innovation, financing, tax, fundFlow) => Fixtures.Perfect() with
        {
            EnterpriseId = head.id,
            Product = head.product,
            Profile = new EnterpriseProfile { FoundedOn = head.founded, SrdiLevel = (SrdiLevel)head.srdi, Employees = head.employees, IndustryCode = head.industry, StrategicEmergingIndustry = true },
            Financials = financials,
            Innovation = innovation,
            Financing = financing,
            Tax = tax,
            FundFlow = fundFlow,
        });

    private static void Catalogued(DomainError? error)
    {
        if (error is not null)
        {
            Assert.Contains(ErrorReasons.All, r => (r.Code, r.Kind) == (error.Reason, error.Kind));
        }
    }

    private static LineState[] BuildStates()
    {
        var active = TestLine.Opened().Then(Cmd.Draw(100_000)).Then(Cmd.Hold(50_000, 3_600));
        return
        [
            LineState.NotOpened,
            active,
            active.Then(Cmd.Freeze()),
            TestLine.Opened().Then(new CloseLineCommand("close", "") { Actor = TestLine.Caller }),
        ];
    }
}
