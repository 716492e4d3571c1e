using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Decisioning.GrpcHost.Security;

/// <summary>Token buckets per caller and per enterprise (Decisioning:RateLimits).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Decisioning:RateLimits";

    /// <summary>Off only for load tests and benchmarks (./run.sh with DECISIONING_RATE_LIMITS=off); the service says so at start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What one caller (a token's subject) may send, over all enterprises.</summary>
    [Required]
    public Bucket PerCaller { get; set; } = new() { PerSecond = 2_000, Burst = 4_000 };

    /// <summary>What all callers together may send about one enterprise.</summary>
    [Required]
    public Bucket PerEnterprise { get; set; } = new() { PerSecond = 200, Burst = 400 };

    /// <summary>Callers with a quota of their own, by subject (a bank's batch service, say).</summary>
    public Dictionary<string, Bucket> Callers { get; set; } = [];

    public sealed class Bucket
    {
        [Range(1, 10_000_000)]
        public int PerSecond { get; set; }

        [Range(1, 10_000_000)]
        public int Burst { get; set; }
    }
}

/// <summary>
/// Keeps one caller, or one enterprise, from taking the service from the others: a call over
/// either bucket is RESOURCE_EXHAUSTED with the time after which a retry can succeed.
/// </summary>
public sealed class RateLimits : IDisposable
{
    // The partitioned limiter refills its buckets every 100 ms, in proportion to the time passed.
    private static readonly TimeSpan Refill = TimeSpan.FromMilliseconds(100);

    private readonly PartitionedRateLimiter<string>? _callers;
    private readonly PartitionedRateLimiter<string>? _enterprises;

    public RateLimits(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        _callers = PartitionedRateLimiter.Create<string, string>(subject =>
            RateLimitPartition.GetTokenBucketLimiter(subject, _ => Bucket(o.Callers.GetValueOrDefault(subject) ?? o.PerCaller)));
        _enterprises = PartitionedRateLimiter.Create<string, string>(enterprise =>
            RateLimitPartition.GetTokenBucketLimiter(enterprise, _ => Bucket(o.PerEnterprise)));
    }

    public bool Enabled => _callers is not null;

    /// <summary>Null when the call may go ahead; else how long the caller should wait.</summary>
    public TimeSpan? Refuse(string subject, string? enterpriseId)
    {
        if (_callers is null)
        {
            return null;
        }

        using var byCaller = _callers.AttemptAcquire(subject);
        if (!byCaller.IsAcquired)
        {
            return RetryAfter(byCaller);
        }

        if (enterpriseId is null)
        {
            return null;
        }

        using var byEnterprise = _enterprises!.AttemptAcquire(enterpriseId);
        return byEnterprise.IsAcquired ? null : RetryAfter(byEnterprise);
    }

    public void Dispose()
    {
        _callers?.Dispose();
        _enterprises?.Dispose();
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : Refill;

    private static TokenBucketRateLimiterOptions Bucket(RateLimitOptions.Bucket bucket) => new()
    {
        TokenLimit = bucket.Burst,
        TokensPerPeriod = bucket.PerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        AutoReplenishment = true,
        QueueLimit = 0,
    };
}
