using System.CommandLine;

namespace Decisioning.LoadTest;

/// <summary>
/// The program as a library: parse the arguments, run, return the exit code. Tests call it in
/// process with their own writer; Program.Main calls it with the console.
/// </summary>
public static class LoadTestRunner
{
    /// <summary>Runs decisioning-load with <paramref name="args"/>; see <see cref="ExitCodes"/>.</summary>
    /// <param name="output">Where the summary goes; the console when null (then Ctrl-C ends the window early).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        var console = output is null;
        var writer = output ?? Console.Out;
        var error = output ?? Console.Error;
        var commandLine = new CommandLine();
        var parse = commandLine.Root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync("decisioning-load: " + problem.Message);
            }

            await error.WriteLineAsync("Run decisioning-load --help for the options.");
            return ExitCodes.InvalidArguments;
        }

        commandLine.Root.SetAction(async (result, interrupt) =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(interrupt, cancellationToken);
            var settings = commandLine.Settings(result);
            var interactive = console && !Console.IsOutputRedirected;
            return await new LoadTestRun(settings, writer, error, interactive).RunAsync(linked.Token);
        });

        return await parse.InvokeAsync(
            new InvocationConfiguration
            {
                Output = writer,
                Error = error,
                // Ctrl-C ends the window early; the drain, the ledger check and the report still run within this.
                ProcessTerminationTimeout = console ? TimeSpan.FromMinutes(2) : null,
            },
            CancellationToken.None);
    }
}
