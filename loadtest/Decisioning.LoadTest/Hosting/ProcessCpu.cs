using System.ComponentModel;
using System.Diagnostics;
using Decisioning.LoadTest.Configuration;

namespace Decisioning.LoadTest.Hosting;

/// <summary>
/// CPU time (user + system, all threads) of a process on this machine, sampled around the measured
/// window to give the server's CPU cost per call. On Linux, Process.TotalProcessorTime is
/// /proc/&lt;pid&gt;/stat's utime + stime scaled by the kernel's clock tick, which is what we want
/// without parsing the file or calling sysconf ourselves.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Read(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
        {
            throw new SetupException($"cannot read the CPU time of process {pid}: is it running on this machine?", ex);
        }
    }
}
