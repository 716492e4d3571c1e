using Decisioning.Domain.Lines;
using Microsoft.Extensions.Logging;

namespace Decisioning.Grains.Lines;

/// <summary>Registered by <c>AddDecisioningDailyProcess</c>: the silo keeps reminders (in Redis), so lines register theirs.</summary>
public sealed class DailyReminders
{
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

/// <summary>
/// When time acts on one line's activation (issue 11): an open line (active or frozen) keeps a
/// persistent Orleans reminder that runs the daily process once per business day, surviving
/// restarts and moving between silos with the line; a closed or written-off line drops it. While
/// the line is active in memory, a timer also runs the process at its next hold's expiry, so that
/// the expiry is journaled at its time, not at the next call. Everything it runs is idempotent.
/// </summary>
internal sealed class DailySchedule(Grain grain, Func<Task> expire, TimeProvider clock, OverdueOptions options, bool reminders, ILogger logger)
{
    public const string ReminderName = "daily";

    /// <summary>Never sooner than this between two expiry runs: a failing write must not spin.</summary>
    private static readonly TimeSpan MinimumTimerDelay = TimeSpan.FromMilliseconds(200);

    private bool? _reminding;
    private IGrainTimer? _expiry;

    /// <summary>Keeps the reminder and the expiry timer in step with the line's durable state.</summary>
    public async Task Keep(LineState line)
    {
        ScheduleExpiry(line);
        var open = line.Status is LineStatus.Active or LineStatus.Frozen;
        if (!reminders || _reminding == open)
        {
            return;
        }

        // Set before the write: the grain is reentrant, and a second call must not register again.
        _reminding = open;
        try
        {
            if (open)
            {
                await grain.RegisterOrUpdateReminder(ReminderName, options.UntilNextRun(clock.GetUtcNow()), options.DailyRunPeriod);
            }
            else if (await grain.GetReminder(ReminderName) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }
        }
        catch (Exception ex)
        {
            // Tried again with the next change or activation; until then the reminder stays as it was.
            _reminding = null;
            logger.LogWarning(ex, "Keeping the daily reminder of line {EnterpriseId} failed", grain.GetPrimaryKeyString());
        }
    }

    private void ScheduleExpiry(LineState line)
    {
        if (line.Holds.IsEmpty)
        {
            _expiry?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = line.Holds.Min(h => h.ExpiresAt) - clock.GetUtcNow();
        due = due < MinimumTimerDelay ? MinimumTimerDelay : due;
        if (_expiry is null)
        {
            _expiry = grain.RegisterGrainTimer(
                _ => expire(),
                new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = true });
        }
        else
        {
            _expiry.Change(due, Timeout.InfiniteTimeSpan);
        }
    }
}
