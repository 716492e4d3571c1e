using Decisioning.Domain.Assessment;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

/// <summary>Issue 10: one payer spelled three ways counted as three, and the concentration check was evaded by spelling.</summary>
public sealed class CounterpartyNameTests
{
    [Theory]
    [InlineData("ACME", "ACME ")]
    [InlineData("ACME", "ACME\u200b")]
    [InlineData("ACME", "\ufeffAC\u200dME\u0007")]
    [InlineData("ACME", "acme")]
    [InlineData("ACME", "ＡＣＭＥ")] // full width: NFKC
    [InlineData("ACME Co", "ACME\u00a0Co")] // no-break space: NFKC
    [InlineData("厦门海沧电子", "\u3000厦门海沧电子\u3000")] // ideographic spaces
    public void Names_that_differ_only_in_spelling_are_one_counterparty(string a, string b) =>
        Assert.True(CounterpartyNames.Same(a, b), $"'{a}' and '{b}'");

    [Theory]
    [InlineData("ACME", "ACNE")]
    [InlineData("ACME Co", "ACMECo")]
    [InlineData("厦门", "夏门")]
    public void Different_names_stay_different(string a, string b) => Assert.False(CounterpartyNames.Same(a, b));

    [Fact]
    public void A_printable_ascii_name_has_the_key_icu_gives_it()
    {
        // A zero-width space sends a name through ICU's NFKC_Casefold, which drops it: the key of
        // the name without it (the ASCII path) must be that same key.
        var names = Enumerable.Range(' ', '~' - ' ' + 1).Select(c => $" A{(char)c}z ")
            .Concat(["Xiamen Haicang Electronics Co.", "  ACME  ", "a-B_c.D~E`F{G}|H", " ", ""]);
        foreach (var name in names)
        {
            Assert.Equal(CounterpartyNames.Key(name + "\u200b"), CounterpartyNames.Key(name));
        }
    }

    [Fact]
    public void A_name_of_nothing_but_invisible_characters_has_an_empty_key() =>
        Assert.Equal("", CounterpartyNames.Key("\u200b\u200c\ufeff \u0000"));

    [Fact]
    public void A_lone_surrogate_is_compared_as_it_is_rather_than_failing() =>
        Assert.Equal("a\ud800", CounterpartyNames.Key("A\ud800"));

    [Fact]
    public void One_payer_spelled_three_ways_over_the_year_is_one_concentrated_recurring_payer()
    {
        string[] spellings = ["ACME", "ACME ", "ACME\u200b"];
        var statement = Statement(Enumerable.Repeat(1_000_000L, 12).ToArray(), Enumerable.Repeat(500_000L, 12).ToArray(), i => [(spellings[i / 4], 900_000L)]);

        var figures = CashFlowAnalysis.Analyse(statement, Champion.CashFlow);

        Assert.Equal(9_000, figures.TopCounterpartyShareBps); // before: three payers of 30% each
        Assert.Equal("ACME", figures.TopCounterparty); // the spelling first seen
        Assert.Equal(1, figures.RecurringCounterparties); // before: none (4 months each)
        Assert.Equal(4_000, figures.ConcentrationFactorBps);
        Assert.Contains("DEPENDS_ON_ONE_COUNTERPARTY", figures.Reasons);
    }

    [Fact]
    public void The_same_payer_twice_in_a_month_under_two_spellings_is_a_duplicate()
    {
        var application = Perfect() with
        {
            FundFlow = Steady(5_650_000 * Cny, 5_000_000 * Cny, ("ACME", 1_000_000 * Cny), ("acme\u200b ", 1_000_000 * Cny)),
        };

        var errors = ApplicationRules.Validate(application, AsOf, Xiamen);

        Assert.Contains(errors, e => e.Reason == Domain.ErrorReasons.DuplicateCounterparty.Code && e.Field == "fund_flow.months[0].counterparties[1].name");
    }

    [Fact]
    public void A_payer_named_only_by_a_zero_width_space_is_a_missing_name()
    {
        var application = Perfect() with { FundFlow = Steady(5_650_000 * Cny, 5_000_000 * Cny, ("\u200b", 1_000_000 * Cny)) };

        Assert.Contains(ApplicationRules.Validate(application, AsOf, Xiamen), e => e.Reason == Domain.ErrorReasons.FieldRequired.Code && e.Field == "fund_flow.months[0].counterparties[0].name");
    }
}
