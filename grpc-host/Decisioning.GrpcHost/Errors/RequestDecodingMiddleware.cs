using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using Decisioning.Domain;
using Decisioning.GrpcHost.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Decisioning.GrpcHost.Errors;

/// <summary>
/// grpc-dotnet decodes a request before any interceptor runs and answers one that is not protobuf
/// UNKNOWN ("Exception was thrown by handler."), past <see cref="ErrorMappingInterceptor"/>. This
/// peeks at the request message of a Decisioning call first (leaving it unread for grpc-dotnet) and
/// refuses one that does not decode as INVALID_ARGUMENT <c>REQUEST_MALFORMED</c> with ErrorInfo, as
/// every other refusal. Compressed and oversized messages are left to grpc-dotnet.
/// </summary>
public sealed class RequestDecodingMiddleware(RequestDelegate next, IOptions<GrpcHostOptions> options)
{
    private const int HeaderBytes = 5;

    private static readonly FrozenDictionary<string, MessageParser> Parsers =
        new[] { Contracts.V1.CreditLineService.Descriptor, Contracts.V1.LineAdminService.Descriptor, Contracts.V1.DecisioningService.Descriptor }
            .SelectMany(s => s.Methods)
            .ToFrozenDictionary(m => $"/{m.Service.FullName}/{m.Name}", m => m.InputType.Parser);

    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method)
            && context.Request.Path.Value is { } path
            && Parsers.TryGetValue(path, out var parser)
            && !await Decodes(context.Request.BodyReader, parser, options.Value.MaxReceiveMessageBytes, context.RequestAborted))
        {
            // Trailers-only: the status in the headers, no body. Built per refusal: it names the call's trace.
            var malformed = ErrorMappingInterceptor.ToRpcException([new DomainError(ErrorReasons.RequestMalformed)]);
            RpcTelemetry.Ended(context, malformed.StatusCode);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)malformed.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = malformed.Status.Detail;
            foreach (var entry in malformed.Trailers.Where(e => e.IsBinary))
            {
                context.Response.Headers[entry.Key] = Convert.ToBase64String(entry.ValueBytes);
            }

            return;
        }

        await next(context);
    }

    /// <summary>False only for a complete, uncompressed message within the limit that does not decode; the body is left unread.</summary>
    private static async Task<bool> Decodes(System.IO.Pipelines.PipeReader reader, MessageParser parser, int limit, CancellationToken cancellation)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellation);
            var buffer = result.Buffer;
            if (buffer.Length >= HeaderBytes)
            {
                var (compressed, length) = Header(buffer);
                if (compressed || length > limit)
                {
                    reader.AdvanceTo(buffer.Start);
                    return true;
                }

                if (buffer.Length >= HeaderBytes + length)
                {
                    var decodes = TryParse(parser, buffer.Slice(HeaderBytes, length));
                    reader.AdvanceTo(buffer.Start);
                    return decodes;
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start);
                return true;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static (bool Compressed, uint Length) Header(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        return (header[0] != 0, BinaryPrimitives.ReadUInt32BigEndian(header[1..]));
    }

    private static bool TryParse(MessageParser parser, ReadOnlySequence<byte> message)
    {
        try
        {
            parser.ParseFrom(message);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }
}
