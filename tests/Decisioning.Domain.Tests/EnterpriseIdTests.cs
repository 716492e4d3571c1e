using Decisioning.Domain;
using Decisioning.Testing;

namespace Decisioning.Domain.Tests;

public sealed class EnterpriseIdTests
{
    private static readonly HashSet<string> NoLegacy = [];
    private static readonly HashSet<string> Xiamen = [.. TestEnterprises.XiamenLegacy];

    [Theory]
    [InlineData("91350100M000100Y43")]
    public void A_published_standard_code_is_valid(string code) => Assert.Null(EnterpriseId.Validate(code, NoLegacy));

    [Fact]
    public void Generated_codes_carry_their_check_character() =>
        Assert.All(Enumerable.Range(0, 500), n => Assert.Null(EnterpriseId.Validate(TestEnterprises.Id(n), NoLegacy)));

    [Fact]
    public void A_single_character_typo_is_rejected_by_the_check_character()
    {
        var code = TestEnterprises.Id(42);
        for (var position = 0; position < 18; position++)
        {
            var typo = code.ToCharArray();
            typo[position] = typo[position] == '1' ? '2' : '1';
            Assert.NotNull(EnterpriseId.Validate(new string(typo), NoLegacy));
        }
    }

    [Theory]
    [InlineData("91350211M0000XUF46")]
    [InlineData("91350203M0001FUE2P")]
    public void Xiamen_legacy_codes_fail_the_check_but_are_accepted_from_the_allow_list(string code)
    {
        Assert.Contains("check character", EnterpriseId.Validate(code, NoLegacy));
        Assert.Null(EnterpriseId.Validate(code, Xiamen));
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("91350100M000100Y4", "must be 18 characters, not 17")]
    [InlineData("91350100M000100Y433", "must be 18 characters, not 19")]
    [InlineData("91350100I000100Y43", "has 'I' at position 9")]
    [InlineData("91350100o000100Y43", "has 'o' at position 9")]
    [InlineData("91350100S000100Y43", "has 'S' at position 9")]
    public void A_malformed_code_is_rejected_with_what_is_wrong(string? code, string expected) =>
        Assert.Contains(expected, EnterpriseId.Validate(code, Xiamen));

    [Fact]
    public void A_malformed_code_on_the_allow_list_is_still_rejected() =>
        Assert.NotNull(EnterpriseId.Validate("9135021IM0000XUF46", new HashSet<string> { "9135021IM0000XUF46" }));
}
