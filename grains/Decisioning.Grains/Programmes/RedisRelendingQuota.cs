using System.Collections.Immutable;
using System.Globalization;
using Decisioning.Domain.Programmes;
using Decisioning.Grains.Hosting;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Programmes;

/// <summary>
/// The re-lending quota in Redis: one hash per period, <c>{prefix}:{relending}:{period}</c>, changed
/// only by quota.lua (atomic, and confirmed on the replicas as a line's commit is). What lines hold
/// is counted there before a line may use it, so the periods are never over-used, whatever runs
/// concurrently and whichever silo fails.
/// </summary>
public sealed class RedisRelendingQuota(IConnectionMultiplexer redis, IOptions<LineStorageOptions> options, IOptions<RedisOptions> redisOptions)
{
    private const string MonthFormat = "yyyy-MM";

    private readonly string _prefix = options.Value.KeyPrefix + ":{relending}:";
    private readonly AcknowledgedScript _script = new(redis, EmbeddedScripts.Read("quota.lua"), redisOptions.Value);

    public async Task<LeaseAnswer> LeaseAsync(RelendingPeriod period, LeaseRequest request, DateOnly today)
    {
        RedisValue[] args =
        [
            request.LineId, request.Version, request.HoldingMinor, request.WantMinor, period.AmountMinor,
            today.ToString(MonthFormat, CultureInfo.InvariantCulture),
        ];
        var reply = (RedisResult[])(await _script.EvaluateAsync([Key(period.Name)], args))!;
        return (string)reply[0]! switch
        {
            "OK" => new LeaseAnswer((long)reply[1], false, (long)reply[2]),
            "STALE" => new LeaseAnswer(0, true, (long)reply[1]),
            var other => throw new InvalidOperationException($"the quota script answered '{other}'"),
        };
    }

    /// <summary>What lines hold of the period, and its months from its first to <paramref name="today"/> (or its last).</summary>
    public async Task<RelendingQuotaView> ReadAsync(RelendingPeriod period, DateOnly today)
    {
        var last = today < period.Until ? today : period.Until;
        var months = new List<DateOnly>();
        for (var month = new DateOnly(period.From.Year, period.From.Month, 1); month <= last; month = month.AddMonths(1))
        {
            months.Add(month);
        }

        RedisValue[] fields = [(RedisValue)"used", .. months.Select(m => (RedisValue)("m:" + m.ToString(MonthFormat, CultureInfo.InvariantCulture)))];
        var values = await redis.GetDatabase().HashGetAsync(Key(period.Name), fields);
        long running = 0;
        var byMonth = ImmutableArray.CreateBuilder<RelendingMonth>(months.Count);
        for (var i = 0; i < months.Count; i++)
        {
            var change = values[i + 1].IsNull ? 0 : (long)values[i + 1];
            running = checked(running + change);
            byMonth.Add(new RelendingMonth(months[i].ToString(MonthFormat, CultureInfo.InvariantCulture), change, running));
        }

        return new RelendingQuotaView { Period = period, UsedMinor = values[0].IsNull ? 0 : (long)values[0], Months = byMonth.MoveToImmutable() };
    }

    private RedisKey Key(string period) => _prefix + period;
}
