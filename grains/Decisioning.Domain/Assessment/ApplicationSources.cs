namespace Decisioning.Domain.Assessment;

/// <summary>Which of the providers' parts a request carries.</summary>
public readonly record struct SuppliedParts(bool Financing, bool Tax, bool FundFlow);

/// <summary>Whether the service fetches the providers' parts, or why the request is refused.</summary>
public sealed record SourcesDecision(bool Fetch, IReadOnlyList<DomainError> Errors);

/// <summary>
/// Where the credit bureau's, tax bureau's and fund-flow platform's parts of an application come
/// from. They are the data that checks an applicant, so an applicant (or a channel acting for one)
/// must not be able to supply figures that raise its own credit: only the bank's own data services
/// may supply them; for every other caller the service fetches them from the providers.
/// </summary>
public static class ApplicationSources
{
    /// <param name="supplied">The parts the request carries.</param>
    /// <param name="callerMaySupply">The caller is one of the bank's data services (it holds the supply-data scope).</param>
    /// <param name="fetchRequested">The request's fetch_external_data: a data service's choice between supplying and fetching.</param>
    /// <returns>
    /// For a caller that may not supply: fetch, and PERMISSION_DENIED naming each part it sent.
    /// For a data service: fetch as it asked, and INVALID_ARGUMENT naming each part it sent while
    /// asking to fetch (the service never mixes the two).
    /// </returns>
    public static SourcesDecision Check(SuppliedParts supplied, bool callerMaySupply, bool fetchRequested)
    {
        var errors = new List<DomainError>();
        foreach (var field in Present(supplied))
        {
            if (!callerMaySupply)
            {
                errors.Add(new DomainError(
                    ErrorReasons.DataSupplyNotPermitted,
                    $"{field} may be supplied only by the bank's data services (scope decisioning.supply-data): leave it out and the service fetches it from the provider",
                    field));
            }
            else if (fetchRequested)
            {
                errors.Add(DomainError.Invalid(field, ErrorReasons.SuppliedWithFetch, "must be left out when fetch_external_data is set: the service queries the provider"));
            }
        }

        return new SourcesDecision(fetchRequested || !callerMaySupply, errors);
    }

    private static IEnumerable<string> Present(SuppliedParts supplied)
    {
        if (supplied.Financing)
        {
            yield return Fields.Financing;
        }

        if (supplied.Tax)
        {
            yield return Fields.Tax;
        }

        if (supplied.FundFlow)
        {
            yield return Fields.FundFlow;
        }
    }
}
