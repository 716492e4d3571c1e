using System.Diagnostics;
using System.Globalization;

namespace Decisioning.Testing;

/// <summary>Freezing a process (SIGSTOP) and letting it go on (SIGCONT): a machine that hangs, as opposed to one that dies; and asking it to stop (SIGTERM).</summary>
public static class ProcessSignals
{
    public static Task PauseAsync(int pid) => SendAsync("-STOP", pid);

    public static Task ResumeAsync(int pid) => SendAsync("-CONT", pid);

    /// <summary>Asks a process to stop (SIGTERM), as an operator or Kubernetes does.</summary>
    public static Task TerminateAsync(int pid) => SendAsync("-TERM", pid);

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
