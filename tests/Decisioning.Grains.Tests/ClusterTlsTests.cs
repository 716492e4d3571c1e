using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Decisioning.Grains.Hosting;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>Which peers a silo or client accepts on a cluster connection (the two-process runs are in the end-to-end ClusterNetworkTests).</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private const string Password = "test-pfx-password";
    private static readonly IReadOnlySet<string> NonePinned = new HashSet<string>();

    private readonly ClusterAuthority _authority = ClusterAuthority.Create("decisioning-test-ca");
    private readonly ClusterAuthority _stranger = ClusterAuthority.Create("another-ca");

    [Fact]
    public void A_peer_whose_certificate_the_cluster_authority_issued_is_trusted()
    {
        using var peer = Issue(_authority, "silo");
        using var authority = X509CertificateLoader.LoadCertificateFromFile(_authority.CaPath);

        Assert.True(ClusterTls.IsTrusted(peer, SslPolicyErrors.RemoteCertificateChainErrors, authority, NonePinned));
    }

    [Fact]
    public void A_peer_whose_certificate_another_authority_issued_is_not_trusted()
    {
        using var peer = Issue(_stranger, "silo");
        using var authority = X509CertificateLoader.LoadCertificateFromFile(_authority.CaPath);

        Assert.False(ClusterTls.IsTrusted(peer, SslPolicyErrors.RemoteCertificateChainErrors, authority, NonePinned));
    }

    [Fact]
    public void A_peer_pinned_by_its_SHA_256_thumbprint_is_trusted_without_an_authority_and_an_unpinned_one_is_not()
    {
        using var pinned = Issue(_stranger, "pinned");
        using var other = Issue(_stranger, "other");
        var thumbprints = new HashSet<string>([pinned.GetCertHashString(HashAlgorithmName.SHA256)], StringComparer.OrdinalIgnoreCase);

        Assert.True(ClusterTls.IsTrusted(pinned, SslPolicyErrors.RemoteCertificateChainErrors, null, thumbprints));
        Assert.False(ClusterTls.IsTrusted(other, SslPolicyErrors.RemoteCertificateChainErrors, null, thumbprints));
    }

    [Fact]
    public void A_peer_that_presents_no_certificate_is_not_trusted()
    {
        using var peer = Issue(_authority, "silo");
        using var authority = X509CertificateLoader.LoadCertificateFromFile(_authority.CaPath);

        Assert.False(ClusterTls.IsTrusted(peer, SslPolicyErrors.RemoteCertificateNotAvailable, authority, NonePinned));
    }

    public void Dispose()
    {
        _authority.Dispose();
        _stranger.Dispose();
    }

    private static X509Certificate2 Issue(ClusterAuthority authority, string name) =>
        X509CertificateLoader.LoadPkcs12FromFile(authority.Issue(name, Password), Password);
}
