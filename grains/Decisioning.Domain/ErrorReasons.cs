namespace Decisioning.Domain;

/// <summary>
/// Why the service refuses a request: <paramref name="Code"/> is what callers read as
/// <c>google.rpc.ErrorInfo.reason</c> (and a <c>BadRequest</c> violation's reason), stable for
/// programs; <paramref name="Kind"/> gives its one status; <paramref name="Meaning"/> says when,
/// and is the message of a refusal that has nothing to add to it.
/// </summary>
public sealed record ErrorReason(string Code, ErrorKind Kind, string Meaning)
{
    public override string ToString() => Code;
}

/// <summary>
/// Every reason the service refuses a request with, each defined once: the domain's and the front
/// door's alike (authentication, scopes, rate limits, undecodable bytes), since a caller sees no
/// difference. Named constants rather than a proto enum: reasons reach callers as ErrorInfo
/// strings, where an enum's prefixed value names would not fit. Declines are not here: they are OK
/// replies (<c>DeclineReason</c>, and the decision's reason codes). README.md's table of reasons
/// is this list, in this order; a test holds the two equal, and the bad-request tests name a case
/// for each reason or say why none can reach it from outside.
/// </summary>
public static class ErrorReasons
{
    private static readonly List<ErrorReason> Defined = [];

    // The request and its caller, checked by the front door before anything else.
    public static readonly ErrorReason RequestMalformed = Define("REQUEST_MALFORMED", ErrorKind.InvalidArgument, "the request is not a well-formed protobuf message of the method's request type");
    public static readonly ErrorReason TokenMissing = Define("TOKEN_MISSING", ErrorKind.Unauthenticated, "the call carries neither a bearer token nor an accepted client certificate");
    public static readonly ErrorReason TokenInvalid = Define("TOKEN_INVALID", ErrorKind.Unauthenticated, "the bearer token is malformed or its signature does not verify");
    public static readonly ErrorReason TokenExpired = Define("TOKEN_EXPIRED", ErrorKind.Unauthenticated, "the bearer token has expired");
    public static readonly ErrorReason TokenNotYetValid = Define("TOKEN_NOT_YET_VALID", ErrorKind.Unauthenticated, "the bearer token is not valid yet (nbf)");
    public static readonly ErrorReason TokenIssuerNotAccepted = Define("TOKEN_ISSUER_NOT_ACCEPTED", ErrorKind.Unauthenticated, "the bearer token's issuer is not accepted");
    public static readonly ErrorReason TokenAudienceNotAccepted = Define("TOKEN_AUDIENCE_NOT_ACCEPTED", ErrorKind.Unauthenticated, "the bearer token is not for this service (aud)");
    public static readonly ErrorReason TokenExpiryRequired = Define("TOKEN_EXPIRY_REQUIRED", ErrorKind.Unauthenticated, "the bearer token has no expiry (exp)");
    public static readonly ErrorReason TokenSubjectRequired = Define("TOKEN_SUBJECT_REQUIRED", ErrorKind.Unauthenticated, "the bearer token names no subject (sub)");
    public static readonly ErrorReason TokenAlgorithmNotAccepted = Define("TOKEN_ALGORITHM_NOT_ACCEPTED", ErrorKind.Unauthenticated, "the bearer token must be signed with RS256 or ES256");
    public static readonly ErrorReason CertificateInvalid = Define("CERTIFICATE_INVALID", ErrorKind.Unauthenticated, "the client certificate is not from the configured authority, has expired or is not for client authentication");
    public static readonly ErrorReason CertificateNotAccepted = Define("CERTIFICATE_NOT_ACCEPTED", ErrorKind.Unauthenticated, "the client certificate's subject is no configured caller");
    public static readonly ErrorReason ScopeRequired = Define("SCOPE_REQUIRED", ErrorKind.PermissionDenied, "the caller does not hold the scope the method needs");
    public static readonly ErrorReason EnterpriseNotServed = Define("ENTERPRISE_NOT_SERVED", ErrorKind.PermissionDenied, "the caller does not serve the enterprise the request names (a method naming none needs one serving all)");
    public static readonly ErrorReason RateLimited = Define("RATE_LIMITED", ErrorKind.ResourceExhausted, "too many calls from the caller or about the enterprise; RetryInfo says when to retry");

