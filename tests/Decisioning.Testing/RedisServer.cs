using System.Diagnostics;
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
    private readonly string _dataDir;
    private readonly bool _durable;
    private Process? _process;

    private RedisServer(int port, string dataDir, bool durable)
    {
        Port = port;
        _dataDir = dataDir;
        _durable = durable;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The redis-server process, for its CPU time.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("redis-server is not running");

    /// <param name="durable">False: no AOF and evicting keys under memory pressure, the Redis the service must refuse.</param>
    public static async Task<RedisServer> StartAsync(bool durable = true)
    {
        var server = new RedisServer(FreePort(), Directory.CreateTempSubdirectory("decisioning-redis-").FullName, durable);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the process again (after <see cref="KillAsync"/>) on the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1",
                "--dir", _dataDir,
                "--appendonly", _durable ? "yes" : "no",
                "--appendfsync", _durable ? "always" : "everysec",
                "--save", "",
                "--maxmemory-policy", _durable ? "noeviction" : "allkeys-lru",
                "--daemonize", "no",
                "--logfile", Path.Combine(_dataDir, "redis.log"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}; see {_dataDir}/redis.log");
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
