using Decisioning.Domain;
using Decisioning.Grains.Abstractions;

namespace Decisioning.GrpcHost.Errors;

/// <summary>A refusal on its way to the caller; <see cref="ErrorMappingInterceptor"/> turns it into a status.</summary>
public sealed class DecisioningException(IReadOnlyList<LineError> errors)
    : Exception(string.Join("; ", errors.Select(e => e.Message)))
{
    public IReadOnlyList<LineError> Errors { get; } = errors;

    public static DecisioningException From(DomainError error) => new([LineError.From(error)]);
}

internal static class ReplyExtensions
{
    public static LineReply OrThrow(this LineReply reply) => reply.Error is null ? reply : throw new DecisioningException([reply.Error]);

    public static LimitCheckReply OrThrow(this LimitCheckReply reply) => reply.Error is null ? reply : throw new DecisioningException([reply.Error]);

    public static JournalPageReply OrThrow(this JournalPageReply reply) => reply.Error is null ? reply : throw new DecisioningException([reply.Error]);

    public static ProposalsReply OrThrow(this ProposalsReply reply) => reply.Error is null ? reply : throw new DecisioningException([reply.Error]);
}
