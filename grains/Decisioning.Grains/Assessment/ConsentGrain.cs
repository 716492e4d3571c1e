using System.Collections.Immutable;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Decisioning.Grains.Assessment;

/// <summary>
/// Staff's records of enterprises' consents, and reads of them. Holds no state (Redis does, where
/// every silo's assessments consult it), so every silo runs local activations; the script makes
/// each change atomic and idempotent whatever runs concurrently.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainType("consents")]
public sealed class ConsentGrain(RedisConsentStore store, TimeProvider clock, ILogger<ConsentGrain> logger) : Grain, IConsentGrain
{
    public async ValueTask<Result<Consent>> Record(RecordConsentCommand command, CancellationToken cancellationToken)
    {
        var now = Now();
        if (ConsentRules.Validate(command, now) is [var invalid, ..])
        {
            return invalid;
        }

        return await Stored(command.EnterpriseId, () => store.RecordAsync(command, now));
    }

    public async ValueTask<Result<Consent>> Revoke(RevokeConsentCommand command, CancellationToken cancellationToken)
    {
        if (ConsentRules.Validate(command) is [var invalid, ..])
        {
            return invalid;
        }

        return await Stored(command.EnterpriseId, () => store.RevokeAsync(command, Now()));
    }

    public async ValueTask<Result<ImmutableArray<Consent>>> List(string enterpriseId, CancellationToken cancellationToken) =>
        await Stored(enterpriseId, async () => (Result<ImmutableArray<Consent>>)(await store.ListAsync(enterpriseId)).ToImmutableArray());

    /// <summary>Whole milliseconds: the time is stored and reported at that precision.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());

    private async Task<Result<T>> Stored<T>(string enterpriseId, Func<Task<Result<T>>> change)
    {
        try
        {
            return await change();
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading or changing the consents of {EnterpriseId} failed", enterpriseId);
            return DomainError.StorageUnavailable();
        }
    }
}
