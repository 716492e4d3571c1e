using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Decisioning.Testing;

/// <summary>
/// The real service (grpc-host with its co-hosted silo) as a child process on free loopback ports,
/// against a given Redis. Start, kill and start again, as an operator would.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ServiceProcess(Dictionary<string, string> environment, int grpcPort)
    {
        _environment = environment;
        GrpcPort = grpcPort;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
    }

    public int GrpcPort { get; }

    public GrpcChannel Channel { get; }

    /// <summary>What the process wrote, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServiceProcess> StartAsync(string redisConfiguration, IReadOnlyDictionary<string, string>? settings = null)
    {
        var grpcPort = RedisServer.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Decisioning__Grpc__Port"] = grpcPort.ToString(CultureInfo.InvariantCulture),
            ["Decisioning__Redis__Configuration"] = redisConfiguration,
            ["Decisioning__Cluster__SiloPort"] = RedisServer.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Decisioning__Cluster__GatewayPort"] = RedisServer.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var service = new ServiceProcess(environment, grpcPort);
        await service.StartAgainAsync();
        return service;
    }

    /// <summary>Starts the process (again, after <see cref="KillAsync"/>) and waits until its health service says SERVING.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { HostAssemblyPath() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("the service did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var health = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the service did not become healthy:\n{Output}");
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Channel.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The grpc-host built in the same configuration as the running tests.</summary>
    private static string HostAssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Decisioning.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("cannot find Decisioning.sln above " + AppContext.BaseDirectory);
        }

        var path = Path.Combine(root.FullName, "grpc-host", "Decisioning.GrpcHost", "bin", configuration, framework, "Decisioning.GrpcHost.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first");
    }
}
