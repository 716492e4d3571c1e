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

// Activates N stored lines one at a time in a silo of this process and reports the latency of each
// first call (activation + one Redis read) and the managed heap each active line grain adds.
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
    using var host = builder.Build();
    await host.StartAsync(cancel);

    var store = host.Services.GetRequiredService<ILineStore>();
    var grains = host.Services.GetRequiredService<IGrainFactory>();
    var local = host.Services.GetRequiredService<LocalLines>();
    var run = Random.Shared.NextInt64(1, 900) * 1_000_000;
    var ids = Enumerable.Range(0, lines + WarmUpLines).Select(i => Id(run + i)).ToArray();

    // Store the lines directly (as a previous run of the service would have left them).
    var now = DateTimeOffset.UtcNow;
    await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancel }, async (id, _) =>
    {
        var opened = (Applied)LineState.NotOpened.Apply(new OpenLineCommand("open", 1_000_000_00, 350, 365, Product.OperatingQuickLoan) { Actor = "activation-bench" }, now, FourEyesPolicy.None);
        await store.CommitAsync(id, LineState.NotOpened, opened.State, [new("open", "open", opened.Result, opened.Entries)]);
    });

    // JIT and first-use costs are not activation costs.
    foreach (var id in ids[..WarmUpLines])
    {
        await grains.GetGrain<ICreditLineGrain>(id).GetLine();
    }

    var before = SettledHeap();
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

    var after = SettledHeap();
    var active = local.Count - WarmUpLines;
    var bytesPerGrain = (after - before) / Math.Max(1, active);
    Console.WriteLine($"{active:N0} line grains activated one at a time; managed heap after a full GC grew by {(after - before) / 1024.0 / 1024:F1} MiB");
    Console.WriteLine(
        $"activation lines={active} bytes_per_grain={bytesPerGrain} p50_us={histogram.GetValueAtPercentile(50)} " +
        $"p99_us={histogram.GetValueAtPercentile(99)} p999_us={histogram.GetValueAtPercentile(99.9)} max_us={histogram.GetMaxValue()}");
    await host.StopAsync(cancel);
    return 0;
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
