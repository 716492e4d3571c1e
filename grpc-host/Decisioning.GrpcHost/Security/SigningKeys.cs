using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Decisioning.GrpcHost.Security;

/// <summary>Reads the accepted public keys from files: PEM (RSA or EC P-256) or a JWKS document.</summary>
internal static class SigningKeys
{
    public static IReadOnlyList<SecurityKey> Load(IEnumerable<string> files) => [.. files.SelectMany(LoadFile)];

    private static IEnumerable<SecurityKey> LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"Decisioning:Auth: the signing key file {path} cannot be read ({ex.GetType().Name})", ex);
        }

        if (text.TrimStart().StartsWith('{'))
        {
            var keys = new JsonWebKeySet(text).GetSigningKeys();
            return keys.Count > 0 ? keys : throw new InvalidOperationException($"Decisioning:Auth: the JWKS file {path} holds no signing key");
        }

        if (text.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            // The service needs only public keys; a private key here means a secret was put where it does not belong.
            throw new InvalidOperationException($"Decisioning:Auth: {path} holds a private key; give the service the public key only");
        }

        var id = Path.GetFileNameWithoutExtension(path);
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(text);
            return [new RsaSecurityKey(rsa) { KeyId = id }];
        }
        catch (CryptographicException)
        {
            // Not an RSA key: an EC key, or nothing usable.
        }

        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(text);
            return ec.KeySize == 256
                ? [new ECDsaSecurityKey(ec) { KeyId = id }]
                : throw new InvalidOperationException($"Decisioning:Auth: {path} holds an EC key on a curve other than P-256 (ES256)");
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"Decisioning:Auth: {path} holds no PEM public key (RSA or EC P-256) and no JWKS", ex);
        }
    }
}
