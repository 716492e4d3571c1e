using System.CommandLine;
using System.CommandLine.Parsing;
using Decisioning.Cli.Input;
using Decisioning.Cli.Output;
using Grpc.Core;
using Spectre.Console;

namespace Decisioning.Cli;

/// <summary>
/// What every command shares: the options that reach every command (--target, --token, --json),
/// where output goes, the environment the defaults come from, and the run of a command's body
/// with the failures turned into messages on stderr and exit codes.
/// </summary>
internal sealed class Cli
{
    public const string TargetVariable = "DECISIONING_TARGET";
    public const string TokenVariable = "DECISIONING_TOKEN";

    /// <summary>Where ./run.sh serves (h2c on loopback).</summary>
    public static readonly Uri DefaultTarget = new("http://127.0.0.1:5080");

    private readonly bool _terminal;
    private readonly Func<string, string?> _environment;

    public Cli(TextWriter output, TextWriter error, TextReader input, Func<string, string?> environment, bool terminal)
    {
        (Output, Error, Input, _terminal) = (output, error, input, terminal);
        _environment = environment;
        Target = new Option<Uri?>("--target")
        {
            Description = $"The service: http://host:port (h2c, this machine only) or https://host:port (TLS). Default: ${TargetVariable}, else {DefaultTarget} (./run.sh).",
            HelpName = "url",
            Recursive = true,
            CustomParser = r => ParseTarget(r.Tokens[0].Value, out var problem) ?? Refuse(r, problem),
        };

        // No DefaultValueFactory from the environment: help prints defaults, and the token is a secret.
        Token = new Option<string?>("--token")
        {
            Description = $"The caller's bearer token (JWT). Default: ${TokenVariable}. scripts/dev-token.sh makes one for ./run.sh.",
            HelpName = "jwt",
            Recursive = true,
        };
        Json = new Option<bool>("--json")
        {
            Description = "Print the reply as proto JSON (every field, defaults included) instead of tables.",
            Recursive = true,
        };
    }

    public Option<Uri?> Target { get; }

    public Option<string?> Token { get; }

    public Option<bool> Json { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>What "-" reads as a request file.</summary>
    public TextReader Input { get; }

    /// <summary>Runs <paramref name="body"/> with a session; refusals and failures become stderr and the exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<Session, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var target = parse.GetValue(Target);
        if (target is null && _environment(TargetVariable) is { Length: > 0 } fromEnvironment)
        {
            target = ParseTarget(fromEnvironment, out var problem);
            if (target is null)
            {
                await Error.WriteLineAsync($"decisioning: {TargetVariable}: {problem}");
                return ExitCodes.InvalidArguments;
            }
        }

        if ((parse.GetValue(Token) ?? _environment(TokenVariable))?.Trim() is not { Length: > 0 } token)
        {
            await Error.WriteLineAsync($"decisioning: no bearer token: pass --token or set {TokenVariable} (scripts/dev-token.sh makes one for ./run.sh)");
            return ExitCodes.AuthRefused;
        }

        target ??= DefaultTarget;
        using var session = new Session(target, token, parse.GetValue(Json), Output, Error, Input, CreateConsole());
        try
        {
            return await body(session, cancellationToken);
        }
        catch (RpcException failure)
        {
            return Failures.Report(failure, Error, target, session.RequestId);
        }
        catch (InputException problem)
        {
            await Error.WriteLineAsync("decisioning: " + problem.Message);
            return ExitCodes.InvalidArguments;
        }
    }

    /// <summary>Colours and the terminal's width on a terminal; plain text, wide enough for the journal, anywhere else.</summary>
    private IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Output),
            Ansi = _terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = _terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!_terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    /// <summary>
    /// An http or https URL of scheme, host and port. http (h2c) only to this machine: the token
    /// would cross a network in the clear (the service, likewise, serves h2c on loopback only).
    /// </summary>
    private static Uri? ParseTarget(string text, out string problem)
    {
        problem = "";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0 || uri.AbsolutePath != "/")
        {
            problem = $"'{text}' is not a target: use http://host:port (h2c) or https://host:port (TLS)";
            return null;
        }

        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            problem = $"'{text}' would send the token in the clear: use https beyond this machine (http only to loopback)";
            return null;
        }

        return uri;
    }

    private static Uri? Refuse(ArgumentResult result, string problem)
    {
        result.AddError(problem);
        return null;
    }
}
