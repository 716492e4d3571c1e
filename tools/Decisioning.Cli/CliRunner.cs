using System.CommandLine;
using Decisioning.Cli.Commands;

namespace Decisioning.Cli;

/// <summary>
/// The program as a library: parse the arguments, run the command, return the exit code. Tests
/// call it in process with their own writers and environment; Program calls it with the console's.
/// </summary>
public static class CliRunner
{
    /// <summary>Runs decisioning with <paramref name="args"/>; see <see cref="ExitCodes"/>.</summary>
    /// <param name="output">Where replies go (stdout when null).</param>
    /// <param name="error">Where refusals and failures go (stderr when null).</param>
    /// <param name="environment">Where DECISIONING_TARGET and DECISIONING_TOKEN are read (the process environment when null).</param>
    /// <param name="input">What a request file named "-" reads (stdin when null).</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter? output = null,
        TextWriter? error = null,
        Func<string, string?>? environment = null,
        TextReader? input = null,
        CancellationToken cancellationToken = default)
    {
        var terminal = output is null && !Console.IsOutputRedirected;
        var cli = new Cli(output ?? Console.Out, error ?? Console.Error, input ?? Console.In, environment ?? Environment.GetEnvironmentVariable, terminal);
        var root = new RootCommand(
            "The command line of Decisioning for credit staff: lines and their journals, draws, repayments, holds, " +
            "freezes, four-eyes approvals, assessments, referrals, renewals, risk signals and the event stream, over gRPC.\n" +
            "Amounts are CNY (yuan); replies are tables, or proto JSON with --json.\n\n" + ExitCodes.HelpText)
        {
            cli.Target, cli.Token, cli.Json,
        };
        foreach (var command in CommandCatalogue.All(cli))
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await cli.Error.WriteLineAsync("decisioning: " + problem.Message);
            }

            await cli.Error.WriteLineAsync("Run decisioning --help (or decisioning <command> --help) for the arguments.");
            return ExitCodes.InvalidArguments;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = cli.Output, Error = cli.Error }, cancellationToken);
        }
        catch (Exception unexpected) when (unexpected is not OperationCanceledException)
        {
            await cli.Error.WriteLineAsync("decisioning: unexpected error: " + unexpected);
            return ExitCodes.UnexpectedError;
        }
    }
}
