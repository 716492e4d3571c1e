using System.Diagnostics;
using Decisioning.Domain;
using Decisioning.GrpcHost.Hosting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Runtime;
using Status = Google.Rpc.Status;

namespace Decisioning.GrpcHost.Errors;

/// <summary>
/// The one place where failures become gRPC statuses. Refusals carry <c>google.rpc.ErrorInfo</c>
/// (a stable reason, domain <c>decisioning.v1</c>) and, for bad fields, <c>google.rpc.BadRequest</c>.
/// No exception text reaches a caller. Expected failures are logged as one line without a stack
/// trace: refusals at Debug, cancellations by the caller at Debug, and what an operator should see
/// (storage or silo unavailable, callers' deadlines passing) as warnings, at most one a window per
/// method and kind (<see cref="RepeatedWarnings"/>). Only unexpected failures (INTERNAL) are logged
/// with their stack trace. Every error carries <c>google.rpc.RequestInfo</c> whose <c>request_id</c> is
/// the call's W3C trace id (the one its logs and exported spans carry), and every call's gRPC status
/// is added to its request measurement (<see cref="RpcTelemetry"/>).
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger, TimeProvider clock) : Interceptor
{
    public const string ErrorDomain = "decisioning.v1";

    private readonly RepeatedWarnings _warnings = new(logger, clock);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            // The services pass context.CancellationToken into every grain call: when the caller's
            // deadline passes or it cancels, the grain call ends at once (OperationCanceledException)
            // instead of waiting for Orleans' response timeout.
            var reply = await continuation(request, context);
            RpcTelemetry.Ended(context, StatusCode.OK);
            return reply;
        }
        catch (Exception ex)
        {
            throw Ended(context, ToStatus(ex, request, context));
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
            RpcTelemetry.Ended(context, StatusCode.OK);
        }
        catch (Exception ex)
        {
            throw Ended(context, ToStatus(ex, request, context));
        }
    }

    private RpcException ToStatus(Exception exception, object request, ServerCallContext context)
    {
        switch (exception)
        {
            case DecisioningException ex:
                var refusal = ToRpcException(ex.Errors);
                if (refusal.StatusCode == StatusCode.Unavailable)
                {
                    _warnings.Warn(context.Method, ex.Errors[0].Reason, ex.Errors[0].Message);
                }
                else
                {
                    var (enterpriseId, requestId) = Subject(request);
                    logger.LogDebug("{Method}: {Status} {Reason} (enterprise {EnterpriseId}, request {RequestId})", context.Method, refusal.StatusCode, ex.Errors[0].Reason, enterpriseId, requestId);
                }

                return refusal;
            case RpcException ex:
                return ex;
            case var ex when context.CancellationToken.IsCancellationRequested:
                // The caller is gone (deadline or cancellation): whatever failed on the way is moot.
                var stopped = ex is OperationCanceledException ? "the grain call was cancelled" : $"the call failed meanwhile ({OneLine(ex)})";
                // The caller's deadline is real time (the server's clock plus its grpc-timeout), not
                // the rules' clock, which a simulated clock (tests, demos) sets months apart.
                if (context.Deadline <= TimeProvider.System.GetUtcNow().UtcDateTime)
                {
                    _warnings.Warn(context.Method, nameof(StatusCode.DeadlineExceeded), $"the caller's deadline passed; {stopped}");
                    return Failure(StatusCode.DeadlineExceeded, "the call's deadline passed");
                }

                logger.LogDebug("{Method}: the caller cancelled; {Stopped}", context.Method, stopped);
                return Failure(StatusCode.Cancelled, "the call was cancelled");
            case OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or ClientNotAvailableException or GatewayTooBusyException or TimeoutException:
                _warnings.Warn(context.Method, ErrorReasons.SiloUnavailable.Code, "the grain could not be reached: " + OneLine(exception));
                return ToRpcException([new DomainError(ErrorReasons.SiloUnavailable)]);
            default:
                var (failedEnterpriseId, failedRequestId) = Subject(request);
                logger.LogError(exception, "{Method} failed (enterprise {EnterpriseId}, request {RequestId})", context.Method, failedEnterpriseId, failedRequestId);
                return Failure(StatusCode.Internal, "internal error (trace " + (Activity.Current?.TraceId.ToHexString() ?? context.GetHttpContext().TraceIdentifier) + ")");
        }
    }

    /// <summary>The enterprise and the request id a request names, where it names them: for the log line of its failure.</summary>
    private static (string? EnterpriseId, string? RequestId) Subject(object request) =>
        ((request as Contracts.V1.IEnterpriseRequest)?.EnterpriseId,
         request is Google.Protobuf.IMessage message && message.Descriptor.FindFieldByName("request_id") is { } field ? field.Accessor.GetValue(message) as string : null);

    private static RpcException Ended(ServerCallContext context, RpcException error)
    {
        RpcTelemetry.Ended(context, error.StatusCode);
        return error;
    }

    /// <summary>A failure that is no refusal (no ErrorInfo): its status, its message and the trace id.</summary>
    private static RpcException Failure(StatusCode code, string message)
    {
        var status = new Status { Code = (int)code, Message = message };
        AddTraceId(status);
        return status.ToRpcException();
    }

    /// <summary>google.rpc.RequestInfo naming the current trace (W3C trace id): what an operator looks up in logs and traces.</summary>
    private static void AddTraceId(Status status)
    {
        if (Activity.Current is { } activity)
        {
            status.Details.Add(Any.Pack(new RequestInfo { RequestId = activity.TraceId.ToHexString() }));
        }
    }

    /// <summary>An expected failure in one line: its type and message, without the stack trace.</summary>
    private static string OneLine(Exception ex) => $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ");

    /// <summary>
    /// At most this many errors are reported (message and BadRequest): a request within the size
    /// limit can be wrong in thousands of places (100 counterparties in each month), and trailers
    /// that large break the caller's HTTP/2 connection (64 KiB of headers in .NET, less elsewhere).
    /// </summary>
    public const int MaxReportedErrors = 20;

    /// <param name="retryAfter">When a retry can succeed (google.rpc.RetryInfo), for a refusal that passes.</param>
    public static RpcException ToRpcException(IReadOnlyList<DomainError> all, TimeSpan? retryAfter = null)
    {
        var first = all[0];
        var errors = all.Take(MaxReportedErrors).ToList();
        var more = all.Count - errors.Count;
        var status = new Status
        {
            Code = (int)ToCode(first.Kind),
            Message = (errors.Count == 1 ? first.Message : string.Join("; ", errors.Select(e => e.Message)))
                + (more > 0 ? $"; and {more} more" : ""),
        };
        var info = new ErrorInfo { Reason = first.Reason, Domain = ErrorDomain };
        if (first.Field is not null)
        {
            info.Metadata.Add("field", first.Field);
        }

        status.Details.Add(Any.Pack(info));
        if (retryAfter is { } after)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(after) }));
        }

        var violations = errors.Where(e => e.Field is not null).ToList();
        if (first.Kind == ErrorKind.InvalidArgument && violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(violations.Select(e => new BadRequest.Types.FieldViolation
            {
                Field = e.Field,
                Description = e.Message,
                Reason = e.Reason,
            }));
            status.Details.Add(Any.Pack(badRequest));
        }

        AddTraceId(status);
        return status.ToRpcException();
    }

    private static StatusCode ToCode(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorKind.Aborted => StatusCode.Aborted,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        ErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        ErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        _ => StatusCode.Internal,
    };
}
