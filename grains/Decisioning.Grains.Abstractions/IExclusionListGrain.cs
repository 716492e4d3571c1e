using Decisioning.Domain;
using Decisioning.Domain.Assessment;

namespace Decisioning.Grains.Abstractions;

/// <summary>
/// The bank's exclusion list, kept by its staff: each change durable in Redis and journaled (who,
/// when, why) before it is answered, idempotent by request id. Stateless: the list lives in Redis,
/// where every silo's assessments consult it, so any silo's local activation serves (use key 0).
/// </summary>
[Alias("decisioning.IExclusionListGrain")]
public interface IExclusionListGrain : IGrainWithIntegerKey
{
    [Alias("Change")]
    ValueTask<Result<ExclusionChanged>> Change(ExclusionCommand command, CancellationToken cancellationToken = default);

    /// <summary>Entries in enterprise id order, after <paramref name="afterEnterpriseId"/> ("" for the first page).</summary>
    [Alias("List")]
    ValueTask<Result<Page<Exclusion>>> List(string afterEnterpriseId, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>Journal entries newest first, older than <paramref name="beforeChangeId"/> ("" for the newest).</summary>
    [Alias("ListChanges")]
    ValueTask<Result<Page<ExclusionChange>>> ListChanges(string beforeChangeId, int pageSize, CancellationToken cancellationToken = default);
}
