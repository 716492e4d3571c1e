using System.Globalization;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.GrpcHost.Errors;
using StackExchange.Redis;

namespace Decisioning.PlainScript;

/// <summary>
/// draw.lua: loaded once (SCRIPT LOAD), then every Draw is one EVALSHA of it by its hash. A Redis
/// that lost its script cache (a restart) gets it again and the call is sent once more.
/// </summary>
public sealed class DrawScript(IConnectionMultiplexer redis, PlainSettings settings, TimeProvider clock)
{
    private static readonly string Source = ReadSource();

    private readonly RedisValue _ttlSeconds = (long)settings.RequestIdRetention.TotalSeconds;
    private readonly RedisValue _journal = settings.Journal ? "1" : "0";
    private byte[]? _hash;

    public async Task LoadAsync()
    {
        var server = redis.GetServers().FirstOrDefault(s => s.IsConnected)
            ?? throw new InvalidOperationException("Redis is not reachable: cannot load draw.lua");
        _hash = await server.ScriptLoadAsync(Source);
    }

    /// <summary>The draw's answer, or the first answer to its request id; ALREADY_EXISTS when that id drew another amount.</summary>
    public async Task<DrawResponse> RunAsync(DrawRequest request, string actor)
    {
        RedisKey[] keys =
        [
            PlainKeys.Line(request.EnterpriseId),
            PlainKeys.Request(request.EnterpriseId, request.RequestId),
            PlainKeys.Journal(request.EnterpriseId),
        ];
        RedisValue[] args = [request.AmountMinor, _ttlSeconds, _journal, request.RequestId, actor, clock.GetUtcNow().ToUnixTimeMilliseconds()];
        var reply = (RedisResult[])(await EvaluateAsync(keys, args))!;
        var record = (string)reply[0]! switch
        {
            "NO_LINE" => throw DecisioningException.From(DomainError.LineNotFound()),
            _ => Parse((string)reply[1]!),
        };
        return record.AmountMinor == request.AmountMinor
            ? record.Response
            : throw DecisioningException.From(DomainError.RequestIdReused());
    }

    private async Task<RedisResult> EvaluateAsync(RedisKey[] keys, RedisValue[] args)
    {
        var hash = _hash ?? throw new InvalidOperationException("draw.lua is not loaded: call LoadAsync at start");
        try
        {
            return await redis.GetDatabase().ScriptEvaluateAsync(hash, keys, args);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            await LoadAsync();
            return await redis.GetDatabase().ScriptEvaluateAsync(_hash!, keys, args);
        }
    }

    /// <summary>A record as draw.lua keeps it: 'amount approved drawn sequence limit'.</summary>
    private static (long AmountMinor, DrawResponse Response) Parse(string record)
    {
        var parts = record.Split(' ');
        var (amount, approved, drawn, sequence, limit) = (Long(parts[0]), parts[1] == "1", Long(parts[2]), Long(parts[3]), Long(parts[4]));
        return (amount, new DrawResponse
        {
            Approved = approved,
            DeclineReason = approved ? DeclineReason.Unspecified : DeclineReason.ExceedsAvailableCredit,
            AvailableMinor = StoredLine.Available(limit, drawn),
            LimitMinor = limit,
            DrawnMinor = drawn,
            TransactionSequence = sequence,
        });

        static long Long(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static string ReadSource()
    {
        using var stream = typeof(DrawScript).Assembly.GetManifestResourceStream("draw.lua")
            ?? throw new InvalidOperationException("the embedded script draw.lua is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
