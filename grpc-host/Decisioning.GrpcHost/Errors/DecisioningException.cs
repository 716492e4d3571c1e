using Decisioning.Domain;

namespace Decisioning.GrpcHost.Errors;

/// <summary>A refusal on its way to the caller; <see cref="ErrorMappingInterceptor"/> turns it into a status.</summary>
public sealed class DecisioningException(IReadOnlyList<DomainError> errors)
    : Exception(string.Join("; ", errors.Select(e => e.Message)))
{
    public IReadOnlyList<DomainError> Errors { get; } = errors;

    public static DecisioningException From(DomainError error) => new([error]);
}

internal static class ResultExtensions
{
    /// <summary>The value, or the refusal thrown for the interceptor to answer.</summary>
    public static T OrThrow<T>(this Result<T> result) => result.Error is null ? result.Value! : throw DecisioningException.From(result.Error);
}
