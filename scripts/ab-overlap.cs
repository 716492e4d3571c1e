// scripts/ab.sh's AB_TOGETHER mode: the rates of two decisioning-load runs that went at the same
// time, over the part of their measured windows that overlaps. Each tool's window opens after its
// own set-up, so the two are offset by the difference; over the whole windows, the run whose window
// ends later would count seconds it had the machine to itself.
//   usage: dotnet run scripts/ab-overlap.cs A/result.json B/result.json
//   prints: rate-of-A rate-of-B overlap-seconds
// A window opens at started_at + setup_seconds + the warm-up (the connections and the health check
// before the set-up, a few milliseconds, are not in setup_seconds); each timeline point counts the
// requests of the interval that ends at its second. Only points wholly inside the overlap count.
using System.Globalization;
using System.Text.Json;

var runs = args.Select(path => JsonDocument.Parse(File.ReadAllText(path)).RootElement).ToArray();
if (runs.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run scripts/ab-overlap.cs A/result.json B/result.json");
    return 2;
}

var windows = runs.Select(r =>
{
    var opens = r.GetProperty("started_at").GetDateTimeOffset()
        .AddSeconds(r.GetProperty("setup_seconds").GetDouble() + r.GetProperty("parameters").GetProperty("warmup_seconds").GetDouble());
    var points = r.GetProperty("timeline").EnumerateArray()
        .Select(p => (Ends: opens.AddSeconds(p.GetProperty("second").GetDouble()), Seconds: p.GetProperty("interval_seconds").GetDouble(), Requests: p.GetProperty("requests").GetInt64()))
        .ToArray();
    return (Opens: opens, Closes: opens.AddSeconds(r.GetProperty("measured_seconds").GetDouble()), Points: points);
}).ToArray();

var (from, to) = (windows.Max(w => w.Opens), windows.Min(w => w.Closes));
var rates = windows.Select(w =>
{
    var inside = w.Points.Where(p => p.Ends.AddSeconds(-p.Seconds) >= from && p.Ends <= to).ToArray();
    var seconds = inside.Sum(p => p.Seconds);
    return seconds > 0 ? inside.Sum(p => p.Requests) / seconds : double.NaN;
});
Console.WriteLine(string.Join(' ', rates.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture))) + " " + Math.Max(0, (to - from).TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture));
return 0;
