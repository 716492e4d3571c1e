using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Decisioning.Testing;

/// <summary>A certificate authority of the test's own, in a temporary folder, issuing PFX files for silos and clients.</summary>
public sealed class ClusterAuthority : IDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly X509Certificate2 _certificate;

    private ClusterAuthority(DirectoryInfo folder, X509Certificate2 certificate)
    {
        _folder = folder;
        _certificate = certificate;
        CaPath = Path.Combine(folder.FullName, "ca.crt");
        File.WriteAllText(CaPath, certificate.ExportCertificatePem());
    }

    public string CaPath { get; }

    public static ClusterAuthority Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        return new ClusterAuthority(Directory.CreateTempSubdirectory("decisioning-ca-"), request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30)));
    }

    /// <summary>A certificate for both ends of a cluster connection; the path of its PFX.</summary>
    public string Issue(string name, string password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(_certificate, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        var path = Path.Combine(_folder.FullName, name + ".pfx");
        File.WriteAllBytes(path, withKey.Export(X509ContentType.Pfx, password));
        return path;
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _folder.Delete(recursive: true);
    }
}
