namespace Decisioning.Cli;

/// <summary>
/// What the exit code tells a script. A decline is a valid answer (the journal records it), so it
/// has its own code, apart from a request the service refused, a caller it refused, and a call
/// whose outcome is unknown (which a retry with the same --request-id settles). <see cref="All"/>
/// is the one list: help prints it and the README's table is checked against it.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A bug in the tool: an exception nobody expected.</summary>
    public const int UnexpectedError = 1;

    /// <summary>The command line or an input file is wrong; nothing was sent.</summary>
    public const int InvalidArguments = 2;

    /// <summary>The service answered no: a draw, hold, capture or check declined, a decision other than an approval, a renewal not granted.</summary>
    public const int Declined = 3;

    /// <summary>The service refused the request as it stands (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS, …): nothing changed.</summary>
    public const int Refused = 4;

    /// <summary>No token, or the service refused the caller (UNAUTHENTICATED, PERMISSION_DENIED).</summary>
    public const int AuthRefused = 5;

    /// <summary>The service did not answer, or answered that it could not tell (UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RATE_LIMITED, …): retry with the same --request-id.</summary>
    public const int Unavailable = 6;

    /// <summary>Every code with what it means, as the README's table reads (names of statuses and reasons in backquotes).</summary>
    public static readonly IReadOnlyList<(int Code, string Meaning)> All =
    [
        (Success, "done (a proposal waiting for the second staff member is done too)"),
        (UnexpectedError, "unexpected error in the tool"),
        (InvalidArguments, "invalid arguments or request file; nothing was sent"),
        (Declined, "answered no: a draw, hold, capture or check declined, a decision that is not an approval (decline or referral), a renewal not granted; the journal records it"),
        (Refused, "refused by the service (`INVALID_ARGUMENT`, `NOT_FOUND`, `FAILED_PRECONDITION`, `ALREADY_EXISTS`, …): nothing changed"),
        (AuthRefused, "no token, or the caller refused (`UNAUTHENTICATED`, `PERMISSION_DENIED`)"),
        (Unavailable, "unavailable or outcome unknown (`UNAVAILABLE`, `DEADLINE_EXCEEDED`, `ABORTED`, `RATE_LIMITED`, no connection): retry with the `--request-id` it prints"),
    ];

    public static string HelpText =>
        "Exit codes:\n" + string.Join('\n', All.Select(e => $"  {e.Code}  {e.Meaning.Replace("`", "", StringComparison.Ordinal)}")) +
        "\nRefusals go to stderr with the status and the reason of google.rpc.ErrorInfo.";
}
