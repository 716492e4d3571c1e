using System.CommandLine;

namespace Decisioning.PlainScript;

/// <summary>decisioning-plain: parse the command line, serve until stopped.</summary>
public static class PlainScriptProgram
{
    public static async Task<int> Main(string[] args)
    {
        var commandLine = new PlainCommandLine();
        commandLine.Root.SetAction(async (parse, _) =>
        {
            await using var app = PlainServer.Create(commandLine.Settings(parse));
            await app.RunAsync();
            return 0;
        });
        // The host stops itself on SIGTERM and Ctrl-C.
        return await commandLine.Root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
