using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

public sealed class OpenLineTests
{
    [Fact]
    public void Opening_a_line_makes_it_active_with_the_terms_asked_for()
    {
        var open = new OpenLineCommand("open-7", 5_000_000, 385, 365, Product.OperatingQuickLoan) { Actor = "credit-ops" };

        var applied = LineState.NotOpened.Approves(open, T0);

        var state = applied.State;
        Assert.Equal(LineStatus.Active, state.Status);
        Assert.Equal(Product.OperatingQuickLoan, state.Product);
        Assert.Equal(5_000_000, state.LimitMinor);
        Assert.Equal(0, state.DrawnMinor);
        Assert.Equal(0, state.HeldMinor);
        Assert.Equal(0, state.AccruedInterestMinor);
        Assert.Equal(0, state.InterestRemainder);
        Assert.Equal(385, state.AnnualRateBps);
        Assert.Equal(Day0, state.OpenedOn);
        Assert.Equal(Day0.AddDays(365), state.MaturesOn);
        Assert.Equal(Day0, state.AccruedThrough);
        Assert.Equal(0, state.RenewalCount);
        Assert.Equal(1, state.Sequence);
        Assert.Empty(state.Holds);

        var result = applied.Result;
        Assert.True(result.Approved);
        Assert.Equal(1, result.Sequence);
        Assert.Equal("", result.HoldId);
        Assert.Null(result.HoldExpiresAt);
        Assert.Equal(LineStatus.Active, result.Line.Status);
        Assert.Equal(Product.OperatingQuickLoan, result.Line.Product);
        Assert.Equal(5_000_000, result.Line.LimitMinor);
        Assert.Equal(5_000_000, result.Line.AvailableMinor);
        Assert.Equal(385, result.Line.AnnualRateBps);
        Assert.Equal(Day0, result.Line.OpenedOn);
        Assert.Equal(Day0.AddDays(365), result.Line.MaturesOn);

        var entry = Assert.Single(applied.Entries);
        Assert.Equal(1, entry.Sequence);
        Assert.Equal(T0, entry.At);
        Assert.Equal(EntryKind.LineOpened, entry.Kind);
        Assert.Equal("open-7", entry.RequestId);
        Assert.Equal("credit-ops", entry.Actor);
        Assert.Equal(5_000_000, entry.AmountMinor);
        Assert.Equal(5_000_000, entry.LimitAfterMinor);
        Assert.Equal(0, entry.DrawnAfterMinor);
        Assert.Equal(0, entry.HeldAfterMinor);
        Assert.Equal(0, entry.AccruedInterestAfterMinor);
        Assert.Equal(LineStatus.Active, entry.StatusAfter);
        Assert.Equal(DeclineReason.None, entry.DeclineReason);
        Assert.Equal("", entry.HoldId);
        Assert.Equal("", entry.Note);
    }

    [Fact]
    public void The_actor_defaults_to_anonymous_until_authentication_names_one()
    {
        var entry = Assert.Single(LineState.NotOpened.Approves(Cmd.Open(), T0).Entries);

        Assert.Equal("anonymous", entry.Actor);
    }

    [Fact]
    public void The_opening_date_is_the_business_date_in_China_standard_time()
    {
        var lastInstantOfDay0 = new DateTimeOffset(2026, 3, 2, 15, 59, 59, TimeSpan.Zero);
        var firstInstantOfDay1 = new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.Zero);

        var late = LineState.NotOpened.Then(Cmd.Open(termDays: 30), lastInstantOfDay0);
        var early = LineState.NotOpened.Then(Cmd.Open(termDays: 30), firstInstantOfDay1);

