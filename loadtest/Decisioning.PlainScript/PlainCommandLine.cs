using System.CommandLine;
using System.CommandLine.Parsing;

namespace Decisioning.PlainScript;

/// <summary>The command line of decisioning-plain: every option, its default and its bounds.</summary>
internal sealed class PlainCommandLine
{
    private readonly Option<int> _port = new("--port", "-p")
    {
        Description = "The h2c port on 127.0.0.1.",
        HelpName = "port",
        Required = true,
    };

    private readonly Option<string> _redis = new("--redis")
    {
        Description = "The Redis to keep lines in, as a StackExchange.Redis configuration string (127.0.0.1:6379). It must run with AOF appendfsync always and noeviction.",
        HelpName = "configuration",
        Required = true,
    };

    private readonly Option<bool> _journal = new("--journal")
    {
        Description = "Append a journal entry to the enterprise's stream in every Draw's script. --journal false: the same script without it. Default: true.",
        HelpName = "true|false",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => true,
    };

    public PlainCommandLine()
    {
        _port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 65535)
            {
                r.AddError("--port must be from 1 to 65535");
            }
        });
        Root = new RootCommand(
            "The plain alternative to Decisioning that ./bench.sh measures it against: a stateless gRPC server of the contract's " +
            "CheckLimit, Draw, GetLine, ListTransactions, OpenLine and ApproveProposal, each Draw one Lua script in Redis. " +
            "Tokens as the service accepts them (Decisioning:Auth, e.g. Decisioning__Auth__DevelopmentKeyFile).")
        {
            _port, _redis, _journal,
        };
    }

    public RootCommand Root { get; }

    public PlainSettings Settings(ParseResult parse) => new()
    {
        Port = parse.GetValue(_port),
        Redis = parse.GetValue(_redis)!,
        Journal = parse.GetValue(_journal),
    };
}
