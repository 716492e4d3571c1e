using System.Globalization;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Events;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>
/// Keeps the portfolio (<see cref="PortfolioProjection"/>) in Redis, one hash per event partition
/// beside its stream: the figures, what is remembered of each enterprise, and the id of the last
/// event applied. Each pass reads the events after that id and applies them with portfolio.lua,
/// which writes only if the hash is still at that id: exactly once, and several front doors may
/// project the same partitions (the one that comes second writes nothing and reads again). The
/// consumer group <c>portfolio</c> follows the applied id, so retention keeps what is not applied.
/// </summary>
public sealed class PortfolioProjector(IConnectionMultiplexer redis, EventStreams streams, IOptions<EventOptions> options, TimeProvider clock, ILogger<PortfolioProjector> logger)
    : StreamProjector(redis, streams, options, clock, logger)
{
    public const string GroupName = "portfolio";
    private const string Position = "@";
    private const string FigurePrefix = "c:";
    private const string EnterprisePrefix = "e:";

    private readonly string _script = EmbeddedScripts.Read("portfolio.lua");

    /// <summary>Every figure of every partition, summed, with the SRDI lines derived from them: what GetPortfolio answers.</summary>
    public async Task<Dictionary<PortfolioCell, long>> ReadAsync()
    {
        var db = Redis.GetDatabase();
        var hashes = await Task.WhenAll(Enumerable.Range(0, Streams.Count).Select(p => db.HashGetAllAsync(Streams.Portfolio(p))));
        var figures = new Dictionary<PortfolioCell, long>();
        foreach (var field in hashes.SelectMany(h => h))
        {
            var name = (string)field.Name!;
            if (name.StartsWith(FigurePrefix, StringComparison.Ordinal))
            {
                var cell = Cell(name);
                figures[cell] = figures.GetValueOrDefault(cell) + (long)field.Value;
            }
        }

        return PortfolioProjection.WithSrdiLines(figures);
    }

    protected override string Group => GroupName;

    protected override string Name => "the portfolio";

    protected override async Task<string> PositionAsync(IDatabase db, int partition) => (string?)await db.HashGetAsync(Streams.Portfolio(partition), Position) ?? "";

    protected override async Task<bool> ApplyAsync(IDatabase db, int partition, string at, StreamEntry[] batch)
    {
        var (stream, hash) = (Streams.Key(partition), Streams.Portfolio(partition));
        var events = EventCodec.Decode(batch);
        var known = await RememberedAsync(db, partition, hash, EnterprisePrefix, events, Enterprise);

        var changes = new Dictionary<PortfolioCell, long>();
        foreach (var e in events)
        {
            if (PortfolioProjection.Apply(known[e.EnterpriseId], e) is var (after, deltas))
            {
                known[e.EnterpriseId] = after;
                foreach (var (cell, delta) in deltas)
                {
                    changes[cell] = changes.GetValueOrDefault(cell) + delta;
                }
            }
        }

        var args = new List<RedisValue> { at, batch[^1].Id, changes.Count(c => c.Value != 0) };
        foreach (var (cell, delta) in changes.Where(c => c.Value != 0))
        {
            args.Add(Field(cell));
            args.Add(delta);
        }

        // Only enterprises with a line are remembered: anyone may ask for a decision on any code,
        // and what those leave must not grow the hash (their figures are flows; the position
        // fence alone applies each event once).
        foreach (var (id, enterprise) in known)
        {
            if (enterprise is { Status: not LineStatus.None })
            {
                args.Add(EnterprisePrefix + id);
                args.Add(Encode(enterprise));
            }
        }

        if ((int)await db.ScriptEvaluateAsync(_script, [hash, stream], [.. args]) != 1)
        {
            return false;
        }

        foreach (var (id, enterprise) in known)
        {
            if (enterprise is { Status: not LineStatus.None })
            {
                Remember(partition, id, enterprise);
            }
        }

        return true;
    }

    private static string Field(PortfolioCell c) =>
        FormattableString.Invariant($"{FigurePrefix}{c.Measure}|{(int)c.Product}|{c.Month}|{(int)c.Level}");

    private static PortfolioCell Cell(string field)
    {
        var parts = field[FigurePrefix.Length..].Split('|');
        return new(parts[0], (Product)int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], (SrdiLevel)int.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    private static string Encode(PortfolioEnterprise e) =>
        FormattableString.Invariant($"{e.Sequence}|{(int)e.Status}|{(int)e.Product}|{(int)e.Level}|{e.DrawnMinor}");

    private static PortfolioEnterprise Enterprise(string value)
    {
        var p = value.Split('|');
        return new(
            long.Parse(p[0], CultureInfo.InvariantCulture),
            (LineStatus)int.Parse(p[1], CultureInfo.InvariantCulture),
            (Product)int.Parse(p[2], CultureInfo.InvariantCulture),
            (SrdiLevel)int.Parse(p[3], CultureInfo.InvariantCulture),
            long.Parse(p[4], CultureInfo.InvariantCulture));
    }
}
