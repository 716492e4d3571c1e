using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// A service of its own with small buckets (3 calls, refilled at 1 a second, per caller; 10 per
/// enterprise), so that one caller can exhaust its share while the others go on.
/// </summary>
public sealed class RateLimitTests(RateLimitTests.Limited fixture) : IClassFixture<RateLimitTests.Limited>
{
    private readonly ServiceProcess _service = fixture.Service;

    public sealed class Limited : IAsyncLifetime
    {
        private RedisServer _redis = null!;

        public ServiceProcess Service { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _redis = await RedisServer.StartAsync();
            Service = await ServiceProcess.StartAsync(_redis.Configuration, new Dictionary<string, string>
            {
                ["Decisioning__RateLimits__PerCaller__PerSecond"] = "1",
                ["Decisioning__RateLimits__PerCaller__Burst"] = "3",
                ["Decisioning__RateLimits__PerEnterprise__PerSecond"] = "1",
                ["Decisioning__RateLimits__PerEnterprise__Burst"] = "10",
                ["Decisioning__RateLimits__Callers__staff-tests__PerSecond"] = "1000",
                ["Decisioning__RateLimits__Callers__staff-tests__Burst"] = "1000",
                ["Decisioning__RateLimits__Callers__approver-tests__PerSecond"] = "1000",
                ["Decisioning__RateLimits__Callers__approver-tests__Burst"] = "1000",
                ["Decisioning__RateLimits__Callers__batch__PerSecond"] = "1000",
                ["Decisioning__RateLimits__Callers__batch__Burst"] = "1000",
            });
        }

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            await _redis.DisposeAsync();
        }

        /// <summary>A new line, opened by two staff members (whose quotas are large): each test's buckets are its own.</summary>
        public async Task<string> OpenAsync()
        {
            var id = TestEnterprises.Unique();
            await Service.OpenLineByFourEyesAsync(new() { EnterpriseId = id, RequestId = "open", LimitMinor = 1_000_000, AnnualRateBps = 300, TermDays = 365, Product = Product.OperatingQuickLoan });
            return id;
        }
    }

    [Fact]
    public async Task A_caller_over_its_quota_is_told_to_retry_later_while_another_caller_goes_on()
    {
        var (busy, quiet) = (await fixture.OpenAsync(), await fixture.OpenAsync());
        var noisy = Headers("noisy", busy);

        var refusal = await FirstRefusal(() => Lines.CheckLimitAsync(new() { EnterpriseId = busy, AmountMinor = 1 }, noisy).ResponseAsync);
        var other = await Lines.CheckLimitAsync(new() { EnterpriseId = quiet, AmountMinor = 1 }, Headers("polite", quiet));

        AssertRateLimited(refusal);
        Assert.True(other.Approved);
    }

    [Fact]
    public async Task A_refusal_for_the_rate_is_counted_on_the_scrape_endpoint()
    {
        var busy = await fixture.OpenAsync();
        var before = await RateLimitedAsync();

        var refusal = await FirstRefusal(() => Lines.CheckLimitAsync(new() { EnterpriseId = busy, AmountMinor = 1 }, Headers("counted", busy)).ResponseAsync);

        AssertRateLimited(refusal);
        Assert.Equal(1, await RateLimitedAsync() - before);
    }

    private async Task<double> RateLimitedAsync() =>
        ObservabilityTests.Sum((await ServiceProcess.GetAsync(_service.MetricsPort, "/metrics")).Body, "decisioning_refusals_total", ("reason", "RATE_LIMITED"));

    [Fact]
    public async Task Calls_about_one_enterprise_share_its_bucket_whoever_sends_them()
    {
        var (busy, quiet) = (await fixture.OpenAsync(), await fixture.OpenAsync());
        var batch = Headers("batch", "*");

        var refusal = await FirstRefusal(() => Lines.CheckLimitAsync(new() { EnterpriseId = busy, AmountMinor = 1 }, batch).ResponseAsync);
        var elsewhere = await Lines.CheckLimitAsync(new() { EnterpriseId = quiet, AmountMinor = 1 }, batch);

        AssertRateLimited(refusal);
        Assert.True(elsewhere.Approved);
    }

    [Fact]
    public async Task A_draw_refused_for_the_rate_changes_nothing()
    {
        var line = await fixture.OpenAsync();
        var staff = new CreditLineService.CreditLineServiceClient(_service.Channel);
        var before = await staff.GetLineAsync(new() { EnterpriseId = line });
        var drawer = Headers("drawer", line);
        var n = 0;

        var refusal = await FirstRefusal(() => Lines.DrawAsync(new() { EnterpriseId = line, RequestId = $"d-{++n}", AmountMinor = 100 }, drawer).ResponseAsync);

        AssertRateLimited(refusal);
        var after = (await staff.GetLineAsync(new() { EnterpriseId = line })).Line;
        Assert.Equal(before.Line.DrawnMinor + ((n - 1) * 100), after.DrawnMinor);
    }

    private CreditLineService.CreditLineServiceClient Lines => new(_service.Anonymous);

    private static Metadata Headers(string subject, string enterprise) =>
        new() { { "authorization", "Bearer " + TestTokens.Shared.Issue(subject, TestTokens.AllScopes, [enterprise]) } };

    /// <summary>Calls until one is refused; at most 50 (the buckets hold 3 and 10, refilled at 1 a second).</summary>
    private static async Task<RpcException> FirstRefusal(Func<Task> call)
    {
        for (var i = 0; i < 50; i++)
        {
            try
            {
                await call();
            }
            catch (RpcException e)
            {
                return e;
            }
        }

        throw new Xunit.Sdk.XunitException("50 calls in a row were admitted");
    }

    private static void AssertRateLimited(RpcException refusal)
    {
        Assert.Equal(StatusCode.ResourceExhausted, refusal.StatusCode);
        var status = refusal.GetRpcStatus()!;
        Assert.Equal("RATE_LIMITED", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.True(status.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
    }
}
