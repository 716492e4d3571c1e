namespace Decisioning.Grains.Tests;

/// <summary>
/// A clock for tests that jump days or months: its time moves only by <see cref="Advance"/> (or,
/// running, with the wall clock from a shifted start), while its timers wait in real time. A
/// FakeTimeProvider fires every periodic timer of the silo once per period skipped, which makes a
/// jump of a year take minutes; Orleans reminders computed from this clock fire at once when due.
/// </summary>
internal sealed class MovableClock(DateTimeOffset start, bool running = false) : TimeProvider
{
    private readonly long _startedAt = System.GetTimestamp();
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow()
    {
        var moved = start.AddTicks(Interlocked.Read(ref _offsetTicks));
        return running ? moved + System.GetElapsedTime(_startedAt) : moved;
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