    // Ids, pages and fields every method shares.
    public static readonly ErrorReason EnterpriseIdInvalid = Define("ENTERPRISE_ID_INVALID", ErrorKind.InvalidArgument, "enterprise_id is not a unified social credit code with its check character, nor a configured legacy code");
    public static readonly ErrorReason RequestIdRequired = Define("REQUEST_ID_REQUIRED", ErrorKind.InvalidArgument, "a change carries no request_id");
    public static readonly ErrorReason RequestIdTooLong = Define("REQUEST_ID_TOO_LONG", ErrorKind.InvalidArgument, "request_id is longer than 64 characters");
    public static readonly ErrorReason RequestIdMalformed = Define("REQUEST_ID_MALFORMED", ErrorKind.InvalidArgument, "request_id holds a character other than letters, digits and - _ . :");
    public static readonly ErrorReason RequestIdReused = Define("REQUEST_ID_REUSED", ErrorKind.AlreadyExists, "request_id was already used for a request with other parameters");
    public static readonly ErrorReason RequestNotFound = Define("REQUEST_NOT_FOUND", ErrorKind.NotFound, "no request the line remembers has the request id (asked between grains; never answered to a caller)");
    public static readonly ErrorReason FieldRequired = Define("FIELD_REQUIRED", ErrorKind.InvalidArgument, "a required part or field of an application is missing");
    public static readonly ErrorReason TextTooLong = Define("TEXT_TOO_LONG", ErrorKind.InvalidArgument, "a reason, note or counterparty name is longer than allowed");
    public static readonly ErrorReason PageSizeOutOfRange = Define("PAGE_SIZE_OUT_OF_RANGE", ErrorKind.InvalidArgument, "page_size is negative or above the method's maximum");
    public static readonly ErrorReason PageTokenInvalid = Define("PAGE_TOKEN_INVALID", ErrorKind.InvalidArgument, "page_token is not a next_page_token the method returned");
    public static readonly ErrorReason ClockAdvanceOutOfRange = Define("CLOCK_ADVANCE_OUT_OF_RANGE", ErrorKind.InvalidArgument, "AdvanceClock's by is missing, not positive or above 366 days (a simulated clock only)");

    // The line: its terms and amounts.
    public static readonly ErrorReason AmountMustBePositive = Define("AMOUNT_MUST_BE_POSITIVE", ErrorKind.InvalidArgument, "an amount, a line's opening limit or an application's total assets is zero or negative");
    public static readonly ErrorReason AmountTooLarge = Define("AMOUNT_TOO_LARGE", ErrorKind.InvalidArgument, "an amount or limit is above the maximum amount");
    public static readonly ErrorReason LimitMustNotBeNegative = Define("LIMIT_MUST_NOT_BE_NEGATIVE", ErrorKind.InvalidArgument, "a new limit is negative");
    public static readonly ErrorReason RateOutOfRange = Define("RATE_OUT_OF_RANGE", ErrorKind.InvalidArgument, "annual_rate_bps is negative or above 100%");
    public static readonly ErrorReason TermOutOfRange = Define("TERM_OUT_OF_RANGE", ErrorKind.InvalidArgument, "a line's term is under one day (or month) or above the maximum");
    public static readonly ErrorReason ProductRequired = Define("PRODUCT_REQUIRED", ErrorKind.InvalidArgument, "a line names no product, or one the contract does not define");
    public static readonly ErrorReason HoldTtlOutOfRange = Define("HOLD_TTL_OUT_OF_RANGE", ErrorKind.InvalidArgument, "hold_ttl_seconds is negative or above seven days");
    public static readonly ErrorReason HoldIdRequired = Define("HOLD_ID_REQUIRED", ErrorKind.InvalidArgument, "a capture or release names no hold_id");
    public static readonly ErrorReason HoldIdMalformed = Define("HOLD_ID_MALFORMED", ErrorKind.InvalidArgument, "hold_id is not H followed by digits, as PlaceHold returns it");
    public static readonly ErrorReason SubsidyOutOfRange = Define("SUBSIDY_OUT_OF_RANGE", ErrorKind.InvalidArgument, "an interest subsidy is negative or above the line's rate (set by the service's programmes, never by a request)");

