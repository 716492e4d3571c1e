using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Decisioning.Testing;

/// <summary>
/// A channel to a service process whose failed calls carry, when it explains them, what the
/// process wrote: an INTERNAL status (an unexpected exception in the service, logged there with its
/// stack trace), or any failure once the process has ended on its own (a crash, a fatal error). The
/// status, its details and the trailers are the service's; only the exception's message grows.
/// </summary>
internal sealed class ExplainingChannel(GrpcChannel inner, Func<RpcException, string?> explain) : ChannelBase(inner.Target)
{
    private readonly Explaining _interceptor = new(explain);

    public GrpcChannel Inner => inner;

    public override CallInvoker CreateCallInvoker() => inner.CreateCallInvoker().Intercept(_interceptor);

    protected override Task ShutdownAsyncCore() => inner.ShutdownAsync();

    private sealed class Explaining(Func<RpcException, string?> explain) : Interceptor
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            try
            {
                return continuation(request, context);
            }
            catch (RpcException ex) when (Explained(ex) is { } explained)
            {
                throw explained;
            }
        }

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            var call = continuation(request, context);
            return new AsyncUnaryCall<TResponse>(Explain(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        {
            var call = continuation(request, context);
            return new AsyncServerStreamingCall<TResponse>(new Reader<TResponse>(call.ResponseStream, this), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }

        private async Task<TResponse> Explain<TResponse>(Task<TResponse> response)
        {
            try
            {
                return await response.ConfigureAwait(false);
            }
            catch (RpcException ex) when (Explained(ex) is { } explained)
            {
                throw explained;
            }
        }

        private RpcException? Explained(RpcException ex) =>
            explain(ex) is { } output ? new RpcException(ex.Status, ex.Trailers, ex.Message + "\n" + output) : null;

        private sealed class Reader<T>(IAsyncStreamReader<T> inner, Explaining explaining) : IAsyncStreamReader<T>
        {
            public T Current => inner.Current;

            public async Task<bool> MoveNext(CancellationToken cancellationToken)
            {
                try
                {
                    return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException ex) when (explaining.Explained(ex) is { } explained)
                {
                    throw explained;
                }
            }
        }
    }
}
