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

    public IPAddress ParsedListenAddress() => Parse(ListenAddress, nameof(ListenAddress));

    public IPAddress ParsedAdvertisedAddress() => Parse(AdvertisedAddress, nameof(AdvertisedAddress));

    private static IPAddress Parse(string value, string setting) => IPAddress.TryParse(value, out var address)
        ? address
        : throw new InvalidOperationException($"{Section}:{setting} '{value}' is not an IP address.");
}
