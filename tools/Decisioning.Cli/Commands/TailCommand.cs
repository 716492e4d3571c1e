using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Decisioning.Cli.Input;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Grpc.Core;

namespace Decisioning.Cli.Commands;

/// <summary>
/// decisioning events tail: EventService/Subscribe, one line per event, until Ctrl-C (exit 0) or
/// --count events. A subscription the service ends (UNAVAILABLE when it stops) or a connection
/// that breaks is subscribed again from the last cursor by itself, after a backoff that doubles up
/// to <see cref="MaxBackoff"/>, at most <see cref="MaxAttempts"/> times in a row without an
/// event. A subscription's first message carries only the position it starts at: the tail keeps
/// it (and prints nothing), so a tail from now cut off before any event goes on from there. The
/// last cursor goes to stderr on exit (when it is not the one the tail was given), and to
/// --cursor-file after every message.
/// </summary>
internal sealed class TailCommand : ToolCommand
{
    /// <summary>The longest wait before subscribing again; a subscription that lasted this long counts as having worked.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Failed subscriptions in a row (no event, each shorter than <see cref="MaxBackoff"/>) before the tail gives up: about 1.5 minutes.</summary>
    public const int MaxAttempts = 12;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);

    private readonly Option<string?> _cursor = new("--cursor")
    {
        Description = "Go on after this cursor: one that a previous tail printed on exit (or any SubscribeResponse.cursor).",
        HelpName = "cursor",
    };

    private readonly Option<bool> _fromOldest = new("--from-oldest")
    {
        Description = "Start with the oldest event the service keeps instead of now (with --cursor-file: when the file holds no cursor yet).",
    };

    private readonly Option<string[]> _enterprises = new("--enterprise")
    {
        Description = "Only this enterprise's events (repeat for several, at most 1,000). Required for a token that does not serve every enterprise.",
        HelpName = "id",
        DefaultValueFactory = _ => [],
    };

    private readonly Option<int?> _count = new("--count")
    {
        Description = "Stop after this many events (exit 0).",
        HelpName = "n",
        CustomParser = r => Parse<int?>(r, text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"--count: '{text}' is not a positive number of events")),
    };

    private readonly Option<FileInfo?> _cursorFile = new("--cursor-file")
    {
        Description = "Start after the cursor this file holds (if it exists and is not empty), and write the cursor to it after every event: a script that runs the tail again goes on where it stopped.",
        HelpName = "file",
    };

    protected override Command Define()
    {
        var command = new Command("tail", "Print the event stream live, one line per journal entry of every line (or of --enterprise), until Ctrl-C or --count.")
        {
            _cursor, _fromOldest, _enterprises, _count, _cursorFile,
        };
        command.Validators.Add(result =>
        {
            var cursor = result.GetValue(_cursor) is { Length: > 0 };
            if (cursor && result.GetValue(_fromOldest))
            {
                result.AddError("--cursor and --from-oldest: choose one (a cursor says where to start)");
            }

            if (cursor && result.GetValue(_cursorFile) is not null)
            {
                result.AddError("--cursor and --cursor-file: choose one (the file holds the cursor to start after)");
            }
        });
        return command;
    }

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(_cursorFile);
        var cursor = (file is null ? parse.GetValue(_cursor) : await ReadCursorAsync(file, cancellationToken))?.Trim() ?? "";
        var given = cursor;
        var fromOldest = parse.GetValue(_fromOldest);
        var count = parse.GetValue(_count);
        var client = new EventService.EventServiceClient(session.Invoker);
        var (received, failures) = (0L, 0);
        try
        {
            while (true)
            {
                var request = new SubscribeRequest { Cursor = cursor, FromOldest = cursor.Length == 0 && fromOldest, EnterpriseIds = { parse.GetValue(_enterprises)! } };
                var started = Stopwatch.GetTimestamp();
                RpcException broken;
                try
                {
                    using var call = client.Subscribe(request, session.Call(cancellationToken, Timeout.InfiniteTimeSpan));
                    while (await call.ResponseStream.MoveNext(cancellationToken))
                    {
                        var response = call.ResponseStream.Current;
                        cursor = response.Cursor;
                        if (response.Event is not null)
                        {
                            session.AnswerLine(response, Views.Event(response.Event));
                        }

                        if (file is not null)
                        {
                            await WriteCursorAsync(file, cursor);
                        }

                        if (response.Event is null)
                        {
                            // Only a position: where the subscription starts.
                            continue;
                        }

                        failures = 0;
                        if (++received == count)
                        {
                            return ExitCodes.Success;
                        }
                    }

                    broken = new RpcException(new Status(StatusCode.Unavailable, "the service ended the subscription"));
                }
                catch (RpcException e) when (!cancellationToken.IsCancellationRequested && Resumable(e))
                {
                    broken = e;
                }

                // A subscription that lasted, though it delivered nothing, worked: the next failure is a new one.
                failures = Stopwatch.GetElapsedTime(started) >= MaxBackoff ? 1 : failures + 1;
                if (failures > MaxAttempts)
                {
                    await session.Error.WriteLineAsync($"decisioning: the event stream failed {MaxAttempts} times in a row; giving up");
                    throw broken;
                }

                var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(failures - 1, 16)));
                var from = cursor.Length > 0 ? "its last cursor" : fromOldest ? "the oldest event (no position received yet)" : "now (no position received yet, so events in between are not seen)";
                await session.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"decisioning: the event stream broke ({Failures.Name(broken.StatusCode)}: {broken.Status.Detail}); subscribing again from {from} in {backoff.TotalSeconds:0.#} s (attempt {failures} of {MaxAttempts})"));
                await Task.Delay(backoff, cancellationToken);
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ctrl-C: the end a person asks for.
            return ExitCodes.Success;
        }
        finally
        {
            // The cursor to go on from, unless it is the one the tail was given.
            if (cursor.Length > 0 && cursor != given)
            {
                await session.Error.WriteLineAsync($"decisioning: last cursor: {cursor} (go on after it: decisioning events tail --cursor {cursor})");
            }
        }
    }

    /// <summary>What ends a subscription without ending the tail: the service stopping or unreachable (UNAVAILABLE), or a connection that broke mid-stream.</summary>
    private static bool Resumable(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable
        || (e.StatusCode is StatusCode.Internal or StatusCode.Unknown && e.Status.DebugException is IOException or HttpRequestException);

    private static async Task<string?> ReadCursorAsync(FileInfo file, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--cursor-file: {e.Message}");
        }
    }

    /// <summary>Replaces the file whole (a new file moved over it): a tail killed mid-write leaves the previous cursor, never half of one.</summary>
    private static async Task WriteCursorAsync(FileInfo file, string cursor)
    {
        var next = file.FullName + ".next";
        await File.WriteAllTextAsync(next, cursor + "\n", CancellationToken.None);
        File.Move(next, file.FullName, overwrite: true);
    }
}
