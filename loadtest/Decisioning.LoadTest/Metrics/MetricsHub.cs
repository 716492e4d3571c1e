using System.Diagnostics;
using Decisioning.Contracts.V1;
using Grpc.Core;
using HdrHistogram;

namespace Decisioning.LoadTest.Metrics;

public enum RunPhase
{
    Starting,
    Setup,
    Warmup,
    Measuring,
    Draining,
    LedgerCheck,
    Done,
}

/// <summary>Counters and latencies of one operation. Written by every caller at once, read by the ticker.</summary>
internal sealed class OperationStats
{
    public readonly Recorder Latency = Histograms.NewRecorder();
    public readonly LongHistogram Total = Histograms.New();
    public HistogramBase? Interval;
    public long Completed;
    public long Ok;
    public long Declined;
    public long Errors;
    public long UnknownOutcome;
    public long Skipped;
    public readonly long[] ErrorsByStatus = new long[Histograms.StatusCodes];
    public readonly long[] DeclinesByReason = new long[Histograms.DeclineReasons];
}

internal static class Histograms
{
    /// <summary>Latencies are microseconds from 1 µs to an hour, to 3 significant digits.</summary>
    public const long HighestMicroseconds = 3_600_000_000;

    public const int StatusCodes = 17;
    public const int DeclineReasons = 16;

    public static LongHistogram New() => new(1, HighestMicroseconds, 3);

    public static Recorder NewRecorder() => HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1)
        .WithValuesUpTo(HighestMicroseconds)
        .WithPrecisionOf(3)
        .WithThreadSafeWrites()
        .WithThreadSafeReads()
        .Create();

    public static long Microseconds(long fromTimestamp, long toTimestamp) =>
        Math.Clamp((toTimestamp - fromTimestamp) * 1_000_000 / Stopwatch.Frequency, 1, HighestMicroseconds);
}

/// <summary>One second (or the last part of one) of the measured window.</summary>
public sealed record TimelinePoint(double Second, double IntervalSeconds, long Requests, long Errors, long P50Us, long P99Us, long MaxUs);

/// <summary>What the live display shows.</summary>
public sealed record LiveSnapshot(
    RunPhase Phase,
    TimeSpan SincePhaseStart,
    long MeasuredRequests,
    double RecentRate,
    long Errors,
    long P99SoFarUs,
    long RecentP99Us,
    long InFlight);

/// <summary>
/// All measurements of a run. Callers record when an RPC completes, if the arrival that caused it
/// started inside the measured window; the ticker turns the HDR recorders' intervals into the
/// per-second timeline and the cumulative histograms.
/// </summary>
internal sealed class MetricsHub
{
    private readonly OperationStats[] _operations = [.. Operations.All.Select(_ => new OperationStats())];
    private readonly Recorder _sendLag = Histograms.NewRecorder();
    private readonly LongHistogram _sendLagTotal = Histograms.New();
    private readonly LongHistogram _overall = Histograms.New();
    private readonly LongHistogram _tickMerge = Histograms.New();
    private readonly List<TimelinePoint> _timeline = [];
    private readonly Lock _gate = new();
    private HistogramBase? _sendLagInterval;
    private volatile RunPhase _phase = RunPhase.Starting;
    private long _phaseStart = Stopwatch.GetTimestamp();
    private long _windowStart;
    private long _windowEnd;
    private long _lastTick;
    private long _lastTickCompleted;
    private long _lastTickErrors;
    private long _allCompleted;
    private long _measuredArrivals;
    private long _lastLiveCompleted;
    private long _lastLiveTick = Stopwatch.GetTimestamp();
    private double _recentRate;
    private long _recentP99;
    private long _inFlight;

    public RunPhase Phase => _phase;

    public bool IsMeasuring => _phase == RunPhase.Measuring;

    public long WindowStart => _windowStart;

    public long WindowEnd => _windowEnd;

    public TimeSpan Window => Stopwatch.GetElapsedTime(_windowStart, _windowEnd == 0 ? Stopwatch.GetTimestamp() : _windowEnd);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void Enter(RunPhase phase)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (phase == RunPhase.Measuring)
            {
                _windowStart = now;
                _lastTick = now;
            }
            else if (phase == RunPhase.Draining && _windowStart != 0)
            {
                _windowEnd = now;
            }

