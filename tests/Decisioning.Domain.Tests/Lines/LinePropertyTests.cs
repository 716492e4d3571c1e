using CsCheck;
using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>
/// Random sequences of commands at increasing instants, checked after every step against the
/// rules that must hold whatever happens: drawn + held ≤ limit at every approved draw and hold,
/// no negative balance, a dense and chronological journal, drawn equal to what the journal says was
/// drawn less what was repaid, and interest equal to a running total kept apart from the line's.
/// </summary>
public sealed class LinePropertyTests
{
    private const long Divisor = 10_000L * 360;
    private const long PenaltyDivisor = 10_000L * 10_000 * 360;

    public enum Op
    {
        Draw,
        Repay,
        RepayOwed,
        Hold,
        CaptureAll,
        CapturePart,
        Release,
        Freeze,
        Unfreeze,
        AdjustLimit,
        Close,
        Open,
    }

    public sealed record Terms(long LimitMinor, int RateBps, int TermDays, long StartTicks);

    public sealed record Step(Op Op, long AmountMinor, int TtlSeconds, int Pick, long AdvanceTicks);

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (8, Gen.Const(Op.Draw)),
        (3, Gen.Const(Op.Repay)),
        (4, Gen.Const(Op.RepayOwed)),
        (6, Gen.Const(Op.Hold)),
        (3, Gen.Const(Op.CaptureAll)),
        (3, Gen.Const(Op.CapturePart)),
        (3, Gen.Const(Op.Release)),
        (1, Gen.Const(Op.Freeze)),
        (1, Gen.Const(Op.Unfreeze)),
        (2, Gen.Const(Op.AdjustLimit)),
        (1, Gen.Const(Op.Close)),
        (1, Gen.Const(Op.Open)));

    // Mostly amounts that fit the line, some that overflow it, a few that are malformed.
    private static readonly Gen<long> GenAmount = Gen.Frequency(
        (6, Gen.Long[1, 50_000]),
        (4, Gen.Long[1, 2_500_000]),
        (1, Gen.OneOf(0L, -1L, long.MinValue, Limits.MaxAmountMinor, Limits.MaxAmountMinor + 1, long.MaxValue)));

    // The same instant, seconds apart, around a hold's lifetime, or days apart: in ticks, so that
    // instants fall inside milliseconds too.
    private static readonly Gen<long> GenAdvance = Gen.Frequency(
        (1, Gen.Const(0L)),
        (4, Gen.Long[0, TimeSpan.TicksPerSecond * 10]),
        (4, Gen.Long[0, TimeSpan.TicksPerHour]),
        (2, Gen.Long[0, TimeSpan.TicksPerDay * 3]));

    private static readonly Gen<Step> GenStep = Gen.Select(
        GenOp,
        GenAmount,
        Gen.OneOf(0, 1, 60, 600, 900, 3_600, -1),
        Gen.Int[0, 40],
        GenAdvance,
        (op, amount, ttl, pick, advance) => new Step(op, amount, ttl, pick, advance));

    // A busy payment day: many small holds close together, captured and released, so that lines
    // reach the limit on open holds.
    private static readonly Gen<Step> GenBusyStep = Gen.Select(
        Gen.Frequency(
            (10, Gen.Const(Op.Hold)),
            (2, Gen.Const(Op.Draw)),
            (2, Gen.Const(Op.CaptureAll)),
            (2, Gen.Const(Op.CapturePart)),
            (2, Gen.Const(Op.Release)),
            (1, Gen.Const(Op.RepayOwed))),
        Gen.Long[1, 5_000],
        Gen.OneOf(0, 60, 3_600),
        Gen.Int[0, 40],
        Gen.Long[0, TimeSpan.TicksPerSecond * 5],
        (op, amount, ttl, pick, advance) => new Step(op, amount, ttl, pick, advance));

    private static readonly Gen<Step[]> GenSteps = Gen.Frequency(
        (3, GenStep.Array[1, 80]),
        (1, GenBusyStep.Array[40, 120]));

    private static readonly Gen<Terms> GenTerms = Gen.Select(
        Gen.Long[1, 2_000_000],
        Gen.Int[0, Limits.MaxAnnualRateBps],
        Gen.Int[1, 60],
        Gen.Long[0, TimeSpan.TicksPerDay - 1],
        (limit, rate, term, start) => new Terms(limit, rate, term, start));

    [Fact]
    public void Random_command_sequences_keep_every_invariant_of_the_line() =>
        Gen.Select(GenTerms, GenSteps).Sample((terms, steps) => Run(terms, steps), iter: 1_000);

    private static void Run(Terms terms, Step[] steps)
    {
        // Anywhere in the day after 10:00 in Beijing, so that business days turn at any step.
        var now = T0.AddTicks(terms.StartTicks);
        var open = new OpenLineCommand("open", terms.LimitMinor, terms.RateBps, terms.TermDays, Product.SrdiELoan) { Actor = TestLine.Caller };
        var state = LineState.NotOpened.Approves(open, now).State;
        var model = new Model(BusinessCalendar.DateOf(now), now);

        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            now = now.AddTicks(step.AdvanceTicks);
            model.PassTime(state, now);
            var command = ToCommand(step, state, open, now, $"step-{i}");
            var check = command is DrawCommand draw ? state.CheckLimit(draw.AmountMinor, now) : null;
            var before = state.ViewAt(now);

            switch (state.Apply(command, now, FourEyesPolicy.None))
            {
                case Rejected:
                    // A refusal carries no state: the line stays as it was, and must still pass every check below.
                    break;
                case Applied applied:
                    model.Record(state, command, applied, now);
                    if (check is not null)
                    {
                        Assert.Equal(check.Approved, applied.Result.Approved);
                        Assert.Equal(check.DeclineReason, applied.Result.DeclineReason);
                    }

                    if (!applied.Result.Approved)
                    {
                        AssertSameBalances(before, applied.State.ViewAt(now));
                    }

                    state = applied.State;
                    break;
            }

            model.Check(state, now);
        }
    }

    private static LineCommand ToCommand(Step step, LineState state, OpenLineCommand open, DateTimeOffset now, string id)
    {
        // Mostly a hold the line has (perhaps just expired), sometimes one it never had.
        var holdId = state.Holds.Length > 0 && step.Pick < 36 ? state.Holds[step.Pick % state.Holds.Length].Id : $"H{step.Pick + 1_000}";
        var view = state.ViewAt(now);
        var owed = view.DrawnMinor + view.AccruedInterestMinor + view.AccruedPenaltyMinor;
        return step.Op switch
        {
            Op.Draw => new DrawCommand(id, step.AmountMinor) { Actor = TestLine.Caller },
            Op.Repay => new RepayCommand(id, step.AmountMinor) { Actor = TestLine.Caller },
            Op.RepayOwed => new RepayCommand(id, owed > 0 ? Math.Clamp(step.AmountMinor, 1, owed) : step.AmountMinor) { Actor = TestLine.Caller },
            Op.Hold => new PlaceHoldCommand(id, step.AmountMinor, step.TtlSeconds) { Actor = TestLine.Caller },
            Op.CaptureAll => new CaptureHoldCommand(id, holdId, 0) { Actor = TestLine.Caller },
            Op.CapturePart => new CaptureHoldCommand(id, holdId, step.AmountMinor) { Actor = TestLine.Caller },
            Op.Release => new ReleaseHoldCommand(id, holdId) { Actor = TestLine.Caller },
            Op.Freeze => new FreezeLineCommand(id, "") { Actor = TestLine.Caller },
            Op.Unfreeze => new UnfreezeLineCommand(id, "") { Actor = TestLine.Caller },
            Op.AdjustLimit => new AdjustLimitCommand(id, step.AmountMinor, "") { Actor = TestLine.Caller },
            Op.Close => new CloseLineCommand(id, "") { Actor = TestLine.Caller },
            Op.Open => open with { RequestId = id },
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
    }

    /// <summary>What the line must agree with, kept from the journal and the calendar alone.</summary>
    private sealed class Model(DateOnly today, DateTimeOffset openedAt)
    {
        private DateOnly _day = today;
        private DateTimeOffset _lastEntryAt = openedAt;
        private long _drawnByJournal;
        private Int128 _interestNumerator;
        private long _interestPaid;
        private Int128 _penaltyNumerator;
        private long _penaltyPaid;

        /// <summary>
        /// Interest for every whole business day gone by before the maturity date, on the principal
        /// drawn through it; penalty interest, at the rate plus half, for every day from it on.
        /// </summary>
        public void PassTime(LineState state, DateTimeOffset now)
        {
            var day = BusinessCalendar.DateOf(now);
            if (day > _day)
            {
                var days = day.DayNumber - _day.DayNumber;
                var normal = Math.Clamp(state.MaturesOn.DayNumber - _day.DayNumber, 0, days);
                _interestNumerator += (Int128)state.DrawnMinor * state.AnnualRateBps * normal;
                _penaltyNumerator += (Int128)state.DrawnMinor * state.AnnualRateBps * 15_000 * (days - normal);
                _day = day;
            }
        }

        public void Record(LineState before, LineCommand command, Applied applied, DateTimeOffset now)
        {
            var sequence = before.Sequence;
            foreach (var entry in applied.Entries)
            {
                Assert.Equal(++sequence, entry.Sequence);
                Assert.True(entry.At >= _lastEntryAt, $"entry {entry.Sequence} at {entry.At:O} is older than the entry before it at {_lastEntryAt:O}");
                Assert.True(entry.At <= now);
                _lastEntryAt = entry.At;
                Assert.True(entry.LimitAfterMinor >= 0);
                Assert.True(entry.DrawnAfterMinor >= 0);
                Assert.True(entry.HeldAfterMinor >= 0);
                Assert.True(entry.AccruedInterestAfterMinor >= 0);

                switch (entry.Kind)
                {
                    case EntryKind.Draw:
                    case EntryKind.HoldPlaced:
                        Assert.True(entry.DrawnAfterMinor + entry.HeldAfterMinor <= entry.LimitAfterMinor);
                        _drawnByJournal += entry.Kind == EntryKind.Draw ? entry.AmountMinor : 0;
                        break;
                    case EntryKind.HoldCaptured:
                        _drawnByJournal += entry.AmountMinor;
                        break;
                    case EntryKind.Repayment:
                        Assert.Equal(entry.AmountMinor, entry.PenaltyPaidMinor + entry.InterestPaidMinor + entry.PrincipalPaidMinor);
                        _drawnByJournal -= entry.PrincipalPaidMinor;
                        _interestPaid += entry.InterestPaidMinor;
                        _penaltyPaid += entry.PenaltyPaidMinor;
                        break;
                    case EntryKind.HoldExpired:
                        Assert.Equal("system", entry.Actor);
                        break;
                    case EntryKind.LineClosed:
                        // Interest below one fen is forgiven at close: the running total starts again.
                        _interestNumerator = 0;
                        _interestPaid = 0;
                        _penaltyNumerator = 0;
                        _penaltyPaid = 0;
                        break;
                }

                if (entry.Kind != EntryKind.HoldExpired)
                {
                    Assert.Equal(command.RequestId, entry.RequestId);
                }
            }

            if (applied.Result.Approved && command is DrawCommand or PlaceHoldCommand)
            {
                Assert.True(applied.State.DrawnMinor + applied.State.HeldMinor <= applied.State.LimitMinor);
            }

            if (applied.Result.Approved && command is PlaceHoldCommand)
            {
                Assert.Equal($"H{applied.State.Sequence}", applied.Result.HoldId);
                Assert.Equal(0, applied.Result.HoldExpiresAt!.Value.UtcTicks % TimeSpan.TicksPerMillisecond);
            }

            if (applied.Result.Approved && command is CaptureHoldCommand capture)
            {
                Assert.True(applied.Result.CapturedMinor > 0);
                Assert.True(applied.Result.ReleasedMinor >= 0);
                Assert.True(capture.AmountMinor == 0 || capture.AmountMinor == applied.Result.CapturedMinor);
            }

            AssertSameBalances(applied.State.ViewAt(now), applied.Result.Line);
        }

        public void Check(LineState state, DateTimeOffset now)
        {
            Assert.True(state.LimitMinor >= 0);
            Assert.True(state.DrawnMinor >= 0);
            Assert.True(state.HeldMinor >= 0);
            Assert.True(state.AvailableMinor >= 0);
            Assert.True(state.AccruedInterestMinor >= 0);
            Assert.InRange(state.InterestRemainder, 0, Divisor - 1);
            Assert.Equal(_drawnByJournal, state.DrawnMinor);
            Assert.All(state.Holds, h => Assert.True(h.AmountMinor > 0));
            Assert.Equal(state.Holds.Length, state.Holds.Select(h => h.Id).Distinct().Count());
            Assert.InRange(state.Holds.Length, 0, Limits.MaxOpenHolds);

            var view = state.ViewAt(now);
            Assert.All(view.Holds, h => Assert.True(h.ExpiresAt > now));
            Assert.Equal(view.Holds.Sum(h => h.AmountMinor), view.HeldMinor);
            Assert.Equal(Math.Max(0, view.LimitMinor - view.DrawnMinor - view.HeldMinor), view.AvailableMinor);
            Assert.Equal((long)(_interestNumerator / Divisor), view.AccruedInterestMinor + _interestPaid);
            Assert.Equal((long)(_penaltyNumerator / PenaltyDivisor), view.AccruedPenaltyMinor + _penaltyPaid);
            Assert.Equal(view.DaysPastDue > 0 && state.Status == LineStatus.Active, view.Status == LineStatus.Overdue);
            Assert.Equal(view.DaysPastDue > 0 ? view.DrawnMinor : 0, view.OverduePrincipalMinor);
        }
    }

    [Fact]
    public void Interest_persisted_on_any_days_adds_up_to_interest_over_the_whole_stretch() =>
        Gen.Select(Gen.Long[1, Limits.MaxAmountMinor], Gen.Int[0, Limits.MaxAnnualRateBps], Gen.Int[1, 400].Array[1, 20])
            .Sample((drawn, bps, gaps) =>
            {
                var start = Opened(drawn, bps, Limits.MaxTermDays).Then(Cmd.Draw(drawn));
                var state = start;
                var day = 0;
                foreach (var gap in gaps)
                {
                    day += gap;
                    state = state.Then(Cmd.AdjustLimit(drawn), OnDay(day));
                }

                // Interest to the maturity date, penalty interest (the rate plus half) from it on.
                var normal = Math.Min(day, Limits.MaxTermDays);
                var numerator = (Int128)drawn * bps * normal;
                var penalty = (Int128)drawn * bps * 15_000 * (day - normal);
                Assert.Equal((long)(numerator / Divisor), state.AccruedInterestMinor);
                Assert.Equal((long)(numerator % Divisor), state.InterestRemainder);
                Assert.Equal((long)(penalty / PenaltyDivisor), state.AccruedPenaltyMinor);
                Assert.Equal((long)(penalty % PenaltyDivisor), state.PenaltyRemainder);
                Assert.Equal(state.AccruedInterestMinor, start.ViewAt(OnDay(day)).AccruedInterestMinor);
                Assert.Equal(state.AccruedPenaltyMinor, start.ViewAt(OnDay(day)).AccruedPenaltyMinor);
            });

    [Fact]
    public void An_amount_is_accepted_exactly_when_it_is_from_one_fen_to_the_largest_amount() =>
        Gen.Long.Sample(amount => Assert.Equal(amount is >= 1 and <= Limits.MaxAmountMinor, LineRules.Amount(amount) is null), iter: 10_000);

    [Fact]
    public void Draw_and_hold_fingerprints_are_equal_exactly_when_their_parameters_are() =>
        Gen.Select(Gen.Long[1, 1_000], Gen.Long[1, 1_000], Gen.Int[1, 1_000], Gen.Int[1, 1_000])
            .Sample((a, b, ttlA, ttlB) =>
            {
                Assert.Equal(a == b, new DrawCommand("x", a) { Actor = TestLine.Caller }.Fingerprint == new DrawCommand("y", b) { Actor = TestLine.Caller }.Fingerprint);
                Assert.Equal(a == b, new RepayCommand("x", a) { Actor = TestLine.Caller }.Fingerprint == new RepayCommand("y", b) { Actor = TestLine.Caller }.Fingerprint);
                Assert.Equal(
                    a == b && ttlA == ttlB,
                    new PlaceHoldCommand("x", a, ttlA) { Actor = TestLine.Caller }.Fingerprint == new PlaceHoldCommand("y", b, ttlB) { Actor = TestLine.Caller }.Fingerprint);
                Assert.Equal(
                    a == b && ttlA == ttlB,
                    new CaptureHoldCommand("x", $"H{ttlA}", a) { Actor = TestLine.Caller }.Fingerprint == new CaptureHoldCommand("y", $"H{ttlB}", b) { Actor = TestLine.Caller }.Fingerprint);
            }, iter: 2_000);
}
