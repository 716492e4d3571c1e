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
/// product number, <c>e</c> the journal entry's own bytes (JournalRecord, the very value the
/// journal stores: not encoded twice), and for a decision <c>d</c> (DecisionEventRecord).
/// </summary>
internal static class EventCodec
{
    public static readonly RedisValue EnterpriseField = "n";
    public static readonly RedisValue ProductField = "p";
    public static readonly RedisValue EntryField = "e";
    public static readonly RedisValue DecisionField = "d";

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
    }.ToByteArray();

    public static LineEvent Decode(StreamEntry entry)
    {
        var journal = LineCodec.DecodeEntry((byte[])entry[EntryField]!);
        var decision = entry[DecisionField];
        return new LineEvent(
            (string)entry[EnterpriseField]!,
            (Product)int.Parse((string)entry[ProductField]!, CultureInfo.InvariantCulture),
            journal,
            decision.IsNullOrEmpty ? null : Decode(journal.DecisionId, DecisionEventRecord.Parser.ParseFrom((byte[])decision!)));
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