        Assert.Equal(Day0, late.OpenedOn);
        Assert.Equal(Day0.AddDays(30), late.MaturesOn);
        Assert.Equal(Day0.AddDays(1), early.OpenedOn);
        Assert.Equal(Day0.AddDays(31), early.MaturesOn);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Limits.MaxAmountMinor)]
    public void A_line_may_be_opened_with_any_limit_from_one_fen_to_the_largest_amount(long limitMinor)
    {
        var state = LineState.NotOpened.Then(Cmd.Open(limitMinor));

        Assert.Equal(limitMinor, state.LimitMinor);
        Assert.Equal(limitMinor, state.AvailableMinor);
    }

    [Fact]
    public void An_open_line_cannot_be_opened_again() =>
        Opened().AssertRefused(Cmd.Open(), OnDay(1), ErrorKind.FailedPrecondition, "LINE_ALREADY_OPEN");

    [Fact]
    public void A_frozen_line_cannot_be_opened_again() =>
        Opened().Then(Cmd.Freeze()).AssertRefused(Cmd.Open(), OnDay(1), ErrorKind.FailedPrecondition, "LINE_ALREADY_OPEN");

    [Fact]
    public void A_matured_line_cannot_be_opened_again() =>
        Opened(termDays: 1).AssertRefused(Cmd.Open(), OnDay(5), ErrorKind.FailedPrecondition, "LINE_ALREADY_OPEN");

    [Fact]
    public void A_closed_line_can_be_opened_again_with_new_terms_and_its_journal_continues()
    {
        var closed = Opened()
            .Then(Cmd.Draw(1_000))
            .Then(Cmd.Repay(1_000))
            .Then(Cmd.Close());

        var reopened = closed.Approves(Cmd.Open(2_000_000, 400, 90, Product.OperatingQuickLoan, "reopen"), OnDay(10));

        Assert.Equal(5, reopened.State.Sequence);
        Assert.Equal(LineStatus.Active, reopened.State.Status);
        Assert.Equal(Product.OperatingQuickLoan, reopened.State.Product);
        Assert.Equal(2_000_000, reopened.State.LimitMinor);
        Assert.Equal(400, reopened.State.AnnualRateBps);
        Assert.Equal(Day0.AddDays(10), reopened.State.OpenedOn);
        Assert.Equal(Day0.AddDays(100), reopened.State.MaturesOn);
        Assert.Equal(0, reopened.State.DrawnMinor);
        Assert.Equal(0, reopened.State.AccruedInterestMinor);
        var entry = Assert.Single(reopened.Entries);
        Assert.Equal(EntryKind.LineOpened, entry.Kind);
        Assert.Equal("reopen", entry.RequestId);
    }

    public static TheoryData<string> CommandsOtherThanOpen => ["draw", "repay", "hold", "capture", "release", "freeze", "unfreeze", "adjust", "close"];

    [Theory]
    [MemberData(nameof(CommandsOtherThanOpen))]
    public void Every_command_but_open_on_an_enterprise_without_a_line_is_refused_as_not_found(string name)
    {
        LineCommand command = name switch
        {
            "draw" => Cmd.Draw(1),
            "repay" => Cmd.Repay(1),
            "hold" => Cmd.Hold(1),
            "capture" => Cmd.Capture("H2"),
            "release" => Cmd.Release("H2"),
            "freeze" => Cmd.Freeze(),
            "unfreeze" => Cmd.Unfreeze(),
            "adjust" => Cmd.AdjustLimit(1),
            "close" => Cmd.Close(),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        LineState.NotOpened.AssertRefused(command, T0, ErrorKind.NotFound, "LINE_NOT_FOUND", "enterprise_id");
    }

    [Fact]
    public void A_malformed_command_on_an_enterprise_without_a_line_is_refused_for_its_input_first() =>
        LineState.NotOpened.AssertRefused(Cmd.Draw(0), T0, ErrorKind.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "amount_minor");

    [Fact]
    public void An_enterprise_without_a_line_reads_as_no_status_and_nothing_available()
    {
        var view = LineState.NotOpened.ViewAt(T0);

        Assert.False(LineState.NotOpened.Exists);
        Assert.Equal(LineStatus.None, view.Status);
        Assert.Equal(0, view.AvailableMinor);
        Assert.Equal(0, view.Sequence);
    }
}
