using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Hosting;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Simulations;
using HdrHistogram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

// Activates N stored lines one at a time in a silo of this process and reports the latency of each
// first call (activation + one Redis read), the managed heap each active line grain adds and the Redis
// commands each activation sends. The lines are stored, and activated once, by a silo that stops
// before the measured one starts: the measured activations find what a restart leaves.
var redisOption = new Option<string>("--redis") { Description = "Redis to use (AOF always, as the service demands).", Required = true };
var linesOption = new Option<int>("--lines") { Description = "How many lines to store and activate (1 to 1,000,000).", DefaultValueFactory = _ => 10_000 };
var command = new RootCommand("Memory per active line grain and cold activation latency") { redisOption, linesOption };
command.SetAction(async (parse, cancel) =>
{
    var lines = parse.GetValue(linesOption);
    if (lines is < 1 or > 1_000_000)
    {
        Console.Error.WriteLine("--lines must be from 1 to 1,000,000");
        return 2;
    }

    return await RunAsync(parse.GetValue(redisOption)!, lines, cancel);
});
return await command.Parse(args).InvokeAsync();

static async Task<int> RunAsync(string redis, int lines, CancellationToken cancel)
{
    const int WarmUpLines = 500;
    var run = Random.Shared.NextInt64(1, 900) * 1_000_000;
    var ids = Enumerable.Range(0, lines + WarmUpLines).Select(i => Id(run + i)).ToArray();
    // INFO, for the command counts: an admin command to StackExchange.Redis.
    using var connection = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
    var server = connection.GetServer(connection.GetEndPoints()[0]);

    // The lines as a previous run of the service leaves them: stored, then activated once there
    // (so that an open line has what its activations keep, the daily reminder), and that silo stopped.
    using (var previous = Silo(redis))
    {
        await previous.StartAsync(cancel);
        var store = previous.Services.GetRequiredService<ILineStore>();
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancel }, async (id, _) =>
        {
            var opened = (Applied)LineState.NotOpened.Apply(new OpenLineCommand("open", 1_000_000_00, 350, 365, Product.OperatingQuickLoan) { Actor = "activation-bench" }, now, FourEyesPolicy.None);
            await store.CommitAsync(id, LineState.NotOpened, opened.State, [new("open", "open", opened.Result, opened.Entries)]);
            await previous.Services.GetRequiredService<IGrainFactory>().GetGrain<ICreditLineGrain>(id).GetLine();
        });

        // What the activations started in the background (a reminder's registration) ends before the silo stops.
        await Quiet(server, cancel);
        await previous.StopAsync(cancel);
    }

    using var host = Silo(redis);
    await host.StartAsync(cancel);
    var grains = host.Services.GetRequiredService<IGrainFactory>();
    var local = host.Services.GetRequiredService<LocalLines>();

    // JIT and first-use costs are not activation costs.
    foreach (var id in ids[..WarmUpLines])
    {
        await grains.GetGrain<ICreditLineGrain>(id).GetLine();
    }

    await Quiet(server, cancel);
    var before = SettledHeap();
    var commandsBefore = await Commands(server);
    var histogram = new LongHistogram(TimeStamp.Seconds(10), 3);
    foreach (var id in ids[WarmUpLines..])
    {
        var started = Stopwatch.GetTimestamp();
        var reply = await grains.GetGrain<ICreditLineGrain>(id).GetLine();
        histogram.RecordValue(Stopwatch.GetElapsedTime(started).Ticks / (TimeSpan.TicksPerMillisecond / 1000));
        if (reply.Error is not null)
        {
            Console.Error.WriteLine($"{id}: {reply.Error.Message}");
            return 1;
        }
    }

    await Quiet(server, cancel);
    var commandsAfter = await Commands(server);
    var after = SettledHeap();
    var active = local.Count - WarmUpLines;
    var bytesPerGrain = (after - before) / Math.Max(1, active);
    var perActivation = commandsAfter
        .Select(c => (c.Key, Calls: c.Value - commandsBefore.GetValueOrDefault(c.Key)))
        .Where(c => c.Calls > 0 && c.Key != "info")
        .OrderByDescending(c => c.Calls)
        .ToList();
    Console.WriteLine($"{active:N0} line grains activated one at a time; managed heap after a full GC grew by {(after - before) / 1024.0 / 1024:F1} MiB");
    Console.WriteLine("Redis commands per activation (INFO commandstats, scripts' commands counted too): " +
        string.Join(", ", perActivation.Select(c => $"{c.Key} {(double)c.Calls / active:F2}")));
    Console.WriteLine(
        $"activation lines={active} bytes_per_grain={bytesPerGrain} p50_us={histogram.GetValueAtPercentile(50)} " +
        $"p99_us={histogram.GetValueAtPercentile(99)} p999_us={histogram.GetValueAtPercentile(99.9)} max_us={histogram.GetMaxValue()} " +
        $"redis_commands_per_activation={(double)perActivation.Sum(c => c.Calls) / active:F2}");
    await host.StopAsync(cancel);
    return 0;
}

static IHost Silo(string redis)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Decisioning:Redis:Configuration"] = redis,
        ["Decisioning:Cluster:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
        ["Decisioning:Cluster:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
    });
    builder.UseOrleans(silo => silo.AddDecisioningSilo(builder.Configuration));
    // Assessment needs providers to start; this benchmark never assesses.
    builder.Services.AddSimulatedExternalData();
    return builder.Build();
}

/// <summary>Until Redis has had nothing but this poll to do for a second (at most 30 s).</summary>
static async Task Quiet(IServer server, CancellationToken cancel)
{
    var last = -1L;
    for (var i = 0; i < 30; i++)
    {
        var total = (await Commands(server)).Values.Sum();
        if (total == last + 1)
        {
            return;
        }

        last = total;
        await Task.Delay(TimeSpan.FromSeconds(1), cancel);
    }
}

/// <summary>Calls per command since Redis started (INFO commandstats).</summary>
static async Task<Dictionary<string, long>> Commands(IServer server)
{
    var stats = await server.InfoAsync("commandstats");
    return stats.SelectMany(g => g)
        .Where(kv => kv.Key.StartsWith("cmdstat_", StringComparison.Ordinal))
        .ToDictionary(
            kv => kv.Key["cmdstat_".Length..],
            kv => long.Parse(kv.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
}

static long SettledHeap()
{
    for (var i = 0; i < 3; i++)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    return GC.GetTotalMemory(forceFullCollection: true);
}

static string Id(long n)
{
    var body = "91350100" + n.ToString("D9", CultureInfo.InvariantCulture);
    return body + EnterpriseId.CheckCharacter(body);
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