    // The line: what its state allows.
    public static readonly ErrorReason LineNotFound = Define("LINE_NOT_FOUND", ErrorKind.NotFound, "enterprise_id names an enterprise without a credit line");
    public static readonly ErrorReason LineAlreadyOpen = Define("LINE_ALREADY_OPEN", ErrorKind.FailedPrecondition, "the enterprise already has an open credit line; adjust its limit or close it first");
    public static readonly ErrorReason LineClosed = Define("LINE_CLOSED", ErrorKind.FailedPrecondition, "the line is closed: it takes no repayment, freeze or limit change");
    public static readonly ErrorReason LineAlreadyClosed = Define("LINE_ALREADY_CLOSED", ErrorKind.FailedPrecondition, "the line is already closed");
    public static readonly ErrorReason LineAlreadyFrozen = Define("LINE_ALREADY_FROZEN", ErrorKind.FailedPrecondition, "the line is already frozen");
    public static readonly ErrorReason LineNotFrozen = Define("LINE_NOT_FROZEN", ErrorKind.FailedPrecondition, "only a frozen line can be unfrozen");
    public static readonly ErrorReason LineHasOutstandingBalance = Define("LINE_HAS_OUTSTANDING_BALANCE", ErrorKind.FailedPrecondition, "the line still owes principal or interest, so it cannot close");
    public static readonly ErrorReason LineHasOpenHolds = Define("LINE_HAS_OPEN_HOLDS", ErrorKind.FailedPrecondition, "the line has open holds, so it cannot close");
    public static readonly ErrorReason RepaymentExceedsOutstanding = Define("REPAYMENT_EXCEEDS_OUTSTANDING", ErrorKind.FailedPrecondition, "the repayment is more than the line owes");
    public static readonly ErrorReason HoldNotFound = Define("HOLD_NOT_FOUND", ErrorKind.NotFound, "hold_id names no open hold the caller placed on the line");
    public static readonly ErrorReason HoldExpired = Define("HOLD_EXPIRED", ErrorKind.FailedPrecondition, "the hold to release has expired: its amount is available again");
    public static readonly ErrorReason CaptureExceedsHold = Define("CAPTURE_EXCEEDS_HOLD", ErrorKind.FailedPrecondition, "the capture is more than the hold reserves");

    // Programmes.
    public static readonly ErrorReason RelendingPeriodNotFound = Define("RELENDING_PERIOD_NOT_FOUND", ErrorKind.NotFound, "period names no configured re-lending quota period, or none covers today");

    // Four eyes.
    public static readonly ErrorReason ProposalIdRequired = Define("PROPOSAL_ID_REQUIRED", ErrorKind.InvalidArgument, "an approval or rejection names no proposal_id");
    public static readonly ErrorReason ProposalIdMalformed = Define("PROPOSAL_ID_MALFORMED", ErrorKind.InvalidArgument, "proposal_id is not P followed by digits, as the proposing call returns it");
    public static readonly ErrorReason ProposalNotFound = Define("PROPOSAL_NOT_FOUND", ErrorKind.NotFound, "proposal_id names no proposal the line keeps");
    public static readonly ErrorReason ProposalExpired = Define("PROPOSAL_EXPIRED", ErrorKind.FailedPrecondition, "the proposal expired before anyone approved it");
    public static readonly ErrorReason ProposalAlreadyDecided = Define("PROPOSAL_ALREADY_DECIDED", ErrorKind.FailedPrecondition, "the proposal was already approved or rejected");
    public static readonly ErrorReason ApproverIsProposer = Define("APPROVER_IS_PROPOSER", ErrorKind.PermissionDenied, "the caller proposed the change: another staff member must approve it");
    public static readonly ErrorReason TooManyPendingProposals = Define("TOO_MANY_PENDING_PROPOSALS", ErrorKind.ResourceExhausted, "the line has as many proposals waiting as it keeps: approve or reject one first");

    // Overdue, classification and write-off.
    public static readonly ErrorReason ClassificationRequired = Define("CLASSIFICATION_REQUIRED", ErrorKind.InvalidArgument, "floor is unspecified or not a tier from NORMAL to LOSS");
    public static readonly ErrorReason LineWrittenOff = Define("LINE_WRITTEN_OFF", ErrorKind.FailedPrecondition, "the line is written off: it takes only repayments, which are recoveries");
    public static readonly ErrorReason LineNotClassifiedForWriteOff = Define("LINE_NOT_CLASSIFIED_FOR_WRITE_OFF", ErrorKind.FailedPrecondition, "only a loan classified SUBSTANDARD or worse can be written off");
    public static readonly ErrorReason NothingToWriteOff = Define("NOTHING_TO_WRITE_OFF", ErrorKind.FailedPrecondition, "the line owes neither principal nor interest: there is nothing to write off");

