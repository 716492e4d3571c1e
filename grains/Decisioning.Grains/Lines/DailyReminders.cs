using Decisioning.Grains.Hosting;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Decisioning.Grains.Lines;

/// <summary>
/// Registered by <c>AddDecisioningDailyProcess</c>: the silo keeps reminders (in Redis), so lines
/// register theirs. Orleans answers every registration with a write to the reminder table (its
/// reminder service keeps no cache to compare with) and every look-up with a call to the grain
/// service and a read, so a line does not ask it on each activation: once its reminder is
/// registered it marks so beside its own keys (<c>{prefix}:{id}:daily</c>, the schedule the
/// reminder was registered for), and an activation that finds the mark of this schedule registers
/// nothing. The mark is written after the registration and deleted before the unregistration, so it
/// never stands for a reminder that is not there; a reminder that outlives its mark (a closing whose
/// unregistration failed) is dropped when it next fires on a line that is not open.
/// </summary>
public sealed class DailyReminders(
    IConnectionMultiplexer redis,
    IOptions<LineStorageOptions> storage,
    IOptions<RedisOptions> redisOptions,
    IOptions<OverdueOptions> overdue,
    IOptions<ClusterOptions> cluster)
{
    private readonly LineKeys _keys = new(storage.Value.KeyPrefix, redisOptions.Value.KeyPartitions);

    /// <summary>
    /// What a reminder was registered for: another service id (another reminder table), period or
    /// time of day registers it again.
    /// </summary>
    private readonly RedisValue _schedule = $"{cluster.Value.ServiceId}/{overdue.Value.DailyRunPeriod:c}/{overdue.Value.DailyRunAt:c}";

    /// <summary>
    /// The line's mark; <see cref="ReminderMark.None"/> when it cannot be read, so that the line
    /// registers its reminder again (a registration is idempotent, and reports its own failure).
    /// </summary>
    public async Task<ReminderMark> ReadAsync(string enterpriseId)
    {
        RedisValue mark;
        try
        {
            mark = await Db.StringGetAsync(_keys.For(enterpriseId).DailyReminder);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            return ReminderMark.None;
        }

        return mark.IsNull ? ReminderMark.None : mark == _schedule ? ReminderMark.Current : ReminderMark.Stale;
    }

    /// <summary>After the reminder is registered: durable before it returns, as every write.</summary>
    public Task MarkAsync(string enterpriseId) => Db.StringSetAsync(_keys.For(enterpriseId).DailyReminder, _schedule);

    /// <summary>Before the reminder is unregistered.</summary>
    public Task UnmarkAsync(string enterpriseId) => Db.KeyDeleteAsync(_keys.For(enterpriseId).DailyReminder);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>The enterprise ids of the lines that keep a daily reminder: every open line.</summary>
    public static async Task<List<string>> OpenLinesAsync(IReminderTable table)
    {
        // (0, 0]: a begin not below the end reads the whole ring.
        var rows = await table.ReadRows(0, 0);
        return [.. rows.Reminders
            .Where(r => r.ReminderName == DailySchedule.ReminderName && r.GrainId.Type.ToString() == CreditLineGrain.TypeName)
            .Select(r => r.GrainId.Key.ToString()!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }
}

/// <summary>What a line's mark says of its daily reminder.</summary>
public enum ReminderMark
{
    /// <summary>No mark: not registered, or registered before marks existed.</summary>
    None,

    /// <summary>Registered for another schedule (service id, period or time of day).</summary>
    Stale,

    /// <summary>Registered for this schedule.</summary>
    Current,
}
