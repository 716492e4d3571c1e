using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Decisioning.GrpcHost.Hosting;

/// <summary>
/// The console log, one line an entry: time, level, category, message. A warning is an expected
/// condition (a silo or Redis away, a connection retried, a deadline passed): its exception shows
/// as its type and message only, so that a failure repeated per call or per retry is one line each,
/// never a stack trace each, whoever logs it (this service, Orleans, StackExchange.Redis). An error
/// is unexpected: its stack trace follows on the next lines. A line written while serving a call ends
/// with the call's trace id (<c>[trace …]</c>), the one its error reply names (google.rpc.RequestInfo).
/// </summary>
internal sealed class LogLineFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "decisioning";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var settings = options.CurrentValue;
        if (settings.TimestampFormat is { } format)
        {
            var now = settings.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            textWriter.Write(now.ToString(format, System.Globalization.CultureInfo.InvariantCulture));
        }

        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write(' ');
        textWriter.Write(message.ReplaceLineEndings(" "));
        if (System.Diagnostics.Activity.Current is { } activity)
        {
            textWriter.Write(" [trace ");
            textWriter.Write(activity.TraceId.ToHexString());
            textWriter.Write(']');
        }

        switch (logEntry.Exception)
        {
            case null:
                textWriter.WriteLine();
                break;
            case var ex when logEntry.LogLevel < LogLevel.Error:
                textWriter.WriteLine($" ({ex.GetType().Name}: {ex.Message})".ReplaceLineEndings(" "));
                break;
            case var ex:
                textWriter.WriteLine();
                textWriter.WriteLine(ex.ToString());
                break;
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
