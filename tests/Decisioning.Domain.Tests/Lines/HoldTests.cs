using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

public sealed class HoldTests
{
    // Opened (sequence 1), then this hold (sequence 2): its id is H2.
    private static LineState WithHold(long amountMinor = 250_000, int ttlSeconds = 600, string owner = "anonymous") =>
        Opened().Then(Cmd.Hold(amountMinor, ttlSeconds) with { Actor = owner }, T0);

    private static readonly DateTimeOffset Expiry = T0.AddSeconds(600);

    [Fact]
    public void Placing_a_hold_reserves_available_credit_and_is_journaled()
    {
        var at = T0.AddHours(1);

        var applied = Opened().Approves(new PlaceHoldCommand("hold-3", 250_000, 600) { Actor = "payments" }, at);

        Assert.Equal("H2", applied.Result.HoldId);
        Assert.Equal(at.AddSeconds(600), applied.Result.HoldExpiresAt);
        Assert.Equal(250_000, applied.State.HeldMinor);
        Assert.Equal(0, applied.State.DrawnMinor);
        Assert.Equal(750_000, applied.State.AvailableMinor);
        Assert.Equal(250_000, applied.Result.Line.HeldMinor);
        Assert.Equal(750_000, applied.Result.Line.AvailableMinor);
        Assert.Equal([new Hold("H2", 250_000, at.AddSeconds(600)) { Owner = "payments" }], applied.Result.Line.Holds.AsEnumerable());
        Assert.Equal([new Hold("H2", 250_000, at.AddSeconds(600)) { Owner = "payments" }], applied.State.Holds.AsEnumerable());
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(EntryKind.HoldPlaced, entry.Kind);
        Assert.Equal(2, entry.Sequence);
        Assert.Equal(at, entry.At);
        Assert.Equal("hold-3", entry.RequestId);
        Assert.Equal("payments", entry.Actor);
        Assert.Equal("H2", entry.HoldId);
        Assert.Equal(250_000, entry.AmountMinor);
        Assert.Equal(250_000, entry.HeldAfterMinor);
        Assert.Equal(0, entry.DrawnAfterMinor);
        Assert.Equal(Limit, entry.LimitAfterMinor);
    }

