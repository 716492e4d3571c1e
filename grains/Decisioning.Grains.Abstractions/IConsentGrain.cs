using System.Collections.Immutable;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;

namespace Decisioning.Grains.Abstractions;

/// <summary>
/// Enterprises' consents (征信授权), recorded and revoked by staff: each change durable in Redis and
/// journaled with the actor before it is answered, idempotent by request id. Stateless: the
/// consents live in Redis, where every silo's assessments consult them (use key 0).
/// </summary>
[Alias("decisioning.IConsentGrain")]
public interface IConsentGrain : IGrainWithIntegerKey
{
    [Alias("Record")]
    ValueTask<Result<Consent>> Record(RecordConsentCommand command, CancellationToken cancellationToken = default);

    [Alias("Revoke")]
    ValueTask<Result<Consent>> Revoke(RevokeConsentCommand command, CancellationToken cancellationToken = default);

    /// <summary>Every consent of the enterprise, revoked and expired ones included, in the order recorded.</summary>
    [Alias("List")]
    ValueTask<Result<ImmutableArray<Consent>>> List(string enterpriseId, CancellationToken cancellationToken = default);
}
