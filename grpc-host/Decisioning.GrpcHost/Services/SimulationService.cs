using Decisioning.Domain;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Lines;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Decisioning.Simulations;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>
/// decisioning.v1.SimulationService, mapped only with a simulated clock (tests and demos). The move
/// is deterministic: the clock stops at each daily run time it passes and the daily process runs
/// there for every open line, durably, before the clock moves on; the reminders, which run the same
/// idempotent day, can only find it done.
/// </summary>
public sealed class SimulationService(SimulatedClock clock, IReminderTable reminders, IGrainFactory grains, IOptions<OverdueOptions> overdue) : V1.SimulationService.SimulationServiceBase
{
    /// <summary>The longest move of one call: a year and a day.</summary>
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(366);

    /// <summary>How many lines' daily runs are in flight at once.</summary>
    private const int Concurrency = 16;

    /// <summary>One move at a time: two interleaved would run days out of order.</summary>
    private readonly SemaphoreSlim _moving = new(1, 1);

    [RequiredScope(Scopes.Simulation)]
    public override async Task<V1.AdvanceClockResponse> AdvanceClock(V1.AdvanceClockRequest request, ServerCallContext context)
    {
        var by = request.By?.ToTimeSpan();
        Require(by is { } positive && positive > TimeSpan.Zero && positive <= MaxAdvance
            ? null
            : DomainError.Invalid("by", ErrorReasons.ClockAdvanceOutOfRange, $"must be more than zero and at most {MaxAdvance.TotalDays:0} days"));

        await _moving.WaitAsync(context.CancellationToken);
        try
        {
            var target = clock.Now + by!.Value;
            var lines = await DailyReminders.OpenLinesAsync(reminders);
            var runs = 0;
            for (var run = clock.Now + overdue.Value.UntilNextRun(clock.Now); run <= target; run += overdue.Value.UntilNextRun(run))
            {
                clock.MoveTo(run);
                await RunDailyAsync(lines);
                runs++;
            }

            if (target > clock.Now)
            {
                clock.MoveTo(target);
            }

            return new V1.AdvanceClockResponse { Now = Timestamp.FromDateTimeOffset(clock.Now), DailyRuns = runs, Lines = lines.Count };
        }
        finally
        {
            _moving.Release();
        }
    }

    private async Task RunDailyAsync(List<string> lines)
    {
        var errors = new List<DomainError>();
        await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (id, cancellationToken) =>
        {
            if ((await grains.GetGrain<ICreditLineGrain>(id).RunDaily(cancellationToken)).Error is { } error)
            {
                lock (errors)
                {
                    errors.Add(error);
                }
            }
        });

        // The clock stays where the failed run was: a later move runs that day again (it is idempotent).
        Require(errors);
    }
}
