using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Decisioning.Testing;

/// <summary>
/// The real service (grpc-host, by default with its co-hosted silo) as a child process on free
/// loopback ports, against a given Redis. Start, kill and start again, as an operator would.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly DotnetProcess _process;

    private readonly List<ExplainingChannel> _channels = [];

    private ServiceProcess(Dictionary<string, string> environment, int grpcPort, int probePort)
    {
        _process = new DotnetProcess("grpc-host", "Decisioning.GrpcHost", environment);
        GrpcPort = grpcPort;
        ProbePort = probePort;
        MetricsPort = int.Parse(environment[MetricsPortSetting], CultureInfo.InvariantCulture);
        Anonymous = Track(GrpcChannel.ForAddress(Address));
        Channel = ChannelFor(TestTokens.Shared.Staff);
        ApproverChannel = ChannelFor(TestTokens.Shared.Approver);
    }

    public int GrpcPort { get; }

    public string Address => $"http://127.0.0.1:{GrpcPort}";

    /// <summary>Plain HTTP/1.1, <c>/healthz</c> and <c>/readyz</c> only (Decisioning:Grpc:ProbePort).</summary>
    public int ProbePort { get; }

    /// <summary>Plain HTTP/1.1, the Prometheus scrape endpoint <c>/metrics</c> only (Decisioning:Telemetry:MetricsPort).</summary>
    public int MetricsPort { get; }

    public const string MetricsPortSetting = "Decisioning__Telemetry__MetricsPort";

    public int Pid => _process.Pid;

    // The channels' failed calls carry the process's output when it explains them (ExplainingChannel):
    // an INTERNAL status, or a process that ended by itself.

    /// <summary>A channel whose calls carry the token of bank staff (every scope, every enterprise).</summary>
    public ChannelBase Channel { get; }

    /// <summary>A channel of a second staff member (<see cref="TestTokens.Approver"/>): the four eyes on what <see cref="Channel"/> proposes.</summary>
    public ChannelBase ApproverChannel { get; }

    /// <summary>A channel whose calls carry no token: health checks, and tests that the service refuses them.</summary>
    public ChannelBase Anonymous { get; }

    /// <summary>A channel whose calls carry <paramref name="token"/> as <c>authorization: Bearer</c>, as any gRPC client sends it.</summary>
    public ChannelBase ChannelFor(string token) => Track(BearerChannels.For(Address, token));

    /// <summary>What the process wrote, for a failing test's message.</summary>
    public string Output => _process.Output;

    /// <param name="settings">Configuration overrides as environment variables (<c>Decisioning__Grpc__Silo</c> = <c>External</c>, say).</param>
    public static async Task<ServiceProcess> StartAsync(string redisConfiguration, IReadOnlyDictionary<string, string>? settings = null)
    {
        var service = Create(redisConfiguration, settings);
        await service.StartAgainAsync();
        return service;
    }

    /// <summary>The process as configured, not started: for tests of a service that must refuse to start.</summary>
    public static ServiceProcess Create(string redisConfiguration, IReadOnlyDictionary<string, string>? settings = null)
    {
        var (grpcPort, probePort) = (RedisServer.FreePort(), RedisServer.FreePort());
        var environment = new Dictionary<string, string>(TestTokens.Shared.ServiceSettings)
        {
            ["Decisioning__Grpc__Port"] = grpcPort.ToString(CultureInfo.InvariantCulture),
            ["Decisioning__Grpc__ProbePort"] = probePort.ToString(CultureInfo.InvariantCulture),
            [MetricsPortSetting] = RedisServer.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Decisioning__Redis__Configuration"] = redisConfiguration,
            ["Decisioning__Cluster__SiloPort"] = RedisServer.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Decisioning__Cluster__GatewayPort"] = RedisServer.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return new ServiceProcess(environment, grpcPort, probePort);
    }

    /// <summary>Starts the process and waits for it to exit on its own (a refusal to start); its exit code.</summary>
    public async Task<int> RunToExitAsync(TimeSpan limit)
    {
        _process.Start();
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Starts the process (again, after <see cref="KillAsync"/>) and waits until its health service says SERVING.</summary>
    public async Task StartAgainAsync()
    {
        _process.Start();
        var health = new Health.HealthClient(Anonymous);
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

    /// <summary>What grpc.health.v1 says of <paramref name="service"/> ("" is readiness); Unknown when it does not answer within 5 s.</summary>
    public async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(string service = "")
    {
        try
        {
            var reply = await new Health.HealthClient(Anonymous).CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(5));
            return reply.Status;
        }
        catch (Grpc.Core.RpcException)
        {
            return HealthCheckResponse.Types.ServingStatus.Unknown;
        }
    }

    /// <summary>
    /// Waits until grpc.health.v1 says <paramref name="status"/> of <paramref name="service"/>. It
    /// publishes a result every 5 s, so a change shows within seconds; after a minute the wait fails.
    /// </summary>
    public async Task WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus status, string service = "")
    {
        var last = HealthCheckResponse.Types.ServingStatus.Unknown;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if ((last = await HealthAsync(service)) == status)
            {
                return;
            }
        }

        throw new TimeoutException($"health of '{service}' stayed {last}, never {status}:\n{Output}");
    }

    /// <summary>The HTTP status and body of a GET of <paramref name="path"/> on the probe port, over HTTP/1.1 as Kubernetes probes it.</summary>
    public Task<(int Status, string Body)> ProbeAsync(string path) => GetAsync(ProbePort, path);

    /// <summary>The HTTP status and body of a GET of <paramref name="path"/> on <paramref name="port"/> of loopback, over HTTP/1.1.</summary>
    public static async Task<(int Status, string Body)> GetAsync(int port, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until the process has written <paramref name="text"/>; after a minute the wait fails with what it wrote.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new TimeoutException($"the service never wrote '{text}':\n{Output}");
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        lock (_channels)
        {
            _channels.ForEach(c => c.Inner.Dispose());
        }
    }

    private ExplainingChannel Track(GrpcChannel channel)
    {
        var explaining = new ExplainingChannel(channel, Explain);
        lock (_channels)
        {
            _channels.Add(explaining);
        }

        return explaining;
    }

    /// <summary>What the process wrote, when it explains <paramref name="failure"/>: an INTERNAL status, or a process that ended by itself.</summary>
    private string? Explain(Grpc.Core.RpcException failure)
    {
        if (_process.EndedByItself)
        {
            return $"The service exited by itself with {_process.ExitCode}; it wrote:\n{Tail(Output)}";
        }

        return failure.StatusCode == Grpc.Core.StatusCode.Internal ? $"The service wrote:\n{Tail(Output)}" : null;
    }

    /// <summary>The last 100 lines of <paramref name="output"/>.</summary>
    private static string Tail(string output)
    {
        var lines = output.Split('\n');
        return lines.Length <= 100 ? output : $"… ({lines.Length - 100} lines before)\n" + string.Join('\n', lines[^100..]);
    }
}
