using Decisioning.Domain.Lines;

namespace Decisioning.Grains.Lines;

/// <summary>
/// Reads of a line for the front door: from <see cref="LocalLineStates"/> when the line's grain is
/// active in this process, otherwise through the grain (which activates it and publishes it).
/// </summary>
public sealed class LineReads(IGrainFactory grains, TimeProvider clock, LocalLineStates? local = null)
{
    public ValueTask<LimitCheckReply> CheckLimit(string enterpriseId, long amountMinor)
    {
        if (local is not null && local.TryGet(enterpriseId, out var state) && LineRules.Amount(amountMinor) is null)
        {
            return ValueTask.FromResult(LimitCheckReply.Check(state, amountMinor, clock.GetUtcNow()));
        }

        return grains.GetGrain<ICreditLineGrain>(enterpriseId).CheckLimit(amountMinor);
    }

    public ValueTask<LineReply> GetLine(string enterpriseId)
    {
        if (local is not null && local.TryGet(enterpriseId, out var state))
        {
            return ValueTask.FromResult(LineReply.Read(state, clock.GetUtcNow()));
        }

        return grains.GetGrain<ICreditLineGrain>(enterpriseId).GetLine();
    }
}
