using System.Security.Cryptography.X509Certificates;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Mutual TLS for internal services: a client certificate from the configured authority whose CN is a
/// configured caller stands for that caller (its scopes, its enterprises, its name on the journal);
/// any other certificate is UNAUTHENTICATED, and a bearer token, when sent, decides instead.
/// </summary>
public sealed class ClientCertificateTests(ClientCertificateTests.Fixture fixture) : IClassFixture<ClientCertificateTests.Fixture>
{
    private const string Payments = "payments-gateway";
    private const string PaymentsName = "svc-payments";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static Metadata Staff => new() { { "authorization", "Bearer " + TestTokens.Shared.Staff } };

    [Fact]
    public async Task A_configured_services_certificate_without_a_token_holds_its_scopes_and_no_other()
    {
        var lines = new CreditLineService.CreditLineServiceClient(fixture.Configured);
        var admin = new LineAdminService.LineAdminServiceClient(fixture.Configured);
        var id = TestEnterprises.Unique();

        var read = await Assert.ThrowsAsync<RpcException>(() => lines.GetLineAsync(new() { EnterpriseId = id }).ResponseAsync);
        var open = await Assert.ThrowsAsync<RpcException>(() => admin.OpenLineAsync(new() { EnterpriseId = id, RequestId = "open", LimitMinor = 1_000_000, AnnualRateBps = 300, TermDays = 365, Product = Product.OperatingQuickLoan }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, read.StatusCode);
        Assert.Equal((StatusCode.PermissionDenied, "SCOPE_REQUIRED"), (open.StatusCode, Reason(open)));
    }

    [Fact]
    public async Task The_journal_names_the_configured_caller_of_a_certificate()
    {
        var id = TestEnterprises.Unique();
        var opened = await new LineAdminService.LineAdminServiceClient(fixture.Configured).OpenLineAsync(
            new() { EnterpriseId = id, RequestId = "open", LimitMinor = 1_000_000, AnnualRateBps = 300, TermDays = 365, Product = Product.OperatingQuickLoan },
            Staff);
        await new LineAdminService.LineAdminServiceClient(fixture.Configured).ApproveProposalAsync(
            new() { EnterpriseId = id, RequestId = "approve-open", ProposalId = opened.Proposal.ProposalId },
            new Metadata { { "authorization", "Bearer " + TestTokens.Shared.Approver } });
        var lines = new CreditLineService.CreditLineServiceClient(fixture.Configured);

        await lines.DrawAsync(new() { EnterpriseId = id, RequestId = "draw-1", AmountMinor = 1_000 });
        var journal = await lines.ListTransactionsAsync(new() { EnterpriseId = id });

        Assert.Equal((TransactionType.Draw, PaymentsName), (journal.Transactions[0].Type, journal.Transactions[0].Actor));
        Assert.Equal("staff-tests", opened.Proposal.ProposedBy);
    }

    [Fact]
    public async Task A_certificate_from_another_authority_is_unauthenticated_even_with_a_configured_CN()
    {
        var lines = new CreditLineService.CreditLineServiceClient(fixture.OtherAuthority);

        var refused = await Assert.ThrowsAsync<RpcException>(() => lines.GetLineAsync(new() { EnterpriseId = TestEnterprises.Unique() }).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_INVALID"), (refused.StatusCode, Reason(refused)));
    }

    [Fact]
    public async Task A_certificate_from_the_authority_that_no_caller_names_is_unauthenticated()
    {
        var lines = new CreditLineService.CreditLineServiceClient(fixture.NotConfigured);

        var refused = await Assert.ThrowsAsync<RpcException>(() => lines.GetLineAsync(new() { EnterpriseId = TestEnterprises.Unique() }).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_NOT_ACCEPTED"), (refused.StatusCode, Reason(refused)));
    }

    [Fact]
    public async Task With_both_a_token_and_a_certificate_the_token_decides()
    {
        var id = TestEnterprises.Unique();
        var configured = new CreditLineService.CreditLineServiceClient(fixture.Configured);
        var notConfigured = new CreditLineService.CreditLineServiceClient(fixture.NotConfigured);

        var badToken = await Assert.ThrowsAsync<RpcException>(() => configured.GetLineAsync(new() { EnterpriseId = id }, new Metadata { { "authorization", "Bearer not-a-jwt" } }).ResponseAsync);
        var goodToken = await Assert.ThrowsAsync<RpcException>(() => notConfigured.GetLineAsync(new() { EnterpriseId = id }, Staff).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "TOKEN_INVALID"), (badToken.StatusCode, Reason(badToken)));
        Assert.Equal(StatusCode.NotFound, goodToken.StatusCode);
    }

    [Fact]
    public async Task Without_bearer_or_certificate_the_call_is_unauthenticated_TOKEN_MISSING()
    {
        var lines = new CreditLineService.CreditLineServiceClient(fixture.NoCertificate);

        var refused = await Assert.ThrowsAsync<RpcException>(() => lines.GetLineAsync(new() { EnterpriseId = TestEnterprises.Unique() }).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, "TOKEN_MISSING"), (refused.StatusCode, Reason(refused)));
    }

    [Theory]
    [InlineData("no server certificate", "Decisioning:Auth:ClientCertificates needs TLS: set Decisioning:Grpc:CertificateFile")]
    [InlineData("a missing CA file", "Decisioning:Auth:ClientCertificates:CaCertificateFile:")]
    [InlineData("a CA file that holds no certificate", "Decisioning:Auth:ClientCertificates:CaCertificateFile:")]
    [InlineData("a caller without scopes", "Decisioning:Auth:ClientCertificates:Callers:0:Scopes is required")]
    [InlineData("a caller without a name", "Decisioning:Auth:ClientCertificates:Callers:0:Name is required")]
    public async Task A_client_certificate_configuration_that_cannot_work_stops_the_service_at_start(string what, string message)
    {
        await using var redis = await RedisServer.StartAsync();
        var garbage = Path.Combine(Path.GetTempPath(), $"ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(garbage, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        try
        {
            var settings = fixture.Settings();
            switch (what)
            {
                case "no server certificate":
                    settings.Remove("Decisioning__Grpc__CertificateFile");
                    settings.Remove("Decisioning__Grpc__CertificatePassword");
                    break;
                case "a missing CA file":
                    settings["Decisioning__Auth__ClientCertificates__CaCertificateFile"] = garbage + ".missing";
                    break;
                case "a CA file that holds no certificate":
                    settings["Decisioning__Auth__ClientCertificates__CaCertificateFile"] = garbage;
                    break;
                case "a caller without scopes":
                    settings.Remove("Decisioning__Auth__ClientCertificates__Callers__0__Scopes");
                    break;
                case "a caller without a name":
                    settings.Remove("Decisioning__Auth__ClientCertificates__Callers__0__Name");
                    break;
            }

            await using var service = ServiceProcess.Create(redis.Configuration, settings);

            var exit = await service.RunToExitAsync(Limit);

            Assert.True(exit != 0, what);
            Assert.Contains(message, service.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    private static string? Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;

    /// <summary>
    /// One service over TLS (its server certificate from the test authority) that accepts the
    /// authority's certificate for CN=payments-gateway as svc-payments (credit.read, credit.draw, every enterprise).
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private const string Password = "test-password";
        private readonly List<IDisposable> _owned = [];
        private ClusterAuthority _authority = null!;
        private ClusterAuthority _other = null!;
        private RedisServer _redis = null!;
        private ServiceProcess _service = null!;
        private X509Certificate2 _server = null!;
        private string _serverPath = null!;

        /// <summary>Presents the configured service's certificate.</summary>
        public GrpcChannel Configured { get; private set; } = null!;

        /// <summary>Presents a certificate of the configured authority for a CN no caller names.</summary>
        public GrpcChannel NotConfigured { get; private set; } = null!;

        /// <summary>Presents a certificate for the configured CN from another authority.</summary>
        public GrpcChannel OtherAuthority { get; private set; } = null!;

        /// <summary>Presents no certificate.</summary>
        public GrpcChannel NoCertificate { get; private set; } = null!;

        public Dictionary<string, string> Settings() => new()
        {
            ["Decisioning__Grpc__CertificateFile"] = _serverPath,
            ["Decisioning__Grpc__CertificatePassword"] = Password,
            ["Decisioning__Auth__ClientCertificates__CaCertificateFile"] = _authority.CaPath,
            ["Decisioning__Auth__ClientCertificates__Callers__0__Subject"] = Payments,
            ["Decisioning__Auth__ClientCertificates__Callers__0__Name"] = PaymentsName,
            ["Decisioning__Auth__ClientCertificates__Callers__0__Scopes"] = "credit.read credit.draw",
            ["Decisioning__Auth__ClientCertificates__Callers__0__Enterprises"] = "*",
        };

        public async Task InitializeAsync()
        {
            _authority = ClusterAuthority.Create("decisioning-internal-ca");
            _other = ClusterAuthority.Create("another-ca");
            _serverPath = _authority.Issue("server", Password);
            _server = X509CertificateLoader.LoadPkcs12FromFile(_serverPath, Password);
            _redis = await RedisServer.StartAsync();
            _service = ServiceProcess.Create(_redis.Configuration, Settings());
            Configured = Channel(_authority.Issue(Payments, Password));
            NotConfigured = Channel(_authority.Issue("unknown-service", Password));
            OtherAuthority = Channel(_other.Issue(Payments, Password));
            NoCertificate = Channel(null);

            var exited = _service.RunToExitAsync(TimeSpan.FromMinutes(30));
            var lines = new CreditLineService.CreditLineServiceClient(NoCertificate);
            var deadline = DateTime.UtcNow + Limit;
            while (true)
            {
                try
                {
                    await lines.GetLineAsync(new() { EnterpriseId = TestEnterprises.Unique() }, Staff);
                    return;
                }
                catch (RpcException e) when (e.StatusCode != StatusCode.Unavailable)
                {
                    return;
                }
                catch (RpcException) when (DateTime.UtcNow < deadline && !exited.IsCompleted)
                {
                    await Task.Delay(200);
                }
                catch (RpcException e)
                {
                    throw new InvalidOperationException($"the service did not answer over TLS:\n{_service.Output}", e);
                }
            }
        }

        public async Task DisposeAsync()
        {
            await _service.DisposeAsync();
            await _redis.DisposeAsync();
            foreach (var owned in _owned)
            {
                owned.Dispose();
            }

            _server.Dispose();
            _authority.Dispose();
            _other.Dispose();
        }

        private GrpcChannel Channel(string? clientCertificatePath)
        {
            var client = clientCertificatePath is null ? null : X509CertificateLoader.LoadPkcs12FromFile(clientCertificatePath, Password);
            var handler = new SocketsHttpHandler
            {
                SslOptions =
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _server.GetCertHashString(),
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => client!,
                },
            };
            if (client is not null)
            {
                handler.SslOptions.ClientCertificates = [client];
                _owned.Add(client);
            }
            else
            {
                handler.SslOptions.LocalCertificateSelectionCallback = null;
            }

            var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_service.GrpcPort}", new GrpcChannelOptions { HttpHandler = handler });
            _owned.Add(channel);
            return channel;
        }
    }
}
