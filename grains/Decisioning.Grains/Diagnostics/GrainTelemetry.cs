using System.Diagnostics;
using System.Diagnostics.Metrics;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Storage;

namespace Decisioning.Grains.Diagnostics;

/// <summary>
/// What the grains and their storage record: commit batch sizes and Redis write latency (per
/// script, not per call), decisions by model and outcome, and a span around each Redis commit. The
/// instruments belong to the meter <see cref="MeterName"/> (with <c>decisioning.ledger.regressions</c>),
/// the spans to the activity source of the same name. Both are static, as the commit writer that
/// records them is built by the line store rather than by the container; an instrument nobody
/// listens to costs a check of a flag, and every tag comes from a fixed set of constant strings.
/// </summary>
public static class GrainTelemetry
{
    public const string MeterName = LedgerRegressions.MeterName;

    public const string ActivitySourceName = "Decisioning";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<int> CommitLines = Meter.CreateHistogram(
        "decisioning.commit.lines", "{line}", "Line commits carried by one Redis commit script (group commit)",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "decisioning.commit.duration", "s", "Time from sending a commit script to Redis to its reply (with the replicas' acknowledgement when required)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "decisioning.decisions", "{decision}", "Credit decisions recorded, by model, role (champion, or challenger in shadow), purpose and outcome");

    /// <summary>A commit script on its way to Redis: call <see cref="CommitWrite.End"/> with its outcome.</summary>
    internal static CommitWrite StartCommit(List<LineCommit> batch)
    {
        var measured = CommitDuration.Enabled || CommitLines.Enabled;
        var activity = Source.HasListeners() ? StartCommitActivity(batch) : null;
        return measured || activity is not null ? new CommitWrite(measured ? Stopwatch.GetTimestamp() : 0, batch.Count, activity) : default;
    }

    /// <summary>A decision newly recorded (not a retry's replay): the champion's, and the challenger's shadow one.</summary>
    internal static void Recorded(DecisionDocument document)
    {
        if (!Decisions.Enabled)
        {
            return;
        }

        var purpose = document.Purpose == DecisionPurpose.Renewal ? "renewal" : "origination";
        Count(document.Champion, "champion", purpose);
        if (document.Challenger is { } challenger)
        {
            Count(challenger, "challenger", purpose);
        }
    }

    private static void Count(Decision decision, string role, string purpose)
    {
        var tags = new TagList
        {
            { "model", decision.ModelVersion },
            { "role", role },
            { "purpose", purpose },
            { "outcome", decision.Outcome switch { Outcome.Approve => "approve", Outcome.Decline => "decline", Outcome.Refer => "refer", _ => "none" } },
        };
        Decisions.Add(1, in tags);
    }

    /// <summary>The commit's span: a child of the first line's call, linked to the others' when the script carries several lines.</summary>
    private static Activity? StartCommitActivity(List<LineCommit> batch)
    {
        List<ActivityLink>? links = null;
        for (var i = 1; i < batch.Count; i++)
        {
            if (batch[i].Trace != default)
            {
                (links ??= []).Add(new ActivityLink(batch[i].Trace));
            }
        }

        var activity = Source.StartActivity("redis commit", ActivityKind.Client, batch[0].Trace, links: links);
        activity?.SetTag("db.system.name", "redis");
        activity?.SetTag("db.operation.name", "EVALSHA");
        activity?.SetTag("decisioning.commit.lines", batch.Count);
        return activity;
    }

    internal readonly struct CommitWrite(long started, int lines, Activity? activity)
    {
        public void End(Exception? failure)
        {
            if (started != 0)
            {
                CommitLines.Record(lines);
                CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", failure is null ? "ok" : "failed"));
            }

            if (activity is not null)
            {
                if (failure is not null)
                {
                    activity.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
                }

                activity.Dispose();
            }
        }
    }
}
