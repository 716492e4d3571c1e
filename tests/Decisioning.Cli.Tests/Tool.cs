using System.Text.Json;
using Decisioning.Contracts.V1;
using Decisioning.Testing;
using Google.Protobuf;
using Xunit.Abstractions;

namespace Decisioning.Cli.Tests;

/// <summary>What one run of the tool did: its exit code, stdout and stderr.</summary>
internal sealed record ToolRun(int Exit, string Output, string Error)
{
    /// <summary>stdout as the reply it printed with --json.</summary>
    public T Reply<T>()
        where T : IMessage<T>, new() => JsonParser.Default.Parse<T>(Output);

    /// <summary>One member of a JSON object of replies (show prints "line" and "journal").</summary>
    public T Member<T>(string name)
        where T : IMessage<T>, new()
    {
        using var document = JsonDocument.Parse(Output);
        return JsonParser.Default.Parse<T>(document.RootElement.GetProperty(name).GetRawText());
    }

    public override string ToString() => $"exit {Exit}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>
/// The tool run in process through its entry point, as a person runs it: the target and the token
/// from the environment it is given (DECISIONING_TARGET, DECISIONING_TOKEN), output captured.
/// </summary>
internal sealed class Tool(ServiceProcess service, ITestOutputHelper log, string? token)
{
    /// <summary>Bank staff (every scope, every enterprise): officer Li of the README.</summary>
    public static Tool Staff(ServiceProcess service, ITestOutputHelper log) => new(service, log, TestTokens.Shared.Staff);

    public Task<ToolRun> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>A run whose standard input holds <paramref name="input"/> (a request file named "-").</summary>
    public async Task<ToolRun> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var exit = await CliRunner.RunAsync(args, output, error, Environment, reader);
        return Logged(args, new ToolRun(exit, output.ToString(), error.ToString()));
    }

    /// <summary>
    /// A run the test watches while it goes on (a tail): its stdout and stderr are <paramref name="output"/>
    /// and <paramref name="error"/>; cancelling <paramref name="stop"/> is Ctrl-C.
    /// </summary>
    public async Task<ToolRun> RunWatchedAsync(WatchedWriter output, WatchedWriter error, CancellationToken stop, params string[] args)
    {
        var exit = await CliRunner.RunAsync(args, output, error, Environment, TextReader.Null, stop);
        return Logged(args, new ToolRun(exit, output.ToString(), error.ToString()));
    }

    /// <summary>A new enterprise's operating quick loan line of <paramref name="limit"/> CNY, proposed with this tool's token and approved by officer Wang (journal entries 1 and 2).</summary>
    public async Task<string> OpenApprovedLineAsync(string limit)
    {
        var id = TestEnterprises.Unique();
        var proposal = (await RunAsync("open", id, "--limit", limit, "--rate-bps", "300", "--term-days", "30", "--product", "operating-quick-loan", "--json")).Reply<OpenLineResponse>().Proposal;
        Assert.Equal(ExitCodes.Success, (await new Tool(service, log, TestTokens.Shared.Approver).RunAsync("approve", id, proposal.ProposalId)).Exit);
        return id;
    }

    private ToolRun Logged(string[] args, ToolRun run)
    {
        log.WriteLine($"$ decisioning {string.Join(' ', args.Select(a => a.Length > 40 ? a[..12] + "…" : a))}\n{run}");
        return run;
    }

    private string? Environment(string name) => name switch
    {
        Cli.TargetVariable => service.Address,
        Cli.TokenVariable => token,
        _ => null,
    };
}
