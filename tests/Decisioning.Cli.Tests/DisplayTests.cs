using Decisioning.Cli.Input;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;

namespace Decisioning.Cli.Tests;

/// <summary>Amounts in and out of the tool, and the contract's enum names both ways; no service needed.</summary>
public sealed class DisplayTests
{
    [Theory]
    [InlineData("1200000", 120_000_000L)]
    [InlineData("1,200,000.50", 120_000_050L)]
    [InlineData("0.01", 1L)]
    [InlineData("0", 0L)]
    [InlineData("-5", -500L)]
    [InlineData("92233720368547758.07", long.MaxValue)]
    public void Amounts_in_yuan_are_exact_fen(string text, long fen) => Assert.Equal(fen, Amounts.ParseCny(text));

    [Theory]
    [InlineData("0.001")]
    [InlineData("1e3")]
    [InlineData("92233720368547758.08")]
    [InlineData("")]
    public void Amounts_that_are_not_whole_fen_are_refused(string text) => Assert.Throws<FormatException>(() => Amounts.ParseCny(text));

    [Fact]
    public void Fen_read_as_yuan_and_rates_as_percent()
    {
        Assert.Equal("5,480,000.00 CNY", Display.MoneyWithCurrency(548_000_000));
        Assert.Equal("-0.01", Display.Money(-1));
        Assert.Equal("3.45%", Display.Rate(345));
    }

    [Fact]
    public void Enum_values_read_by_the_contract_names_without_their_prefix_and_parse_back()
    {
        Assert.Equal("EXCEEDS_AVAILABLE_CREDIT", Display.Name(DeclineReason.ExceedsAvailableCredit));
        Assert.Equal("", Display.Name(DeclineReason.Unspecified));
        Assert.Equal("99", Display.Name((LineStatus)99));
        foreach (var text in new[] { "srdi-e-loan", "SRDI_E_LOAN", "PRODUCT_SRDI_E_LOAN", " Srdi-E-Loan " })
        {
            Assert.True(Display.TryParse<Product>(text, out var product), text);
            Assert.Equal(Product.SrdiELoan, product);
        }

        Assert.False(Display.TryParse<Product>("unspecified", out _));
        Assert.False(Display.TryParse<Product>("gold", out _));
        Assert.Equal("low, moderate, severe", Display.Choices<RiskSeverity>());
    }
}
