using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Decisioning.GrpcHost.Hosting;
using Microsoft.Extensions.Options;

namespace Decisioning.GrpcHost.Security;

/// <summary>
/// Mutual TLS for internal services (Decisioning:Auth:ClientCertificates): a client certificate
/// issued by the configured authority, whose subject CN names a configured caller, stands for that
/// caller as a token would. Needs TLS (Decisioning:Grpc:CertificateFile).
/// </summary>
public sealed class ClientCertificateOptions
{
    public const string Section = "Decisioning:Auth:ClientCertificates";

    /// <summary>The authority (PEM or DER) that issues internal services' certificates: the only root a client certificate may chain to.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>The accepted certificates, by subject CN.</summary>
    public List<ClientCertificateCaller> Callers { get; set; } = [];

    /// <summary>Whether anything is configured: then all of it must be valid.</summary>
    public bool Enabled => CaCertificateFile is not null || Callers.Count > 0;
}

public sealed class ClientCertificateCaller
{
    /// <summary>The certificate subject's common name (CN), exactly; a certificate with no or several CNs matches nothing.</summary>
    public string Subject { get; set; } = "";

    /// <summary>The actor recorded on journal entries and decisions, and the rate limits' caller.</summary>
    public string Name { get; set; } = "";

    /// <summary>Space-separated scopes, as a token's <c>scope</c> claim.</summary>
    public string Scopes { get; set; } = "";

    /// <summary>Space-separated credit codes, or <c>*</c> for every enterprise.</summary>
    public string Enterprises { get; set; } = "";
}

/// <summary>Refuses to start on a client-certificate configuration that cannot work, naming the setting.</summary>
internal sealed class ClientCertificateOptionsValidator(IOptions<GrpcHostOptions> grpc) : IValidateOptions<ClientCertificateOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientCertificateOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (grpc.Value.CertificateFile is null)
        {
            failures.Add($"{ClientCertificateOptions.Section} needs TLS: set Decisioning:Grpc:CertificateFile (client certificates are only presented over TLS)");
        }

        try
        {
            using var _ = ClientCertificates.LoadAuthority(options.CaCertificateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or InvalidDataException)
        {
            failures.Add($"{ClientCertificateOptions.Section}:CaCertificateFile: {e.Message}");
        }

        if (options.Callers.Count == 0)
        {
            failures.Add($"{ClientCertificateOptions.Section}:Callers is empty: no certificate could be accepted");
        }

        for (var i = 0; i < options.Callers.Count; i++)
        {
            var caller = options.Callers[i];
            var setting = $"{ClientCertificateOptions.Section}:Callers:{i}";
            foreach (var (field, value) in new[] { ("Subject", caller.Subject), ("Name", caller.Name), ("Scopes", caller.Scopes), ("Enterprises", caller.Enterprises) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    failures.Add($"{setting}:{field} is required");
                }
            }

            if (options.Callers.Take(i).Any(c => string.Equals(c.Subject, caller.Subject, StringComparison.Ordinal)))
            {
                failures.Add($"{setting}:Subject {caller.Subject} is configured twice");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