    // Referrals and manual decisions (ReviewService).
    public static readonly ErrorReason VerdictRequired = Define("VERDICT_REQUIRED", ErrorKind.InvalidArgument, "DecideReferral's verdict is neither approve nor decline");
    public static readonly ErrorReason ReasonCodeRequired = Define("REASON_CODE_REQUIRED", ErrorKind.InvalidArgument, "a manual decision gives no reason_code");
    public static readonly ErrorReason ReasonCodeMalformed = Define("REASON_CODE_MALFORMED", ErrorKind.InvalidArgument, "reason_code is not UPPER_SNAKE_CASE of at most 64 characters");
    public static readonly ErrorReason NoteRequired = Define("NOTE_REQUIRED", ErrorKind.InvalidArgument, "a manual decision gives no note");
    public static readonly ErrorReason ReferralNotFound = Define("REFERRAL_NOT_FOUND", ErrorKind.NotFound, "decision_id names no referral the enterprise's line keeps");
    public static readonly ErrorReason ReferralAlreadyDecided = Define("REFERRAL_ALREADY_DECIDED", ErrorKind.FailedPrecondition, "the referral was already approved, declined or superseded by a newer decision");
    public static readonly ErrorReason ReferralClaimedByAnother = Define("REFERRAL_CLAIMED_BY_ANOTHER", ErrorKind.FailedPrecondition, "another reviewer claimed the referral: only they decide it");
    public static readonly ErrorReason ReferralTermsDiffer = Define("REFERRAL_TERMS_DIFFER", ErrorKind.FailedPrecondition, "the second reviewer's limit or rate differs from the terms the first reviewer approved");
    public static readonly ErrorReason LimitBelowMinimum = Define("LIMIT_BELOW_MINIMUM", ErrorKind.FailedPrecondition, "a granted limit is below the smallest limit the policy grants (from the model)");
    public static readonly ErrorReason PageFilterInvalid = Define("PAGE_FILTER_INVALID", ErrorKind.InvalidArgument, "a ListReferrals filter (status, product, minimum age) is not one the contract defines");

