using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>
/// Instants, lines and the assertions every line test shares. Time moves only by passing later
/// instants: nothing here reads a clock.
/// </summary>
internal static class TestLine
{
    /// <summary>The caller of the tests' commands, as the journal records it.</summary>
    public const string Caller = "anonymous";

    /// <summary>10:00 in Beijing: far from both ends of the business day, so hours can be added freely.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    /// <summary>The business date of <see cref="T0"/>.</summary>
    public static readonly DateOnly Day0 = new(2026, 3, 2);

    public const long Limit = 1_000_000;
    public const int Rate = 365;
    public const int Term = 365;

    /// <summary>10:00 in Beijing, <paramref name="days"/> business days after <see cref="T0"/>.</summary>
    public static DateTimeOffset OnDay(int days) => T0.AddDays(days);

    public static LineState Opened(long limitMinor = Limit, int rateBps = Rate, int termDays = Term, DateTimeOffset? at = null) =>
        LineState.NotOpened.Approves(Cmd.Open(limitMinor, rateBps, termDays), at ?? T0).State;

    /// <summary>
    /// Applies a command that must be applied, checking what every applied command owes: one or
    /// more journal entries whose sequences follow the state's own by one, ending at the new state's.
    /// Without <paramref name="fourEyes"/>, changes by hand apply at once, as if approved: these are
    /// the tests of the change rules, which approval runs unchanged (the four-eyes rule has its own
    /// tests, FourEyesTests).
    /// </summary>
    public static Applied Applies(this LineState state, LineCommand command, DateTimeOffset now, FourEyesPolicy? fourEyes = null)
    {
        var outcome = state.Apply(command, now, fourEyes ?? FourEyesPolicy.None);
        var applied = Assert.IsType<Applied>(outcome);
        Assert.NotEmpty(applied.Entries);
        for (var i = 0; i < applied.Entries.Count; i++)
        {
            Assert.Equal(state.Sequence + 1 + i, applied.Entries[i].Sequence);
        }

        Assert.Equal(applied.Entries[^1].Sequence, applied.State.Sequence);
        Assert.Equal(applied.State.Sequence, applied.Result.Sequence);
        Assert.Equal(applied.State.Sequence, applied.Result.Line.Sequence);
        return applied;
    }

    public static Applied Approves(this LineState state, LineCommand command, DateTimeOffset now, FourEyesPolicy? fourEyes = null)
    {
        var applied = state.Applies(command, now, fourEyes);
        Assert.True(applied.Result.Approved, $"{command} was declined: {applied.Result.DeclineReason}");
        Assert.Equal(DeclineReason.None, applied.Result.DeclineReason);
        Assert.Equal(DeclineReason.None, applied.Entries[^1].DeclineReason);
        return applied;
    }

    /// <summary>Applies a command that must be approved and returns the new state.</summary>
    public static LineState Then(this LineState state, LineCommand command, DateTimeOffset? now = null) =>
        state.Approves(command, now ?? T0).State;

    /// <summary>
    /// A business decline: applied (it stands in the journal) but not approved, journaled as
    /// <paramref name="kind"/> with the reason, and the balances exactly as they were.
    /// </summary>
    public static Applied Declines(this LineState state, LineCommand command, DateTimeOffset now, DeclineReason reason, EntryKind kind)
    {
        var before = state.ViewAt(now);
        var applied = state.Applies(command, now);

        Assert.False(applied.Result.Approved);
        Assert.Equal(reason, applied.Result.DeclineReason);
        var entry = applied.Entries[^1];
        Assert.Equal(kind, entry.Kind);
        Assert.Equal(reason, entry.DeclineReason);
        Assert.Equal(command.RequestId, entry.RequestId);
        Assert.Equal(command.Actor, entry.Actor);
        Assert.Equal(now, entry.At);

        AssertSameBalances(before, applied.Result.Line);
        AssertSameBalances(before, applied.State.ViewAt(now));
        Assert.Equal(before.LimitMinor, entry.LimitAfterMinor);
        Assert.Equal(before.DrawnMinor, entry.DrawnAfterMinor);
        Assert.Equal(before.HeldMinor, entry.HeldAfterMinor);
        Assert.Equal(before.AccruedInterestMinor, entry.AccruedInterestAfterMinor);
        return applied;
    }

    /// <summary>A refusal: rejected with nothing applied, and the state it was applied to still as it was.</summary>
    public static DomainError Refuses(this LineState state, LineCommand command, DateTimeOffset now, FourEyesPolicy? fourEyes = null)
    {
        var snapshot = state with { };
        var rejected = Assert.IsType<Rejected>(state.Apply(command, now, fourEyes ?? FourEyesPolicy.None));
        Assert.Equal(snapshot, state);
        return rejected.Error;
    }

    public static void AssertRefused(this LineState state, LineCommand command, DateTimeOffset now, ErrorKind kind, string reason, string? field = null, FourEyesPolicy? fourEyes = null)
    {
        var error = state.Refuses(command, now, fourEyes);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    public static void AssertSameBalances(LineView expected, LineView actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.LimitMinor, actual.LimitMinor);
        Assert.Equal(expected.DrawnMinor, actual.DrawnMinor);
        Assert.Equal(expected.HeldMinor, actual.HeldMinor);
        Assert.Equal(expected.AvailableMinor, actual.AvailableMinor);
        Assert.Equal(expected.AccruedInterestMinor, actual.AccruedInterestMinor);
        Assert.Equal(expected.Holds.AsEnumerable(), actual.Holds.AsEnumerable());
    }
}

/// <summary>Commands with the parameters a test does not care about filled in.</summary>
internal static class Cmd
{
    public static OpenLineCommand Open(
        long limitMinor = TestLine.Limit,
        int rateBps = TestLine.Rate,
        int termDays = TestLine.Term,
        Product product = Product.SrdiELoan,
        string id = "open") => new(id, limitMinor, rateBps, termDays, product) { Actor = TestLine.Caller };

    public static DrawCommand Draw(long amountMinor, string id = "draw") => new(id, amountMinor) { Actor = TestLine.Caller };

    public static RepayCommand Repay(long amountMinor, string id = "repay") => new(id, amountMinor) { Actor = TestLine.Caller };

    public static PlaceHoldCommand Hold(long amountMinor, int ttlSeconds = 0, string id = "hold") => new(id, amountMinor, ttlSeconds) { Actor = TestLine.Caller };

    public static CaptureHoldCommand Capture(string holdId, long amountMinor = 0, string id = "capture") => new(id, holdId, amountMinor) { Actor = TestLine.Caller };

    public static ReleaseHoldCommand Release(string holdId, string id = "release") => new(id, holdId) { Actor = TestLine.Caller };

    public static FreezeLineCommand Freeze(string note = "", string id = "freeze") => new(id, note) { Actor = TestLine.Caller };

    public static UnfreezeLineCommand Unfreeze(string note = "", string id = "unfreeze") => new(id, note) { Actor = TestLine.Caller };

    public static AdjustLimitCommand AdjustLimit(long limitMinor, string note = "", string id = "adjust") => new(id, limitMinor, note) { Actor = TestLine.Caller };

    public static CloseLineCommand Close(string note = "", string id = "close") => new(id, note) { Actor = TestLine.Caller };
}
