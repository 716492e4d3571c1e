using System.Collections.Concurrent;

namespace Decisioning.GrpcHost.Errors;

/// <summary>
/// Warnings about failures that come in bursts (a silo lost, Redis away, callers' deadlines passing):
/// the first of each kind is logged at once, later ones of the same kind at most once a window, saying
/// how many were left out since the last. A silo lost under load is then a few lines, not one per call.
/// </summary>
internal sealed class RepeatedWarnings(ILogger logger, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string Method, string Kind), Seen> _seen = new();

    /// <param name="kind">What failed, e.g. the reason (<c>SILO_UNAVAILABLE</c>): the same kind of one method is logged once a window.</param>
    /// <param name="detail">One line: what happened, without a stack trace.</param>
    public void Warn(string method, string kind, string detail)
    {
        var seen = _seen.GetOrAdd((method, kind), static _ => new Seen());
        long leftOut;
        lock (seen)
        {
            if (seen.LastLogged is { } last && clock.GetElapsedTime(last) < Window)
            {
                seen.LeftOut++;
                return;
            }

            (leftOut, seen.LeftOut, seen.LastLogged) = (seen.LeftOut, 0, clock.GetTimestamp());
        }

        if (leftOut == 0)
        {
            logger.LogWarning("{Method}: {Kind}: {Detail}", method, kind, detail);
        }
        else
        {
            logger.LogWarning("{Method}: {Kind}: {Detail} ({LeftOut} more like it since the last such line)", method, kind, detail, leftOut);
        }
    }

    private sealed class Seen
    {
        public long? LastLogged { get; set; }

        public long LeftOut { get; set; }
    }
}
