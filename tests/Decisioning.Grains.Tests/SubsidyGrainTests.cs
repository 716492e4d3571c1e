using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>The interest subsidy an approval gives a line comes from the configured programmes (Decisioning:Subsidy).</summary>
public sealed class SubsidyGrainTests
{
    /// <summary>SRDI e-Loans of provincially or nationally recognised enterprises, 100 bps, through 2026.</summary>
    private static readonly Dictionary<string, string?> TechRelending = new()
    {
        ["Decisioning:Subsidy:Programmes:0:Name"] = "tech-relending-2026",
        ["Decisioning:Subsidy:Programmes:0:Products:0"] = "SrdiELoan",
        ["Decisioning:Subsidy:Programmes:0:SrdiLevels:0"] = "Provincial",
        ["Decisioning:Subsidy:Programmes:0:SrdiLevels:1"] = "NationalLittleGiant",
        ["Decisioning:Subsidy:Programmes:0:SubsidyBps"] = "100",
        ["Decisioning:Subsidy:Programmes:0:From"] = "2026-01-01",
        ["Decisioning:Subsidy:Programmes:0:Until"] = "2026-12-31",
    };

    private static async Task<AssessmentResult> AssessAsync(LineCluster cluster, Func<CreditApplication, CreditApplication>? change = null)
    {
        var id = TestEnterprises.Unique();
        var application = TestApplications.Sound(id, BusinessCalendar.DateOf(cluster.Clock.GetUtcNow()));
        return (await cluster.Assessment.Assess(new AssessRequest { Actor = LineCluster.Caller, RequestId = "assess-1", Application = change?.Invoke(application) ?? application })).Value!;
    }

    [Fact]
    public async Task An_approval_for_a_product_and_recognition_of_a_running_programme_opens_the_line_with_its_subsidy()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, settings: TechRelending);

        var reply = await AssessAsync(cluster);

        Assert.Equal((Outcome.Approve, Product.SrdiELoan), (reply.Decision!.Outcome, reply.Decision.Product));
        Assert.Equal(100, reply.Line!.SubsidyBps);
    }

    [Fact]
    public async Task An_approval_outside_every_programme_opens_the_line_without_a_subsidy()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, settings: TechRelending);

        var municipal = await AssessAsync(cluster, a => a with { Profile = a.Profile with { SrdiLevel = SrdiLevel.Municipal } });
        var quickLoan = await AssessAsync(cluster, a => a with { Product = Product.OperatingQuickLoan });

        Assert.Equal((Outcome.Approve, 0), (municipal.Decision!.Outcome, municipal.Line!.SubsidyBps));
        Assert.Equal((Outcome.Approve, Product.OperatingQuickLoan, 0), (quickLoan.Decision!.Outcome, quickLoan.Line!.Product, quickLoan.Line.SubsidyBps));
    }

    [Fact]
    public async Task An_approval_the_day_after_a_programme_ends_opens_the_line_without_its_subsidy()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, settings: TechRelending);
        cluster.Clock.Advance(BusinessCalendar.StartOf(new DateOnly(2027, 1, 1)) - cluster.Clock.GetUtcNow());

        var reply = await AssessAsync(cluster);

        Assert.Equal((Outcome.Approve, 0), (reply.Decision!.Outcome, reply.Line!.SubsidyBps));
    }

    [Fact]
    public async Task Without_configured_programmes_no_line_carries_a_subsidy()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);

        var reply = await AssessAsync(cluster);

        Assert.Equal((Outcome.Approve, 0), (reply.Decision!.Outcome, reply.Line!.SubsidyBps));
    }

    [Fact]
    public async Task The_silo_refuses_to_start_on_an_invalid_programme_table()
    {
        await using var redis = await RedisServer.StartAsync();
        var broken = new Dictionary<string, string?>(TechRelending) { ["Decisioning:Subsidy:Programmes:0:Until"] = "2025-12-31" };

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var cluster = await LineCluster.StartAsync(redis, settings: broken);
        });

        Assert.Contains("Until (2025-12-31) must not be before From (2026-01-01)", error.ToString(), StringComparison.Ordinal);
    }
}
