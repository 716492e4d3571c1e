using System.Net.Http.Headers;
using System.Net.Security;
using Decisioning.Contracts.V1;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Decisioning.LoadTest.Hosting;

/// <summary>
/// Several HTTP/2 connections, one channel (and one connection pool) each. A single connection
/// funnels every stream through one socket and one frame writer, which caps a .NET client long
/// before the server; callers spread over these round-robin. Each may still open more connections
/// when it hits the server's stream limit (EnableMultipleHttp2Connections).
/// </summary>
internal sealed class Connections : IDisposable
{
    private readonly GrpcChannel[] _channels;

    public Connections(Uri target, int count, bool insecure, string? token)
    {
        _channels = new GrpcChannel[count];
        for (var i = 0; i < count; i++)
        {
            var handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            };
            if (insecure)
            {
                // --insecure: for a development certificate on a test host, as grpcurl -insecure.
                handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
            }

            HttpMessageHandler outer = token is null ? handler : new BearerToken(token) { InnerHandler = handler };
            _channels[i] = GrpcChannel.ForAddress(target, new GrpcChannelOptions { HttpHandler = outer, DisposeHttpClient = true });
        }

        Lines = [.. _channels.Select(c => new CreditLineService.CreditLineServiceClient(c))];
        Admin = [.. _channels.Select(c => new LineAdminService.LineAdminServiceClient(c))];
        Decisioning = [.. _channels.Select(c => new DecisioningService.DecisioningServiceClient(c))];
        Health = [.. _channels.Select(c => new Health.HealthClient(c))];
        Consents = [.. _channels.Select(c => new ConsentService.ConsentServiceClient(c))];
    }

    public ConsentService.ConsentServiceClient[] Consents { get; }

    public CreditLineService.CreditLineServiceClient[] Lines { get; }

    public LineAdminService.LineAdminServiceClient[] Admin { get; }

    public DecisioningService.DecisioningServiceClient[] Decisioning { get; }

    public Health.HealthClient[] Health { get; }

    public int Count => _channels.Length;

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}

/// <summary>
/// Puts the token on every request. One header value shared by every call: call credentials would
/// build it per call, and the load generator's CPU is the service's competitor on this machine.
/// </summary>
internal sealed class BearerToken(string token) : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _header = new("Bearer", token);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _header;
        return base.SendAsync(request, cancellationToken);
    }
}
