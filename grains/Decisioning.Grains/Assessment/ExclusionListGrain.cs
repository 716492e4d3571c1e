using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Decisioning.Grains.Assessment;

/// <summary>
/// Staff's changes of the exclusion list, and reads of it. Holds no state (Redis does, where every
/// silo's assessments consult it), so every silo runs local activations; the script makes each
/// change atomic and idempotent whatever runs concurrently.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainType("exclusion-list")]
public sealed class ExclusionListGrain(RedisExclusionStore store, TimeProvider clock, ILogger<ExclusionListGrain> logger) : Grain, IExclusionListGrain
{
    public async ValueTask<Result<ExclusionChanged>> Change(ExclusionCommand command, CancellationToken cancellationToken)
    {
        if (ExclusionRules.Validate(command) is { } invalid)
        {
            return invalid;
        }

        try
        {
            // Whole milliseconds: the time is stored and reported at that precision.
            return await store.ApplyAsync(command, DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()));
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Changing the exclusion list for {EnterpriseId} failed", command.EnterpriseId);
            return DomainError.StorageUnavailable();
        }
    }

    public async ValueTask<Result<Page<Exclusion>>> List(string afterEnterpriseId, int pageSize, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ListAsync(afterEnterpriseId, PageSize(pageSize));
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading the exclusion list failed");
            return DomainError.StorageUnavailable();
        }
    }

    public async ValueTask<Result<Page<ExclusionChange>>> ListChanges(string beforeChangeId, int pageSize, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ListChangesAsync(beforeChangeId, PageSize(pageSize));
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading the exclusion journal failed");
            return DomainError.StorageUnavailable();
        }
    }

    private static int PageSize(int pageSize) => pageSize == 0 ? ExclusionRules.DefaultPageSize : Math.Clamp(pageSize, 1, ExclusionRules.MaxPageSize);
}
