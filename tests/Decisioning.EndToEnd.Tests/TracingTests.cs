using System.Globalization;
using System.Net;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Traces exported over OTLP (HTTP/protobuf, to a receiver in the test): one trace from the gRPC call
/// through the grain calls to the Redis commit, continuing the caller's W3C trace context.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task An_assessment_is_one_trace_from_the_grpc_call_through_the_grains_to_the_redis_commit()
    {
        using var receiver = new OtlpReceiver();
        await using var redis = await RedisServer.StartAsync();
        await using var service = await ServiceProcess.StartAsync(redis.Configuration, new Dictionary<string, string>
        {
            ["Decisioning__Telemetry__OtlpEndpoint"] = receiver.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        var headers = new Metadata { { "traceparent", $"00-{traceId}-b7ad6b7169203331-01" } };

        await new DecisioningService.DecisioningServiceClient(service.Channel).AssessEnterpriseAsync(Applications.Sound(TestEnterprises.Unique(), "assess-1"), headers);

        // The server span of the call ends last (spans are exported as they end): once it is in, so is the rest.
        var spans = await receiver.WaitForAsync(s => s.Any(span => span.TraceId == traceId && span.Scope == "Microsoft.AspNetCore"));
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var commit = trace.First(s => s.Name == "redis commit");
        var ancestors = Ancestors(commit, trace);
        Assert.Equal("Decisioning", commit.Scope);
        Assert.Contains(ancestors, s => s.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.Contains(ancestors, s => s.Scope == "Microsoft.AspNetCore" && s.Name.Contains("AssessEnterprise", StringComparison.Ordinal));
        Assert.Equal("b7ad6b7169203331", ancestors[^1].ParentSpanId);
    }

    /// <summary>The span's parent, its parent, and so on, as far as they were exported.</summary>
    private static List<ExportedSpan> Ancestors(ExportedSpan span, List<ExportedSpan> trace)
    {
        var chain = new List<ExportedSpan>();
        while (trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId) is { } parent)
        {
            chain.Add(span = parent);
        }

        return chain;
    }

    internal sealed record ExportedSpan(string Scope, string Name, string TraceId, string SpanId, string ParentSpanId);

    /// <summary>
    /// An OTLP/HTTP receiver: keeps the spans of every <c>/v1/traces</c> export (ExportTraceServiceRequest,
    /// read field by field: resource_spans 1 → scope_spans 2 → scope 1 (name 1), spans 2 → trace_id 1,
    /// span_id 2, parent_span_id 4, name 5) and answers every export with an empty success.
    /// </summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<ExportedSpan> _spans = [];
        private readonly Task _serving;

        public OtlpReceiver()
        {
            Address = $"http://127.0.0.1:{RedisServer.FreePort().ToString(CultureInfo.InvariantCulture)}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public async Task<List<ExportedSpan>> WaitForAsync(Func<List<ExportedSpan>, bool> done)
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
            {
                lock (_spans)
                {
                    if (done(_spans))
                    {
                        return [.. _spans];
                    }
                }
            }

            lock (_spans)
            {
                throw new TimeoutException("spans exported: " + string.Join("; ", _spans.Select(s => $"{s.Scope} {s.Name} {s.TraceId}")));
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _ = _serving;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    var spans = Read(body.ToArray());
                    lock (_spans)
                    {
                        _spans.AddRange(spans);
                    }
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        private static List<ExportedSpan> Read(byte[] request)
        {
            var spans = new List<ExportedSpan>();
            foreach (var resourceSpans in Fields(request, 1))
            {
                foreach (var scopeSpans in Fields(resourceSpans, 2))
                {
                    var scope = Fields(scopeSpans, 1).Select(s => Fields(s, 1).Select(n => System.Text.Encoding.UTF8.GetString(n)).FirstOrDefault()).FirstOrDefault() ?? "";
                    spans.AddRange(Fields(scopeSpans, 2).Select(span => new ExportedSpan(
                        scope,
                        System.Text.Encoding.UTF8.GetString(Fields(span, 5).FirstOrDefault() ?? []),
                        Convert.ToHexStringLower(Fields(span, 1).FirstOrDefault() ?? []),
                        Convert.ToHexStringLower(Fields(span, 2).FirstOrDefault() ?? []),
                        Convert.ToHexStringLower(Fields(span, 4).FirstOrDefault() ?? []))));
                }
            }

            return spans;
        }

        /// <summary>The values of length-delimited field <paramref name="number"/> of a protobuf message.</summary>
        private static List<byte[]> Fields(byte[] message, int number)
        {
            var values = new List<byte[]>();
            var input = new CodedInputStream(message);
            for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
            {
                if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    values.Add(input.ReadBytes().ToByteArray());
                }
                else
                {
                    input.SkipLastField();
                }
            }

            return values;
        }
    }
}
