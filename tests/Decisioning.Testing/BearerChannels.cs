using Grpc.Core;
using Grpc.Net.Client;

namespace Decisioning.Testing;

/// <summary>Channels whose calls carry a bearer token, as any gRPC client sends it.</summary>
public static class BearerChannels
{
    /// <summary>A channel to <paramref name="address"/> (h2c) whose calls carry <paramref name="token"/> as <c>authorization: Bearer</c>.</summary>
    /// <param name="configure">Further channel options (reconnect backoff, say).</param>
    public static GrpcChannel For(string address, string token, Action<GrpcChannelOptions>? configure = null)
    {
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return Task.CompletedTask;
        });
        var options = new GrpcChannelOptions
        {
            // h2c on loopback: the token travels in the clear only inside this machine.
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = true,
        };
        configure?.Invoke(options);
        return GrpcChannel.ForAddress(address, options);
    }
}
