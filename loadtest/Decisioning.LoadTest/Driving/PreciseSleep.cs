using System.Runtime.InteropServices;

namespace Decisioning.LoadTest.Driving;

/// <summary>
/// Sub-millisecond sleeps for the open-loop pacer. Thread.Sleep and timers have a 1 ms grain, so
/// an arrival would leave up to a millisecond late and carry that into its latency; spinning
/// instead costs a whole core, which on a small machine is taken from the server under test.
/// On Linux nanosleep(2) wakes within tens of microseconds (the kernel's timer slack) without
/// burning CPU; elsewhere we fall back to Thread.Sleep and the send lag in the result shows the cost.
/// </summary>
internal static partial class PreciseSleep
{
    public static void For(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            var request = new Timespec { Seconds = (long)duration.TotalSeconds, Nanoseconds = duration.Ticks % TimeSpan.TicksPerSecond * 100 };
            // An interrupted sleep (EINTR) returns early; the pacer re-reads the clock and sleeps again.
            _ = NanoSleep(request, IntPtr.Zero);
            return;
        }

        Thread.Sleep(duration < TimeSpan.FromMilliseconds(1) ? TimeSpan.Zero : duration);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in Timespec request, IntPtr remaining);
}
