using System.Diagnostics;
using System.Text;

namespace Decisioning.Testing;

/// <summary>One of the solution's programs, built in the tests' configuration, run as a child process.</summary>
internal sealed class DotnetProcess(string folder, string project, IReadOnlyDictionary<string, string> environment)
{
    private readonly StringBuilder _output = new();
    private Process? _process;
    private bool _killed;

    public bool HasExited => _process?.HasExited ?? true;

    public int ExitCode => _process?.ExitCode ?? 0;

    public int Pid => _process?.Id ?? throw new InvalidOperationException("the process is not running");

    /// <summary>Whether the process has ended on its own (a crash, a refusal to start), not by <see cref="KillAsync"/>.</summary>
    public bool EndedByItself => _process is { HasExited: true } && !_killed;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AssemblyPath() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Neither the program's folder nor the tests' (which holds copies of the programs'
            // appsettings.json): a program must find its settings beside its binary, as an operator's would.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _killed = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process!.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL, as a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            _killed = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string AssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Decisioning.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("cannot find Decisioning.sln above " + AppContext.BaseDirectory);
        }

        var path = Path.Combine(root.FullName, folder, project, "bin", configuration, framework, project + ".dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first");
    }
}
