using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Microsoft.Extensions.Logging;

namespace Decisioning.Grains.Lines;

/// <summary>
/// The process-wide watch for ledger regressions: storage found behind what this process saw durable.
/// <para>
/// The rule: a line's stored sequence never goes back. Its journal is never trimmed, so only lost
/// writes (a Redis failover to a replica that missed them, a restore from an old backup) can put
/// storage below a sequence a commit here confirmed. Writing over that gap would renumber or drop
/// acknowledged money, so such a line serves nothing in this process (reads and changes alike:
/// LEDGER_REGRESSION, UNAVAILABLE) until storage holds at least what was acknowledged again, and the
/// regression is raised once: an error log naming the enterprise and both sequences, and the counter
/// <c>decisioning.ledger.regressions</c> of the meter <c>Decisioning</c>.
/// </para>
/// <para>
/// What this process acknowledged is known to the line's pipeline while it lives (the exact fence
/// answers a commit built on a sequence storage does not hold with the stored one), and is kept here
/// when a pipeline is discarded after a failed, unknown or refused write: the next load of the line
/// (the grain loads it again after every fault) is checked against it, which is when a failover
/// that lost the last writes shows. A load that has caught up clears the mark, so marks live from a
/// fault to the next load. One case is not a regression: an enterprise that never had a line keeps
/// its records for a retention and then loses its whole journal at once, by design, so an empty
/// journal below a mark taken without a line is that expiry.
/// </para>
/// </summary>
public sealed class LedgerRegressions
{
    public const string MeterName = "Decisioning";
    public const string CounterName = "decisioning.ledger.regressions";

    private readonly ConcurrentDictionary<string, Mark> _marks = new(StringComparer.Ordinal);
    private readonly Counter<long> _regressions;
    private readonly ILogger<LedgerRegressions> _logger;

    public LedgerRegressions(IMeterFactory meters, ILogger<LedgerRegressions> logger)
    {
        _regressions = meters.Create(MeterName).CreateCounter<long>(
            CounterName, "{regression}", "Lines whose storage was found behind what the service had acknowledged");
        _logger = logger;
    }

    /// <summary>Storage held <paramref name="durable"/>: it must never be found below it again.</summary>
    internal void Acknowledge(string enterpriseId, LineState durable)
    {
        if (durable.Sequence == 0)
        {
            return;
        }

        var mark = new Mark(durable.Sequence, durable.Exists, Raised: false);
        _marks.AddOrUpdate(enterpriseId, mark, (_, known) => known.Sequence >= mark.Sequence ? known : mark);
    }

    /// <summary>Null when a line stored at <paramref name="stored"/> may serve; LEDGER_REGRESSION (raised once) when storage is behind what was acknowledged.</summary>
    internal DomainError? Check(string enterpriseId, long stored)
    {
        if (!_marks.TryGetValue(enterpriseId, out var mark))
        {
            return null;
        }

        if (stored >= mark.Sequence || (stored == 0 && !mark.Line))
        {
            _marks.TryRemove(KeyValuePair.Create(enterpriseId, mark));
            return null;
        }

        if (!mark.Raised && _marks.TryUpdate(enterpriseId, mark with { Raised = true }, mark))
        {
            _logger.LogError(
                "Ledger regression: line {EnterpriseId} is stored at sequence {StoredSequence}, behind the {AcknowledgedSequence} this process acknowledged; it serves nothing until storage catches up",
                enterpriseId, stored, mark.Sequence);
            _regressions.Add(1);
        }

        return DomainError.LedgerRegression();
    }

    /// <param name="Line">Whether the acknowledged state held a line (whose journal never expires).</param>
    /// <param name="Raised">Whether the regression below this mark was logged and counted.</param>
    private sealed record Mark(long Sequence, bool Line, bool Raised);
}
