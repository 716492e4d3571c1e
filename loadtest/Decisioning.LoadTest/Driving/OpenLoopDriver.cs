using System.Diagnostics;
using System.Threading.Channels;

namespace Decisioning.LoadTest.Driving;

/// <summary>
/// Open loop at a constant arrival rate, as wrk2 does it: arrival i is due at start + i/rate
/// whatever happened to earlier ones, and its latency runs from that intended time, so a server
/// that falls behind shows its queueing in the percentiles instead of slowing the load down
/// (coordinated omission). One pacer thread follows the schedule (sleeping precisely between arrivals,
/// see <see cref="PreciseSleep"/>) and hands due arrivals to a few sender tasks, which start the
/// calls without waiting for them: one waiter instead of a timer per request, and the cost of
/// starting calls spread over the senders.
/// </summary>
internal sealed class OpenLoopDriver(LoadPlan plan, double rate, int senders, int connections, int maxInFlight, ulong seed)
{
    private const int MaxQueued = 100_000;
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(1);

    private readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);
    // Due arrivals not yet picked up by a sender. Bounded so that a client that cannot keep up holds
    // a fixed amount of memory; the pacer then waits, and the arrivals keep their intended times.
    private readonly Channel<long> _due = Channel.CreateBounded<long>(new BoundedChannelOptions(MaxQueued) { SingleWriter = true });
    private Exception? _failure;

    public async Task RunAsync(CancellationToken stop)
    {
        var pacer = new Thread(() => Pace(stop)) { IsBackground = true, Name = "decisioning-load pacer" };
        var sending = Enumerable.Range(0, senders).Select(i => Task.Run(() => SendAsync(i, stop), CancellationToken.None)).ToArray();
        pacer.Start();
        await Task.WhenAll(sending);

        // Every started call ends by its deadline; the slots come back as they do.
        for (var i = 0; i < maxInFlight; i++)
        {
            await _slots.WaitAsync(CancellationToken.None);
        }

        if (_failure is not null)
        {
            throw new InvalidOperationException("an arrival failed in the tool itself", _failure);
        }
    }

    private void Pace(CancellationToken stop)
    {
        var start = Stopwatch.GetTimestamp();
        var ticksPerArrival = Stopwatch.Frequency / rate;
        long next = 0;
        while (!stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var due = start + (long)(next * ticksPerArrival);
            if (due <= now)
            {
                // Everything already due goes out at once; it is not rescheduled, only late, and its latency says so.
                while (due <= now && _due.Writer.TryWrite(due))
                {
                    next++;
                    due = start + (long)(next * ticksPerArrival);
                }

                if (due <= now)
                {
                    // The queue is full: the senders are behind. Arrival `next` keeps its time and goes out late.
                    PreciseSleep.For(MaxSleep);
                }

                continue;
            }

            // At most a millisecond at a time, so that a stop is seen promptly even at low rates.
            var wait = Stopwatch.GetElapsedTime(now, due);
            PreciseSleep.For(wait < MaxSleep ? wait : MaxSleep);
        }

        _due.Writer.TryComplete();
    }

    private async Task SendAsync(int sender, CancellationToken stop)
    {
        var random = new Random(unchecked((int)(seed ^ (ulong)(sender + 1) * 0xD1B54A32D192ED03UL)));
        var calls = 0L;
        await foreach (var intended in _due.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (stop.IsCancellationRequested)
            {
                continue;
            }

            await _slots.WaitAsync(CancellationToken.None);
            plan.Metrics.SendLag(intended, Stopwatch.GetTimestamp(), plan.Metrics.IsMeasuring);
            if (!plan.TryStartArrival(random, (int)((sender + calls++) % connections), intended, out var call))
            {
                _slots.Release();
                continue;
            }

            _ = call.ContinueWith(
                static (call, state) => ((OpenLoopDriver)state!).Finished(call),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private void Finished(Task call)
    {
        if (call.Exception is { } failure)
        {
            Interlocked.CompareExchange(ref _failure, failure, null);
        }

        _slots.Release();
    }
}
