using System.ComponentModel.DataAnnotations;

namespace Decisioning.GrpcHost.Security;

/// <summary>Which bearer tokens the service accepts (Decisioning:Auth).</summary>
public sealed class AuthOptions
{
    public const string Section = "Decisioning:Auth";

    /// <summary>The most clock skew tolerated on exp and nbf.</summary>
    public const int MaxClockSkewSeconds = 30;

    [Required(AllowEmptyStrings = false)]
    public string Issuer { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string Audience { get; set; } = "decisioning";

    /// <summary>
    /// Files holding the public keys whose signatures are accepted: a PEM public key (RSA for RS256,
    /// P-256 for ES256) or a JWKS document. At least one key, here or in <see cref="DevelopmentKeyFile"/>.
    /// </summary>
    public List<string> SigningKeyFiles { get; set; } = [];

    /// <summary>
    /// The development key that ./run.sh makes under .data/: accepted only while the service listens
    /// on loopback, so that a machine reachable from elsewhere never trusts a key lying on disk.
    /// </summary>
    public string? DevelopmentKeyFile { get; set; }

    [Range(0, MaxClockSkewSeconds)]
    public int ClockSkewSeconds { get; set; } = MaxClockSkewSeconds;

    /// <summary>How many validated tokens are remembered, so that a token is verified once, not on every call.</summary>
    [Range(0, 1_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 100_000;
}
