using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// Each enterprise's consents in Redis: the consents and their revocations in two hashes, every
/// change in an append-only journal stream naming the actor, all changed by one script with the
/// request record. An enterprise's keys share a hash tag (one Redis Cluster slot). A change is
/// confirmed on the replicas as a line's commit is (<see cref="RedisOptions.MinReplicasAcked"/>).
/// Kept beside the line rather than in its journal: an enterprise may have consents and no line,
/// and a consent read on every assessment should not have to load the line's state.
/// </summary>
public sealed class RedisConsentStore(IConnectionMultiplexer redis, IOptions<LineStorageOptions> options, IOptions<RedisOptions> redisOptions)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly long _retentionSeconds = (long)options.Value.RequestIdRetention.TotalSeconds;
    private readonly AcknowledgedScript _script = new(redis, EmbeddedScripts.Read("consent-change.lua"), redisOptions.Value);

    public async Task<Result<Consent>> RecordAsync(RecordConsentCommand command, DateTimeOffset at)
    {
        var consent = command.ToConsent(at);
        return await ChangeAsync("recorded", command.EnterpriseId, consent.ConsentId, RequestKeys.Of(command.RequestId, command.Actor), command.Fingerprint, JsonSerializer.Serialize(consent, Json), command.Actor, at, command.RequestId);
    }

    public async Task<Result<Consent>> RevokeAsync(RevokeConsentCommand command, DateTimeOffset at)
    {
        var revocation = new ConsentRevocation(command.Actor, at, command.Reason, command.RequestId);
        return await ChangeAsync("revoked", command.EnterpriseId, command.ConsentId, RequestKeys.Of(command.RequestId, command.Actor), command.Fingerprint, JsonSerializer.Serialize(revocation, Json), command.Actor, at, command.RequestId);
    }

    /// <summary>Every consent of the enterprise, revoked ones included, in the order they were recorded.</summary>
    public async Task<List<Consent>> ListAsync(string enterpriseId)
    {
        var database = redis.GetDatabase();
        var keys = Keys(enterpriseId);
        var consents = database.HashGetAllAsync(keys + "consents");
        var revocations = database.HashGetAllAsync(keys + "revocations");
        var revoked = (await revocations).ToDictionary(e => (string)e.Name!, e => JsonSerializer.Deserialize<ConsentRevocation>((string)e.Value!, Json));
        return [.. (await consents)
            .Select(e => JsonSerializer.Deserialize<Consent>((string)e.Value!, Json)! with { Revocation = revoked.GetValueOrDefault((string)e.Name!) })
            .OrderBy(c => c.RecordedAt)
            .ThenBy(c => c.ConsentId, StringComparer.Ordinal)];
    }

    private async Task<Result<Consent>> ChangeAsync(string kind, string enterpriseId, string consentId, string requestKey, string fingerprint, string record, string actor, DateTimeOffset at, string requestId)
    {
        var keys = Keys(enterpriseId);
        RedisKey[] scriptKeys = [keys + "consents", keys + "revocations", keys + "journal", keys + "rq:" + requestKey];
        RedisValue[] args =
        [
            kind, consentId, Hex(fingerprint), record, actor, at.ToUnixTimeMilliseconds(), requestId, _retentionSeconds, ConsentRules.MaxConsentsPerEnterprise,
        ];
        var reply = (RedisResult[])(await _script.EvaluateAsync(scriptKeys, args))!;
        return (string)reply[0]! switch
        {
            "ok" => Consent((string)reply[2]!, (string)reply[3]!),
            "reused" => DomainError.RequestIdReused(),
            "absent" => ConsentRules.NotFound(consentId),
            "revoked" => ConsentRules.AlreadyRevoked(consentId),
            "full" => ConsentRules.TooMany(),
            var other => throw new InvalidOperationException($"the consent script answered '{other}'"),
        };
    }

    private static Consent Consent(string consent, string revocation) =>
        JsonSerializer.Deserialize<Consent>(consent, Json)! with
        {
            Revocation = revocation.Length == 0 ? null : JsonSerializer.Deserialize<ConsentRevocation>(revocation, Json),
        };

    /// <summary>The enterprise's consent keys: their own hash tag, apart from the line's keys (whose layout may be partitioned).</summary>
    private string Keys(string enterpriseId) => $"{_prefix}:{{consent:{enterpriseId}}}:";

    /// <summary>Hex, so that the script can split its record on newlines whatever the fields say.</summary>
    private static string Hex(string fingerprint) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)))[..32];
}
