using System.Security.Cryptography;
using System.Text;
using Decisioning.Grains.Hosting;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// A Lua script that changes what callers are told is stored. Run on the primary that owns its keys
/// and, when <see cref="RedisOptions.MinReplicasAcked"/> is above 0, followed by <c>WAIT</c>: only
/// when that many replicas hold every write of the connection up to the script does its reply come
/// back; otherwise the outcome is unknown and the call throws (a <see cref="RedisException"/>, so
/// callers answer UNAVAILABLE and the caller retries with its request id).
/// </summary>
internal sealed class AcknowledgedScript(IConnectionMultiplexer redis, string text, RedisOptions options)
{
    // WAIT counts the replicas holding every write its own connection made before it. The script and
    // its WAIT are therefore sent to one server (the slot's primary) through IServer, which has one
    // connection to it, back to back: were the connection lost between them, the script's own reply
    // is lost with it. No redirect is followed: a script that ran elsewhere would be confirmed by the
    // WAIT of the wrong primary.
    private readonly string _sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
    private readonly int _minReplicas = options.MinReplicasAcked;
    private readonly long _timeoutMilliseconds = Math.Max(1, (long)options.ReplicaAckTimeout.TotalMilliseconds);

    public async Task<RedisResult> EvaluateAsync(RedisKey[] keys, RedisValue[] args)
    {
        if (_minReplicas == 0)
        {
            return await redis.GetDatabase().ScriptEvaluateAsync(text, keys, args).ConfigureAwait(false);
        }

        IServer server;
        try
        {
            server = redis.GetServer(keys[0], flags: CommandFlags.DemandMaster);
        }
        catch (InvalidOperationException ex)
        {
            // No primary is connected (a failover under way): as unreachable as Redis down.
            throw new RedisException("No primary is reachable for the script's keys.", ex);
        }

        var call = new object[2 + keys.Length + args.Length];
        call[0] = _sha;
        call[1] = keys.Length;
        for (var i = 0; i < keys.Length; i++)
        {
            call[2 + i] = keys[i];
        }

        for (var i = 0; i < args.Length; i++)
        {
            call[2 + keys.Length + i] = args[i];
        }

        try
        {
            return await EvaluateAndWaitAsync(server, "EVALSHA", call).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // Not run: this primary has not seen the script yet (a new one after a failover, say).
            call[0] = text;
            return await EvaluateAndWaitAsync(server, "EVAL", call).ConfigureAwait(false);
        }
    }

    private async Task<RedisResult> EvaluateAndWaitAsync(IServer server, string command, object[] call)
    {
        var evaluated = server.ExecuteAsync(command, call, CommandFlags.NoRedirect);
        var acknowledged = server.ExecuteAsync("WAIT", [_minReplicas, _timeoutMilliseconds]);
        RedisResult reply;
        try
        {
            reply = await evaluated.ConfigureAwait(false);
        }
        catch
        {
            // The script's failure is the one reported; the WAIT's must not go unobserved.
            _ = acknowledged.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }

        var replicas = (long)await acknowledged.ConfigureAwait(false);
        if (replicas < _minReplicas)
        {
            throw new RedisException(
                $"{replicas} of the {_minReplicas} replicas required confirmed the write within {_timeoutMilliseconds} ms: its outcome is unknown.");
        }

        return reply;
    }
}
