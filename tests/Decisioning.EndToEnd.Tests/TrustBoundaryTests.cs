using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace Decisioning.EndToEnd.Tests;

/// <summary>What the service refuses to start with, and TLS when it has a certificate.</summary>
public sealed class TrustBoundaryTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Listening_beyond_loopback_without_a_certificate_stops_the_service_at_start()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var service = ServiceProcess.Create(redis.Configuration, new Dictionary<string, string> { ["Decisioning__Grpc__ListenAddress"] = "0.0.0.0" });

        var exit = await service.RunToExitAsync(Limit);

        Assert.NotEqual(0, exit);
        Assert.Contains("Decisioning:Grpc:CertificateFile", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_development_key_beyond_loopback_stops_the_service_at_start()
    {
        await using var redis = await RedisServer.StartAsync();
        var certificate = Certificate();
        try
        {
            await using var service = ServiceProcess.Create(redis.Configuration, new Dictionary<string, string>
            {
                ["Decisioning__Grpc__ListenAddress"] = "0.0.0.0",
                ["Decisioning__Grpc__CertificateFile"] = certificate,
                ["Decisioning__Auth__DevelopmentKeyFile"] = TestTokens.Shared.PublicKeyFile,
            });

            var exit = await service.RunToExitAsync(Limit);

            Assert.NotEqual(0, exit);
            Assert.Contains("DevelopmentKeyFile is accepted only while the service listens on loopback", service.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    [Theory]
    [InlineData("a missing key file", null, "cannot be read")]
    [InlineData("a private key", "PRIVATE", "holds a private key")]
    [InlineData("a file that holds no key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "holds no PEM public key")]
    public async Task A_signing_key_file_that_is_not_a_public_key_stops_the_service_at_start(string what, string? content, string message)
    {
        await using var redis = await RedisServer.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"key-{Guid.NewGuid():N}.pem");
        if (content is not null)
        {
            await File.WriteAllTextAsync(path, content == "PRIVATE" ? RSA.Create(2048).ExportPkcs8PrivateKeyPem() : content);
        }

        try
        {
            await using var service = ServiceProcess.Create(redis.Configuration, new Dictionary<string, string> { ["Decisioning__Auth__SigningKeyFiles__0"] = path });

            var exit = await service.RunToExitAsync(Limit);

            Assert.True(exit != 0, what);
            Assert.Contains(message, service.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task With_a_certificate_the_service_speaks_tls_and_still_wants_a_token()
    {
        await using var redis = await RedisServer.StartAsync();
        var path = Certificate();
        using var expected = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        try
        {
            await using var service = ServiceProcess.Create(redis.Configuration, new Dictionary<string, string> { ["Decisioning__Grpc__CertificateFile"] = path });
            var started = service.RunToExitAsync(Limit);
            using var handler = new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected.GetCertHashString() },
            };
            using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{service.GrpcPort}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
            var lines = new CreditLineService.CreditLineServiceClient(channel);
            var token = new Metadata { { "authorization", "Bearer " + TestTokens.Shared.Staff } };
            var id = TestEnterprises.Unique();

            var notFound = await Eventually(() => lines.GetLineAsync(new() { EnterpriseId = id }, token).ResponseAsync, started);
            var anonymous = await Assert.ThrowsAsync<RpcException>(() => lines.GetLineAsync(new() { EnterpriseId = id }).ResponseAsync);

            Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
            Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The first answer once the service listens (it starts in the background).</summary>
    private static async Task<RpcException> Eventually(Func<Task> call, Task exited)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline && !exited.IsCompleted)
        {
            try
            {
                await call();
                throw new Xunit.Sdk.XunitException("the call succeeded");
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Unavailable)
            {
                return e;
            }
            catch (RpcException)
            {
                await Task.Delay(200);
            }
        }

        throw new Xunit.Sdk.XunitException("the service did not answer over TLS");
    }

    /// <summary>A self-signed server certificate for 127.0.0.1 in a PKCS#12 file without a password.</summary>
    private static string Certificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"server-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    }
}
