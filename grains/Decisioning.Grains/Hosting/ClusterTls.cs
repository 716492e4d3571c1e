using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Decisioning.Grains.Hosting;

/// <summary>
/// Mutual TLS between silos, and between silos and their clients (<c>Decisioning:Cluster:Tls</c>).
/// Required as soon as a silo listens or advertises beyond loopback: the silo port carries grain
/// calls that move money, and nothing else authenticates them.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = DecisioningClusterOptions.Section + ":Tls";

    /// <summary>This process's certificate with its private key (PKCS#12), for both ends of a connection: it must allow server and client authentication.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PFX's password; from the environment (<c>Decisioning__Cluster__Tls__CertificatePassword</c>) or a secret store, never a file in the repository.</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>The certificate (PEM or DER) of the authority that issues the cluster's certificates: a peer is accepted when its chain ends there.</summary>
    public string CaCertificatePath { get; set; } = "";

    /// <summary>Peers accepted by their certificate's SHA-256 or SHA-1 thumbprint (hex), besides or instead of a CA.</summary>
    public List<string> AllowedThumbprints { get; set; } = [];

    public bool IsConfigured => CertificatePath.Length > 0;
}

public static class ClusterTls
{
    /// <summary>
    /// Mutual TLS on the silo's connections when configured, and a refusal to start when the silo
    /// would listen or advertise beyond loopback without it.
    /// </summary>
    public static ISiloBuilder UseDecisioningTls(this ISiloBuilder silo, IConfiguration configuration, IPAddress listen, IPAddress advertised)
    {
        var tls = Options(configuration);
        if (!tls.IsConfigured)
        {
            RefuseBeyondLoopback(listen, advertised, "the silo");
            return silo;
        }

        var trust = Trust.Load(tls);
        return silo.UseTls(trust.Certificate, trust.Configure);
    }

    /// <summary>
    /// Mutual TLS on a client's connections to the gateways when configured, and a refusal to start
    /// when the cluster it joins is configured beyond loopback without it.
    /// </summary>
    public static IClientBuilder UseDecisioningTls(this IClientBuilder client, IConfiguration configuration, DecisioningClusterOptions cluster)
    {
        var tls = Options(configuration);
        if (!tls.IsConfigured)
        {
            // A client listens on nothing; the silos' addresses, configured alike on every process
            // of the cluster, say whether its connections leave the machine.
            if (cluster.Clustering == Clustering.Redis)
            {
                RefuseBeyondLoopback(cluster.ParsedListenAddress(), cluster.ParsedAdvertisedAddress(), "the cluster this client joins");
            }

            return client;
        }

        var trust = Trust.Load(tls);
        return client.UseTls(trust.Certificate, trust.Configure);
    }

    private static ClusterTlsOptions Options(IConfiguration configuration)
    {
        var tls = configuration.GetSection(ClusterTlsOptions.Section).Get<ClusterTlsOptions>() ?? new();
        if (tls.IsConfigured && tls.CaCertificatePath.Length == 0 && tls.AllowedThumbprints.Count == 0)
        {
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.Section}:CertificatePath is set but nothing says which peers to trust: " +
                $"set {ClusterTlsOptions.Section}:CaCertificatePath or {ClusterTlsOptions.Section}:AllowedThumbprints.");
        }

        return tls;
    }

    private static void RefuseBeyondLoopback(IPAddress listen, IPAddress advertised, string who)
    {
        if (IPAddress.IsLoopback(listen) && IPAddress.IsLoopback(advertised))
        {
            return;
        }

        throw new InvalidOperationException(
            $"Refusing to start: {who} would listen on {listen} ({DecisioningClusterOptions.Section}:ListenAddress) and advertise " +
            $"{advertised} ({DecisioningClusterOptions.Section}:AdvertisedAddress), beyond loopback, without mutual TLS. " +
            $"Set {ClusterTlsOptions.Section}:CertificatePath and CertificatePassword, and CaCertificatePath or AllowedThumbprints; " +
            "or keep both addresses on loopback.");
    }

    /// <summary>
    /// The certificates, loaded while the process starts, so that a missing file or a wrong password
    /// stops it there, with a message that names the setting and never the password.
    /// </summary>
    private sealed record Trust(X509Certificate2 Certificate, X509Certificate2? Authority, IReadOnlySet<string> Thumbprints)
    {
        public static Trust Load(ClusterTlsOptions tls) => new(
            Read(nameof(ClusterTlsOptions.CertificatePath), tls.CertificatePath, path => X509CertificateLoader.LoadPkcs12FromFile(path, tls.CertificatePassword)),
            tls.CaCertificatePath.Length > 0 ? Read(nameof(ClusterTlsOptions.CaCertificatePath), tls.CaCertificatePath, X509CertificateLoader.LoadCertificateFromFile) : null,
            new HashSet<string>(tls.AllowedThumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal).Trim()), StringComparer.OrdinalIgnoreCase));

        public void Configure(TlsOptions options)
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.RemoteCertificateValidation = (certificate, _, errors) => IsTrusted(certificate, errors, Authority, Thumbprints);
        }

        private static X509Certificate2 Read(string setting, string path, Func<string, X509Certificate2> load)
        {
            try
            {
                return load(path);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{ClusterTlsOptions.Section}:{setting}: cannot load '{path}' (with the configured password, for a PFX): {ex.GetType().Name}.");
            }
        }
    }

    /// <summary>
    /// A peer is trusted by its certificate alone: a pinned thumbprint, or a chain to the cluster's
    /// authority. Host names are not checked, since silos reach each other by IP address; revocation
    /// is not checked, since a private cluster authority publishes no revocation list (pin or
    /// re-issue to exclude a peer).
    /// </summary>
    internal static bool IsTrusted(X509Certificate2 certificate, System.Net.Security.SslPolicyErrors errors, X509Certificate2? authority, IReadOnlySet<string> thumbprints)
    {
        if (errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        if (thumbprints.Contains(certificate.Thumbprint) || thumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256)))
        {
            return true;
        }

        if (authority is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
