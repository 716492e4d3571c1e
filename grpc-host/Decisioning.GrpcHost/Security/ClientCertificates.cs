using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Decisioning.GrpcHost.Security;

/// <summary>The configured authority and the callers its certificates stand for.</summary>
internal sealed class ClientCertificates
{
    private const string CommonNameOid = "2.5.4.3";

    private readonly FrozenDictionary<string, Caller> _callers;

    public ClientCertificates(IOptions<ClientCertificateOptions> options)
    {
        var value = options.Value;
        Enabled = value.Enabled;
        Authority = Enabled ? LoadAuthority(value.CaCertificateFile) : null;
        _callers = value.Callers.ToFrozenDictionary(
            c => c.Subject,
            c => new Caller(c.Name, Split(c.Scopes), Split(c.Enterprises)),
            StringComparer.Ordinal);
    }

    public bool Enabled { get; }

    public X509Certificate2? Authority { get; }

    /// <summary>The caller a validated certificate stands for: by its subject's one CN, or nobody.</summary>
    public Caller? Find(X509Certificate2 certificate)
    {
        var names = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(n => !n.HasMultipleElements && n.GetSingleElementType().Value == CommonNameOid)
            .Select(n => n.GetSingleElementValue())
            .Take(2)
            .ToList();
        return names is [{ } name] && _callers.TryGetValue(name, out var caller) ? caller : null;
    }

    /// <summary>A certificate authority from a PEM or DER file; throws naming the fault.</summary>
    public static X509Certificate2 LoadAuthority(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("is required: the authority that issues internal services' certificates");
        }

        X509Certificate2 certificate;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (System.Text.Encoding.ASCII.GetString(bytes).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var all = new X509Certificate2Collection();
                all.ImportFromPem(File.ReadAllText(path));
                if (all.Count != 1)
                {
                    throw new InvalidDataException($"{path} holds {all.Count} certificates: give exactly the one authority");
                }

                certificate = all[0];
            }
            else
            {
                certificate = X509CertificateLoader.LoadCertificate(bytes);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path} cannot be read: {e.Message}", e);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidDataException($"{path} holds no PEM or DER certificate: {e.Message}", e);
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            certificate.Dispose();
            throw new InvalidDataException($"{path} is not a certificate authority (basic constraints CA:true)");
        }

        return certificate;
    }

    private static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// The default scheme: a call with an authorization header is decided by its bearer token alone;
/// without one, by its client certificate when it presented one (and client certificates are
/// configured); otherwise by the bearer scheme, which finds no token (TOKEN_MISSING).
/// </summary>
internal sealed class CallerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    System.Text.Encodings.Web.UrlEncoder encoder,
    ClientCertificates certificates) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Decisioning";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.ContainsKey(HeaderNames.Authorization) && certificates.Enabled && Context.Connection.ClientCertificate is not null)
        {
            var result = await Context.AuthenticateAsync(CertificateAuthenticationDefaults.AuthenticationScheme);
            if (!result.Succeeded && Context.Features.Get<AuthenticationFailure>() is null)
            {
                // The chain, validity or key usage failed: the handler says so only in its result.
                Context.Features.Set(new AuthenticationFailure(new ClientCertificateInvalidException(result.Failure?.Message ?? "the client certificate was not validated")));
            }

            return result;
        }

        return await Context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
    }
}

/// <summary>A client certificate that does not chain to the configured authority, has expired or is not for client authentication.</summary>
public sealed class ClientCertificateInvalidException(string message) : Exception(message);

/// <summary>A valid client certificate whose subject is no configured caller.</summary>
public sealed class ClientCertificateNotAcceptedException(string message) : Exception(message);
