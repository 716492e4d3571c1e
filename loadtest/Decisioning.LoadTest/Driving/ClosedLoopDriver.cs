using System.Diagnostics;

namespace Decisioning.LoadTest.Driving;

/// <summary>
/// Closed loop: a fixed number of workers, each sending its next request as soon as the previous
/// one completes, so exactly <c>concurrency</c> arrivals are in flight. It measures what the service
/// can do at that concurrency; it cannot show queueing beyond it (use the open loop for that).
/// </summary>
internal sealed class ClosedLoopDriver(LoadPlan plan, int concurrency, int connections, ulong seed)
{
    public Task RunAsync(CancellationToken stop)
    {
        var workers = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var worker = i;
            workers[i] = Task.Run(() => WorkAsync(worker, stop), CancellationToken.None);
        }

        return Task.WhenAll(workers);
    }

    private async Task WorkAsync(int worker, CancellationToken stop)
    {
        var random = new Random(unchecked((int)(seed ^ (ulong)worker * 0x9E3779B97F4A7C15UL)));
        var connection = worker % connections;
        while (!stop.IsCancellationRequested && plan.TryStartArrival(random, connection, Stopwatch.GetTimestamp(), out var arrival))
        {
            if (arrival.IsCompleted)
            {
                // Nothing was sent (a repayment with nothing to repay): let the other workers and
                // the in-flight calls' continuations have the thread rather than spin.
                await Task.Yield();
            }

            await arrival;
        }
    }
}
