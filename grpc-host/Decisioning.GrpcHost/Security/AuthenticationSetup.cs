using System.Net;
using System.Security.Cryptography.X509Certificates;
using Decisioning.GrpcHost.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Decisioning.GrpcHost.Security;

/// <summary>
/// JWT bearer authentication: RS256 or ES256 tokens from the configured issuer, for the configured
/// audience; and, for internal services without a token, client certificates from the configured authority.
/// </summary>
internal static class AuthenticationSetup
{
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    public static IServiceCollection AddDecisioningAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations()
            .Validate<IOptions<GrpcHostOptions>>(HasUsableKeys, "Decisioning:Auth needs at least one readable signing key (SigningKeyFiles, or DevelopmentKeyFile on loopback)")
            .Validate<IOptions<GrpcHostOptions>>(
                (auth, grpc) => auth.DevelopmentKeyFile is null || IsLoopback(grpc.Value.ListenAddress),
                "Decisioning:Auth:DevelopmentKeyFile is accepted only while the service listens on loopback: give production keys in SigningKeyFiles")
            .ValidateOnStart();
        services.AddSingleton<ValidatedTokens>();
        services.AddOptions<ClientCertificateOptions>().BindConfiguration(ClientCertificateOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClientCertificateOptions>, ClientCertificateOptionsValidator>();
        services.AddSingleton<ClientCertificates>();
        services.AddAuthentication(CallerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, CallerAuthenticationHandler>(CallerAuthenticationHandler.SchemeName, null)
            .AddJwtBearer()
            .AddCertificate();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, ValidatedTokens>((jwt, options, tokens) => Configure(jwt, options.Value, tokens));
        services.AddOptions<CertificateAuthenticationOptions>(CertificateAuthenticationDefaults.AuthenticationScheme)
            .Configure<ClientCertificates>(Configure);
        return services;
    }

    private static void Configure(CertificateAuthenticationOptions options, ClientCertificates certificates)
    {
        // Chained to the configured authority only: never the machine's trust store, never self-signed.
        options.AllowedCertificateTypes = CertificateTypes.Chained;
        options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
        if (certificates.Authority is { } authority)
        {
            options.CustomTrustStore.Add(authority);
        }

        // No CRL or OCSP: the authority is internal; a compromised certificate is removed from Callers.
        options.RevocationMode = X509RevocationMode.NoCheck;
        options.ValidateCertificateUse = true;
        options.ValidateValidityPeriod = true;
        options.Events = new CertificateAuthenticationEvents
        {
            OnCertificateValidated = context =>
            {
                if (certificates.Find(context.ClientCertificate) is { } caller)
                {
                    context.HttpContext.Features.Set(caller);
                    context.Success();
                }
                else
                {
                    var refused = new ClientCertificateNotAcceptedException($"the client certificate {context.ClientCertificate.Subject} is no configured caller");
                    context.HttpContext.Features.Set(new AuthenticationFailure(refused));
                    context.Fail(refused);
                }

                return Task.CompletedTask;
            },
            OnAuthenticationFailed = context =>
            {
                // Raised after OnCertificateValidated's own refusal too: that reason stands.
                if (context.HttpContext.Features.Get<AuthenticationFailure>() is null)
                {
                    context.HttpContext.Features.Set(new AuthenticationFailure(new ClientCertificateInvalidException(context.Exception.Message)));
                }

                return Task.CompletedTask;
            },
        };
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, ValidatedTokens tokens)
    {
        jwt.MapInboundClaims = false;
        jwt.RequireHttpsMetadata = true;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            IssuerSigningKeys = SigningKeys.Load(KeyFiles(auth)),
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromSeconds(auth.ClockSkewSeconds),
            NameClaimType = Caller.SubjectClaim,
        };
        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                // The same header as a call before: the principal its token gave, while the token lasts.
                // Looked up by the header as it came, so that a call with a known token allocates nothing here.
                string? header = context.Request.Headers.Authorization;
                if (header is not null && tokens.TryGet(header, out var known))
                {
                    context.HttpContext.Features.Set(known.Caller);
                    context.Principal = known.Principal;
                    context.Success();
                }
                else
                {
                    context.Token = BearerToken(header);
                }

                return Task.CompletedTask;
            },
            OnAuthenticationFailed = context =>
            {
                // The middleware keeps only successes; the caller is told why its token was refused.
                context.HttpContext.Features.Set(new AuthenticationFailure(context.Exception));
                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                if (Caller.From(context.Principal!) is not { } caller)
                {
                    var missing = new TokenSubjectMissingException();
                    context.HttpContext.Features.Set(new AuthenticationFailure(missing));
                    context.Fail(missing);
                    return Task.CompletedTask;
                }

                context.HttpContext.Features.Set(caller);
                if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } header)
                {
                    // Remembered as long as validation would accept it: to its expiry plus the tolerated skew.
                    var expires = new DateTimeOffset(context.SecurityToken.ValidTo, TimeSpan.Zero) + jwt.TokenValidationParameters.ClockSkew;
                    tokens.Add(header, new ValidatedTokens.Entry(context.Principal!, caller), expires);
                }

                return Task.CompletedTask;
            },
        };
    }

    private static string? BearerToken(string? header) =>
        header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;

    private static IEnumerable<string> KeyFiles(AuthOptions auth) =>
        auth.DevelopmentKeyFile is null ? auth.SigningKeyFiles : [.. auth.SigningKeyFiles, auth.DevelopmentKeyFile];

    private static bool HasUsableKeys(AuthOptions auth, IOptions<GrpcHostOptions> grpc)
    {
        var files = KeyFiles(auth).ToList();
        if (files.Count == 0)
        {
            return false;
        }

        // Throws with the file and the fault: a start-up error names what to fix.
        return SigningKeys.Load(files).Count > 0;
    }

    internal static bool IsLoopback(string address) => IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip);
}

/// <summary>Why the call's token was refused (a request feature).</summary>
public sealed record AuthenticationFailure(Exception Exception);

/// <summary>A token that names no subject: nobody to write on the journal.</summary>
public sealed class TokenSubjectMissingException() : SecurityTokenValidationException("the token has no sub claim");
