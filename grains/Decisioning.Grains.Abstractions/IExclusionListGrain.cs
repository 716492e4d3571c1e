using System.Collections.Immutable;
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
    ValueTask<ExclusionReply> Change(ExclusionCommand command);

    /// <summary>Entries in enterprise id order, after <paramref name="afterEnterpriseId"/> ("" for the first page).</summary>
    [Alias("List")]
    ValueTask<ExclusionPage> List(string afterEnterpriseId, int pageSize);

    /// <summary>Journal entries newest first, older than <paramref name="beforeChangeId"/> ("" for the newest).</summary>
    [Alias("ListChanges")]
    ValueTask<ExclusionChangePage> ListChanges(string beforeChangeId, int pageSize);
}

[GenerateSerializer, Immutable, Alias("decisioning.exclusion-reply.v1")]
public sealed record ExclusionReply
{
    [Id(0)] public LineError? Error { get; init; }

    /// <summary>The entry added, or the entry as it was before it was removed.</summary>
    [Id(1)] public Exclusion? Exclusion { get; init; }

    /// <summary>The journal entry of the change.</summary>
    [Id(2)] public string ChangeId { get; init; } = "";

    public static ExclusionReply Failed(DomainError error) => new() { Error = LineError.From(error) };
}

[GenerateSerializer, Immutable, Alias("decisioning.exclusion-page.v1")]
public sealed record ExclusionPage
{
    [Id(0)] public LineError? Error { get; init; }
    [Id(1)] public ImmutableArray<Exclusion> Exclusions { get; init; } = [];

    /// <summary>Where the next page starts; empty on the last page.</summary>
    [Id(2)] public string Next { get; init; } = "";
}

[GenerateSerializer, Immutable, Alias("decisioning.exclusion-change-page.v1")]
public sealed record ExclusionChangePage
{
    [Id(0)] public LineError? Error { get; init; }
    [Id(1)] public ImmutableArray<ExclusionChange> Changes { get; init; } = [];
    [Id(2)] public string Next { get; init; } = "";
}
