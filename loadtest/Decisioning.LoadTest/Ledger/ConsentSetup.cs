using Decisioning.Contracts;
using Decisioning.Domain.Assessment;
using Decisioning.LoadTest.Hosting;
using Decisioning.LoadTest.Keys;

namespace Decisioning.LoadTest.Ledger;

/// <summary>
/// Records each enterprise's consent to query every provider before the load, as staff record a
/// signed authorisation before an assessment that fetches: without one the service queries no
/// provider and refers the case. The run's token needs the decisioning.consent scope.
/// </summary>
internal static class ConsentSetup
{
    private const int Parallelism = 32;

    public static async Task RunAsync(Connections connections, KeySpace keys, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, keys.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var id = keys.Id(index);
                var request = Mapping.ToRequest(new RecordConsentCommand
                {
                    EnterpriseId = id,
                    RequestId = keys.SetupRequestId(index, "consent"),
                    Terms = new ConsentTerms
                    {
                        Sources = [ExternalProvider.CreditBureau, ExternalProvider.TaxBureau, ExternalProvider.FundFlowPlatform],
                        GrantedBy = "load test",
                        Grantor = ConsentGrantor.LegalRepresentative,
                        Channel = ConsentChannel.Online,
                        AuthorisationReference = "load-test " + keys.Tag,
                        ValidFrom = now.AddMinutes(-1),
                        ValidUntil = now.AddDays(1),
                    },
                    // Not sent: the service takes the actor from the token.
                    Actor = "",
                });
                await LineSetup.RetryAsync($"the consent of {id}", () => connections.Consents[index % connections.Count].RecordConsentAsync(
                    request,
                    deadline: DateTime.UtcNow + deadline,
                    cancellationToken: ct).ResponseAsync);
            });
    }
}
