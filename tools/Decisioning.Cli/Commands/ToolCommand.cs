using System.CommandLine;
using System.CommandLine.Parsing;
using Decisioning.Cli.Input;
using Decisioning.Cli.Output;

namespace Decisioning.Cli.Commands;

/// <summary>
/// One command of the tool: its name, arguments and options (<see cref="Define"/>), and what it
/// does with a session (<see cref="RunAsync"/>). A new command is one such class and one line in
/// <see cref="CommandCatalogue"/>.
/// </summary>
internal abstract class ToolCommand
{
    public Command Build(Cli cli)
    {
        var command = Define();
        command.SetAction((parse, cancellationToken) => cli.RunAsync(parse, (session, token) => RunAsync(session, parse, token), cancellationToken));
        return command;
    }

    protected abstract Command Define();

    protected abstract Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken);

    protected static Argument<string> EnterpriseId() => new("enterprise-id")
    {
        Description = "The enterprise's unified social credit code (18 characters).",
    };

    /// <summary>An amount in yuan, sent as fen.</summary>
    protected static Argument<long> Amount(string description) => new("amount")
    {
        Description = description + " In CNY (yuan, at most two decimals), e.g. 1200000 or 1,200,000.50.",
        CustomParser = r => Parse(r, Amounts.ParseCny),
    };

    protected static Option<string?> RequestId() => new("--request-id")
    {
        Description = "The request's idempotency key (1-64 of A-Z a-z 0-9 - _ . :). Default: a new one, printed; pass the printed id again to retry.",
        HelpName = "id",
    };

    protected static Option<string> Reason(string description) => new("--reason")
    {
        Description = description,
        HelpName = "text",
        DefaultValueFactory = _ => "",
    };

    protected static Option<T> EnumOption<T>(string name, string description)
        where T : struct, System.Enum => new(name)
        {
            Description = $"{description} One of: {Display.Choices<T>()}.",
            HelpName = "name",
            Required = true,
            CustomParser = r => Parse(r, text => Display.TryParse<T>(text, out var value)
                ? value
                : throw new FormatException($"{name}: '{text}' is not one of {Display.Choices<T>()}")),
        };

    protected static T Parse<T>(ArgumentResult result, Func<string, T> parse)
    {
        try
        {
            return parse(result.Tokens[0].Value);
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return default!;
        }
    }
}
