using System.Globalization;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Events;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Grains.Storage.V1;
using Google.Protobuf;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>
/// An event stream entry's fields (docs/events.md): <c>n</c> the enterprise, <c>p</c> the line's
/// product number, and <c>b</c> the events of one commit (EventBatchRecord): each journal entry's
/// own bytes (JournalRecord, the very value the journal stores: not encoded twice) and, for a
/// decision, its summary (DecisionEventRecord). Entries stored before batches hold one event as
/// <c>e</c> (the JournalRecord) and, for a decision, <c>d</c>.
/// </summary>
internal static class EventCodec
{
    public static readonly RedisValue EnterpriseField = "n";
    public static readonly RedisValue ProductField = "p";
    public static readonly RedisValue BatchField = "b";
    public static readonly RedisValue EntryField = "e";
    public static readonly RedisValue DecisionField = "d";

    /// <summary>A journal entry's bytes as the journal stores them, and its decision's summary (null: none).</summary>
    public readonly record struct Event(byte[] Entry, byte[]? Decision);

    /// <summary>
    /// The EventBatchRecord of <paramref name="events"/>, written around the bytes already encoded
    /// for the journal (each EventRecord: field 1 the entry, field 2 the decision).
    /// </summary>
    public static byte[] EncodeBatch(ReadOnlySpan<Event> events)
    {
        var size = 0;
        foreach (var e in events)
        {
            var inner = Inner(e);
            size += 1 + CodedOutputStream.ComputeLengthSize(inner) + inner;
        }

        var buffer = new byte[size];
        var output = new CodedOutputStream(buffer);
        foreach (var e in events)
        {
            output.WriteTag(EventBatchRecord.EventsFieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteLength(Inner(e));
            output.WriteTag(EventRecord.EntryFieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(e.Entry));
            if (e.Decision is { } decision)
            {
                output.WriteTag(EventRecord.DecisionFieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(UnsafeByteOperations.UnsafeWrap(decision));
            }
        }

        output.CheckNoSpaceLeft();
        return buffer;

        static int Inner(Event e) =>
            1 + CodedOutputStream.ComputeLengthSize(e.Entry.Length) + e.Entry.Length
            + (e.Decision is { } d ? 1 + CodedOutputStream.ComputeLengthSize(d.Length) + d.Length : 0);
    }

    public static byte[] Encode(DecisionSummary s) => new DecisionEventRecord
    {
        Purpose = (int)s.Purpose,
        Outcome = (int)s.Outcome,
        Product = (int)s.Product,
        LimitMinor = s.LimitMinor,
        AnnualRateBps = s.AnnualRateBps,
        SrdiLevel = (int)s.SrdiLevel,
        LimitBasis = (int)s.LimitBasis,
        FundFlowBased = s.FundFlowBased,
        Score = s.Score,
        ModelVersion = s.ModelVersion,
        FirstLoan = s.FirstLoan,
    }.ToBytes();

    /// <summary>The events of a stream entry, in journal order.</summary>
    public static LineEvent[] Decode(StreamEntry entry)
    {
        var enterprise = (string)entry[EnterpriseField]!;
        var product = (Product)int.Parse((string)entry[ProductField]!, CultureInfo.InvariantCulture);
        var batch = entry[BatchField];
        if (batch.IsNull)
        {
            // One event, stored before batches.
            var decision = entry[DecisionField];
            return [LineEventOf(enterprise, product, JournalRecord.Parser.ParseFrom((byte[])entry[EntryField]!), decision.IsNullOrEmpty ? null : DecisionEventRecord.Parser.ParseFrom((byte[])decision!))];
        }

        var records = EventBatchRecord.Parser.ParseFrom((byte[])batch!).Events;
        var events = new LineEvent[records.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = LineEventOf(enterprise, product, records[i].Entry, records[i].Decision);
        }

        return events;
    }

    /// <summary>Every event of <paramref name="entries"/>, in stream order.</summary>
    public static LineEvent[] Decode(StreamEntry[] entries) => [.. entries.SelectMany(Decode)];

    private static LineEvent LineEventOf(string enterprise, Product product, JournalRecord entry, DecisionEventRecord? decision)
    {
        var journal = LineCodec.DecodeEntry(entry);
        return new LineEvent(enterprise, product, journal, decision is null ? null : Decode(journal.DecisionId, decision));
    }

    private static DecisionSummary Decode(string decisionId, DecisionEventRecord r) => new()
    {
        DecisionId = decisionId,
        Purpose = (DecisionPurpose)r.Purpose,
        Outcome = (Outcome)r.Outcome,
        Product = (Product)r.Product,
        LimitMinor = r.LimitMinor,
        AnnualRateBps = r.AnnualRateBps,
        SrdiLevel = (SrdiLevel)r.SrdiLevel,
        LimitBasis = (LimitBasis)r.LimitBasis,
        FundFlowBased = r.FundFlowBased,
        Score = r.Score,
        ModelVersion = r.ModelVersion,
        FirstLoan = r.FirstLoan,
    };
}
