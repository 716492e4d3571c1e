using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class ExclusionRulesTests
{
    private static ExclusionCommand Adding(string requestId = "x-1", string reason = "fraud referral 2026-114") =>
        new(ExclusionChangeKind.Added, "91350100M000100Y43", requestId, reason) { Actor = "officer-7" };

    [Fact]
    public void A_change_with_a_request_id_and_a_reason_is_well_formed() => Assert.Null(ExclusionRules.Validate(Adding()));

    [Theory]
    [InlineData("", "REASON_REQUIRED")]
    [InlineData("   ", "REASON_REQUIRED")]
    public void A_change_without_a_reason_is_refused_naming_reason(string reason, string code)
    {
        var error = ExclusionRules.Validate(Adding(reason: reason))!;
        Assert.Equal((ErrorKind.InvalidArgument, code, "reason"), (error.Kind, error.Reason, error.Field));
    }

    [Fact]
    public void A_reason_of_256_characters_is_accepted_and_one_of_257_is_refused()
    {
        Assert.Null(ExclusionRules.Validate(Adding(reason: new string('r', 256))));
        Assert.Equal(("TEXT_TOO_LONG", "reason"), (ExclusionRules.Validate(Adding(reason: new string('r', 257)))!.Reason, ExclusionRules.Validate(Adding(reason: new string('r', 257)))!.Field));
    }

    [Fact]
    public void A_change_without_a_request_id_is_refused_naming_request_id() =>
        Assert.Equal("request_id", ExclusionRules.Validate(Adding(requestId: ""))!.Field);

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(ExclusionRules.MaxPageSize, true)]
    [InlineData(ExclusionRules.MaxPageSize + 1, false)]
    [InlineData(-1, false)]
    public void A_page_size_is_from_zero_to_the_maximum(int pageSize, bool valid) =>
        Assert.Equal(valid, ExclusionRules.PageSize(pageSize) is null);

    [Fact]
    public void The_fingerprint_covers_what_was_asked_but_not_who_asked()
    {
        Assert.Equal(Adding().Fingerprint, (Adding() with { Actor = "someone-else" }).Fingerprint);
        Assert.NotEqual(Adding().Fingerprint, Adding(reason: "another reason").Fingerprint);
        Assert.NotEqual(Adding().Fingerprint, (Adding() with { Kind = ExclusionChangeKind.Removed }).Fingerprint);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("1764547200000-0", true)]
    [InlineData("12345678901234567890-12345678901234567890", true)]
    [InlineData("123456789012345678901-0", false)]
    [InlineData("1764547200000", false)]
    [InlineData("-0", false)]
    [InlineData("1-", false)]
    [InlineData("1-a", false)]
    [InlineData("+", false)]
    public void A_change_page_token_is_a_change_id_or_empty(string token, bool valid)
    {
        var error = ExclusionRules.ChangeToken(token);
        Assert.Equal(valid, error is null);
        Assert.True(valid || error!.Field == "page_token");
    }

    [Fact]
    public void A_list_page_token_longer_than_an_id_can_be_is_refused_naming_page_token()
    {
        Assert.Null(ExclusionRules.ListToken(new string('9', 64)));
        Assert.Equal("page_token", ExclusionRules.ListToken(new string('9', 65))!.Field);
    }
}
