namespace Decisioning.Domain;

/// <summary>What kind of failure an error is; the front door maps each kind to one gRPC status.</summary>
public enum ErrorKind
{
    InvalidArgument = 1,
    NotFound = 2,
    AlreadyExists = 3,
    FailedPrecondition = 4,
    Aborted = 5,
    Unavailable = 6,
    Unauthenticated = 7,
    PermissionDenied = 8,
    ResourceExhausted = 9,
}

/// <summary>
/// A request the service refuses. <paramref name="Reason"/> is stable (UPPER_SNAKE_CASE) for
/// programs; <paramref name="Message"/> is a sentence for people; <paramref name="Field"/> names
/// the request field at fault, when one is.
/// </summary>
public sealed record DomainError(ErrorKind Kind, string Reason, string Message, string? Field = null)
{
    public static DomainError Invalid(string field, string reason, string message) =>
        new(ErrorKind.InvalidArgument, reason, $"{field} {message}", field);

    public static DomainError LineNotFound() =>
        new(ErrorKind.NotFound, "LINE_NOT_FOUND", "enterprise_id names an enterprise without a credit line", "enterprise_id");

    public static DomainError RequestIdReused() => new(
        ErrorKind.AlreadyExists,
        "REQUEST_ID_REUSED",
        "request_id was already used for a request with other parameters",
        "request_id");

    public static DomainError StorageUnavailable() => new(
        ErrorKind.Unavailable,
        "STORAGE_UNAVAILABLE",
        "the line's storage did not confirm the change; it may or may not have been applied: retry with the same request_id");

    public static DomainError StaleActivation() => new(
        ErrorKind.Aborted,
        "CONCURRENT_MODIFICATION",
        "the line was changed elsewhere while this request was in flight; nothing was applied: retry with the same request_id");
}
