using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Testing;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// A bounded fuzz of request decoding and validation, over the wire against the real service. Every
/// unary method of the Decisioning services (read from the generated descriptors, so a new RPC is
/// fuzzed without editing this file) gets (a) arbitrary bytes and mutated encodings as its request,
/// (b) well-formed messages whose fields hold arbitrary values (unicode, empty and huge strings, int64
/// extremes, undefined enum numbers, nested messages present or absent), built through protobuf
/// reflection, and (c) messages over the 64 KiB limit. The answer is always OK or a deliberate refusal
/// carrying google.rpc.ErrorInfo with a reason of the catalogue and its status (bytes that do not decode: exactly INVALID_ARGUMENT REQUEST_MALFORMED;
/// over the limit: exactly RESOURCE_EXHAUSTED, from grpc-dotnet, without ErrorInfo), never INTERNAL,
/// UNKNOWN or a dropped connection, and never exception text or a stack frame; afterwards the service is healthy, a line the fuzzer cannot name reads back unchanged and
/// every line it can name keeps <c>drawn + held &lt;= limit</c>.
/// <para>
/// CI runs a fixed number of samples per method (<see cref="Samples"/>: about 5,000 calls, some ten
/// seconds). For a longer run set
/// <c>DECISIONING_FUZZ_SECONDS</c> (the whole budget, split evenly across methods and the two decoding layers), and
/// <c>DECISIONING_FUZZ_SEED</c> to replay the seed a failure printed.
/// </para>
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class FuzzTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const int MaxMessageBytes = 64 * 1024;

    /// <summary>Samples per method in a CI run: bytes, structured messages, oversized messages.</summary>
    private static readonly (int Bytes, int Structured, int Oversized) Samples = (100, 200, 5);

    /// <summary>The only enterprises the fuzzer names with an existing line: each has a draw and hold H4 to aim at.</summary>
    private static readonly string[] Pool = [TestEnterprises.Unique(), TestEnterprises.Unique(), TestEnterprises.Unique()];

    /// <summary>A line the fuzzer never names: it must read back unchanged.</summary>
    private static readonly string Bystander = TestEnterprises.Unique();

    private static readonly ServiceDescriptor[] Services = [CreditLineService.Descriptor, LineAdminService.Descriptor, DecisioningService.Descriptor];

    private static readonly Dictionary<string, MethodDescriptor> Methods = Services
        .SelectMany(s => s.Methods)
        .Where(m => !m.IsClientStreaming && !m.IsServerStreaming)
        .ToDictionary(m => m.FullName);

    private static readonly StatusCode[] Deliberate =
    [
        StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.AlreadyExists, StatusCode.FailedPrecondition,
        StatusCode.PermissionDenied, StatusCode.ResourceExhausted, StatusCode.Unauthenticated,
    ];

    /// <summary>A frame of a .NET stack trace: "at Namespace.Type.Method(" or "File.cs:line 12".</summary>
    private static readonly Regex StackFrame = new(@"\bat [\w.`<>\[\]]+\.[\w`<>]+\(|\.cs:line \d", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static readonly Marshaller<byte[]> PassThrough = Marshallers.Create(bytes => bytes, bytes => bytes);

    public static TheoryData<string> MethodNames => [.. Methods.Keys.Order()];

    public async Task InitializeAsync()
    {
        try
        {
            await fixture.Lines.GetLineAsync(new() { EnterpriseId = Bystander });
            return;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // First case of the run: set the lines up.
        }

        foreach (var id in Pool.Append(Bystander))
        {
            await fixture.Service.OpenLineByFourEyesAsync(new() { EnterpriseId = id, RequestId = "open", LimitMinor = 1_000_000, AnnualRateBps = 300, TermDays = 365, Product = Product.OperatingQuickLoan });
            await fixture.Lines.DrawAsync(new() { EnterpriseId = id, RequestId = "draw-setup", AmountMinor = 100_000 });
            await fixture.Lines.PlaceHoldAsync(new() { EnterpriseId = id, RequestId = "hold-setup", AmountMinor = 50_000, HoldTtlSeconds = 3600 });
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Every_unary_rpc_of_the_services_is_fuzzed() =>
        Assert.Equal(Services.Sum(s => s.Methods.Count), Methods.Count);

    [Theory]
    [InlineData("staff")]
    [InlineData("anonymous")]
    public async Task Bytes_that_are_not_the_request_message_are_invalid_argument_request_malformed(string caller)
    {
        // A truncated varint: grpc-dotnet alone answers UNKNOWN "Exception was thrown by handler." (it decodes before any interceptor).
        var draw = new Method<byte[], byte[]>(MethodType.Unary, "decisioning.v1.CreditLineService", "Draw", PassThrough, PassThrough);
        var channel = caller == "staff" ? fixture.Service.Channel : fixture.Service.Anonymous;

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(draw, null, default, [0x18, 0xFF]).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.Equal(("REQUEST_MALFORMED", "decisioning.v1"), (info?.Reason, info?.Domain));
        Assert.DoesNotContain("Exception", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_wrong_in_a_thousand_places_gets_an_answer_the_caller_can_read()
    {
        // 12 months of 100 counterparties without a name or an inflow: 2,400 errors, once trailers of some 400 KiB that broke the connection.
        var request = Applications.Sound(TestEnterprises.Unique(), "many-errors");
        foreach (var month in request.FundFlow.Months)
        {
            month.Counterparties.Clear();
            month.Counterparties.Add(Enumerable.Range(0, 100).Select(_ => new CounterpartyInflow { Name = "", InflowMinor = -1 }));
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Decisioning.AssessEnterpriseAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Null(error.Status.DebugException);
        Assert.Equal(20, error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Count);
        Assert.EndsWith("; and 2380 more", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public Task Arbitrary_bytes_as_the_request_get_a_deliberate_answer(string method) =>
        Fuzz(method, Samples.Bytes, Gen.OneOf(
            Gen.Byte.Array[0, 512],
            Mutated(Message(Methods[method].InputType, 0))));

    [Theory]
    [MemberData(nameof(MethodNames))]
    public Task Well_formed_messages_with_arbitrary_values_get_a_deliberate_answer(string method) =>
        Fuzz(method, Samples.Structured, Message(Methods[method].InputType, 0).Select(m => m.ToByteArray()));

    [Theory]
    [MemberData(nameof(MethodNames))]
    public Task Messages_over_the_size_limit_are_refused(string method) =>
        Fuzz(method, Samples.Oversized, Gen.Select(Message(Methods[method].InputType, 0), Gen.Int[MaxMessageBytes + 1, 4 * MaxMessageBytes], (m, size) =>
        {
            // An unknown field (number 9999, length-delimited) pads the message past the limit: the stack must refuse it undecoded.
            var padding = new byte[size];
            var output = new MemoryStream();
            var coded = new CodedOutputStream(output);
            m.WriteTo(coded);
            coded.WriteTag(9999, WireFormat.WireType.LengthDelimited);
            coded.WriteBytes(ByteString.CopyFrom(padding));
            coded.Flush();
            return output.ToArray();
        }), timed: false);

    /// <param name="timed">
    /// Whether DECISIONING_FUZZ_SECONDS stretches the layer. Not for oversized requests: sent back to back for
    /// seconds they meet Kestrel's HTTP/2 flood protection, which resets the streams and then the connection.
    /// </param>
    private async Task Fuzz(string methodName, int samples, Gen<byte[]> requests, bool timed = true)
    {
        var descriptor = Methods[methodName];
        var method = new Method<byte[], byte[]>(MethodType.Unary, descriptor.Service.FullName, descriptor.Name, PassThrough, PassThrough);
        var limited = fixture.Service.ChannelFor(TestTokens.Shared.Issue("fuzz-channel", TestTokens.AllScopes, [Pool[0]]));
        var bystander = await ReadLine(Bystander);

        // Mostly staff (to reach validation), sometimes no token or a channel serving one enterprise.
        var callers = Gen.Frequency((8, Gen.Const(fixture.Service.Channel)), (1, Gen.Const(fixture.Service.Anonymous)), (1, Gen.Const(limited)));
        var seed = Environment.GetEnvironmentVariable("DECISIONING_FUZZ_SEED");
        Func<(byte[], ChannelBase), string> print = t => $"{t.Item1.Length} bytes: {Convert.ToHexString(t.Item1.AsSpan(0, Math.Min(t.Item1.Length, 512)))}";
        var cases = Gen.Select(requests, callers);
        if (timed && Environment.GetEnvironmentVariable("DECISIONING_FUZZ_SECONDS") is { Length: > 0 } budget)
        {
            var seconds = Math.Max(1, int.Parse(budget, CultureInfo.InvariantCulture) / (Methods.Count * 2));
            await cases.SampleAsync((request, channel) => Call(channel, method, descriptor, request), seed: seed, time: seconds, print: print);
        }
        else
        {
            await cases.SampleAsync((request, channel) => Call(channel, method, descriptor, request), seed: seed, iter: samples, print: print);
        }

        var health = await new Health.HealthClient(fixture.Service.Anonymous).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(bystander, await ReadLine(Bystander));
        foreach (var id in Pool)
        {
            // A limit may be lowered below what is drawn; drawn + held <= limit holds at every draw and hold.
            var line = (await ReadLine(id)).Line;
            Assert.True(line.DrawnMinor >= 0 && line.HeldMinor == line.Holds.Sum(h => h.AmountMinor), $"{id}: {line}");
            Assert.Equal(Math.Max(0, line.LimitMinor - line.DrawnMinor - line.HeldMinor), line.AvailableMinor);
            var journal = await fixture.Lines.ListTransactionsAsync(new() { EnterpriseId = id, PageSize = 500 });
            Assert.All(
                journal.Transactions.Where(t => t.Type is TransactionType.Draw or TransactionType.HoldPlaced),
                t => Assert.True(t.DrawnAfterMinor + t.HeldAfterMinor <= t.LimitAfterMinor, $"{id}: {t}"));
        }
    }

    private static async Task Call(ChannelBase channel, Method<byte[], byte[]> method, MethodDescriptor descriptor, byte[] request)
    {
        try
        {
            var reply = await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60)), request);
            descriptor.OutputType.Parser.ParseFrom(reply);
        }
        catch (RpcException e)
        {
            var what = $"{descriptor.Name} answered {e.StatusCode} \"{e.Status.Detail}\"";
            if (request.Length > MaxMessageBytes && e.StatusCode == StatusCode.ResourceExhausted
                && e.Status.DebugException is { } failure && (failure as HttpProtocolException ?? failure.InnerException as HttpProtocolException) is { ErrorCode: 0xb })
            {
                // Kestrel's own flood protection: oversized requests sent back to back (the long run) get their
                // stream reset with ENHANCE_YOUR_CALM instead of the trailers; the client reads RESOURCE_EXHAUSTED.
                return;
            }

            Assert.True(e.Status.DebugException is null, $"{what}: the call failed in the client, the service's answer was lost: {e.Status.DebugException}");
            Assert.True(Deliberate.Contains(e.StatusCode), what);
            Assert.DoesNotContain("Exception", e.Status.Detail, StringComparison.Ordinal);
            Assert.DoesNotMatch(StackFrame, e.Status.Detail);
            if (request.Length > MaxMessageBytes)
            {
                Assert.True(e.StatusCode == StatusCode.ResourceExhausted, what);
                return;
            }

            var info = e.GetRpcStatus()?.GetDetail<ErrorInfo>();
            Assert.True(info is { Domain: "decisioning.v1", Reason.Length: > 0 }, what + " without ErrorInfo");
            Assert.True(ErrorReasons.All.Any(r => (r.Code, ErrorReasonCoverageTests.StatusOf(r)) == (info.Reason, e.StatusCode)), $"{what}: {info.Reason} is no reason of the catalogue with this status");
            if (!Decodes(descriptor.InputType, request))
            {
                Assert.True((e.StatusCode, info.Reason) == (StatusCode.InvalidArgument, ErrorReasons.RequestMalformed.Code), what + " for bytes that do not decode");
            }
        }
    }

    private static bool Decodes(MessageDescriptor type, byte[] bytes)
    {
        try
        {
            type.Parser.ParseFrom(bytes);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    private Task<GetLineResponse> ReadLine(string id) => fixture.Lines.GetLineAsync(new() { EnterpriseId = id }).ResponseAsync;

    /// <summary>An encoding of a message with bytes overwritten, cut short or appended.</summary>
    private static Gen<byte[]> Mutated(Gen<IMessage> messages) =>
        Gen.Select(messages, Gen.Select(Gen.Int[0, 4096], Gen.Byte).Array[1, 8], Gen.Int[0, 3], Gen.Byte.Array[0, 16], (m, edits, cut, tail) =>
        {
            var bytes = m.ToByteArray().ToList();
            foreach (var (at, value) in edits.Where(_ => bytes.Count > 0))
            {
                bytes[at % bytes.Count] = value;
            }

            bytes.RemoveRange(Math.Max(0, bytes.Count - cut), Math.Min(cut, bytes.Count));
            return bytes.Concat(tail).ToArray();
        });

    /// <summary>A message of the type with every field set or left out at random, nested messages down to a depth of three.</summary>
    private static Gen<IMessage> Message(MessageDescriptor type, int depth)
    {
        var setters = type.Fields.InDeclarationOrder()
            .Where(f => !f.IsMap && (f.FieldType != FieldType.Message || depth < 3))
            .Select(f => Gen.Frequency((1, Gen.Const<Action<IMessage>>(_ => { })), (3, Setter(f, depth))))
            .Aggregate(Gen.Const(Enumerable.Empty<Action<IMessage>>()), (all, next) => Gen.Select(all, next, (a, n) => a.Append(n)));
        return setters.Select(all =>
        {
            var message = type.Parser.ParseFrom(ByteString.Empty);
            foreach (var set in all)
            {
                set(message);
            }

            return message;
        });
    }

    private static Gen<Action<IMessage>> Setter(FieldDescriptor field, int depth)
    {
        var values = Value(field, depth);
        if (field.IsRepeated)
        {
            return values.Array[0, 14].Select<object[], Action<IMessage>>(items => m =>
            {
                var list = (IList)field.Accessor.GetValue(m);
                foreach (var item in items)
                {
                    list.Add(item);
                }
            });
        }

        return values.Select<object, Action<IMessage>>(value => m => field.Accessor.SetValue(m, value));
    }

    private static Gen<object> Value(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => Text.Select(s => (object)s),
        FieldType.Bytes => Gen.Byte.Array[0, 64].Select(b => (object)ByteString.CopyFrom(b)),
        FieldType.Bool => Gen.Bool.Select(b => (object)b),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Int64.Select(n => (object)n),
        FieldType.UInt64 or FieldType.Fixed64 => Int64.Select(n => (object)unchecked((ulong)n)),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Int32.Select(n => (object)n),
        FieldType.UInt32 or FieldType.Fixed32 => Int32.Select(n => (object)unchecked((uint)n)),
        FieldType.Double => Gen.Double.Select(d => (object)d),
        FieldType.Float => Gen.Float.Select(f => (object)f),
        FieldType.Enum => Gen.OneOf(Gen.OneOf(field.EnumType.Values.Select(v => v.Number).ToArray()), Int32)
            .Select(n => Enum.ToObject(field.EnumType.ClrType, n)),
        FieldType.Message => Message(field.MessageType, depth + 1).Select(m => (object)m),
        _ => throw new NotSupportedException(field.FieldType.ToString()),
    };

    private static readonly Gen<long> Int64 = Gen.OneOf(
        Gen.Long,
        Gen.OneOf(long.MinValue, long.MinValue + 1, -1L, 0L, 1L, 100_000_000_000L, 100_000_000_001L, long.MaxValue - 1, long.MaxValue),
        Gen.Long[0, 2_000_000]);

    private static readonly Gen<int> Int32 = Gen.OneOf(
        Gen.Int,
        Gen.OneOf(int.MinValue, -1, 0, 1, 3, 12, 365, 3600, 10_000, 10_001, int.MaxValue),
        Gen.Int[0, 100_000]);

    /// <summary>Strings a caller could send: empty, any UTF-16 (lone surrogates too), huge, and ones that look right (the pool's lines, holds, dates, ids).</summary>
    private static readonly Gen<string> Text = Gen.Frequency(
        (2, Gen.Const("")),
        (3, Gen.String),
        (3, Gen.Char.Array[0, 40].Select(c => new string(c))),
        (1, Gen.Select(Gen.Int[200, 20_000], Gen.Char, (n, c) => new string(c, n))),
        (20, Gen.OneOf(Pool)),
        (1, Gen.OneOf(Pool).Select(id => id.ToLowerInvariant())),
        (1, Gen.OneOf(Pool).Select(id => id[..17])),
        (2, Gen.Int[0, 5].Select(n => "H" + n)),
        (2, Gen.Select(Gen.Int[1990, 2100], Gen.Int[0, 13], Gen.Int[0, 32], (y, m, d) => $"{y:D4}-{m:D2}-{d:D2}")),
        (2, Gen.Select(Gen.Int[2020, 2030], Gen.Int[0, 13], (y, m) => $"{y:D4}-{m:D2}")),
        (1, Gen.Char["0123456789abcdef"].Array[24].Select(c => "D-" + new string(c))),
        (10, Gen.Int[0, 50].Select(n => "fuzz-" + n)),
        (1, Gen.Const("draw-setup")));
}
