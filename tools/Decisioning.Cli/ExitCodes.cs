namespace Decisioning.Cli;

/// <summary>
/// What the exit code tells a script. A decline is a valid answer (the journal records it), so it
/// has its own code, apart from a request the service refused, a caller it refused, and a call
/// whose outcome is unknown (which a retry with the same --request-id settles).
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A bug in the tool: an exception nobody expected.</summary>
    public const int UnexpectedError = 1;

    /// <summary>The command line or an input file is wrong; nothing was sent.</summary>
    public const int InvalidArguments = 2;

    /// <summary>The service answered no: a draw, hold or capture declined, a decision other than an approval, a renewal not granted.</summary>
    public const int Declined = 3;

    /// <summary>The service refused the request as it stands (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS, …): nothing changed.</summary>
    public const int Refused = 4;

    /// <summary>No token, or the service refused the caller (UNAUTHENTICATED, PERMISSION_DENIED).</summary>
    public const int AuthRefused = 5;

    /// <summary>The service did not answer, or answered that it could not tell (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RATE_LIMITED, …): retry with the same --request-id.</summary>
    public const int Unavailable = 6;

    public const string HelpText = """
        Exit codes:
          0  done (a proposal waiting for a second staff member is done too)
          1  unexpected error in the tool
          2  invalid arguments or input file; nothing was sent
          3  answered no: a draw, hold or capture declined, a decision that is not an approval
             (decline or referral), a renewal not granted; the journal records it
          4  refused by the service (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS, ...): nothing changed
          5  no token, or the caller refused (UNAUTHENTICATED, PERMISSION_DENIED)
          6  unavailable or outcome unknown (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, rate limited, no connection):
             retry with the same --request-id
        Errors go to stderr with the status and the reason of google.rpc.ErrorInfo.
        """;
}
