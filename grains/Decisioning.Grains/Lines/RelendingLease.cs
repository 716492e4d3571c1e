using Decisioning.Domain;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Programmes;
using Microsoft.Extensions.Logging;

namespace Decisioning.Grains.Lines;

/// <summary>
/// Keeps one line's lease of the re-lending quota within bounds, after its commits and off their
/// path: a draw only uses the lease its line already holds (in its own commit), and the quota is
/// asked for more, or told of what the line gave back, in the background, one change at a time.
/// Grants are counted by the quota before the line records them, give-backs after the line
/// recorded them: the quota never counts less than the line holds (<see cref="QuotaBook"/>).
/// A line without the re-lending discount costs one field check per commit.
/// </summary>
internal sealed class RelendingLease(
    string enterpriseId,
    Func<LineState> current,
    Func<LineCommand, Task<Result<OperationResult>>> submit,
    IGrainFactory grains,
    RelendingTable table,
    TimeProvider clock,
    ILogger logger)
{
    /// <summary>After the quota had no room, the line does not ask again for this long (its commits would otherwise each ask).</summary>
    internal static readonly TimeSpan EmptyQuotaPause = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private Task? _running;
    private bool _closing;
    private DateTimeOffset _askAgainAt;

    /// <summary>Starts a lease change if the line, as stored, needs one and none is under way.</summary>
    public void AfterCommit(LineState durable)
    {
        if (!durable.RelendingEligible && durable.RelendingLeaseMinor == 0)
        {
            return;
        }

        if (Plan(durable, 0).Change != 0)
        {
            Start(0, sync: false);
        }
    }

    /// <summary>
    /// A line that holds or held quota tells the quota what it holds when it is loaded: what a lost
    /// grant or an unheard give-back left counted for it (a silo failed, or stopped before the quota
    /// heard) is reclaimed then.
    /// </summary>
    public void Loaded(LineState state)
    {
        if (state.RelendingEligible || state.RelendingVersion > 0)
        {
            Start(0, sync: true);
        }
    }

    /// <summary>
    /// For a draw of a line with the discount whose lease cannot fund it: the lease change under way,
    /// or one started for it, to wait for before the draw is taken (once per lease, not per draw).
    /// Null for every other command: the draw is taken at once.
    /// </summary>
    public Task? Before(LineCommand command, LineState state)
    {
        if (!state.RelendingEligible || command is not DrawCommand { AmountMinor: var amount })
        {
            return null;
        }

        var need = Relending.Funded(amount, state.RelendingShareBps == 0 ? ShareOf(state) : state.RelendingShareBps);
        if (need <= state.RelendingLeaseMinor || Plan(state, need).Change <= 0)
        {
            return null;
        }

        return Start(need, sync: false);
    }

    /// <summary>
    /// Gives back the whole lease (the line is going idle), after the change under way, and asks for
    /// none after it: the quota is then free for other lines, and counts exactly what this line holds.
    /// </summary>
    public async Task GiveBackAllAsync()
    {
        Task? running;
        lock (_gate)
        {
            _closing = true;
            running = _running;
        }

        if (running is not null)
        {
            await running;
        }

        var state = current();
        if (state.RelendingLeaseMinor > 0 && state.Exists)
        {
            await ChangeAsync(state, state.RelendingPeriod, -state.RelendingLeaseMinor);
        }
    }

    private Task Start(long need, bool sync)
    {
        lock (_gate)
        {
            if (_running is { IsCompleted: false } running)
            {
                return running;
            }

            if (_closing)
            {
                return Task.CompletedTask;
            }

            return _running = Task.Run(() => RunAsync(need, sync));
        }
    }

    /// <param name="sync">Tell the quota what the line holds even when its lease needs no change.</param>
    private async Task RunAsync(long need, bool sync)
    {
        try
        {
            // A stale answer costs one round more (the line takes the quota's version first).
            for (var round = 0; round < 3; round++)
            {
                var state = current();
                var (period, change) = Plan(state, need);
                if ((change == 0 && !sync) || period is null || !await ChangeAsync(state, period, change))
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Changing the re-lending lease of {EnterpriseId} failed; the next commit tries again", enterpriseId);
        }
    }

    private int ShareOf(LineState state) =>
        table.Covering(BusinessCalendar.DateOf(clock.GetUtcNow()))?.ShareBps ?? state.RelendingShareBps;

    /// <summary>The period the line's lease belongs to (or would), and the change it needs now.</summary>
    /// <param name="need">What a draw waiting for the lease needs of it: the lease is raised to cover it and a chunk more.</param>
    private (string? Period, long Change) Plan(LineState state, long need)
    {
        var today = BusinessCalendar.DateOf(clock.GetUtcNow());
        var covering = table.Covering(today);
        var holds = state.RelendingHoldingMinor > 0;
        // A line's quota belongs to one period: it moves to the next once it holds nothing of the last.
        var period = holds || covering is null ? state.RelendingPeriod : covering.Name;
        var takesDraws = state.RelendingEligible
            && state.StatusOn(today) == LineStatus.Active
            && covering is not null
            && covering.Name == period;
        var share = covering?.ShareBps ?? state.RelendingShareBps;
        var cap = Relending.Funded(state.LimitMinor, share);
        var change = Relending.LeaseChange(state.RelendingLeaseMinor, state.RelendingFundedMinor, cap, checked(table.LeaseChunkMinor + need), takesDraws);
        if (change > 0 && clock.GetUtcNow() < _askAgainAt)
        {
            change = 0;
        }

        return (period.Length == 0 ? null : period, change);
    }

    /// <summary>One lease change; true when another round may follow (the quota answered stale and the line took its version).</summary>
    private async Task<bool> ChangeAsync(LineState state, string period, long change)
    {
        if (table.Named(period) is not { } configured)
        {
            return false;
        }

        var quota = grains.GetGrain<IRelendingQuotaGrain>(0);
        var version = state.RelendingVersion;
        if (change < 0)
        {
            // The line records the give-back first: until the quota hears of it, it counts too much, never too little.
            var given = await submit(Command(configured, change, version, version + 1));
            if (given.Value is null)
            {
                return false;
            }

            await quota.Lease(new LeaseRequest(period, enterpriseId, version + 1, state.RelendingHoldingMinor + change, 0));
            return false;
        }

        var answer = await quota.Lease(new LeaseRequest(period, enterpriseId, version, state.RelendingHoldingMinor, change));
        if (answer.Value is not { } granted)
        {
            return false;
        }

        if (granted.Stale)
        {
            // Another activation of this line asked at this version, or this line's last grant was
            // never recorded: the line takes the quota's version, and its next request tells the
            // quota what it really holds.
            var taken = await submit(Command(configured, 0, version, granted.Version));
            return taken.Value is not null;
        }

        if (granted.GrantedMinor == 0)
        {
            if (change > 0)
            {
                _askAgainAt = clock.GetUtcNow() + EmptyQuotaPause;
            }

            return false;
        }

        // Should this not be recorded (the silo fails, the line moved on), the grant stays counted
        // for this line: unused, never counted twice, and reclaimed when the line next asks.
        await submit(Command(configured, granted.GrantedMinor, version, granted.Version));
        return false;
    }

    private static RelendingLeaseCommand Command(RelendingPeriod period, long change, long expected, long next) =>
        new("relending-" + Guid.NewGuid().ToString("N"), period.Name, period.ShareBps, change, expected, next) { Actor = Relending.SystemActor };
}
