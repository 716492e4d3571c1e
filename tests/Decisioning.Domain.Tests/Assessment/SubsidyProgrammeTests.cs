using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class SubsidyProgrammeTests
{
    private static readonly SubsidyProgramme TechRelending = new()
    {
        Name = "tech-relending",
        Products = [Product.SrdiELoan],
        SrdiLevels = [SrdiLevel.Provincial, SrdiLevel.NationalLittleGiant],
        SubsidyBps = 100,
        From = new DateOnly(2026, 1, 1),
        Until = new DateOnly(2026, 12, 31),
    };

    private static readonly SubsidyProgramme EveryEnterprise = new()
    {
        Name = "first-loan",
        Products = [Product.OperatingQuickLoan, Product.SrdiELoan],
        SrdiLevels = [SrdiLevel.None, SrdiLevel.InnovativeSme, SrdiLevel.Municipal, SrdiLevel.Provincial, SrdiLevel.NationalLittleGiant],
        SubsidyBps = 50,
        From = new DateOnly(2026, 6, 1),
    };

    private static int Subsidy(SubsidyProgramme[] table, Product product, SrdiLevel? level, string on, int rate = 350) =>
        SubsidyProgrammes.SubsidyBps(table, product, level, DateOnly.Parse(on), rate);

    [Theory]
    [InlineData("2025-12-31", 0)]
    [InlineData("2026-01-01", 100)]
    [InlineData("2026-12-31", 100)]
    [InlineData("2027-01-01", 0)]
    public void A_programme_applies_from_its_first_to_its_last_day_inclusive(string on, int expected) =>
        Assert.Equal(expected, Subsidy([TechRelending], Product.SrdiELoan, SrdiLevel.NationalLittleGiant, on));

    [Fact]
    public void A_programme_without_an_end_applies_on_every_day_from_its_first() =>
        Assert.Equal(50, Subsidy([EveryEnterprise], Product.OperatingQuickLoan, SrdiLevel.None, "2099-12-31"));

    [Fact]
    public void A_product_in_no_programme_gets_no_subsidy() =>
        Assert.Equal(0, Subsidy([TechRelending], Product.OperatingQuickLoan, SrdiLevel.NationalLittleGiant, "2026-06-01"));

    [Theory]
    [InlineData(SrdiLevel.None)]
    [InlineData(SrdiLevel.Municipal)]
    public void A_recognition_the_programme_does_not_list_gets_no_subsidy(SrdiLevel level) =>
        Assert.Equal(0, Subsidy([TechRelending], Product.SrdiELoan, level, "2026-06-01"));

    [Fact]
    public void An_empty_table_grants_nothing() => Assert.Equal(0, Subsidy([], Product.SrdiELoan, SrdiLevel.NationalLittleGiant, "2026-06-01"));

    [Theory]
    [InlineData(100, 100)]
    [InlineData(99, 99)]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    public void The_subsidy_never_exceeds_the_rate(int rate, int expected) =>
        Assert.Equal(expected, Subsidy([TechRelending], Product.SrdiELoan, SrdiLevel.Provincial, "2026-06-01", rate));

    [Fact]
    public void Programmes_do_not_add_up_the_most_generous_one_that_applies_is_granted()
    {
        Assert.Equal(100, Subsidy([EveryEnterprise, TechRelending], Product.SrdiELoan, SrdiLevel.Provincial, "2026-06-01"));
        Assert.Equal(50, Subsidy([EveryEnterprise, TechRelending], Product.SrdiELoan, SrdiLevel.Municipal, "2026-06-01"));
    }

    [Fact]
    public void An_unknown_recognition_qualifies_only_for_a_programme_open_to_every_recognition()
    {
        Assert.Equal(0, Subsidy([TechRelending], Product.SrdiELoan, null, "2026-06-01"));
        Assert.Equal(50, Subsidy([TechRelending, EveryEnterprise], Product.SrdiELoan, null, "2026-06-01"));
    }

    [Fact]
    public void A_well_formed_table_has_no_problems() => Assert.Empty(SubsidyProgrammes.Validate([TechRelending, EveryEnterprise]));

    [Fact]
    public void Every_problem_of_a_table_is_reported_naming_the_programme_and_setting()
    {
        var problems = SubsidyProgrammes.Validate(
        [
            TechRelending,
            TechRelending with { Until = new DateOnly(2025, 12, 31) },
            EveryEnterprise with { Name = "", Products = [], SrdiLevels = [SrdiLevel.Unspecified], SubsidyBps = 0, From = default },
            EveryEnterprise with { SubsidyBps = 10_001 },
        ]);
        Assert.Equal(
            [
                "programme 1 (tech-relending): Name appears twice",
                "programme 1 (tech-relending): Until (2025-12-31) must not be before From (2026-01-01)",
                "programme 2: Name must be 1 to 64 characters",
                "programme 2 (): Products must list one or more of SrdiELoan, OperatingQuickLoan",
                "programme 2 (): SrdiLevels must list one or more of None, InnovativeSme, Municipal, Provincial, NationalLittleGiant",
                "programme 2 (): SubsidyBps must be from 1 to 10000, not 0",
                "programme 2 (): From is required (yyyy-MM-dd)",
                "programme 3 (first-loan): SubsidyBps must be from 1 to 10000, not 10001",
            ],
            problems);
    }
}
