using StackExchange.Redis;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.PlainScript;

/// <summary>The line hash (<see cref="PlainKeys.Line"/>) as one HMGET of <see cref="Fields"/> reads it.</summary>
internal sealed record StoredLine(
    string Status,
    long LimitMinor,
    long DrawnMinor,
    long Sequence,
    V1.Product Product,
    int AnnualRateBps,
    int TermDays,
    string OpenedDate,
    string ProposedBy,
    string OpenRequestId,
    string ApprovedBy,
    string ApproveRequestId)
{
    public const string StatusField = "status";
    public const string LimitField = "limit";
    public const string DrawnField = "drawn";
    public const string SequenceField = "sequence";
    public const string ProductField = "product";
    public const string RateField = "rate_bps";
    public const string TermField = "term_days";
    public const string OpenedField = "opened";
    public const string ProposedByField = "proposed_by";
    public const string OpenRequestField = "open_request";
    public const string ApprovedByField = "approved_by";
    public const string ApproveRequestField = "approve_request";

    /// <summary>Opened by hand and waiting for a second staff member: no line yet.</summary>
    public const string Proposed = "proposed";

    /// <summary>Takes draws: the only status draw.lua accepts.</summary>
    public const string Active = "active";

    public static readonly RedisValue[] Fields =
    [
        StatusField, LimitField, DrawnField, SequenceField, ProductField, RateField, TermField, OpenedField,
        ProposedByField, OpenRequestField, ApprovedByField, ApproveRequestField,
    ];

    public bool IsActive => Status == Active;

    /// <summary>Null for an enterprise without a line or a proposal.</summary>
    public static StoredLine? From(RedisValue[] values) => values[0].IsNull
        ? null
        : new(
            values[0]!,
            (long)values[1],
            (long)values[2],
            (long)values[3],
            (V1.Product)(int)values[4],
            (int)values[5],
            (int)values[6],
            values[7].IsNull ? "" : values[7]!,
            values[8]!,
            values[9]!,
            values[10].IsNull ? "" : values[10]!,
            values[11].IsNull ? "" : values[11]!);

    public V1.Line ToContract(string enterpriseId) => new()
    {
        EnterpriseId = enterpriseId,
        Status = V1.LineStatus.Active,
        Product = Product,
        LimitMinor = LimitMinor,
        DrawnMinor = DrawnMinor,
        AvailableMinor = Available(LimitMinor, DrawnMinor),
        AnnualRateBps = AnnualRateBps,
        OpenedDate = OpenedDate,
        CurrencyCode = "CNY",
        JournalSequence = Sequence,
    };

    /// <summary>What can still be drawn; nothing is ever held on a plain line.</summary>
    public static long Available(long limitMinor, long drawnMinor) => Math.Max(0, checked(limitMinor - drawnMinor));
}
