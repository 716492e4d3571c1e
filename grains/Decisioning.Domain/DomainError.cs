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
    /// <summary>A refusal for one of <see cref="ErrorReasons"/>, of its kind; its meaning is the message unless one is given.</summary>
    public DomainError(ErrorReason reason, string? message = null, string? field = null)
        : this(reason.Kind, reason.Code, message ?? reason.Meaning, field)
    {
    }

    public static DomainError Invalid(string field, ErrorReason reason, string message) => new(reason, $"{field} {message}", field);

    public static DomainError LineNotFound() => new(ErrorReasons.LineNotFound, field: "enterprise_id");

    public static DomainError RequestIdReused() => new(ErrorReasons.RequestIdReused, field: "request_id");

    public static DomainError StorageUnavailable() => new(ErrorReasons.StorageUnavailable);

    public static DomainError StaleActivation() => new(ErrorReasons.ConcurrentModification);

    public static DomainError LedgerRegression() => new(ErrorReasons.LedgerRegression);
}
