namespace Decisioning.Cli.Tests;

/// <summary>The README says what the tool does: its table of exit codes is <see cref="ExitCodes.All"/>.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void The_README_table_of_exit_codes_is_the_tools()
    {
        var expected = ExitCodes.All.Select(e => $"| {e.Code} | {e.Meaning} |");

        var lines = File.ReadAllLines(Path.Combine(ApplicationFiles.RepositoryRoot(), "README.md"));
        var at = Array.IndexOf(lines, "| exit | meaning |");

        Assert.True(at >= 0, "README.md has no table headed | exit | meaning |");
        Assert.Equal(expected, lines.Skip(at + 2).TakeWhile(l => l.StartsWith('|')));
    }
}