    [Fact]
    public void A_hold_without_a_ttl_lasts_the_default_ttl()
    {
        var applied = Opened().Approves(Cmd.Hold(1, ttlSeconds: 0), T0);

        Assert.Equal(T0.AddSeconds(Limits.DefaultHoldTtlSeconds), applied.Result.HoldExpiresAt);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Limits.MaxHoldTtlSeconds)]
    public void A_hold_lasts_the_ttl_asked_for_from_one_second_to_the_longest(int ttlSeconds)
    {
        var applied = Opened().Approves(Cmd.Hold(1, ttlSeconds), T0);

        Assert.Equal(T0.AddSeconds(ttlSeconds), applied.Result.HoldExpiresAt);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(Limits.MaxHoldTtlSeconds + 1)]
    [InlineData(int.MaxValue)]
    public void A_hold_with_a_ttl_out_of_range_is_refused(int ttlSeconds) =>
        Opened().AssertRefused(Cmd.Hold(1, ttlSeconds), T0, ErrorKind.InvalidArgument, "HOLD_TTL_OUT_OF_RANGE", "hold_ttl_seconds");

    [Fact]
    public void Hold_expiry_times_are_whole_milliseconds_cut_down_from_the_instant()
    {
        // 1.2345 ms past T0: the expiry keeps the whole millisecond and drops the rest.
        var at = T0.AddTicks(12_345);

        var applied = Opened().Approves(Cmd.Hold(1, 60), at);

        var expiresAt = applied.Result.HoldExpiresAt!.Value;
        Assert.Equal(T0.AddSeconds(60).AddMilliseconds(1), expiresAt);
        Assert.Equal(0, expiresAt.UtcTicks % TimeSpan.TicksPerMillisecond);
        Assert.Equal(expiresAt, applied.State.Holds[0].ExpiresAt);
    }

    [Fact]
    public void Hold_ids_are_H_and_the_journal_sequence_that_placed_them()
    {
        var state = Opened().Then(Cmd.Draw(1));

        var first = state.Approves(Cmd.Hold(1), T0);
        var second = first.State.Approves(Cmd.Hold(1), T0);
        var declined = second.State.Declines(Cmd.Draw(Limit), T0, DeclineReason.ExceedsAvailableCredit, EntryKind.DrawDeclined);
        var third = declined.State.Approves(Cmd.Hold(1), T0);

        Assert.Equal("H3", first.Result.HoldId);
        Assert.Equal("H4", second.Result.HoldId);
        Assert.Equal("H6", third.Result.HoldId);
        Assert.Equal(["H3", "H4", "H6"], third.State.Holds.Select(h => h.Id));
    }

    [Fact]
    public void A_hold_placed_after_expiries_takes_the_sequence_after_their_entries()
    {
        var applied = WithHold().Approves(Cmd.Hold(1), Expiry);

        Assert.Equal([EntryKind.HoldExpired, EntryKind.HoldPlaced], applied.Entries.Select(e => e.Kind));
        Assert.Equal("H4", applied.Result.HoldId);
    }

    [Fact]
    public void Holding_exactly_the_available_credit_is_approved()
    {
        var state = Opened().Then(Cmd.Draw(600_000));

        var applied = state.Approves(Cmd.Hold(400_000), T0);

        Assert.Equal(0, applied.State.AvailableMinor);
        Assert.Equal(Limit, applied.State.DrawnMinor + applied.State.HeldMinor);
    }

    [Fact]
    public void Holding_one_fen_more_than_the_available_credit_is_declined()
    {
        var applied = Opened().Then(Cmd.Draw(600_000)).Declines(Cmd.Hold(400_001), T0, DeclineReason.ExceedsAvailableCredit, EntryKind.HoldDeclined);

        Assert.Equal(400_001, applied.Entries[^1].AmountMinor);
        Assert.Equal("", applied.Result.HoldId);
        Assert.Null(applied.Result.HoldExpiresAt);
        Assert.Empty(applied.State.Holds);
    }

    [Fact]
    public void A_hold_on_a_frozen_line_is_declined() =>
        Opened().Then(Cmd.Freeze()).Declines(Cmd.Hold(1), T0, DeclineReason.LineFrozen, EntryKind.HoldDeclined);

    [Fact]
    public void A_hold_on_a_closed_line_is_declined() =>
        Opened().Then(Cmd.Close()).Declines(Cmd.Hold(1), T0, DeclineReason.LineClosed, EntryKind.HoldDeclined);

    [Fact]
    public void A_hold_on_a_matured_line_is_declined() =>
        Opened(termDays: 30).Declines(Cmd.Hold(1), OnDay(30), DeclineReason.LineMatured, EntryKind.HoldDeclined);

    [Theory]
    [InlineData(0, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(-1, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(long.MinValue, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(Limits.MaxAmountMinor + 1, "AMOUNT_TOO_LARGE")]
    [InlineData(long.MaxValue, "AMOUNT_TOO_LARGE")]
    public void A_hold_of_a_malformed_amount_is_refused(long amountMinor, string reason) =>
        Opened().AssertRefused(Cmd.Hold(amountMinor), T0, ErrorKind.InvalidArgument, reason, "amount_minor");

    [Fact]
    public void A_line_takes_at_most_the_maximum_number_of_open_holds()
    {
        var state = Opened();
        for (var i = 0; i < Limits.MaxOpenHolds; i++)
        {
            state = state.Then(Cmd.Hold(1, id: $"hold-{i}"));
        }

        Assert.Equal(Limits.MaxOpenHolds, state.Holds.Length);
        var declined = state.Declines(Cmd.Hold(1), T0, DeclineReason.TooManyOpenHolds, EntryKind.HoldDeclined);

        var released = declined.State.Then(Cmd.Release(state.Holds[0].Id));
        var placed = released.Approves(Cmd.Hold(1), T0);
        Assert.Equal(Limits.MaxOpenHolds, placed.State.Holds.Length);
    }

    [Fact]
    public void With_every_hold_slot_taken_an_amount_beyond_available_credit_is_declined_for_the_amount()
    {
        var state = Opened();
        for (var i = 0; i < Limits.MaxOpenHolds; i++)
        {
            state = state.Then(Cmd.Hold(1));
        }

        state.Declines(Cmd.Hold(Limit), T0, DeclineReason.ExceedsAvailableCredit, EntryKind.HoldDeclined);
    }

    [Fact]
    public void Expired_holds_free_their_slots()
    {
        var state = Opened();
        for (var i = 0; i < Limits.MaxOpenHolds; i++)
        {
            state = state.Then(Cmd.Hold(1, ttlSeconds: 60));
        }

        var applied = state.Approves(Cmd.Hold(1), T0.AddSeconds(60));

        Assert.Equal(Limits.MaxOpenHolds + 1, applied.Entries.Count);
        Assert.All(applied.Entries.Take(Limits.MaxOpenHolds), e => Assert.Equal(EntryKind.HoldExpired, e.Kind));
        Assert.Single(applied.State.Holds);
    }

    [Fact]
    public void Capturing_a_whole_hold_draws_its_amount()
    {
        var at = T0.AddMinutes(5);

        var applied = WithHold(owner: "payments").Approves(new CaptureHoldCommand("capture-1", "H2", 0) { Actor = "payments" }, at);

        Assert.Equal("H2", applied.Result.HoldId);
        Assert.Equal(250_000, applied.Result.CapturedMinor);
        Assert.Equal(0, applied.Result.ReleasedMinor);
        Assert.Equal(250_000, applied.State.DrawnMinor);
        Assert.Equal(0, applied.State.HeldMinor);
        Assert.Empty(applied.State.Holds);
        Assert.Equal(750_000, applied.Result.Line.AvailableMinor);
        Assert.Empty(applied.Result.Line.Holds);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(EntryKind.HoldCaptured, entry.Kind);
        Assert.Equal(3, entry.Sequence);
        Assert.Equal(at, entry.At);
        Assert.Equal("capture-1", entry.RequestId);
        Assert.Equal("payments", entry.Actor);
        Assert.Equal("H2", entry.HoldId);
        Assert.Equal(250_000, entry.AmountMinor);
        Assert.Equal(250_000, entry.DrawnAfterMinor);
        Assert.Equal(0, entry.HeldAfterMinor);
    }

    [Fact]
    public void Capturing_exactly_the_held_amount_is_a_whole_capture()
    {
        var applied = WithHold().Approves(Cmd.Capture("H2", 250_000), T0);

        Assert.Equal(250_000, applied.Result.CapturedMinor);
        Assert.Equal(0, applied.Result.ReleasedMinor);
        Assert.Equal(250_000, applied.State.DrawnMinor);
    }

    [Fact]
    public void Capturing_part_of_a_hold_draws_that_part_and_releases_the_rest()
    {
        var applied = WithHold().Approves(Cmd.Capture("H2", 100_000), T0);

        Assert.Equal(100_000, applied.Result.CapturedMinor);
        Assert.Equal(150_000, applied.Result.ReleasedMinor);
        Assert.Equal(100_000, applied.State.DrawnMinor);
        Assert.Equal(0, applied.State.HeldMinor);
        Assert.Equal(900_000, applied.State.AvailableMinor);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(100_000, entry.AmountMinor);
        Assert.Equal(100_000, entry.DrawnAfterMinor);
    }

    [Fact]
    public void Capturing_one_fen_of_a_hold_is_approved() =>
        Assert.Equal(249_999, WithHold().Approves(Cmd.Capture("H2", 1), T0).Result.ReleasedMinor);

    [Fact]
    public void Capturing_one_fen_more_than_the_hold_is_refused() =>
        WithHold().AssertRefused(Cmd.Capture("H2", 250_001), T0, ErrorKind.FailedPrecondition, "CAPTURE_EXCEEDS_HOLD", "amount_minor");

    [Theory]
    [InlineData(-1, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(long.MinValue, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(Limits.MaxAmountMinor + 1, "AMOUNT_TOO_LARGE")]
    [InlineData(long.MaxValue, "AMOUNT_TOO_LARGE")]
    public void A_capture_of_a_malformed_amount_is_refused(long amountMinor, string reason) =>
        WithHold().AssertRefused(Cmd.Capture("H2", amountMinor), T0, ErrorKind.InvalidArgument, reason, "amount_minor");

    [Fact]
    public void Only_the_hold_named_is_captured()
    {
        var state = WithHold().Then(Cmd.Hold(100_000));

        var applied = state.Approves(Cmd.Capture("H3"), T0);

        Assert.Equal(100_000, applied.State.DrawnMinor);
        Assert.Equal([new Hold("H2", 250_000, Expiry) { Owner = "anonymous" }], applied.State.Holds.AsEnumerable());
    }

    [Theory]
    [InlineData("H999")]
    [InlineData("H1")]
    [InlineData("H0")]
    [InlineData("H02")]
    public void Capturing_a_hold_that_was_never_placed_is_refused_as_not_found(string holdId) =>
        WithHold().AssertRefused(Cmd.Capture(holdId), T0, ErrorKind.NotFound, "HOLD_NOT_FOUND", "hold_id");

    [Fact]
    public void A_captured_hold_cannot_be_captured_or_released_again()
    {
        var captured = WithHold().Then(Cmd.Capture("H2"));

        captured.AssertRefused(Cmd.Capture("H2"), T0, ErrorKind.NotFound, "HOLD_NOT_FOUND", "hold_id");
        captured.AssertRefused(Cmd.Release("H2"), T0, ErrorKind.NotFound, "HOLD_NOT_FOUND", "hold_id");
    }

    [Fact]
    public void Releasing_a_hold_makes_its_amount_available_again()
    {
        var at = T0.AddMinutes(1);

        var applied = WithHold(owner: "payments").Approves(new ReleaseHoldCommand("release-1", "H2") { Actor = "payments" }, at);

        Assert.Equal("H2", applied.Result.HoldId);
        Assert.Equal(250_000, applied.Result.ReleasedMinor);
        Assert.Equal(0, applied.Result.CapturedMinor);
        Assert.Equal(0, applied.State.HeldMinor);
        Assert.Equal(0, applied.State.DrawnMinor);
        Assert.Equal(Limit, applied.Result.Line.AvailableMinor);
        Assert.Empty(applied.State.Holds);
        var entry = Assert.Single(applied.Entries);
        Assert.Equal(EntryKind.HoldReleased, entry.Kind);
        Assert.Equal(at, entry.At);
        Assert.Equal("release-1", entry.RequestId);
        Assert.Equal("payments", entry.Actor);
        Assert.Equal("H2", entry.HoldId);
        Assert.Equal(250_000, entry.AmountMinor);
        Assert.Equal(0, entry.HeldAfterMinor);
    }

    [Fact]
    public void A_released_hold_cannot_be_released_or_captured_again()
    {
        var released = WithHold().Then(Cmd.Release("H2"));

        released.AssertRefused(Cmd.Release("H2"), T0, ErrorKind.NotFound, "HOLD_NOT_FOUND", "hold_id");
        released.AssertRefused(Cmd.Capture("H2"), T0, ErrorKind.NotFound, "HOLD_NOT_FOUND", "hold_id");
    }

    [Fact]
    public void A_hold_can_be_released_on_a_frozen_line() =>
        Assert.Equal(0, WithHold().Then(Cmd.Freeze()).Approves(Cmd.Release("H2"), T0).State.HeldMinor);

    [Fact]
    public void A_frozen_line_declines_a_capture_and_keeps_the_hold()
    {
        var state = WithHold().Then(Cmd.Freeze());

        var applied = state.Declines(Cmd.Capture("H2"), T0, DeclineReason.LineFrozen, EntryKind.HoldCaptureDeclined);

        Assert.Equal("H2", applied.Result.HoldId);
        Assert.Equal("H2", applied.Entries[^1].HoldId);
        Assert.Equal(250_000, applied.Entries[^1].AmountMinor);
        Assert.Equal(0, applied.Result.CapturedMinor);
        Assert.Equal(state.Holds.AsEnumerable(), applied.State.Holds.AsEnumerable());
    }

    [Fact]
    public void A_hold_placed_before_the_limit_was_lowered_can_still_be_captured()
    {
        // The hold's credit was reserved under the old limit: capturing it adds nothing to drawn + held.
        var state = WithHold().Then(Cmd.AdjustLimit(100_000));

        var applied = state.Approves(Cmd.Capture("H2"), T0);

        Assert.Equal(250_000, applied.State.DrawnMinor);
        Assert.Equal(0, applied.State.AvailableMinor);
    }

    [Fact]
    public void A_hold_is_open_until_the_last_instant_before_its_expiry()
    {
        var state = WithHold();

        Assert.Single(state.ViewAt(Expiry.AddTicks(-1)).Holds);
        var applied = state.Approves(Cmd.Capture("H2"), Expiry.AddTicks(-1));
        Assert.Single(applied.Entries);
        Assert.Equal(250_000, applied.Result.CapturedMinor);
    }

    [Fact]
    public void A_hold_expires_at_exactly_its_expiry_time_and_vanishes_from_views()
    {
        var view = WithHold().ViewAt(Expiry);

        Assert.Empty(view.Holds);
        Assert.Equal(0, view.HeldMinor);
        Assert.Equal(Limit, view.AvailableMinor);
    }

    [Fact]
    public void An_expired_hold_is_journaled_by_the_system_on_the_next_command()
    {
        var at = Expiry.AddMinutes(10);

        var applied = WithHold().Approves(Cmd.Draw(1_000, "draw-after"), at);

        Assert.Equal(2, applied.Entries.Count);
        var expired = applied.Entries[0];
        Assert.Equal(EntryKind.HoldExpired, expired.Kind);
        Assert.Equal(3, expired.Sequence);
        Assert.Equal(Expiry, expired.At);
        Assert.Equal("system", expired.Actor);
        Assert.Equal("", expired.RequestId);
        Assert.Equal("H2", expired.HoldId);
        Assert.Equal(250_000, expired.AmountMinor);
        Assert.Equal(0, expired.HeldAfterMinor);
        Assert.Equal(0, expired.DrawnAfterMinor);
        var draw = applied.Entries[1];
        Assert.Equal(EntryKind.Draw, draw.Kind);
        Assert.Equal(4, draw.Sequence);
        Assert.Equal("draw-after", draw.RequestId);
        Assert.Empty(applied.State.Holds);
    }

    [Fact]
    public void Holds_that_expire_together_are_journaled_in_the_order_they_expired()
    {
        var state = Opened().Then(Cmd.Hold(1, ttlSeconds: 600)).Then(Cmd.Hold(2, ttlSeconds: 60));

        var applied = state.Approves(Cmd.Draw(1), T0.AddHours(1));

        Assert.Equal(["H3", "H2", ""], applied.Entries.Select(e => e.HoldId));
        Assert.Equal([T0.AddSeconds(60), T0.AddSeconds(600), T0.AddHours(1)], applied.Entries.Select(e => e.At));
    }

    [Fact]
    public void Capturing_a_hold_that_has_just_expired_is_declined_as_expired()
    {
        var applied = WithHold().Declines(Cmd.Capture("H2"), Expiry, DeclineReason.HoldExpired, EntryKind.HoldCaptureDeclined);

        Assert.Equal([EntryKind.HoldExpired, EntryKind.HoldCaptureDeclined], applied.Entries.Select(e => e.Kind));
        Assert.Equal("H2", applied.Result.HoldId);
        Assert.Equal("H2", applied.Entries[^1].HoldId);
        Assert.Equal(250_000, applied.Entries[^1].AmountMinor);
        Assert.Equal(0, applied.State.DrawnMinor);
        Assert.Equal(0, applied.Result.CapturedMinor);
    }

    [Fact]
    public void Once_its_expiry_is_journaled_an_expired_hold_is_still_refused_and_declined_as_expired()
    {
        // The hold's timer (or the daily process) journals the expiry before the caller comes back:
        // the answer must not depend on which came first.
        var expiryJournaled = WithHold().Applies(RunDailyCommand.AtExpiry(Expiry), Expiry).State;

        Assert.Empty(expiryJournaled.Holds);
        expiryJournaled.AssertRefused(Cmd.Release("H2"), Expiry.AddSeconds(1), ErrorKind.FailedPrecondition, "HOLD_EXPIRED", "hold_id");
        var capture = expiryJournaled.Declines(Cmd.Capture("H2"), Expiry.AddSeconds(1), DeclineReason.HoldExpired, EntryKind.HoldCaptureDeclined);
        Assert.Equal(250_000, capture.Entries[^1].AmountMinor);
        Assert.Equal(0, capture.State.DrawnMinor);
    }

    [Fact]
    public void A_line_remembers_only_its_newest_expired_holds_and_an_older_one_is_not_found()
    {
        var state = Opened();
        for (var i = 0; i <= LineState.MaxLapsedHolds; i++)
        {
            state = state.Then(Cmd.Hold(1, ttlSeconds: 60), T0.AddMinutes(2 * i));
        }

        var lapsed = state.Applies(Cmd.Draw(1), T0.AddHours(1)).State;

        Assert.Equal(LineState.MaxLapsedHolds, lapsed.LapsedHolds.Length);
        lapsed.AssertRefused(Cmd.Release("H2"), T0.AddHours(1), ErrorKind.NotFound, "HOLD_NOT_FOUND", "hold_id");
        lapsed.AssertRefused(Cmd.Release(lapsed.LapsedHolds[^1].Id), T0.AddHours(1), ErrorKind.FailedPrecondition, "HOLD_EXPIRED", "hold_id");
    }

    [Fact]
    public void Releasing_a_hold_that_has_just_expired_is_refused_as_expired() =>
        WithHold().AssertRefused(Cmd.Release("H2"), Expiry, ErrorKind.FailedPrecondition, "HOLD_EXPIRED", "hold_id");

    [Fact]
    public void Another_caller_cannot_capture_a_hold_and_reads_it_as_not_found()
    {
        var line = Opened().Then(new PlaceHoldCommand("hold-1", 250_000, 600) { Actor = "channel-a" }, T0);

        var refused = line.Refuses(new CaptureHoldCommand("cap-1", "H2", 0) { Actor = "channel-b" }, T0);
        var owner = line.Approves(new CaptureHoldCommand("cap-1", "H2", 0) { Actor = "channel-a" }, T0);

        Assert.Equal(("HOLD_NOT_FOUND", ErrorKind.NotFound), (refused.Reason, refused.Kind));
        Assert.Equal(250_000, owner.State.DrawnMinor);
    }

    [Fact]
    public void Another_caller_cannot_release_a_hold()
    {
        var line = Opened().Then(new PlaceHoldCommand("hold-1", 250_000, 600) { Actor = "channel-a" }, T0);

        var refused = line.Refuses(new ReleaseHoldCommand("rel-1", "H2") { Actor = "channel-b" }, T0);

        Assert.Equal("HOLD_NOT_FOUND", refused.Reason);
        Assert.Equal(250_000, line.HeldMinor);
    }

    [Fact]
    public void A_hold_stored_before_owners_were_recorded_answers_to_any_caller()
    {
        var legacy = Opened().Then(Cmd.Hold(250_000, 600), T0);
        legacy = legacy with { Holds = [.. legacy.Holds.Select(h => h with { Owner = "" })] };

        var released = legacy.Approves(new ReleaseHoldCommand("rel-1", "H2") { Actor = "staff" }, T0);

        Assert.Equal(0, released.State.HeldMinor);
    }
}
