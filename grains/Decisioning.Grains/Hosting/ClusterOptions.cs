using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Decisioning.Grains.Hosting;

public enum Clustering
{
    /// <summary>One silo on this machine (the co-hosted default).</summary>
    Localhost,

    /// <summary>Silos find each other through Redis (the Orleans Redis clustering provider).</summary>
    Redis,
}

public sealed class DecisioningClusterOptions
{
    public const string Section = "Decisioning:Cluster";

    public Clustering Clustering { get; set; } = Clustering.Localhost;

    [Required, RegularExpression("^[A-Za-z0-9-]{1,64}$")]
    public string ClusterId { get; set; } = "decisioning";

    [Required, RegularExpression("^[A-Za-z0-9-]{1,64}$")]
    public string ServiceId { get; set; } = "decisioning";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at (Redis clustering).</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address the silo and gateway ports listen on (Redis clustering): loopback unless set.
    /// Beyond loopback (0.0.0.0, an interface's address) mutual TLS is required (<see cref="ClusterTlsOptions"/>).
    /// </summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Silos run under Kubernetes (Microsoft.Orleans.Hosting.Kubernetes): the pod's name, namespace and
    /// address come from the pod, and silos whose pods are gone are declared dead at once. Off by default.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>How fast a dead silo is found out, and how fast front doors learn of gateways (Redis clustering).</summary>
    public MembershipTuning Membership { get; set; } = new();

    public IPAddress ParsedListenAddress() => Parse(ListenAddress, nameof(ListenAddress));

    public IPAddress ParsedAdvertisedAddress() => Parse(AdvertisedAddress, nameof(AdvertisedAddress));

    private static IPAddress Parse(string value, string setting) => IPAddress.TryParse(value, out var address)
        ? address
        : throw new InvalidOperationException($"{Section}:{setting} '{value}' is not an IP address.");
}

/// <summary>
/// Failure detection, tuned for the window a dead silo's lines fail in (target ≤ 8 s; Orleans' own
/// defaults measured ~12 s). A silo is declared dead once <see cref="NumVotesForDeathDeclaration"/>
/// silos have each missed <see cref="NumMissedProbesLimit"/> probes of it, one probe per
/// <see cref="ProbeTimeout"/>: about ProbeTimeout × NumMissedProbesLimit after it stopped answering.
/// Shorter probes find a dead silo sooner and a merely slow one (a long GC pause, a starved machine)
/// wrongly: below 1 s a loaded two-core machine evicts live silos. docs/operations.md has the measurements.
/// </summary>
public sealed class MembershipTuning
{
    public const string Section = DecisioningClusterOptions.Section + ":Membership";

    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 10)]
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>At most the number of silos that probe each silo (Orleans' NumProbedSilos, 3).</summary>
    [Range(1, 3)]
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>A suspicion older than this no longer counts: a few probe periods, so that votes of one outage add up and stale ones do not.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a silo writes its heartbeat to the membership table (diagnostics, and how ./cluster.sh status tells a live entry).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a front door (Orleans client) reads the gateway list: how soon it uses a silo that (re)joined.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
