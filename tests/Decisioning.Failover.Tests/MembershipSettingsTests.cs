using Decisioning.Testing;

namespace Decisioning.Failover.Tests;

public sealed class MembershipSettingsTests
{
    [Theory]
    [InlineData("ProbeTimeout", "00:00:00.1")]
    [InlineData("NumVotesForDeathDeclaration", "4")]
    public async Task A_silo_refuses_to_start_with_a_membership_setting_out_of_range(string setting, string value)
    {
        var silo = SiloProcess.Create("127.0.0.1:1", new Dictionary<string, string>
        {
            ["Decisioning__Cluster__Clustering"] = "Redis",
            [$"Decisioning__Cluster__Membership__{setting}"] = value,
        });

        var exitCode = await silo.RunToExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"'MembershipTuning' members: '{setting}'", silo.Output, StringComparison.Ordinal);
    }
}
