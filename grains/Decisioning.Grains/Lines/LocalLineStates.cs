using System.Collections.Concurrent;
using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Lines;

/// <summary>
/// The durable state of every line whose grain is active in this process, published by the grain
/// after each load and commit and withdrawn when the grain deactivates or drops its memory. A front
/// door in the same process answers reads from it without a grain call: the answer is exactly what
/// the grain would give (its durable state, never a change still in flight), at the cost of a
/// dictionary lookup instead of a message through the silo.
/// </summary>
public sealed class LocalLineStates
{
    private readonly ConcurrentDictionary<string, LineState> _states = new(StringComparer.Ordinal);

    public int Count => _states.Count;

    public bool TryGet(string enterpriseId, out LineState state) => _states.TryGetValue(enterpriseId, out state!);

    internal void Publish(string enterpriseId, LineState state) => _states[enterpriseId] = state;

    internal void Withdraw(string enterpriseId) => _states.TryRemove(enterpriseId, out _);
}
