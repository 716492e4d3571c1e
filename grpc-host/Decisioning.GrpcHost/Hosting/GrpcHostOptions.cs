using System.ComponentModel.DataAnnotations;

namespace Decisioning.GrpcHost.Hosting;

public enum SiloMode
{
    /// <summary>The silo runs in this process (one process on one machine).</summary>
    CoHosted,

    /// <summary>This process joins a silo cluster as an Orleans client.</summary>
    External,
}

public sealed class GrpcHostOptions
{
    public const string Section = "Decisioning:Grpc";

    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 5080;

    /// <summary>
    /// The server certificate (a PKCS#12 file): with it Kestrel serves TLS (HTTP/2 over TLS) instead of
    /// h2c. Required beyond loopback: bearer tokens never cross a network in the clear.
    /// </summary>
    public string? CertificateFile { get; set; }

    /// <summary>The certificate file's password; from the environment or a secret store, never a committed file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// A second port, plain HTTP/1.1 on the same address, that serves only <c>/healthz</c> and
    /// <c>/readyz</c>: for Kubernetes' HTTP probes, which speak neither h2c prior knowledge nor the
    /// service's TLS with client certificates. None by default.
    /// </summary>
    [Range(1, 65535)]
    public int? ProbePort { get; set; }

    public SiloMode Silo { get; set; } = SiloMode.CoHosted;

    /// <summary>
    /// With a co-hosted silo, hand calls for lines active in this process straight to their grain's
    /// pipeline instead of messaging the grain through the silo. Off: every call is a grain call.
    /// </summary>
    public bool LocalCalls { get; set; } = true;

    /// <summary>Larger requests are RESOURCE_EXHAUSTED. No request of this API needs more than a few hundred bytes.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxReceiveMessageBytes { get; set; } = 64 * 1024;
}

public sealed class EnterpriseOptions
{
    public const string Section = "Decisioning:Enterprise";

    /// <summary>Real codes that fail the check character (early Xiamen pilot codes) and are accepted as they are.</summary>
    public List<string> LegacyCodes { get; set; } = [];
}
