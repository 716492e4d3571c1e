// Where a process's allocations come from, from a trace of its allocation samples: by the part of
// the code that made them (the innermost Decisioning frame of each sample's stack) and by type.
//   usage: dotnet run scripts/allocations.cs TRACE.nettrace CALLS
// TRACE: `dotnet-trace collect -p PID --profile gc-verbose --duration 00:00:00:10 -o TRACE.nettrace`
// taken while the load tool runs (the runtime samples an allocation about every 100 KB, with its
// type and stack); CALLS: the calls answered in the trace's window (the load tool's rate times its
// seconds), to give bytes per call. docs/benchmarks.md, "Where a spread draw's allocations go".
#:property ManagePackageVersionsCentrally=false
#:package Microsoft.Diagnostics.Tracing.TraceEvent@3.2.8
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

if (args.Length != 2 || !double.TryParse(args[1], out var calls) || calls <= 0)
{
    Console.Error.WriteLine("usage: dotnet run scripts/allocations.cs TRACE.nettrace CALLS");
    return 2;
}

using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
var byPart = new Dictionary<string, long>();
var byType = new Dictionary<string, long>();
long total = 0;
foreach (var traced in log.Events)
{
    if (traced is not GCAllocationTickTraceData sample)
    {
        continue;
    }

    total += sample.AllocationAmount64;
    var type = sample.TypeName ?? "?";
    byType[type] = byType.GetValueOrDefault(type) + sample.AllocationAmount64;
    var part = Part(Innermost(sample.CallStack()));
    byPart[part] = byPart.GetValueOrDefault(part) + sample.AllocationAmount64;
}

Console.WriteLine($"{total / 1e6:F1} MB sampled, {total / calls:F0} bytes per call");
Print("by the code that allocated", byPart, 12);
Print("by type", byType, 25);
return 0;

void Print(string title, Dictionary<string, long> bytes, int top)
{
    Console.WriteLine($"\n{title}:");
    foreach (var (name, amount) in bytes.OrderByDescending(p => p.Value).Take(top))
    {
        Console.WriteLine($"{100.0 * amount / total,6:F1}%  {amount / calls,7:F0} B/call  {name}");
    }
}

static string? Innermost(TraceCallStack? stack)
{
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        if (frame.CodeAddress.FullMethodName is { } name && name.StartsWith("Decisioning.", StringComparison.Ordinal))
        {
            return name;
        }
    }

    return null;
}

static string Part(string? method) => method switch
{
    null => "no Decisioning frame: Kestrel, gRPC, ASP.NET Core, the runtime",
    _ when method.StartsWith("Decisioning.Grains.Events", StringComparison.Ordinal) || method.StartsWith("Decisioning.Domain.Events", StringComparison.Ordinal) => "events: the projectors and the event codec",
    _ when method.StartsWith("Decisioning.Grains.Storage", StringComparison.Ordinal) => "storage: codecs, the line store, the cross-line writer",
    _ when method.StartsWith("Decisioning.Grains", StringComparison.Ordinal) => "grains: the line pipeline and its access",
    _ when method.StartsWith("Decisioning.Domain", StringComparison.Ordinal) => "domain",
    _ when method.StartsWith("Decisioning.GrpcHost", StringComparison.Ordinal) => "front door: middleware, authentication, interceptors, services",
    _ when method.StartsWith("Decisioning.PlainScript", StringComparison.Ordinal) => "the plain script server",
    _ when method.StartsWith("Decisioning.Contracts", StringComparison.Ordinal) => "contract messages (protobuf)",
    _ => method.Split('(')[0],
};
