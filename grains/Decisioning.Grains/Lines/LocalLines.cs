using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Decisioning.Grains.Lines;

/// <summary>
/// The pipelines of the line grains active in this process. A front door in the same process (the
/// co-hosted silo) hands reads and changes of such a line straight to its pipeline instead of
/// sending a message through the silo: the answer is the one the grain would give, since the
/// grain answers from the same pipeline. Orleans still decides where each line lives and that it
/// lives once; a line active elsewhere, or not at all, is reached through its grain. A grain
/// publishes its pipeline once loaded and withdraws it when it faults or the grain deactivates.
/// </summary>
public sealed class LocalLines
{
    private readonly ConcurrentDictionary<string, LinePipeline> _pipelines = new(StringComparer.Ordinal);

    public int Count => _pipelines.Count;

    internal bool TryGet(string enterpriseId, [NotNullWhen(true)] out LinePipeline? pipeline) =>
        _pipelines.TryGetValue(enterpriseId, out pipeline);

    internal void Publish(string enterpriseId, LinePipeline pipeline) => _pipelines[enterpriseId] = pipeline;

    /// <summary>Withdraws this pipeline, and not a newer one published by the next activation.</summary>
    internal void Withdraw(string enterpriseId, LinePipeline pipeline) =>
        _pipelines.TryRemove(KeyValuePair.Create(enterpriseId, pipeline));
}
