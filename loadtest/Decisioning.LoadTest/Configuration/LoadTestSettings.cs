using Decisioning.LoadTest.Keys;
using Decisioning.LoadTest.Workloads;

namespace Decisioning.LoadTest.Configuration;

public enum LoadMode
{
    Closed,
    Open,
}

/// <summary>A run as the command line asked for it, every value checked.</summary>
public sealed record LoadTestSettings
{
    public required Uri Target { get; init; }

    public bool AllowRemote { get; init; }

    public bool Insecure { get; init; }

    /// <summary>The bearer token of every call; null sends none (the service then refuses all but the no-op).</summary>
    public string? Token { get; init; }

    /// <summary>A second staff member's token: approves the line openings <see cref="Token"/> proposes (four eyes).</summary>
    public string? ApproverToken { get; init; }

    /// <summary>noop, check, draw, repay, hold or mix.</summary>
    public required string Scenario { get; init; }

    public required Mix Mix { get; init; }

    public LoadMode Mode { get; init; } = LoadMode.Closed;

    public int Concurrency { get; init; } = 64;

    public double? Rate { get; init; }

    public int Senders { get; init; } = 4;

    public int MaxInFlight { get; init; } = 10_000;

    public int Connections { get; init; } = 4;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public long? MaxRequests { get; init; }

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(5);

    public int Enterprises { get; init; } = 1000;

    /// <summary>Draws of 1 fen per line during set-up: the history each line starts the run with.</summary>
    public int History { get; init; }

    public KeyDistribution Distribution { get; init; } = KeyDistribution.Uniform;

    public AmountRange Amounts { get; init; } = AmountRange.Default;

    public required ulong Seed { get; init; }

    public IReadOnlyList<Slo> Slos { get; init; } = [];

    /// <summary>null: on when the mix changes lines.</summary>
    public bool? LedgerCheck { get; init; }

    public int? ServerPid { get; init; }

    /// <summary>The redis-server the service writes to, on this machine: its CPU per call over the window.</summary>
    public int? RedisPid { get; init; }

    public required string OutputDirectory { get; init; }

    public bool Quiet { get; init; }

    public bool Mutates => Mix.Kinds.Any(k => Workloads.Workloads.For(k).Mutates);

    public bool LedgerCheckEnabled => LedgerCheck ?? Mutates;
}
