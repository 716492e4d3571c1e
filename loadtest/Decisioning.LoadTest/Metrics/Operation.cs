using Grpc.Core;

namespace Decisioning.LoadTest.Metrics;

/// <summary>One RPC as the results count it. A hold arrival makes two: place, then capture or release.</summary>
public enum Operation
{
    Noop,
    Check,
    Draw,
    Repay,
    PlaceHold,
    CaptureHold,
    ReleaseHold,
    Assess,
}

public static class Operations
{
    public static readonly Operation[] All = Enum.GetValues<Operation>();

    public static string Name(Operation operation) => operation switch
    {
        Operation.PlaceHold => "place_hold",
        Operation.CaptureHold => "capture_hold",
        Operation.ReleaseHold => "release_hold",
        _ => operation.ToString().ToLowerInvariant(),
    };

    public static readonly string[] Names = [.. All.Select(Name)];

    public static bool Mutates(Operation operation) => operation is not (Operation.Noop or Operation.Check);

    /// <summary>
    /// Whether a failed mutation may still have been applied. Only statuses by which the server
    /// says it refused the request before changing anything are definite; a deadline, a lost
    /// connection or an internal error leaves the outcome to the journal.
    /// </summary>
    public static bool OutcomeUnknown(StatusCode status) => status is not (
        StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.FailedPrecondition
        or StatusCode.OutOfRange or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Unimplemented);

    public static string StatusName(StatusCode status) => status switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        _ => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
