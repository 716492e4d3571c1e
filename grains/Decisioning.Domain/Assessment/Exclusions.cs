using System.Collections.Immutable;
using System.Globalization;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Assessment;

public enum ExclusionChangeKind
{
    Unspecified = 0,
    Added = 1,
    Removed = 2,
}

/// <summary>An enterprise on the bank's exclusion list: assessing it is a knock-out decline.</summary>
public sealed record Exclusion
{
    public required string EnterpriseId { get; init; }

    /// <summary>Why the bank excludes it, as the staff member who added it wrote.</summary>
    public required string Reason { get; init; }

    /// <summary>The authenticated caller who added it.</summary>
    public required string AddedBy { get; init; }

    public required DateTimeOffset AddedAt { get; init; }
    public required string RequestId { get; init; }
}

/// <summary>A change of the list, as the exclusion journal keeps it (who, when, why).</summary>
public sealed record ExclusionChange
{
    /// <summary>The journal's id of the change; later changes have greater ids.</summary>
    public required string ChangeId { get; init; }

    public required ExclusionChangeKind Kind { get; init; }
    public required string EnterpriseId { get; init; }
    public required string Reason { get; init; }
    public required string Actor { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string RequestId { get; init; }
}

/// <summary>A change applied: the entry added, or as it was before it was removed, and the journal's id of the change.</summary>
public sealed record ExclusionChanged(Exclusion Exclusion, string ChangeId);

/// <summary>A page of a list, in the list's order; <paramref name="Next"/> is where the next page starts, empty on the last.</summary>
public sealed record Page<T>(ImmutableArray<T> Items, string Next);

/// <summary>Staff adding an enterprise to the list or removing it, with the reason for the journal.</summary>
public sealed record ExclusionCommand(ExclusionChangeKind Kind, string EnterpriseId, string RequestId, string Reason)
{
    public required string Actor { get; init; }

    /// <summary>What the caller asked, so that a retry can be told from another request reusing its id.</summary>
    public string Fingerprint => string.Create(CultureInfo.InvariantCulture, $"{(int)Kind}:{EnterpriseId}:{Reason}");
}

/// <summary>The rules of the exclusion list that need no storage.</summary>
public static class ExclusionRules
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Every field but the enterprise id (whose legacy allow-list is the service's); null when well formed.</summary>
    public static DomainError? Validate(ExclusionCommand command) => LineRules.RequestId(command.RequestId) ?? Reason(command.Reason);

    /// <summary>The journal must say why: a reason is required, at most <see cref="Limits.MaxNoteLength"/> characters.</summary>
    public static DomainError? Reason(string? reason) => string.IsNullOrWhiteSpace(reason)
        ? DomainError.Invalid("reason", ErrorReasons.ReasonRequired, "is required: the exclusion journal records why the list changed")
        : LineRules.Note(reason);

    public static DomainError? PageSize(int pageSize) => pageSize is < 0 or > MaxPageSize
        ? DomainError.Invalid("page_size", ErrorReasons.PageSizeOutOfRange, $"must be from 0 (the default, {DefaultPageSize}) to {MaxPageSize}, not {pageSize}")
        : null;

    /// <summary>A page token of ListExclusions: the last enterprise id of the page before.</summary>
    public static DomainError? ListToken(string token) => token.Length > Limits.MaxRequestIdLength
        ? DomainError.Invalid("page_token", ErrorReasons.PageTokenInvalid, "must be a next_page_token as ListExclusions returned it")
        : null;

    /// <summary>A page token of ListExclusionChanges: a change id (milliseconds and a counter, as in 1764547200000-0).</summary>
    public static DomainError? ChangeToken(string token)
    {
        var dash = token.IndexOf('-', StringComparison.Ordinal);
        var wellFormed = token.Length == 0
            || (dash is > 0 and <= 20 && token.Length - dash - 1 is > 0 and <= 20 && token.AsSpan(0, dash).IndexOfAnyExceptInRange('0', '9') < 0 && token.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0);
        return wellFormed ? null : DomainError.Invalid("page_token", ErrorReasons.PageTokenInvalid, "must be a next_page_token as ListExclusionChanges returned it");
    }

    public static DomainError AlreadyExcluded(string enterpriseId) =>
        new(ErrorReasons.AlreadyOnExclusionList, $"enterprise_id {enterpriseId} is already on the exclusion list; remove it first to change the reason", "enterprise_id");

    public static DomainError NotExcluded(string enterpriseId) =>
        new(ErrorReasons.NotOnExclusionList, $"enterprise_id {enterpriseId} is not on the exclusion list", "enterprise_id");
}
