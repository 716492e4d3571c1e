using System.Text;

namespace Decisioning.Cli.Tests;

/// <summary>Output that a test can wait on while the tool still writes it (a tail runs until stopped).</summary>
public sealed class WatchedWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource Met)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The lines written so far (complete ones).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_text)
            {
                var text = _text.ToString();
                return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    /// <summary>Completes once the text written satisfies <paramref name="condition"/>.</summary>
    public Task WhenAsync(Func<string, bool> condition)
    {
        lock (_text)
        {
            if (condition(_text.ToString()))
            {
                return Task.CompletedTask;
            }

            var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, met));
            return met.Task;
        }
    }

    /// <summary>Completes once <paramref name="count"/> complete lines are written.</summary>
    public Task LinesAsync(int count) => WhenAsync(t => t.Count(c => c == '\n') >= count);

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
            var text = _text.ToString();
            foreach (var waiter in _waiters.Where(w => w.Condition(text)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Met.SetResult();
            }
        }
    }

    public override void WriteLine(string? value) => Write(value + "\n");

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
