namespace Decisioning.LoadTest;

/// <summary>
/// What the process exit code tells a pipeline. Distinct codes so that a gate can tell a slow
/// service (SLO) from a wrong one (ledger) from a run that never measured anything (setup).
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A bug in the tool: an exception nobody expected.</summary>
    public const int UnexpectedError = 1;

    public const int InvalidArguments = 2;

    /// <summary>The run completed and at least one --slo was missed.</summary>
    public const int SloMissed = 3;

    /// <summary>The ledger check found lost, double-applied or unexplained operations, or could not read every line back.</summary>
    public const int LedgerMismatch = 4;

    /// <summary>Nothing was measured: the target did not answer or was not SERVING, lines could not be opened, the server pid is unreadable, the output folder is not writable.</summary>
    public const int SetupFailed = 5;

    /// <summary>Stopped by Ctrl-C or SIGTERM before the window ended; what was measured is still reported and checked.</summary>
    public const int Interrupted = 130;

    public const string HelpText = """
        Exit codes:
          0    run completed, every --slo met, ledger consistent
          1    unexpected error in the tool
          2    invalid arguments (including a non-loopback target without --allow-remote)
          3    at least one --slo missed
          4    ledger check failed: lost, double-applied or unexplained operations (wins over 3)
          5    setup failed: target unreachable or not SERVING, lines not opened, --server-pid or --redis-pid unreadable
          130  interrupted (Ctrl-C); the partial result is still written
        """;
}
