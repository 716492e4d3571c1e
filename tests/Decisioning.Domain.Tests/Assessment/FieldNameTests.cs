using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Decisioning.Domain.Assessment;
using static Decisioning.Domain.Tests.Assessment.Fixtures;

namespace Decisioning.Domain.Tests.Assessment;

public sealed class FieldNameTests
{
    public static TheoryData<string> ApplicationFields =>
    [
        .. typeof(Fields).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(name => name != Fields.DecisionId),
    ];

    [Theory]
    [MemberData(nameof(ApplicationFields))]
    public void Every_field_name_in_messages_is_a_path_in_the_application_as_json(string field)
    {
        JsonNode? node = JsonSerializer.SerializeToNode(Perfect(), Json);
        foreach (var part in field.Split('.'))
        {
            node = node?.AsObject().TryGetPropertyValue(part, out var child) == true ? child : throw new Xunit.Sdk.XunitException($"{field}: no '{part}' in the application's JSON");
        }
    }

    [Fact]
    public void Month_and_counterparty_paths_are_in_the_application_as_json()
    {
        var json = JsonSerializer.SerializeToNode(Perfect(), Json)!;
        Assert.NotNull(json["fund_flow"]!["months"]![11]!["counterparties"]![2]!["inflow_minor"]);
        Assert.Equal("fund_flow.months[11].counterparties[2]", Fields.Counterparty(11, 2));
    }
}
