using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Decisioning.Testing;

/// <summary>
/// The token issuer of the tests: an RSA key made once per test run, its public key in a file the
/// service is configured with (<see cref="ServiceSettings"/>), and real RS256 tokens signed with it.
/// </summary>
public sealed class TestTokens
{
    public const string Issuer = "decisioning-tests";
    public const string Audience = "decisioning";

    /// <summary>Every scope of the service, for bank staff.</summary>
    public static readonly string[] AllScopes =
        ["credit.read", "credit.draw", "credit.repay", "credit.admin", "credit.approve", "decisioning.assess", "decisioning.supply-data", "risk.signal", "decisioning.events", "decisioning.review", "decisioning.consent", "decisioning.simulation"];

    private static readonly Lazy<TestTokens> SharedIssuer = new(() => new TestTokens());

    private TestTokens()
    {
        Key = RSA.Create(2048);
        SigningKey = new RsaSecurityKey(Key) { KeyId = "tests" };
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "decisioning-tests"));
        PublicKeyFile = Path.Combine(directory.FullName, $"signing-{Environment.ProcessId}-{Guid.NewGuid():N}.pem");
        File.WriteAllText(PublicKeyFile, Key.ExportSubjectPublicKeyInfoPem());
        Staff = Issue("staff-tests", AllScopes, ["*"]);
        Approver = Issue("approver-tests", AllScopes, ["*"]);
    }

    public static TestTokens Shared => SharedIssuer.Value;

    public RSA Key { get; }

    public RsaSecurityKey SigningKey { get; }

    public string PublicKeyFile { get; }

    /// <summary>A token of bank staff holding every scope and serving every enterprise: what the tests that are not about permissions call with.</summary>
    public string Staff { get; }

    /// <summary>A second staff member (another subject, every scope): the four eyes that approve what <see cref="Staff"/> proposes.</summary>
    public string Approver { get; }

    /// <summary>The service's settings (environment variables) that make it accept these tokens.</summary>
    public IReadOnlyDictionary<string, string> ServiceSettings => new Dictionary<string, string>
    {
        ["Decisioning__Auth__Issuer"] = Issuer,
        ["Decisioning__Auth__Audience"] = Audience,
        ["Decisioning__Auth__SigningKeyFiles__0"] = PublicKeyFile,
    };

    /// <summary>A valid token for <paramref name="subject"/>; <paramref name="adjust"/> changes the descriptor before signing (to make it wrong on purpose).</summary>
    public string Issue(
        string subject,
        IEnumerable<string> scopes,
        IEnumerable<string> enterprises,
        TimeSpan? lifetime = null,
        Action<SecurityTokenDescriptor>? adjust = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = now + (lifetime ?? TimeSpan.FromHours(2)),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["scope"] = string.Join(' ', scopes),
                ["enterprises"] = enterprises.ToArray(),
            },
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        };
        adjust?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
