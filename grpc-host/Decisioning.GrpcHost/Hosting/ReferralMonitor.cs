using System.Diagnostics.Metrics;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Diagnostics;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Storage;
using StackExchange.Redis;

namespace Decisioning.GrpcHost.Hosting;

/// <summary>
/// The referral queue against its three-working-day target, as metrics of the meter "Decisioning":
/// <c>decisioning.referrals.open</c>, <c>decisioning.referrals.about_to_breach</c> and
/// <c>decisioning.referrals.breached</c> (gauges, counted from the referral index every
/// <see cref="Interval"/>: an observable instrument's callback must not wait on Redis).
/// </summary>
public sealed class ReferralMonitor(ReferralIndex index, IConnectionMultiplexer redis, WorkingDays workingDays, TimeProvider clock, ILogger<ReferralMonitor> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static readonly Meter Meter = new(GrainTelemetry.MeterName);
    private static ReferralMonitor? _current;

    static ReferralMonitor()
    {
        Meter.CreateObservableGauge("decisioning.referrals.open", () => _current?._open ?? 0, "{referral}", "Referrals waiting for a reviewer's decision");
        Meter.CreateObservableGauge("decisioning.referrals.about_to_breach", () => _current?._aboutToBreach ?? 0, "{referral}", "Open referrals with at most one working day of the three-day target left");
        Meter.CreateObservableGauge("decisioning.referrals.breached", () => _current?._breached ?? 0, "{referral}", "Open referrals past the three-working-day target");
    }

    private long _open;
    private long _aboutToBreach;
    private long _breached;

    /// <summary>Counts the queue now (also what each pass does).</summary>
    public async Task CountAsync()
    {
        var today = BusinessCalendar.DateOf(clock.GetUtcNow());
        var ages = (await index.ReadAllAsync(redis.GetDatabase(), clock.GetUtcNow()))
            .Where(r => r.Referral.IsOpen)
            .Select(r => r.Referral.AgeOn(today, workingDays.Calendar))
            .ToList();
        Interlocked.Exchange(ref _open, ages.Count);
        Interlocked.Exchange(ref _aboutToBreach, ages.Count(a => a.AboutToBreach));
        Interlocked.Exchange(ref _breached, ages.Count(a => a.Breached));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _current = this;
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await CountAsync();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Counting the referral queue failed: the referral gauges keep their last values");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false) is true);
    }
}
