using Decisioning.Domain;
using Decisioning.Domain.Programmes;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Decisioning.Grains.Programmes;

/// <summary>
/// The re-lending quota's grain: a stateless front to <see cref="RedisRelendingQuota"/>, whose
/// script makes each lease change atomic whatever runs concurrently on however many silos.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainType("relending-quota")]
public sealed class RelendingQuotaGrain(RedisRelendingQuota quota, RelendingTable table, TimeProvider clock, ILogger<RelendingQuotaGrain> logger)
    : Grain, IRelendingQuotaGrain
{
    public async ValueTask<Result<LeaseAnswer>> Lease(LeaseRequest request, CancellationToken cancellationToken)
    {
        if (table.Named(request.Period) is not { } period)
        {
            return NotFound(request.Period);
        }

        try
        {
            return await quota.LeaseAsync(period, request, Today);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Changing the re-lending lease of {EnterpriseId} failed", request.LineId);
            return DomainError.StorageUnavailable();
        }
    }

    public async ValueTask<Result<bool>> HasRoom(CancellationToken cancellationToken)
    {
        if (!table.Managed)
        {
            return true;
        }

        var read = await Read("", cancellationToken);
        return read.Value is { } view ? view.AvailableMinor > 0 : read.Error is { Kind: ErrorKind.NotFound } ? false : read.Error!;
    }

    public async ValueTask<Result<RelendingQuotaView>> Read(string period, CancellationToken cancellationToken)
    {
        if ((period.Length == 0 ? table.Covering(Today) : table.Named(period)) is not { } found)
        {
            return NotFound(period);
        }

        try
        {
            return await quota.ReadAsync(found, Today);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            logger.LogWarning(ex, "Reading the re-lending quota {Period} failed", found.Name);
            return DomainError.StorageUnavailable();
        }
    }

    private DateOnly Today => BusinessCalendar.DateOf(clock.GetUtcNow());

    private static DomainError NotFound(string period) => new(
        ErrorReasons.RelendingPeriodNotFound,
        period.Length == 0 ? "no re-lending quota period covers today" : $"period {period} names no configured re-lending quota period",
        "period");
}
