using System.Diagnostics;
using System.Globalization;

namespace Decisioning.Testing;

/// <summary>Freezing a process (SIGSTOP) and letting it go on (SIGCONT): a machine that hangs, as opposed to one that dies; and asking it to stop (SIGTERM).</summary>
public static class ProcessSignals
{
    /// <summary>
    /// Freezes the process (SIGSTOP) and returns once every thread of it is stopped. kill(2) only
    /// queues the signal: the thread it wakes must run to begin the stop, and each other thread
    /// stops when it next runs. On a loaded machine the process can go on for a while meanwhile,
    /// long enough to serve a call sent right after kill returned.
    /// </summary>
    public static async Task PauseAsync(int pid)
    {
        await SendAsync("-STOP", pid);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!IsStopped(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"process {pid} did not stop within 30 s of SIGSTOP");
            }

            await Task.Delay(10);
        }
    }

    public static Task ResumeAsync(int pid) => SendAsync("-CONT", pid);

    /// <summary>Asks a process to stop (SIGTERM), as an operator or Kubernetes does.</summary>
    public static Task TerminateAsync(int pid) => SendAsync("-TERM", pid);

    /// <summary>Whether every thread of the process is stopped by a signal: state T in <c>/proc/PID/task/TID/stat</c> (or gone).</summary>
    public static bool IsStopped(int pid)
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
                continue;
            }

            // "TID (name) STATE …": the name may hold spaces and parentheses, the state follows the last ')'.
            if (stat[stat.LastIndexOf(')') + 2] is not ('T' or 'Z' or 'X'))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task SendAsync(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { signal, pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {pid} exited with {kill.ExitCode}");
        }
    }
}
