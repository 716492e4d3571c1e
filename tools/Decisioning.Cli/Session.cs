using Decisioning.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace Decisioning.Cli;

/// <summary>
/// One invocation's connection and output: the three services' clients on one channel, the
/// caller's token on every call, and the two ways to answer (tables for people, proto JSON for
/// scripts). A request id the tool generated is remembered so that an unknown outcome can say
/// which id to retry with.
/// </summary>
internal sealed class Session : IDisposable
{
    /// <summary>Long enough for an assessment with its counterfactuals on a busy machine; a call past it has an unknown outcome.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());
    private static readonly JsonFormatter LineFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private readonly GrpcChannel _channel;
    private readonly Metadata _headers;
    private readonly TextWriter _output;

    public Session(Uri target, string token, bool json, TextWriter output, TextWriter error, TextReader input, IAnsiConsole console)
    {
        _channel = GrpcChannel.ForAddress(target, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) },
            DisposeHttpClient = true,
        });
        _headers = new Metadata { { "authorization", "Bearer " + token } };
        _output = output;
        Error = error;
        Input = input;
        Json = json;
        Console = console;
        Invoker = _channel.CreateCallInvoker();
        Lines = new CreditLineService.CreditLineServiceClient(Invoker);
        Admin = new LineAdminService.LineAdminServiceClient(Invoker);
        Decisioning = new DecisioningService.DecisioningServiceClient(Invoker);
        Consents = new ConsentService.ConsentServiceClient(Invoker);
        Review = new ReviewService.ReviewServiceClient(Invoker);
    }

    /// <summary>The channel's calls: a command of another service makes its client from it.</summary>
    public CallInvoker Invoker { get; }

    public CreditLineService.CreditLineServiceClient Lines { get; }

    public LineAdminService.LineAdminServiceClient Admin { get; }

    public DecisioningService.DecisioningServiceClient Decisioning { get; }

    public ConsentService.ConsentServiceClient Consents { get; }

    public ReviewService.ReviewServiceClient Review { get; }

    /// <summary>--json: the reply as proto JSON on stdout, nothing else.</summary>
    public bool Json { get; }

    /// <summary>stderr: what a long-lived command says about itself beside its replies (a resubscription, the last cursor).</summary>
    public TextWriter Error { get; }

    /// <summary>What a request file named "-" is read from.</summary>
    public TextReader Input { get; }

    /// <summary>Tables and text for people.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>The request id of this invocation's change, once one is chosen.</summary>
    public string? RequestId { get; private set; }

    /// <summary>The token and <see cref="Deadline"/>; a streaming call that lives until Ctrl-C passes <paramref name="deadline"/> as <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public CallOptions Call(CancellationToken cancellationToken, TimeSpan? deadline = null) =>
        new(
            headers: _headers,
            deadline: (deadline ?? Deadline) == Timeout.InfiniteTimeSpan ? null : DateTime.UtcNow + (deadline ?? Deadline),
            cancellationToken: cancellationToken);

    /// <summary>The given request id, or a fresh one: a retry is a retry only with the id of the first try.</summary>
    public string UseRequestId(string? given)
    {
        RequestId = string.IsNullOrWhiteSpace(given) ? "cli-" + Guid.NewGuid().ToString("N") : given.Trim();
        return RequestId;
    }

    /// <summary>Writes <paramref name="reply"/> as proto JSON (every field, defaults included) when --json, or calls <paramref name="forPeople"/>.</summary>
    public void Answer(IMessage reply, Action forPeople)
    {
        if (Json)
        {
            _output.WriteLine(Formatter.Format(reply));
        }
        else
        {
            forPeople();
        }
    }

    /// <summary>One of a stream of replies as one line: proto JSON on one line when --json (JSON Lines), else <paramref name="forPeople"/>.</summary>
    public void AnswerLine(IMessage reply, string forPeople)
    {
        _output.WriteLine(Json ? LineFormatter.Format(reply) : forPeople);
        _output.Flush();
    }

    /// <summary>Several replies as one JSON object of named members (show: the line and its journal page).</summary>
    public void Answer(IReadOnlyList<(string Name, IMessage Reply)> replies, Action forPeople)
    {
        if (Json)
        {
            var members = replies.Select(r => $"  \"{r.Name}\": {Formatter.Format(r.Reply).Replace("\n", "\n  ", StringComparison.Ordinal)}");
            _output.WriteLine("{\n" + string.Join(",\n", members) + "\n}");
        }
        else
        {
            forPeople();
        }
    }

    public void Dispose() => _channel.Dispose();
}
