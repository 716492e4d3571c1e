using System.Globalization;
using Decisioning.LoadTest.Workloads;

namespace Decisioning.LoadTest.Configuration;

/// <summary>Weighted choice of workloads, e.g. <c>check=70,draw=20,repay=10</c>. Weights are relative, not percentages.</summary>
public sealed class Mix
{
    public const int MaxWeight = 1_000_000;

    private readonly WorkloadKind[] _kinds;
    private readonly int[] _cumulative;

    private Mix(IReadOnlyList<(WorkloadKind Kind, int Weight)> entries)
    {
        Entries = entries;
        _kinds = [.. entries.Select(e => e.Kind)];
        _cumulative = new int[entries.Count];
        var sum = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            sum += entries[i].Weight;
            _cumulative[i] = sum;
        }

        TotalWeight = sum;
    }

    public static readonly Mix Default = Parse("check=70,draw=20,repay=10");

    public IReadOnlyList<(WorkloadKind Kind, int Weight)> Entries { get; }

    public int TotalWeight { get; }

    public IEnumerable<WorkloadKind> Kinds => _kinds;

    public static Mix Single(WorkloadKind kind) => new([(kind, 1)]);

    public static Mix Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("a mix is required, e.g. check=70,draw=20,repay=10");
        }

        var entries = new List<(WorkloadKind, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"'{part}' is not name=weight (e.g. draw=20)");
            }

            var kind = WorkloadNames.Parse(part[..equals]);
            if (!int.TryParse(part.AsSpan(equals + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight is < 1 or > MaxWeight)
            {
                throw new FormatException($"the weight of '{part[..equals].Trim()}' must be a whole number from 1 to {MaxWeight}, not '{part[(equals + 1)..].Trim()}'");
            }

            if (entries.Exists(e => e.Item1 == kind))
            {
                throw new FormatException($"'{WorkloadNames.Name(kind)}' appears twice in the mix");
            }

            entries.Add((kind, weight));
        }

        return new Mix(entries);
    }

    public WorkloadKind Pick(Random random)
    {
        if (_kinds.Length == 1)
        {
            return _kinds[0];
        }

        var roll = random.Next(TotalWeight);
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (roll < _cumulative[i])
            {
                return _kinds[i];
            }
        }

        return _kinds[^1];
    }

    public override string ToString() =>
        string.Join(',', Entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{WorkloadNames.Name(e.Kind)}={e.Weight}")));
}
