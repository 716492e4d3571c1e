using System.Globalization;
using System.Text;
using Google.Rpc;
using Grpc.Core;

namespace Decisioning.Cli.Output;

/// <summary>
/// A refusal or failure of the service as a person and a script read it: on stderr the status, the
/// reason of google.rpc.ErrorInfo, the message, every bad field of google.rpc.BadRequest and when to
/// retry (google.rpc.RetryInfo); as the exit code, what happened (<see cref="ExitCodes"/>).
/// </summary>
internal static class Failures
{
    /// <summary>The reason of a refusal that passes with time (ErrorReasons.RateLimited): retry, as after UNAVAILABLE.</summary>
    private const string RateLimited = "RATE_LIMITED";

    public static int Report(RpcException failure, TextWriter error, Uri target, string? requestId)
    {
        var status = failure.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        var exit = ExitCodeOf(failure.StatusCode, info?.Reason);
        var text = new StringBuilder("decisioning: ").Append(Name(failure.StatusCode));
        if (info is { Reason.Length: > 0 })
        {
            text.Append(' ').Append(info.Reason);
        }

        // Several bad fields read better one a line than joined in the message; one is the message.
        var violations = status?.GetDetail<BadRequest>()?.FieldViolations ?? [];
        text.Append(": ").Append(violations.Count > 1 ? $"{violations.Count} fields are wrong" : failure.Status.Detail.Length > 0 ? failure.Status.Detail : "no message");
        if (info is null && exit == ExitCodes.Unavailable)
        {
            // Not the service's answer but the transport's: say where the tool tried to go.
            text.Append(" (").Append(target).Append(')');
        }

        text.AppendLine();
        foreach (var violation in violations.Count > 1 ? violations : [])
        {
            var named = violation.Description.StartsWith(violation.Field, StringComparison.Ordinal) ? violation.Description : $"{violation.Field}: {violation.Description}";
            text.Append("  ").Append(named).Append(" (").Append(violation.Reason).AppendLine(")");
        }

        if (status?.GetDetail<RetryInfo>()?.RetryDelay is { } delay)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  retry after {delay.ToTimeSpan().TotalSeconds:0.###} s"));
        }

        if (exit == ExitCodes.Unavailable && requestId is not null)
        {
            text.AppendLine($"  the change may or may not have been made: retry with --request-id {requestId}");
        }

        error.Write(text.ToString());
        return exit;
    }

    public static int ExitCodeOf(StatusCode code, string? reason) => code switch
    {
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.AuthRefused,
        StatusCode.ResourceExhausted when reason == RateLimited => ExitCodes.Unavailable,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.Cancelled
            or StatusCode.Unknown or StatusCode.Internal or StatusCode.DataLoss => ExitCodes.Unavailable,
        _ => ExitCodes.Refused,
    };

    /// <summary>The status as gRPC spells it (INVALID_ARGUMENT), not as the C# enum does.</summary>
    public static string Name(StatusCode code)
    {
        var name = code.ToString();
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }
}
