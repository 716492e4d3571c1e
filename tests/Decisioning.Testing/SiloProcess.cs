using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Decisioning.Testing;

/// <summary>The standalone silo as a child process; ready once its gateway accepts connections.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly DotnetProcess _process;

    private SiloProcess(DotnetProcess process, int siloPort, int gatewayPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string Output => _process.Output;

    /// <summary>The silo's process, to freeze it (<see cref="ProcessSignals"/>).</summary>
    public int Pid => _process.Pid;

    /// <param name="settings">Configuration overrides as environment variables, e.g. <c>Decisioning__Cluster__Clustering</c>.</param>
    public static async Task<SiloProcess> StartAsync(string redisConfiguration, IReadOnlyDictionary<string, string>? settings = null)
    {
        var silo = Create(redisConfiguration, settings);
        silo._process.Start();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (silo._process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with {silo._process.ExitCode}:\n{silo.Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, silo.GatewayPort);
                return silo;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"the silo's gateway did not open:\n{silo.Output}");
    }

    /// <summary>The process as configured, not started: for tests of a silo that must refuse to start.</summary>
    public static SiloProcess Create(string redisConfiguration, IReadOnlyDictionary<string, string>? settings = null)
    {
        var (siloPort, gatewayPort) = (RedisServer.FreePort(), RedisServer.FreePort());
        var environment = new Dictionary<string, string>
        {
            ["Decisioning__Redis__Configuration"] = redisConfiguration,
            ["Decisioning__Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Decisioning__Cluster__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return new SiloProcess(new DotnetProcess("silo", "Decisioning.Silo", environment), siloPort, gatewayPort);
    }

    /// <summary>Starts the process and waits for it to exit on its own (a refusal to start); its exit code.</summary>
    public async Task<int> RunToExitAsync(TimeSpan limit)
    {
        _process.Start();
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync() => await KillAsync();
}
