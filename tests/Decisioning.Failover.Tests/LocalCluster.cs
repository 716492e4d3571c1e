using System.Diagnostics;
using System.Globalization;
using Decisioning.Testing;

namespace Decisioning.Failover.Tests;

/// <summary>
/// The cluster of <c>./cluster.sh</c> (Redis primary, replica and three sentinels, or a Redis Cluster;
/// three silos, two front doors) in a scratch folder on free loopback ports, driven by the script itself: the test
/// crashes, stops and starts its processes as an operator would.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly Dictionary<string, string> _environment;

    private LocalCluster(string root, Dictionary<string, string> environment, int[] hostPorts)
    {
        _root = root;
        _environment = environment;
        HostAddresses = [.. hostPorts.Select(p => $"http://127.0.0.1:{p}")];
    }

    public IReadOnlyList<string> HostAddresses { get; }

    public string Folder => _environment["CLUSTER_DIR"];

    /// <param name="settings">Settings of every silo and front door, as environment variables.</param>
    /// <param name="redisCluster">True: <c>up --redis-cluster</c>, a Redis Cluster of six nodes (redis-1..redis-6) instead of Sentinel.</param>
    public static async Task<LocalCluster> UpAsync(IReadOnlyDictionary<string, string> settings, bool redisCluster = false)
    {
        string Ports(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => RedisServer.FreePort().ToString(CultureInfo.InvariantCulture)));
        var hostPorts = new[] { RedisServer.FreePort(), RedisServer.FreePort() };
        var (root, configuration) = SolutionFolder();
        var environment = new Dictionary<string, string>(settings)
        {
            ["CLUSTER_DIR"] = Directory.CreateTempSubdirectory("decisioning-cluster-").FullName,
            ["CLUSTER_ID"] = "failover-" + Guid.NewGuid().ToString("N")[..8],
            ["CLUSTER_REDIS_PORTS"] = Ports(2),
            ["CLUSTER_SENTINEL_PORTS"] = Ports(3),
            ["CLUSTER_NODE_PORTS"] = Ports(6),
            ["CLUSTER_SILO_PORTS"] = Ports(3),
            ["CLUSTER_GATEWAY_PORTS"] = Ports(3),
            ["CLUSTER_HOST_PORTS"] = string.Join(' ', hostPorts),
            ["CLUSTER_CONFIGURATION"] = configuration,
            // The solution is built before its tests run; building again would race the other test projects.
            ["CLUSTER_BUILD"] = "no",
        };
        var cluster = new LocalCluster(root, environment, hostPorts);
        await (redisCluster ? cluster.RunAsync("up", "--redis-cluster") : cluster.RunAsync("up"));
        return cluster;
    }

    /// <summary>SIGKILL, as a crash.</summary>
    public Task KillAsync(string name) => RunAsync("kill", name);

    /// <summary>SIGTERM, as an orderly stop; returns once the process has exited.</summary>
    /// <returns>What the script said (how long the process took to stop).</returns>
    public Task<string> StopAsync(string name) => RunAsync("stop", name);

    /// <summary>Starts the process again; a silo or front door once its port listens.</summary>
    public Task StartAsync(string name) => RunAsync("start", name);

    public Task<string> StatusAsync() => RunAsync("status");

    /// <summary>The last lines of a process's log, for a failing test's message.</summary>
    public string LogTail(string name, int lines = 40)
    {
        var path = Path.Combine(Folder, "logs", name + ".log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no log)";
    }

    /// <summary>
    /// The lines of every process's log that say a line's storage was not where its activation
    /// thought (a duplicate activation, a ledger regression), prefixed with the process.
    /// </summary>
    public string StaleLineWarnings()
    {
        var found = Directory.EnumerateFiles(Path.Combine(Folder, "logs"), "*.log")
            .SelectMany(path => File.ReadLines(path)
                .Where(l => l.Contains("this activation held", StringComparison.Ordinal) || l.Contains("LEDGER_REGRESSION", StringComparison.Ordinal))
                .Select(l => $"{Path.GetFileNameWithoutExtension(path)}: {l.Trim()}"))
            .ToList();
        return found.Count == 0 ? "(none)" : string.Join('\n', found.Take(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("down");
        }
        finally
        {
            // Whatever `down` could not stop, by the pids the script recorded.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Folder, "pids"), "*.pid"))
            {
                if (int.TryParse(File.ReadAllText(file).Trim(), out var pid))
                {
                    try
                    {
                        Process.GetProcessById(pid).Kill();
                    }
                    catch (ArgumentException)
                    {
                        // Gone already.
                    }
                }
            }

            // Logs, data and pids: a failing test has already quoted the logs it needs.
            Directory.Delete(Folder, recursive: true);
        }
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(_root, "cluster.sh") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        var text = await output + await errors;
        return process.ExitCode == 0
            ? text
            : throw new InvalidOperationException($"./cluster.sh {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{text}");
    }

    /// <summary>The solution's folder and the configuration these tests were built in (the programs were built alike).</summary>
    private static (string Root, string Configuration) SolutionFolder()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Decisioning.sln")))
        {
            root = root.Parent;
        }

        return (root?.FullName ?? throw new InvalidOperationException("cannot find Decisioning.sln above " + AppContext.BaseDirectory), output.Parent!.Name);
    }
}