    // Applications (AssessEnterprise, RenewLine) and decisions.
    public static readonly ErrorReason UnknownProduct = Define("UNKNOWN_PRODUCT", ErrorKind.InvalidArgument, "an application names a product the contract does not define");
    public static readonly ErrorReason DataSupplyNotPermitted = Define("DATA_SUPPLY_NOT_PERMITTED", ErrorKind.PermissionDenied, "a caller other than the bank's data services supplied financing, tax or fund_flow");
    public static readonly ErrorReason SuppliedWithFetch = Define("SUPPLIED_WITH_FETCH", ErrorKind.InvalidArgument, "a data service supplied a provider's part while asking the service to fetch it");
    public static readonly ErrorReason DateMalformed = Define("DATE_MALFORMED", ErrorKind.InvalidArgument, "a date is not YYYY-MM-DD");
    public static readonly ErrorReason DateInTheFuture = Define("DATE_IN_THE_FUTURE", ErrorKind.InvalidArgument, "the founding date is after the assessment date");
    public static readonly ErrorReason DateTooEarly = Define("DATE_TOO_EARLY", ErrorKind.InvalidArgument, "the founding date is before the earliest date accepted");
    public static readonly ErrorReason SrdiLevelRequired = Define("SRDI_LEVEL_REQUIRED", ErrorKind.InvalidArgument, "profile.srdi_level is unspecified or not a level the contract defines");
    public static readonly ErrorReason InvalidIndustryCode = Define("INVALID_INDUSTRY_CODE", ErrorKind.InvalidArgument, "profile.industry_code is not a GB/T 4754 code of capitals and digits");
    public static readonly ErrorReason AmountOutOfRange = Define("AMOUNT_OUT_OF_RANGE", ErrorKind.InvalidArgument, "an amount of an application is negative (where it cannot be) or beyond the maximum amount");
    public static readonly ErrorReason CountOutOfRange = Define("COUNT_OUT_OF_RANGE", ErrorKind.InvalidArgument, "a count of an application (staff, patents, days overdue, banks) is out of its range");
    public static readonly ErrorReason InconsistentOverdueHistory = Define("INCONSISTENT_OVERDUE_HISTORY", ErrorKind.InvalidArgument, "the most days overdue in 12 months exceed those in the 24 months that contain them");
    public static readonly ErrorReason FundFlowMonthsIncomplete = Define("FUND_FLOW_MONTHS_INCOMPLETE", ErrorKind.InvalidArgument, "fund_flow does not hold 12 monthly summaries");
    public static readonly ErrorReason MonthNotFirstDay = Define("MONTH_NOT_FIRST_DAY", ErrorKind.InvalidArgument, "a fund-flow month is not given as its first day");
    public static readonly ErrorReason FundFlowMonthsNotConsecutive = Define("FUND_FLOW_MONTHS_NOT_CONSECUTIVE", ErrorKind.InvalidArgument, "the fund-flow months are not consecutive, oldest first");
    public static readonly ErrorReason FundFlowMonthNotComplete = Define("FUND_FLOW_MONTH_NOT_COMPLETE", ErrorKind.InvalidArgument, "the last fund-flow month has not ended before the assessment date");
    public static readonly ErrorReason FundFlowOutOfDate = Define("FUND_FLOW_OUT_OF_DATE", ErrorKind.InvalidArgument, "the fund-flow statement ends before the last two complete months");
    public static readonly ErrorReason TooManyCounterparties = Define("TOO_MANY_COUNTERPARTIES", ErrorKind.InvalidArgument, "a fund-flow month lists more counterparties than allowed");
    public static readonly ErrorReason DuplicateCounterparty = Define("DUPLICATE_COUNTERPARTY", ErrorKind.InvalidArgument, "a counterparty appears twice in one fund-flow month");
    public static readonly ErrorReason CounterpartiesExceedInflow = Define("COUNTERPARTIES_EXCEED_INFLOW", ErrorKind.InvalidArgument, "a month's counterparties add up to more than its inflow");
    public static readonly ErrorReason DecisionIdRequired = Define("DECISION_ID_REQUIRED", ErrorKind.InvalidArgument, "GetDecision names no decision_id");
    public static readonly ErrorReason DecisionIdTooLong = Define("DECISION_ID_TOO_LONG", ErrorKind.InvalidArgument, "decision_id is longer than 64 characters");
    public static readonly ErrorReason DecisionIdMalformed = Define("DECISION_ID_MALFORMED", ErrorKind.InvalidArgument, "decision_id is not D- and 24 hex digits, as AssessEnterprise and RenewLine return it");
    public static readonly ErrorReason DecisionNotFound = Define("DECISION_NOT_FOUND", ErrorKind.NotFound, "decision_id names no decision recorded for this enterprise");

    // Risk signals, and the commands the service builds from its decisions and policies (no
    // request field reaches these: they can only fail through a bug or a bad model file).
    public static readonly ErrorReason SignalTypeRequired = Define("SIGNAL_TYPE_REQUIRED", ErrorKind.InvalidArgument, "signal_type is unspecified or not a type the contract defines");
    public static readonly ErrorReason SeverityRequired = Define("SEVERITY_REQUIRED", ErrorKind.InvalidArgument, "severity is unspecified or not a severity the contract defines");
    public static readonly ErrorReason OutcomeRequired = Define("OUTCOME_REQUIRED", ErrorKind.InvalidArgument, "a decision to record is neither approve, decline nor refer (built by the service)");
    public static readonly ErrorReason WindowOutOfRange = Define("WINDOW_OUT_OF_RANGE", ErrorKind.InvalidArgument, "a renewal window is negative or too long (from the model)");
    public static readonly ErrorReason EffectRequired = Define("EFFECT_REQUIRED", ErrorKind.InvalidArgument, "a risk signal's effect is none the service knows (from the model)");
    public static readonly ErrorReason ShareOutOfRange = Define("SHARE_OUT_OF_RANGE", ErrorKind.InvalidArgument, "a risk signal lowers the limit by less than 0% or more than 100% (from the model)");

    // The exclusion list.
    public static readonly ErrorReason ReasonRequired = Define("REASON_REQUIRED", ErrorKind.InvalidArgument, "a change of the exclusion list gives no reason");
    public static readonly ErrorReason AlreadyOnExclusionList = Define("ALREADY_ON_EXCLUSION_LIST", ErrorKind.FailedPrecondition, "the enterprise is already on the exclusion list");
    public static readonly ErrorReason NotOnExclusionList = Define("NOT_ON_EXCLUSION_LIST", ErrorKind.FailedPrecondition, "the enterprise is not on the exclusion list");

