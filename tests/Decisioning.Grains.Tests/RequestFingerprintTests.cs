using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Assessment;
using Decisioning.Simulations;
using Decisioning.Testing;

namespace Decisioning.Grains.Tests;

/// <summary>A retry of a request decided before is told apart by the fingerprint stored with its decision: the way it is taken may change, its value may not.</summary>
public sealed class RequestFingerprintTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 26);

    [Fact]
    public void A_requests_fingerprint_is_the_one_stored_decisions_were_written_with()
    {
        foreach (var n in Enumerable.Range(1, 40))
        {
            var application = SimulatedEnterprise.Application(TestEnterprises.Id(n), AsOf);
            foreach (var purpose in (DecisionPurpose[])[DecisionPurpose.Origination, DecisionPurpose.Renewal])
            {
                foreach (var fetch in (bool[])[true, false])
                {
                    var request = new AssessRequest { RequestId = "r-1", Application = application, FetchExternalData = fetch, Actor = "officer-li" };

                    Assert.Equal(AsFirstWritten(purpose, request), RequestFingerprints.Of(purpose, request));
                }
            }
        }
    }

    [Fact]
    public void What_the_service_decides_on_its_own_does_not_change_the_fingerprint_and_what_the_caller_asks_does()
    {
        var application = SimulatedEnterprise.Application(TestEnterprises.Id(7), AsOf);
        var request = new AssessRequest { RequestId = "r-1", Application = application, Actor = "officer-li" };
        var fingerprint = RequestFingerprints.Of(DecisionPurpose.Origination, request);

        Assert.Equal(fingerprint, RequestFingerprints.Of(DecisionPurpose.Origination, request with { Application = application with { OnExclusionList = !application.OnExclusionList } }));
        Assert.NotEqual(fingerprint, RequestFingerprints.Of(DecisionPurpose.Origination, request with { Application = application with { Product = Domain.Lines.Product.SrdiELoan } }));
        Assert.NotEqual(fingerprint, RequestFingerprints.Of(DecisionPurpose.Renewal, request));
    }

    /// <summary>The fingerprint as the service first took it (SHA-256 over a header and the application's JSON).</summary>
    private static string AsFirstWritten(DecisionPurpose purpose, AssessRequest request)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(request.Application with { OnExclusionList = false });
        var header = Encoding.UTF8.GetBytes($"{(int)purpose}:{request.FetchExternalData}:0:");
        return Convert.ToHexStringLower(SHA256.HashData([.. header, .. json]))[..32];
    }
}
