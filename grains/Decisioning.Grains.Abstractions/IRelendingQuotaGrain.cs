using Decisioning.Domain;
using Decisioning.Domain.Programmes;

namespace Decisioning.Grains.Abstractions;

/// <summary>
/// The technology re-lending quota. Holds no state (Redis does, changed by one atomic script), so
/// every silo runs local activations and the quota has no activation to lose (use key 0).
/// </summary>
[Alias("decisioning.IRelendingQuotaGrain")]
public interface IRelendingQuotaGrain : IGrainWithIntegerKey
{
    /// <summary>A line's lease change: a grant (as much of what it asks as the period has room for), or news of what it holds.</summary>
    [Alias("Lease")]
    ValueTask<Result<LeaseAnswer>> Lease(LeaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>Whether the period covering today has quota left; true when no quota is managed.</summary>
    [Alias("HasRoom")]
    ValueTask<Result<bool>> HasRoom(CancellationToken cancellationToken = default);

    /// <summary>The named period ("": the one covering today): configured, used, available, by month.</summary>
    [Alias("Read")]
    ValueTask<Result<RelendingQuotaView>> Read(string period, CancellationToken cancellationToken = default);
}
