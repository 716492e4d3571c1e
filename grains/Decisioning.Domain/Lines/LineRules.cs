namespace Decisioning.Domain.Lines;

/// <summary>
/// The shape every request field must have. The front door checks requests with these before it
/// calls a grain, and the line checks its commands with the same functions, so the two never drift.
/// Each returns null when the value is acceptable.
/// </summary>
public static class LineRules
{
    public static DomainError? Amount(long amountMinor, string field = "amount_minor") => amountMinor switch
    {
        <= 0 => DomainError.Invalid(field, ErrorReasons.AmountMustBePositive, $"must be a positive number of fen, not {amountMinor}"),
        > Limits.MaxAmountMinor => DomainError.Invalid(field, ErrorReasons.AmountTooLarge, $"must be at most {Limits.MaxAmountMinor} fen, not {amountMinor}"),
        _ => null,
    };

    /// <summary>A capture amount: 0 means the whole hold.</summary>
    public static DomainError? CaptureAmount(long amountMinor) => amountMinor == 0 ? null : Amount(amountMinor);

    public static DomainError? Limit(long limitMinor, string field = "limit_minor") => limitMinor switch
    {
        < 0 => DomainError.Invalid(field, ErrorReasons.LimitMustNotBeNegative, $"must not be negative, not {limitMinor}"),
        > Limits.MaxAmountMinor => DomainError.Invalid(field, ErrorReasons.AmountTooLarge, $"must be at most {Limits.MaxAmountMinor} fen, not {limitMinor}"),
        _ => null,
    };

    public static DomainError? OpeningLimit(long limitMinor) => limitMinor == 0
        ? DomainError.Invalid("limit_minor", ErrorReasons.AmountMustBePositive, "must be a positive number of fen, not 0")
        : Limit(limitMinor);

    public static DomainError? AnnualRate(int bps) => bps is < 0 or > Limits.MaxAnnualRateBps
        ? DomainError.Invalid("annual_rate_bps", ErrorReasons.RateOutOfRange, $"must be from 0 to {Limits.MaxAnnualRateBps} basis points, not {bps}")
        : null;

    public static DomainError? TermDays(int days) => days is < 1 or > Limits.MaxTermDays
        ? DomainError.Invalid("term_days", ErrorReasons.TermOutOfRange, $"must be from 1 to {Limits.MaxTermDays} days, not {days}")
        : null;

    public static DomainError? TermMonths(int months) => months is < 1 or > Assessment.AssessmentLimits.MaxTermMonths
        ? DomainError.Invalid("term_months", ErrorReasons.TermOutOfRange, $"must be from 1 to {Assessment.AssessmentLimits.MaxTermMonths} months, not {months}")
        : null;

    public static DomainError? ProductCode(Product product) => product is Product.SrdiELoan or Product.OperatingQuickLoan
        ? null
        : DomainError.Invalid("product", ErrorReasons.ProductRequired, $"must be PRODUCT_SRDI_E_LOAN or PRODUCT_OPERATING_QUICK_LOAN, not {(int)product}");

    public static DomainError? HoldTtl(int seconds) => seconds is < 0 or > Limits.MaxHoldTtlSeconds
        ? DomainError.Invalid("hold_ttl_seconds", ErrorReasons.HoldTtlOutOfRange, $"must be from 1 to {Limits.MaxHoldTtlSeconds} seconds (or 0 for the default), not {seconds}")
        : null;

    public static DomainError? Note(string? note, string field = "reason") => note is { Length: > Limits.MaxNoteLength }
        ? DomainError.Invalid(field, ErrorReasons.TextTooLong, $"must be at most {Limits.MaxNoteLength} characters, not {note.Length}")
        : null;

    /// <summary>Request ids: 1 to 64 characters of letters, digits and <c>- _ . :</c> (a UUID fits).</summary>
    public static DomainError? RequestId(string? requestId)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            return DomainError.Invalid("request_id", ErrorReasons.RequestIdRequired, "is required: every change carries a caller-chosen id that makes retries safe");
        }

        if (requestId.Length > Limits.MaxRequestIdLength)
        {
            return DomainError.Invalid("request_id", ErrorReasons.RequestIdTooLong, $"must be at most {Limits.MaxRequestIdLength} characters, not {requestId.Length}");
        }

        foreach (var c in requestId)
        {
            if (!IsIdCharacter(c))
            {
                return DomainError.Invalid("request_id", ErrorReasons.RequestIdMalformed, "may hold only letters, digits and - _ . :");
            }
        }

        return null;
    }

    /// <summary>Hold ids are issued by the line: 'H' and the journal sequence that placed the hold.</summary>
    public static DomainError? HoldId(string? holdId)
    {
        if (string.IsNullOrEmpty(holdId))
        {
            return DomainError.Invalid("hold_id", ErrorReasons.HoldIdRequired, "is required");
        }

        if (holdId.Length > 20 || holdId[0] != 'H' || holdId.Length < 2 || holdId.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return DomainError.Invalid("hold_id", ErrorReasons.HoldIdMalformed, "must be a hold id as PlaceHold returned it (H followed by digits)");
        }

        return null;
    }

    /// <summary>Proposal ids are issued by the line: 'P' and the journal sequence that recorded the proposal.</summary>
    public static DomainError? ProposalId(string? proposalId)
    {
        if (string.IsNullOrEmpty(proposalId))
        {
            return DomainError.Invalid("proposal_id", ErrorReasons.ProposalIdRequired, "is required");
        }

        if (proposalId.Length is < 2 or > 20 || proposalId[0] != 'P' || proposalId.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return DomainError.Invalid("proposal_id", ErrorReasons.ProposalIdMalformed, "must be a proposal id as the proposing call returned it (P followed by digits)");
        }

        return null;
    }

    public static DomainError? Classification(LoanClass floor, string field = "floor") => floor is < LoanClass.Normal or > LoanClass.Loss
        ? DomainError.Invalid(field, ErrorReasons.ClassificationRequired, $"must be a LoanClassification from NORMAL to LOSS, not {(int)floor}")
        : null;

    /// <summary>A reviewer's reason code: 1 to 64 characters of capitals, digits and underscores (UPPER_SNAKE_CASE).</summary>
    public static DomainError? ReferralReasonCode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return DomainError.Invalid("reason_code", ErrorReasons.ReasonCodeRequired, "is required: a manual decision says why, as a code");
        }

        return code.Length > Limits.MaxReasonCodeLength || !char.IsAsciiLetterUpper(code[0]) || code.AsSpan().ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
            ? DomainError.Invalid("reason_code", ErrorReasons.ReasonCodeMalformed, $"must be UPPER_SNAKE_CASE of at most {Limits.MaxReasonCodeLength} characters, starting with a letter")
            : null;
    }

    /// <summary>A free-text note that must be given (a manual decision's).</summary>
    public static DomainError? RequiredNote(string? note, string field = "note") => string.IsNullOrWhiteSpace(note)
        ? DomainError.Invalid(field, ErrorReasons.NoteRequired, "is required: a manual decision is explained in words")
        : Note(note, field);

    private static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';
}
