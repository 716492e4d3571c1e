using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class ApplicationSourcesTests
{
    private static readonly SuppliedParts None = new(false, false, false);
    private static readonly SuppliedParts All = new(true, true, true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_caller_that_may_not_supply_and_sends_no_part_has_them_fetched_whatever_it_asked(bool fetchRequested)
    {
        var decision = ApplicationSources.Check(None, callerMaySupply: false, fetchRequested);
        Assert.True(decision.Fetch);
        Assert.Empty(decision.Errors);
    }

    [Theory]
    [InlineData(true, false, false, "financing")]
    [InlineData(false, true, false, "tax")]
    [InlineData(false, false, true, "fund_flow")]
    public void A_caller_that_may_not_supply_is_denied_each_part_it_sends_naming_the_part(bool financing, bool tax, bool fundFlow, string field)
    {
        foreach (var fetchRequested in new[] { false, true })
        {
            var error = Assert.Single(ApplicationSources.Check(new SuppliedParts(financing, tax, fundFlow), callerMaySupply: false, fetchRequested).Errors);
            Assert.Equal((ErrorKind.PermissionDenied, "DATA_SUPPLY_NOT_PERMITTED", field), (error.Kind, error.Reason, error.Field));
            Assert.StartsWith(field + " may be supplied only by the bank's data services", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_caller_that_may_not_supply_and_sends_all_three_parts_is_denied_all_three_in_field_order() =>
        Assert.Equal(
            ["financing", "tax", "fund_flow"],
            ApplicationSources.Check(All, callerMaySupply: false, fetchRequested: false).Errors.Select(e => e.Field));

    [Fact]
    public void A_data_service_that_supplies_the_parts_has_them_used_and_nothing_fetched()
    {
        var decision = ApplicationSources.Check(All, callerMaySupply: true, fetchRequested: false);
        Assert.False(decision.Fetch);
        Assert.Empty(decision.Errors);
    }

    [Fact]
    public void A_data_service_that_supplies_no_part_and_does_not_ask_to_fetch_has_nothing_fetched_so_the_case_is_referred()
    {
        var decision = ApplicationSources.Check(None, callerMaySupply: true, fetchRequested: false);
        Assert.False(decision.Fetch);
        Assert.Empty(decision.Errors);
    }

    [Fact]
    public void A_data_service_that_asks_to_fetch_has_the_parts_fetched()
    {
        var decision = ApplicationSources.Check(None, callerMaySupply: true, fetchRequested: true);
        Assert.True(decision.Fetch);
        Assert.Empty(decision.Errors);
    }

    [Fact]
    public void A_data_service_that_asks_to_fetch_and_supplies_a_part_gets_invalid_argument_naming_that_part()
    {
        var error = Assert.Single(ApplicationSources.Check(new SuppliedParts(false, true, false), callerMaySupply: true, fetchRequested: true).Errors);
        Assert.Equal((ErrorKind.InvalidArgument, "SUPPLIED_WITH_FETCH", "tax"), (error.Kind, error.Reason, error.Field));
    }
}
