using Decisioning.Domain.Lines;
using static Decisioning.Domain.Tests.Lines.TestLine;

namespace Decisioning.Domain.Tests.Lines;

/// <summary>The shape of every request field, checked directly and through the commands that carry it.</summary>
public sealed class LineRulesTests
{
    private static void AssertInvalid(DomainError? error, string field, string reason)
    {
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Equal(reason, error.Reason);
        Assert.StartsWith(field + " ", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(Limits.MaxAmountMinor - 1)]
    [InlineData(Limits.MaxAmountMinor)]
    public void An_amount_from_one_fen_to_the_largest_amount_is_accepted(long amountMinor) =>
        Assert.Null(LineRules.Amount(amountMinor));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void An_amount_that_is_not_positive_is_refused_and_quoted(long amountMinor)
    {
        var error = LineRules.Amount(amountMinor);

        AssertInvalid(error, "amount_minor", "AMOUNT_MUST_BE_POSITIVE");
        Assert.Contains($"not {amountMinor}", error!.Message);
    }

    [Theory]
    [InlineData(Limits.MaxAmountMinor + 1)]
    [InlineData(long.MaxValue)]
    public void An_amount_above_the_largest_amount_is_refused_and_quoted(long amountMinor)
    {
        var error = LineRules.Amount(amountMinor);

        AssertInvalid(error, "amount_minor", "AMOUNT_TOO_LARGE");
        Assert.Contains($"not {amountMinor}", error!.Message);
    }

    [Fact]
    public void An_amount_check_names_the_field_it_is_told() =>
        AssertInvalid(LineRules.Amount(0, "hold_amount_minor"), "hold_amount_minor", "AMOUNT_MUST_BE_POSITIVE");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Limits.MaxAmountMinor)]
    public void A_capture_amount_of_zero_means_the_whole_hold_and_is_accepted(long amountMinor) =>
        Assert.Null(LineRules.CaptureAmount(amountMinor));

    [Theory]
    [InlineData(-1, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(long.MinValue, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(Limits.MaxAmountMinor + 1, "AMOUNT_TOO_LARGE")]
    [InlineData(long.MaxValue, "AMOUNT_TOO_LARGE")]
    public void A_capture_amount_out_of_range_is_refused(long amountMinor, string reason) =>
        AssertInvalid(LineRules.CaptureAmount(amountMinor), "amount_minor", reason);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Limits.MaxAmountMinor)]
    public void A_limit_from_zero_to_the_largest_amount_is_accepted(long limitMinor) => Assert.Null(LineRules.Limit(limitMinor));

    [Theory]
    [InlineData(-1, "LIMIT_MUST_NOT_BE_NEGATIVE")]
    [InlineData(long.MinValue, "LIMIT_MUST_NOT_BE_NEGATIVE")]
    [InlineData(Limits.MaxAmountMinor + 1, "AMOUNT_TOO_LARGE")]
    [InlineData(long.MaxValue, "AMOUNT_TOO_LARGE")]
    public void A_limit_out_of_range_is_refused(long limitMinor, string reason) =>
        AssertInvalid(LineRules.Limit(limitMinor), "limit_minor", reason);

    [Theory]
    [InlineData(0, "AMOUNT_MUST_BE_POSITIVE")]
    [InlineData(-1, "LIMIT_MUST_NOT_BE_NEGATIVE")]
    [InlineData(Limits.MaxAmountMinor + 1, "AMOUNT_TOO_LARGE")]
    [InlineData(long.MaxValue, "AMOUNT_TOO_LARGE")]
    public void A_line_cannot_be_opened_with_a_limit_of_zero_or_out_of_range(long limitMinor, string reason)
    {
        AssertInvalid(LineRules.OpeningLimit(limitMinor), "limit_minor", reason);
        LineState.NotOpened.AssertRefused(Cmd.Open(limitMinor), T0, ErrorKind.InvalidArgument, reason, "limit_minor");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Limits.MaxAnnualRateBps)]
    public void A_rate_from_zero_to_the_highest_rate_is_accepted(int bps)
    {
        Assert.Null(LineRules.AnnualRate(bps));
        Assert.Equal(bps, LineState.NotOpened.Then(Cmd.Open(rateBps: bps)).AnnualRateBps);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(Limits.MaxAnnualRateBps + 1)]
    [InlineData(int.MaxValue)]
    public void A_rate_out_of_range_is_refused(int bps)
    {
        AssertInvalid(LineRules.AnnualRate(bps), "annual_rate_bps", "RATE_OUT_OF_RANGE");
        LineState.NotOpened.AssertRefused(Cmd.Open(rateBps: bps), T0, ErrorKind.InvalidArgument, "RATE_OUT_OF_RANGE", "annual_rate_bps");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Limits.MaxTermDays)]
    public void A_term_from_one_day_to_the_longest_term_is_accepted(int days) => Assert.Null(LineRules.TermDays(days));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(Limits.MaxTermDays + 1)]
    [InlineData(int.MaxValue)]
    public void A_term_out_of_range_is_refused(int days)
    {
        AssertInvalid(LineRules.TermDays(days), "term_days", "TERM_OUT_OF_RANGE");
        LineState.NotOpened.AssertRefused(Cmd.Open(termDays: days), T0, ErrorKind.InvalidArgument, "TERM_OUT_OF_RANGE", "term_days");
    }

    [Theory]
    [InlineData(Product.SrdiELoan)]
    [InlineData(Product.OperatingQuickLoan)]
    public void Both_products_are_accepted(Product product)
    {
        Assert.Null(LineRules.ProductCode(product));
        Assert.Equal(product, LineState.NotOpened.Then(Cmd.Open(product: product)).Product);
    }

    [Theory]
    [InlineData(Product.None)]
    [InlineData((Product)3)]
    [InlineData((Product)(-1))]
    public void A_missing_or_unknown_product_is_refused(Product product)
    {
        AssertInvalid(LineRules.ProductCode(product), "product", "PRODUCT_REQUIRED");
        LineState.NotOpened.AssertRefused(Cmd.Open(product: product), T0, ErrorKind.InvalidArgument, "PRODUCT_REQUIRED", "product");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Limits.DefaultHoldTtlSeconds)]
    [InlineData(Limits.MaxHoldTtlSeconds)]
    public void A_hold_ttl_from_zero_for_the_default_to_the_longest_is_accepted(int seconds) => Assert.Null(LineRules.HoldTtl(seconds));

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(Limits.MaxHoldTtlSeconds + 1)]
    [InlineData(int.MaxValue)]
    public void A_hold_ttl_out_of_range_is_refused(int seconds) =>
        AssertInvalid(LineRules.HoldTtl(seconds), "hold_ttl_seconds", "HOLD_TTL_OUT_OF_RANGE");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("overdue")]
    [InlineData("逾期")]
    public void A_note_up_to_the_longest_note_is_accepted(string? note)
    {
        Assert.Null(LineRules.Note(note));
        Assert.Null(LineRules.Note(new string('n', Limits.MaxNoteLength)));
    }

    [Fact]
    public void A_note_longer_than_the_longest_note_is_refused()
    {
        var error = LineRules.Note(new string('n', Limits.MaxNoteLength + 1));

        AssertInvalid(error, "reason", "TEXT_TOO_LONG");
        Assert.Contains($"not {Limits.MaxNoteLength + 1}", error!.Message);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Z9")]
    [InlineData("3f2a8c1e-8b7d-4c1a-9f00-123456789abc")]
    [InlineData("order_42.retry:1")]
    [InlineData("-_.:")]
    public void A_request_id_of_letters_digits_and_dash_underscore_dot_colon_is_accepted(string requestId)
    {
        Assert.Null(LineRules.RequestId(requestId));
        Opened().Approves(Cmd.Draw(1, requestId), T0);
    }

    [Fact]
    public void A_request_id_of_exactly_the_longest_length_is_accepted() =>
        Assert.Null(LineRules.RequestId(new string('r', Limits.MaxRequestIdLength)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_request_id_is_refused(string? requestId) =>
        AssertInvalid(LineRules.RequestId(requestId), "request_id", "REQUEST_ID_REQUIRED");

    [Fact]
    public void A_request_id_one_character_too_long_is_refused()
    {
        var error = LineRules.RequestId(new string('r', Limits.MaxRequestIdLength + 1));

        AssertInvalid(error, "request_id", "REQUEST_ID_TOO_LONG");
        Assert.Contains($"not {Limits.MaxRequestIdLength + 1}", error!.Message);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a+b")]
    [InlineData("a;b")]
    [InlineData("a\tb")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("é")]
    [InlineData("请求1")]
    [InlineData("１")]
    public void A_request_id_with_any_other_character_is_refused(string requestId) =>
        AssertInvalid(LineRules.RequestId(requestId), "request_id", "REQUEST_ID_MALFORMED");

    [Theory]
    [InlineData("H1")]
    [InlineData("H0")]
    [InlineData("H1234567890123456789")]
    public void A_hold_id_of_H_and_up_to_19_digits_is_well_formed(string holdId) => Assert.Null(LineRules.HoldId(holdId));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_hold_id_is_refused(string? holdId) => AssertInvalid(LineRules.HoldId(holdId), "hold_id", "HOLD_ID_REQUIRED");

    [Theory]
    [InlineData("H")]
    [InlineData("h1")]
    [InlineData("X1")]
    [InlineData("1")]
    [InlineData("H1a")]
    [InlineData("H-1")]
    [InlineData(" H1")]
    [InlineData("H1 ")]
    [InlineData("HH1")]
    [InlineData("H١")]
    [InlineData("H12345678901234567890")]
    public void A_hold_id_in_any_other_form_is_refused(string holdId) =>
        AssertInvalid(LineRules.HoldId(holdId), "hold_id", "HOLD_ID_MALFORMED");

    public static TheoryData<string> EveryCommand => ["open", "draw", "repay", "hold", "capture", "release", "freeze", "unfreeze", "adjust", "close"];

    private static LineCommand WithRequestId(string name, string requestId) => name switch
    {
        "open" => Cmd.Open(id: requestId),
        "draw" => Cmd.Draw(1, requestId),
        "repay" => Cmd.Repay(1, requestId),
        "hold" => Cmd.Hold(1, id: requestId),
        "capture" => Cmd.Capture("H2", id: requestId),
        "release" => Cmd.Release("H2", requestId),
        "freeze" => Cmd.Freeze(id: requestId),
        "unfreeze" => Cmd.Unfreeze(id: requestId),
        "adjust" => Cmd.AdjustLimit(1, id: requestId),
        "close" => Cmd.Close(id: requestId),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Every_command_is_refused_without_a_well_formed_request_id(string name)
    {
        // A line with something drawn and a hold H2 open, so that only the request id is at fault.
        var state = Opened().Then(Cmd.Hold(1)).Then(Cmd.Draw(1));

        state.AssertRefused(WithRequestId(name, ""), T0, ErrorKind.InvalidArgument, "REQUEST_ID_REQUIRED", "request_id");
        state.AssertRefused(WithRequestId(name, new string('r', Limits.MaxRequestIdLength + 1)), T0, ErrorKind.InvalidArgument, "REQUEST_ID_TOO_LONG", "request_id");
        state.AssertRefused(WithRequestId(name, "bad id"), T0, ErrorKind.InvalidArgument, "REQUEST_ID_MALFORMED", "request_id");
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Every_command_accepts_a_request_id_of_the_longest_length(string name)
    {
        var longest = new string('r', Limits.MaxRequestIdLength);
        var state = name switch
        {
            "open" => LineState.NotOpened,
            "unfreeze" => Opened().Then(Cmd.Freeze()),
            "close" => Opened(),
            _ => Opened().Then(Cmd.Hold(1)).Then(Cmd.Draw(1)),
        };

        Assert.Equal(longest, state.Approves(WithRequestId(name, longest), T0).Entries[^1].RequestId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("H")]
    [InlineData("h2")]
    [InlineData("H2x")]
    public void Captures_and_releases_are_refused_without_a_well_formed_hold_id(string holdId)
    {
        var state = Opened().Then(Cmd.Hold(1));
        var reason = holdId.Length == 0 ? "HOLD_ID_REQUIRED" : "HOLD_ID_MALFORMED";

        state.AssertRefused(Cmd.Capture(holdId), T0, ErrorKind.InvalidArgument, reason, "hold_id");
        state.AssertRefused(Cmd.Release(holdId), T0, ErrorKind.InvalidArgument, reason, "hold_id");
    }

    [Fact]
    public void The_first_field_at_fault_is_the_one_reported()
    {
        LineState.NotOpened.AssertRefused(new OpenLineCommand("", 0, -1, 0, Product.None) { Actor = TestLine.Caller }, T0, ErrorKind.InvalidArgument, "REQUEST_ID_REQUIRED", "request_id");
        LineState.NotOpened.AssertRefused(new OpenLineCommand("open", 0, -1, 0, Product.None) { Actor = TestLine.Caller }, T0, ErrorKind.InvalidArgument, "AMOUNT_MUST_BE_POSITIVE", "limit_minor");
        LineState.NotOpened.AssertRefused(new OpenLineCommand("open", 1, -1, 0, Product.None) { Actor = TestLine.Caller }, T0, ErrorKind.InvalidArgument, "RATE_OUT_OF_RANGE", "annual_rate_bps");
        LineState.NotOpened.AssertRefused(new OpenLineCommand("open", 1, 0, 0, Product.None) { Actor = TestLine.Caller }, T0, ErrorKind.InvalidArgument, "TERM_OUT_OF_RANGE", "term_days");
        LineState.NotOpened.AssertRefused(new OpenLineCommand("open", 1, 0, 1, Product.None) { Actor = TestLine.Caller }, T0, ErrorKind.InvalidArgument, "PRODUCT_REQUIRED", "product");
        Opened().AssertRefused(new CaptureHoldCommand("", "x", -1) { Actor = TestLine.Caller }, T0, ErrorKind.InvalidArgument, "REQUEST_ID_REQUIRED", "request_id");
        Opened().AssertRefused(new CaptureHoldCommand("c", "x", -1) { Actor = TestLine.Caller }, T0, ErrorKind.InvalidArgument, "HOLD_ID_MALFORMED", "hold_id");
        Opened().AssertRefused(new AdjustLimitCommand("a", -1, new string('n', 300)) { Actor = TestLine.Caller }, T0, ErrorKind.InvalidArgument, "LIMIT_MUST_NOT_BE_NEGATIVE", "limit_minor");
    }
}
