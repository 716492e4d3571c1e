namespace Decisioning.LoadTest.Workloads;

/// <summary>What one arrival of the load does. A mix picks one of these per arrival.</summary>
public enum WorkloadKind
{
    /// <summary>grpc.health.v1.Health/Check: the gRPC stack's own limit on this machine.</summary>
    Noop,

    Check,
    Draw,
    Repay,

    /// <summary>PlaceHold, then CaptureHold (in full or in part) or ReleaseHold on the hold it placed.</summary>
    Hold,

    /// <summary>AssessEnterprise with the external data fetched (and cached after each enterprise's first call).</summary>
    Assess,
}

public static class WorkloadNames
{
    public static string Name(WorkloadKind kind) => kind.ToString().ToLowerInvariant();

    public static WorkloadKind Parse(string name)
    {
        var trimmed = name.Trim().ToLowerInvariant();
        foreach (var kind in Enum.GetValues<WorkloadKind>())
        {
            if (Name(kind) == trimmed)
            {
                return Unavailable(kind) is { } why ? throw new FormatException(why) : kind;
            }
        }

        throw new FormatException($"'{name}' is not a workload: use noop, check, draw, repay, hold or assess");
    }

    /// <summary>Why a known workload cannot run yet, or null when it can (every one can now; kept for the next reserved one).</summary>
    public static string? Unavailable(WorkloadKind kind) => null;
}
