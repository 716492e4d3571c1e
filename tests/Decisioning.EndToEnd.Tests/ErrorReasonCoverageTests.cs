using Decisioning.Domain;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Every reason of the catalogue (<see cref="ErrorReasons"/>) is caused over the wire by a case of
/// <see cref="BadRequestTests"/> or <see cref="HostileCallerTests"/>, or is listed here with why no
/// case of theirs can cause it and where it is tested instead.
/// </summary>
public sealed class ErrorReasonCoverageTests
{
    private static readonly Dictionary<ErrorReason, string> NoCaseHere = new()
    {
        [ErrorReasons.RequestNotFound] = "asked between grains (an assessment's retry looks up its first answer); never answered to a caller",
        [ErrorReasons.StorageUnavailable] = "Redis must fail under the change: Grains.Tests RestartAndFailureTests kill it",
        [ErrorReasons.ConcurrentModification] = "a stale activation's write must be refused twice (the grain takes it again once): Grains.Tests LineFaultTests fence a line's commits",
        [ErrorReasons.LedgerRegression] = "storage must fall behind what a line acknowledged: Grains.Tests LedgerRegressionTests rewind a line's journal",
        [ErrorReasons.SiloUnavailable] = "the front door must lose its silo in the middle of a call; no test does yet",
        [ErrorReasons.TokenAlgorithmNotAccepted] = "IdentityModel reports a token signed by an algorithm other than RS256 or ES256, even with the right key and kid, as a signature failure: TOKEN_INVALID (HostileCallerTests, PS256)",
        [ErrorReasons.RateLimited] = "the shared service's buckets take hundreds of calls to empty: RateLimitTests run a service with small ones",
        [ErrorReasons.CertificateInvalid] = "needs a TLS listener with a client-certificate authority: ClientCertificateTests run one",
        [ErrorReasons.CertificateNotAccepted] = "needs a TLS listener with a client-certificate authority: ClientCertificateTests run one",
        [ErrorReasons.ProposalExpired] = "a proposal waits at least a minute before it expires: Domain.Tests FourEyesTests move the clock",
        [ErrorReasons.LineWrittenOff] = "a write-off needs a loan months past maturity: Domain.Tests OverdueTests and Grains.Tests DailyProcessGrainTests move the clock",
        [ErrorReasons.CursorInvalid] = Streaming,
        [ErrorReasons.EventsTrimmed] = Streaming,
        [ErrorReasons.TooManyEnterprises] = Streaming,
        [ErrorReasons.OutcomeRequired] = ServiceBuilt,
        [ErrorReasons.SubsidyOutOfRange] = ServiceBuilt,
        [ErrorReasons.WindowOutOfRange] = ServiceBuilt,
        [ErrorReasons.EffectRequired] = ServiceBuilt,
        [ErrorReasons.ShareOutOfRange] = ServiceBuilt,
        [ErrorReasons.LineDueForRenewal] = "only a line that entered its renewal window between the assessment's look at it and the approval's commit refuses it (the assessment declines before): Domain.Tests DecisionCommandTests",
        [ErrorReasons.VerdictRequired] = Reviewed,
        [ErrorReasons.ReasonCodeRequired] = Reviewed,
        [ErrorReasons.ReasonCodeMalformed] = Reviewed,
        [ErrorReasons.NoteRequired] = Reviewed,
        [ErrorReasons.ReferralNotFound] = Reviewed,
        [ErrorReasons.ReferralAlreadyDecided] = Reviewed,
        [ErrorReasons.ReferralClaimedByAnother] = Reviewed,
        [ErrorReasons.ReferralTermsDiffer] = Reviewed,
        [ErrorReasons.LimitBelowMinimum] = Reviewed,
        [ErrorReasons.PageFilterInvalid] = Reviewed,
        [ErrorReasons.ClockAdvanceOutOfRange] = "SimulationService exists only on a service with a simulated clock, which the shared one is not: SimulatedClockTests cause it over the wire",
        [ErrorReasons.TooManyConsents] = "an enterprise must have 64 consents on record first: Grains.Tests ConsentGrainTests record them",
    };

    private const string Reviewed = "needs a referred assessment, which the tables' setup does not make: ReviewTests cause it over the wire";

    private const string Streaming = "EventService/Subscribe streams, which the unary tables do not call: EventSubscriptionTests cause it over the wire";

    private const string ServiceBuilt = "the service builds the command from its decision, programmes and model, not from a request: Domain.Tests ErrorReasonsTests";

    /// <summary>The status the front door answers a reason with: the gRPC code its kind is named after.</summary>
    internal static StatusCode StatusOf(ErrorReason reason) => Enum.Parse<StatusCode>(reason.Kind.ToString());

    [Fact]
    public void Every_reason_of_the_catalogue_has_a_case_or_a_stated_reason_why_not()
    {
        var caused = BadRequestTests.Reasons.Concat(HostileCallerTests.Reasons).ToHashSet();

        Assert.Equal(
            ErrorReasons.All.Except(NoCaseHere.Keys).Select(r => r.Code).Order(),
            caused.Select(r => r.Code).Order());
        Assert.Empty(caused.Intersect(NoCaseHere.Keys));
    }

    [Fact]
    public void Every_kind_of_error_is_named_after_a_status() =>
        Assert.All(Enum.GetValues<ErrorKind>(), kind => Assert.True(Enum.TryParse<StatusCode>(kind.ToString(), out _), $"{kind} names no gRPC status"));
}