    // The event stream.
    public static readonly ErrorReason CursorInvalid = Define("CURSOR_INVALID", ErrorKind.InvalidArgument, "cursor is not a SubscribeResponse.cursor this service gave (for its number of event partitions)");
    public static readonly ErrorReason EventsTrimmed = Define("EVENTS_TRIMMED", ErrorKind.FailedPrecondition, "events after the cursor were trimmed from the streams (retention): subscribe from the oldest kept, or from now");
    public static readonly ErrorReason TooManyEnterprises = Define("TOO_MANY_ENTERPRISES", ErrorKind.InvalidArgument, "enterprise_ids names more than 1,000 enterprises");

    // Terms set by hand, and new terms, within the products (issue 10).
    public static readonly ErrorReason LimitAboveProductCap = Define("LIMIT_ABOVE_PRODUCT_CAP", ErrorKind.FailedPrecondition, "an opening or adjusted limit is above the cap of the line's product (from the model)");
    public static readonly ErrorReason RateBelowProductFloor = Define("RATE_BELOW_PRODUCT_FLOOR", ErrorKind.FailedPrecondition, "an opening rate is below the product's rate floor (from the model)");
    public static readonly ErrorReason RateAboveProductCeiling = Define("RATE_ABOVE_PRODUCT_CEILING", ErrorKind.FailedPrecondition, "an opening rate is above the product's rate ceiling (from the model)");
    public static readonly ErrorReason LineDueForRenewal = Define("LINE_DUE_FOR_RENEWAL", ErrorKind.FailedPrecondition, "an approval reached a line inside its renewal window or past maturity, where only RenewLine gives a new term; assess again: the decision then says so");

    // Consents (征信授权).
    public static readonly ErrorReason ConsentSourcesInvalid = Define("CONSENT_SOURCES_INVALID", ErrorKind.InvalidArgument, "a consent names no source, or an unspecified, unknown or repeated one");
    public static readonly ErrorReason ConsentGrantInvalid = Define("CONSENT_GRANT_INVALID", ErrorKind.InvalidArgument, "a consent does not say who signed it (grantor) or how (channel)");
    public static readonly ErrorReason ConsentPeriodInvalid = Define("CONSENT_PERIOD_INVALID", ErrorKind.InvalidArgument, "a consent's valid_from or valid_until is missing, valid_until is not after valid_from, the period is longer than five years, or it has ended");
    public static readonly ErrorReason ConsentIdMalformed = Define("CONSENT_ID_MALFORMED", ErrorKind.InvalidArgument, "consent_id is not a consent id as RecordConsent returned it");
    public static readonly ErrorReason ConsentNotFound = Define("CONSENT_NOT_FOUND", ErrorKind.NotFound, "the enterprise has no consent with the consent id");
    public static readonly ErrorReason ConsentAlreadyRevoked = Define("CONSENT_ALREADY_REVOKED", ErrorKind.FailedPrecondition, "the consent was already revoked");
    public static readonly ErrorReason TooManyConsents = Define("TOO_MANY_CONSENTS", ErrorKind.FailedPrecondition, "the enterprise has 64 consents on record, the most kept");

    // Failures: nothing was acknowledged; retry with the same request_id.
    public static readonly ErrorReason ConcurrentModification = Define("CONCURRENT_MODIFICATION", ErrorKind.Aborted, "the line was changed elsewhere while this request was in flight; nothing was applied: retry with the same request_id");
    public static readonly ErrorReason StorageUnavailable = Define("STORAGE_UNAVAILABLE", ErrorKind.Unavailable, "the line's storage did not confirm the change; it may or may not have been applied: retry with the same request_id");
    public static readonly ErrorReason LedgerRegression = Define("LEDGER_REGRESSION", ErrorKind.Unavailable, "the line's storage is behind what the service has acknowledged (a failover lost acknowledged writes): the line serves nothing until storage catches up or staff restore it");
    public static readonly ErrorReason SiloUnavailable = Define("SILO_UNAVAILABLE", ErrorKind.Unavailable, "the credit line service is not reachable right now: retry with the same request_id");

    /// <summary>Every reason, in the order defined above.</summary>
    public static IReadOnlyList<ErrorReason> All => Defined;

    private static ErrorReason Define(string code, ErrorKind kind, string meaning)
    {
        var reason = new ErrorReason(code, kind, meaning);
        Defined.Add(reason);
        return reason;
    }
}
