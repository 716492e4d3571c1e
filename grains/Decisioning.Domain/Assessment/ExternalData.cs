namespace Decisioning.Domain.Assessment;

/// <summary>
/// Why a provider gave nothing. The assessment itself only sees the missing part (null) and
/// refers the case with <see cref="ReasonCode"/>: <see cref="ReasonCodes.ConsentMissing"/> when the
/// provider was not queried for want of a consent, else <see cref="ReasonCodes.Unavailable"/>; the
/// detail is for logs.
/// </summary>
public sealed record ProviderFailure(ExternalProvider Provider, ProviderFailureKind Kind, string Detail)
{
    public string ReasonCode => Kind == ProviderFailureKind.NotAuthorised ? ReasonCodes.ConsentMissing(Provider) : ReasonCodes.Unavailable(Provider);
}

/// <summary>What a provider answered: its data, or why there is none. A failure is a value, not an exception.</summary>
public readonly record struct ProviderResult<T>
    where T : class
{
    private ProviderResult(T? value, ProviderFailure? failure) => (Value, Failure) = (value, failure);

    public T? Value { get; }
    public ProviderFailure? Failure { get; }
    public bool Succeeded => Value is not null;

    public static ProviderResult<T> Ok(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static ProviderResult<T> Failed(ProviderFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));
}

/// <summary>The credit reference centre, queried with the enterprise's authorisation.</summary>
public interface ICreditBureau
{
    ValueTask<ProviderResult<CreditBureauReport>> GetReportAsync(string enterpriseId, DateOnly asOf, CancellationToken cancellationToken);
}

/// <summary>The tax bureau's record of the last 12 months.</summary>
public interface ITaxBureau
{
    ValueTask<ProviderResult<TaxRecord>> GetRecordAsync(string enterpriseId, DateOnly asOf, CancellationToken cancellationToken);
}

/// <summary>The fund-flow platform's 12 monthly summaries before <c>asOf</c>'s month.</summary>
public interface IFundFlowPlatform
{
    ValueTask<ProviderResult<FundFlowStatement>> GetStatementAsync(string enterpriseId, DateOnly asOf, CancellationToken cancellationToken);
}

public static class ExternalData
{
    /// <summary>
    /// The application with the providers' parts in place: a failed provider leaves its part null,
    /// which the assessment turns into a referral naming the provider, never an approval.
    /// </summary>
    public static CreditApplication WithExternalData(
        this CreditApplication application,
        ProviderResult<CreditBureauReport> creditBureau,
        ProviderResult<TaxRecord> taxBureau,
        ProviderResult<FundFlowStatement> fundFlowPlatform) =>
        application with { Financing = creditBureau.Value, Tax = taxBureau.Value, FundFlow = fundFlowPlatform.Value };
}
