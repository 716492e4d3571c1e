using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Decisioning.Testing;

/// <summary>
/// A real redis-server process on a free loopback port, with its data in a temporary folder and
/// the durability the service demands (AOF, fsync always, no eviction). It can be killed and
/// started again on the same port and data, as a crash and a recovery.
/// A machine without redis-server fails the test that asks for one: ./test.sh installs it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    // Ports are picked from 12000 to 21999: below the kernel's ephemeral range (32768 and up here),
    // where every outgoing connection, the tests' own included, takes its local port, so a port
    // picked there could be taken before the server that was to bind it starts; and low enough
    // that a Redis cluster node's bus port (its own + 10000) is below that range too and never one
    // of these. None is handed out twice in one process.
    private const int FirstPickedPort = 12_000;
    private const int PickedPorts = 10_000;
    private static readonly HashSet<int> HandedOut = [];

    private readonly string _dataDir;
    private readonly IReadOnlyList<string> _arguments;
    private Process? _process;

    private RedisServer(int port, string dataDir, IReadOnlyList<string> arguments)
    {
        Port = port;
        _dataDir = dataDir;
        _arguments = arguments;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The redis-server process, for its CPU time.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("redis-server is not running");

    /// <summary>The folder of its data, its log and (for a sentinel or a cluster node) its configuration.</summary>
    public string DataDirectory => _dataDir;

    /// <param name="durable">False: no AOF and evicting keys under memory pressure, the Redis the service must refuse.</param>
    /// <param name="arguments">More redis-server options, after the durable ones (so they may override them): <c>--replicaof 127.0.0.1 6379</c>, say.</param>
    public static async Task<RedisServer> StartAsync(bool durable = true, params string[] arguments)
    {
        // A free port can be taken between picking it and binding it (so can a cluster node's bus
        // port, its own + 10000): such a start is tried again on other ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortAsync(durable, arguments);
            }
            catch (PortTakenException) when (attempt < 5)
            {
            }
        }
    }

    private static async Task<RedisServer> StartOnFreePortAsync(bool durable, string[] arguments)
    {
        var port = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("decisioning-redis-").FullName;
        List<string> all =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", dataDir,
            "--appendonly", durable ? "yes" : "no",
            "--appendfsync", durable ? "always" : "everysec",
            "--save", "",
            "--maxmemory-policy", durable ? "noeviction" : "allkeys-lru",
            "--daemonize", "no",
            "--logfile", Path.Combine(dataDir, "redis.log"),
            .. arguments,
        ];
        var server = new RedisServer(port, dataDir, all);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>
    /// A Redis Sentinel watching the primary on <paramref name="primaryPort"/> under <paramref name="serviceName"/>,
    /// with a quorum of <paramref name="quorum"/>. Its sentinel.conf is written in its own folder (sentinels rewrite it).
    /// </summary>
    public static async Task<RedisServer> StartSentinelAsync(int primaryPort, string serviceName, int quorum, TimeSpan downAfter, TimeSpan failoverTimeout)
    {
        var port = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("decisioning-sentinel-").FullName;
        var config = Path.Combine(dataDir, "sentinel.conf");
        await File.WriteAllLinesAsync(config,
        [
            $"port {port}",
            "bind 127.0.0.1",
            $"dir {dataDir}",
            $"sentinel monitor {serviceName} 127.0.0.1 {primaryPort} {quorum}",
            $"sentinel down-after-milliseconds {serviceName} {(long)downAfter.TotalMilliseconds}",
            $"sentinel failover-timeout {serviceName} {(long)failoverTimeout.TotalMilliseconds}",
            $"sentinel parallel-syncs {serviceName} 1",
        ]);
        var sentinel = new RedisServer(port, dataDir, [config, "--sentinel", "--daemonize", "no", "--logfile", Path.Combine(dataDir, "redis.log")]);
        await sentinel.StartAgainAsync();
        return sentinel;
    }

    /// <summary>A durable replica of <paramref name="primary"/>, returned once it holds the primary's data and follows its changes.</summary>
    public static async Task<RedisServer> StartReplicaOfAsync(RedisServer primary)
    {
        var replica = await StartAsync(true, "--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture));
        await replica.EventuallyAsync("in sync with its primary", async server =>
            (await server.InfoAsync("replication")).SelectMany(g => g).Any(p => p.Key == "master_link_status" && p.Value == "up"));
        return replica;
    }

    /// <summary>Returns once this primary has <paramref name="count"/> replicas online.</summary>
    public Task WaitForReplicasAsync(int count) =>
        EventuallyAsync($"{count} replicas online", async server =>
            (await server.InfoAsync("replication")).SelectMany(g => g).Count(p => p.Key.StartsWith("slave", StringComparison.Ordinal) && p.Value.Contains("state=online", StringComparison.Ordinal)) >= count);

    /// <summary>"master" or "slave", as this node says now.</summary>
    public async Task<string> RoleAsync()
    {
        await using var connection = await ConnectAsync();
        return (await connection.GetServer("127.0.0.1", Port).InfoAsync("replication")).SelectMany(g => g).First(p => p.Key == "role").Value;
    }

    /// <summary>Polls this process (up to 30 s) until <paramref name="done"/> holds; for launchers waiting on Redis' own pace.</summary>
    public async Task EventuallyAsync(string what, Func<IServer, Task<bool>> done)
    {
        await using var connection = await ConnectAsync();
        var server = connection.GetServer("127.0.0.1", Port);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await done(server))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"redis on {Port} was not {what} after 30 s; see {_dataDir}/redis.log");
    }

    /// <summary>Starts the process again (after <see cref="KillAsync"/>) on the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed or not on PATH: ./test.sh installs Debian's redis-server.", ex);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await AnswersPingAsync())
            {
                return;
            }

            if (_process.HasExited)
            {
                var log = Path.Combine(_dataDir, "redis.log");
                var message = $"redis-server exited with {_process.ExitCode}; see {log}";
                throw File.Exists(log) && (await File.ReadAllTextAsync(log)).Contains("Address already in use", StringComparison.Ordinal)
                    ? new PortTakenException(message)
                    : new InvalidOperationException(message);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"redis-server did not answer on port {Port}");
    }

    /// <summary>Kills the process at once, as a crash: only what was fsynced to the AOF survives.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Stops the process (SIGSTOP) without ending it: it holds its connections and answers nothing,
    /// as a hung machine. Returns once it is stopped (<see cref="ProcessSignals.PauseAsync"/>).
    /// </summary>
    public Task PauseAsync() => ProcessSignals.PauseAsync(Pid);

    /// <summary>Lets a paused process go on (SIGCONT).</summary>
    public Task ResumeAsync() => ProcessSignals.ResumeAsync(Pid);

    /// <summary>A connection for inspecting or changing data behind the service's back.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Configuration }, AllowAdmin = true });

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return read >= 5 && buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8);
        }
        catch (SocketException)
        {
            return false;
        }
    }


    /// <summary>A loopback TCP port that nothing listens on now, for a server a test starts.</summary>
    public static int FreePort()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(FirstPickedPort, FirstPickedPort + PickedPorts);
                if (!HandedOut.Add(port))
                {
                    continue;
                }

                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    return port;
                }
                catch (SocketException)
                {
                    // Something else of this machine listens there.
                }
            }
        }

        throw new InvalidOperationException($"No free port among {PickedPorts} from {FirstPickedPort} after 1,000 tries");
    }
}

/// <summary>redis-server could not bind a port picked as free: another process took it meanwhile.</summary>
public sealed class PortTakenException(string message) : InvalidOperationException(message);
