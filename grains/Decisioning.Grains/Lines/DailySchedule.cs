using Decisioning.Domain.Lines;
using Microsoft.Extensions.Logging;

namespace Decisioning.Grains.Lines;

/// <summary>
/// When time acts on one line's activation (issue 11): an open line (active or frozen) keeps a
/// persistent Orleans reminder that runs the daily process once per business day, surviving
/// restarts and moving between silos with the line; a closed or written-off line drops it. The
/// reminder is registered when the line opens (and on the first activation of a line opened before
/// its mark existed), not on every activation: see <see cref="DailyReminders"/>. While
/// the line is active in memory, a timer also runs the process at its next hold's expiry, so that
/// the expiry is journaled at its time, not at the next call. Everything it runs is idempotent.
/// </summary>
internal sealed class DailySchedule(Grain grain, Func<Task> expire, TimeProvider clock, OverdueOptions options, DailyReminders? reminders, ILogger logger)
{
    public const string ReminderName = "daily";

    /// <summary>Never sooner than this between two expiry runs: a failing write must not spin.</summary>
    private static readonly TimeSpan MinimumTimerDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether the line's reminder is registered (and marked); null until the mark is read.</summary>
    private bool? _reminding;

    /// <summary>Whether this schedule has changed (or tried to change) the reminder.</summary>
    private bool _changed;

    /// <summary>The newest change of the reminder, done or in flight.</summary>
    private Task _keeping = Task.CompletedTask;
    private IGrainTimer? _expiry;

    /// <summary>
    /// Keeps the reminder and the expiry timer in step with the line's durable state;
    /// <paramref name="mark"/>, the line's reminder mark when the caller has read it already (used
    /// only while the schedule does not know whether the reminder is registered).
    /// </summary>
    public Task Keep(LineState line, Task<ReminderMark>? mark = null)
    {
        ScheduleExpiry(line);
        var open = line.Status is LineStatus.Active or LineStatus.Frozen;
        // A line never opened has no reminder to keep or drop (most such activations hold a decline).
        if (reminders is null || (_reminding is null && !line.Exists))
        {
            return Task.CompletedTask;
        }

        // Already kept, or being kept, for this state: a caller that comes second (the grain after
        // its own commit, and the commit's callback for the front door's path) waits for the same
        // registration instead of answering before it.
        if (_reminding == open)
        {
            return _keeping;
        }

        // Set before the first await: the grain is reentrant, and a second call must not register again.
        var known = _reminding;
        _reminding = open;
        // A mark read before (at load) stands for the first change only: this schedule's own
        // writes, or their failures, may have moved it since.
        var first = !_changed;
        _changed = true;
        return _keeping = Change(open, known, first ? mark : null);
    }

    private async Task Change(bool open, bool? known, Task<ReminderMark>? mark)
    {
        var id = grain.GetPrimaryKeyString();
        try
        {
            var marked = known switch
            {
                true => ReminderMark.Current,
                false => ReminderMark.None,
                // A mark whose read failed is read again.
                null => await (mark is { IsFaulted: false, IsCanceled: false } read ? read : reminders!.ReadAsync(id)),
            };
            if (open && marked != ReminderMark.Current)
            {
                await grain.RegisterOrUpdateReminder(ReminderName, options.UntilNextRun(clock.GetUtcNow()), options.DailyRunPeriod);
                await reminders!.MarkAsync(id);
            }
            else if (!open && marked != ReminderMark.None)
            {
                await reminders!.UnmarkAsync(id);
                await Drop();
            }
        }
        catch (Exception ex)
        {
            // Tried again with the next change or activation; until then the reminder stays as it was.
            _reminding = null;
            logger.LogWarning(ex, "Keeping the daily reminder of line {EnterpriseId} failed", id);
        }
    }

    /// <summary>
    /// After the reminder's run: a line no longer open drops a reminder that outlived its mark (an
    /// unregistration that failed, or a line closed before marks existed).
    /// </summary>
    public async Task Ticked(LineState line)
    {
        if (reminders is null || line.Status is LineStatus.Active or LineStatus.Frozen)
        {
            return;
        }

        try
        {
            await Drop();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dropping the daily reminder of line {EnterpriseId} failed", grain.GetPrimaryKeyString());
        }
    }

    private async Task Drop()
    {
        if (await grain.GetReminder(ReminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
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
