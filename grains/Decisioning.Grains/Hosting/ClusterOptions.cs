using System.ComponentModel.DataAnnotations;

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
}