            _phaseStart = now;
            _phase = phase;
        }
    }

    public void CallStarted() => Interlocked.Increment(ref _inFlight);

    /// <summary>An arrival (one pick of the mix, one or two RPCs) started in the window.</summary>
    public void Arrived() => Interlocked.Increment(ref _measuredArrivals);

    public long MeasuredArrivals => Interlocked.Read(ref _measuredArrivals);

    public void Succeeded(Operation operation, long start, bool measured, DeclineReason decline = DeclineReason.Unspecified)
    {
        var end = Stopwatch.GetTimestamp();
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _allCompleted);
        if (!measured)
        {
            return;
        }

        var stats = _operations[(int)operation];
        stats.Latency.RecordValue(Histograms.Microseconds(start, end));
        Interlocked.Increment(ref stats.Completed);
        Interlocked.Increment(ref stats.Ok);
        if (decline != DeclineReason.Unspecified)
        {
            Interlocked.Increment(ref stats.Declined);
            Interlocked.Increment(ref stats.DeclinesByReason[Math.Min((int)decline, Histograms.DeclineReasons - 1)]);
        }
    }

    /// <summary>Failed calls count in the latency too: the caller waited that long for nothing.</summary>
    public void Failed(Operation operation, long start, bool measured, StatusCode status)
    {
        var end = Stopwatch.GetTimestamp();
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _allCompleted);
        if (!measured)
        {
            return;
        }

        var stats = _operations[(int)operation];
        stats.Latency.RecordValue(Histograms.Microseconds(start, end));
        Interlocked.Increment(ref stats.Completed);
        Interlocked.Increment(ref stats.Errors);
        Interlocked.Increment(ref stats.ErrorsByStatus[Math.Clamp((int)status, 0, Histograms.StatusCodes - 1)]);
        if (Operations.Mutates(operation) && Operations.OutcomeUnknown(status))
        {
            Interlocked.Increment(ref stats.UnknownOutcome);
        }
    }

    /// <summary>An arrival that sent nothing (a repay with nothing known to be owed).</summary>
    public void Skipped(Operation operation, bool measured)
    {
        if (measured)
        {
            Interlocked.Increment(ref _operations[(int)operation].Skipped);
        }
    }

    /// <summary>Open loop: how late the sender was against the schedule; the client's own share of the latency.</summary>
    public void SendLag(long intended, long actual, bool measured)
    {
        if (measured)
        {
            _sendLag.RecordValue(Histograms.Microseconds(intended, Math.Max(intended, actual)));
        }
    }

    /// <summary>Folds the recorders' intervals into the totals; appends a timeline point while the window is open or draining.</summary>
    public void Tick()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _tickMerge.Reset();
            long completed = 0, errors = 0;
            foreach (var stats in _operations)
            {
                stats.Interval = stats.Latency.GetIntervalHistogram(stats.Interval);
                stats.Total.Add(stats.Interval);
                _tickMerge.Add(stats.Interval);
                completed += Interlocked.Read(ref stats.Completed);
                errors += Interlocked.Read(ref stats.Errors);
            }

            _overall.Add(_tickMerge);
            _sendLagInterval = _sendLag.GetIntervalHistogram(_sendLagInterval);
            _sendLagTotal.Add(_sendLagInterval);

            if (_windowStart != 0 && _phase is RunPhase.Measuring or RunPhase.Draining && now > _lastTick)
            {
                var count = completed - _lastTickCompleted;

                // Completions counted in this interval may have been recorded in the previous one's
                // histogram (or not at all, during warm-up): percentiles come only from what was recorded.
                var recorded = _tickMerge.TotalCount > 0;
                var intervalSeconds = Stopwatch.GetElapsedTime(_lastTick, now).TotalSeconds;
                if (count > 0 || _phase == RunPhase.Measuring)
                {
                    _timeline.Add(new TimelinePoint(
                        Stopwatch.GetElapsedTime(_windowStart, now).TotalSeconds,
                        intervalSeconds,
                        count,
                        errors - _lastTickErrors,
                        recorded ? _tickMerge.GetValueAtPercentile(50) : 0,
                        recorded ? _tickMerge.GetValueAtPercentile(99) : 0,
                        recorded ? _tickMerge.GetMaxValue() : 0));
                }

                _recentP99 = recorded ? _tickMerge.GetValueAtPercentile(99) : 0;
                _lastTick = now;
                _lastTickCompleted = completed;
                _lastTickErrors = errors;
            }

            // A tick soon after the previous one (the last, after the drain) would make a noisy rate: keep the previous one.
            var all = Interlocked.Read(ref _allCompleted);
            var liveSeconds = Stopwatch.GetElapsedTime(_lastLiveTick, now).TotalSeconds;
            if (liveSeconds >= 0.5)
            {
                _recentRate = (all - _lastLiveCompleted) / liveSeconds;
                _lastLiveCompleted = all;
                _lastLiveTick = now;
            }
        }
    }

    public LiveSnapshot Snapshot()
    {
        lock (_gate)
        {
            long measured = 0, errors = 0;
            foreach (var stats in _operations)
            {
                measured += Interlocked.Read(ref stats.Completed);
                errors += Interlocked.Read(ref stats.Errors);
            }

            return new LiveSnapshot(
                _phase,
                Stopwatch.GetElapsedTime(_phaseStart),
                measured,
                _recentRate,
                errors,
                _overall.TotalCount > 0 ? _overall.GetValueAtPercentile(99) : 0,
                _recentP99,
                InFlight);
        }
    }

    public long MeasuredRequests => _operations.Sum(s => Interlocked.Read(ref s.Completed));

    /// <summary>Read after the last <see cref="Tick"/>, when nothing records any more.</summary>
    public OperationStats Stats(Operation operation) => _operations[(int)operation];

    public HistogramBase Overall => _overall;

    public HistogramBase SendLagTotal => _sendLagTotal;

    public IReadOnlyList<TimelinePoint> Timeline => _timeline;
}
