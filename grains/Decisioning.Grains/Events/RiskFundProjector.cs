using System.Collections.Immutable;
using System.Globalization;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Grains.Programmes;
using Decisioning.Grains.Storage;
using Decisioning.Grains.Storage.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Decisioning.Grains.Events;

/// <summary>
/// Keeps the risk funds' claims (<see cref="RiskFundLedger"/>) in Redis from the event streams, with
/// the consumer group <c>riskfund</c>. Unlike the portfolio, the funds' balances are shared by every
/// partition, so all of it lives under one hash tag, <c>dc:{riskfund}:…</c> (one slot on a Redis
/// Cluster): the partitions' positions, the funds' totals, what is remembered of each enterprise,
/// the claims. riskfund.lua applies a batch only if its partition is still at the position the
/// batch builds on and, when the batch moves a fund's totals, only if no other batch moved them
/// since they were read: each write-off and recovery once, and never a claim on balance another
/// claim took. The streams are in other slots, so the group is moved after the script, to what
/// the script applied (it may lag, never lead: retention keeps, at worst, a little more).
/// </summary>
public sealed class RiskFundProjector(
    IConnectionMultiplexer redis,
    EventStreams streams,
    IOptions<EventOptions> options,
    IOptions<LineStorageOptions> storage,
    RiskFundTable funds,
    TimeProvider clock,
    ILogger<RiskFundProjector> logger)
    : StreamProjector(redis, streams, options, clock, logger)
{
    public const string GroupName = "riskfund";
    private const string Revision = "rev";
    private const string PositionPrefix = "@";
    private const char Separator = '|';

    private readonly string _script = EmbeddedScripts.Read("riskfund.lua");
    private readonly RedisKey _state = storage.Value.KeyPrefix + ":{riskfund}:state";
    private readonly RedisKey _enterprises = storage.Value.KeyPrefix + ":{riskfund}:enterprises";
    private readonly RedisKey _claims = storage.Value.KeyPrefix + ":{riskfund}:claims";
    private readonly RedisKey _index = storage.Value.KeyPrefix + ":{riskfund}:claim-index";

    protected override string Group => GroupName;

    protected override string Name => "the risk funds";

    /// <summary>With no fund configured there is nothing to claim against: the streams are not read.</summary>
    protected override bool Enabled => !funds.Funds.IsEmpty;

    /// <summary>
    /// The funds with their totals, and up to <paramref name="pageSize"/> claims after the claim
    /// named <paramref name="after"/> (empty: from the first), of <paramref name="enterpriseId"/>
    /// only when it is not empty.
    /// </summary>
    public async Task<RiskFundPage> ReadAsync(string enterpriseId, string after, int pageSize)
    {
        var db = Redis.GetDatabase();
        // Names sort by enterprise, then write-off: one enterprise's are those from "id|" up to "id}".
        RedisValue from = after.Length > 0 ? after : enterpriseId.Length > 0 ? enterpriseId + Separator : RedisValue.Null;
        RedisValue to = enterpriseId.Length > 0 ? enterpriseId + (char)(Separator + 1) : RedisValue.Null;
        var exclude = (after.Length > 0 ? Exclude.Start : Exclude.None) | (enterpriseId.Length > 0 ? Exclude.Stop : Exclude.None);
        RedisValue[] totals, names, page, claims;
        do
        {
            // The totals and the claims as of one revision: a batch that moves the totals moves
            // the revision in the same script, so a page read across one is read again.
            totals = await db.HashGetAsync(_state, [Revision, .. funds.Funds.SelectMany(TotalFields)]);
            names = await db.SortedSetRangeByValueAsync(_index, from, to, exclude, Order.Ascending, 0, pageSize + 1);
            page = [.. names.Take(pageSize)];
            claims = page.Length == 0 ? [] : await db.HashGetAsync(_claims, page);
        }
        while (await db.HashGetAsync(_state, Revision) != totals[0]);

        totals = totals[1..];
        return new(
            [.. funds.Funds.Select((f, i) => (f, Totals(totals.AsSpan(3 * i, 3))))],
            [.. page.Zip(claims, (name, claim) => Decode((string)name!, (byte[])claim!))],
            names.Length > pageSize ? (string)page[^1]! : "");
    }

    /// <summary>The name a claim is stored and listed under: its enterprise and its write-off's sequence (19 digits: listed in order).</summary>
    public static string ClaimName(string enterpriseId, long writeOffSequence) =>
        enterpriseId + Separator + writeOffSequence.ToString("D19", CultureInfo.InvariantCulture);

    protected override async Task<string> PositionAsync(IDatabase db, int partition) => (string?)await db.HashGetAsync(_state, PositionPrefix + partition.ToString(CultureInfo.InvariantCulture)) ?? "";

    protected override async Task<bool> ApplyAsync(IDatabase db, int partition, string at, StreamEntry[] batch)
    {
        var events = EventCodec.Decode(batch);
        var known = await RememberedAsync(db, partition, _enterprises, "", events, Enterprise);
        var inputs = new List<RiskFundEvent>();
        foreach (var e in events)
        {
            if (RiskFundEvents.Read(known[e.EnterpriseId], e) is var (remembered, input))
            {
                known[e.EnterpriseId] = remembered;
                if (input is not null)
                {
                    inputs.Add(input);
                }
            }
        }

        var args = new List<RedisValue> { PositionPrefix + partition.ToString(CultureInfo.InvariantCulture), at, batch[^1].Id };
        if (inputs.Count == 0)
        {
            args.AddRange(["-", 0, 0]);
        }
        else
        {
            await ApplyInputsAsync(db, inputs, args);
        }

        // Only enterprises with a line are remembered, as in the portfolio.
        foreach (var (id, enterprise) in known)
        {
            if (enterprise is { Product: not Product.None })
            {
                args.Add(id);
                args.Add(Encode(enterprise));
            }
        }

        if ((int)await db.ScriptEvaluateAsync(_script, [_state, _enterprises, _claims, _index], [.. args]) != 1)
        {
            return false;
        }

        await db.StreamConsumerGroupSetPositionAsync(Streams.Key(partition), GroupName, batch[^1].Id);
        foreach (var (id, enterprise) in known)
        {
            if (enterprise is { Product: not Product.None })
            {
                Remember(partition, id, enterprise);
            }
        }

        return true;
    }

    /// <summary>Applies the batch's write-offs and recoveries to the funds as stored, and adds the revision read at, the totals' changes and the claims to the script's arguments.</summary>
    private async Task ApplyInputsAsync(IDatabase db, List<RiskFundEvent> inputs, List<RedisValue> args)
    {
        var ledger = new RiskFundLedger(funds.Funds);
        var state = await db.HashGetAsync(_state, [Revision, .. funds.Funds.SelectMany(TotalFields)]);
        for (var i = 0; i < funds.Funds.Length; i++)
        {
            ledger.Load(funds.Funds[i].Id, Totals(state.AsSpan(1 + (3 * i), 3)));
        }

        var recovered = inputs.OfType<LoanRecovered>().Select(r => ClaimName(r.EnterpriseId, r.WriteOffSequence)).Distinct(StringComparer.Ordinal).ToArray();
        var stored = recovered.Length == 0 ? [] : await db.HashGetAsync(_claims, [.. recovered.Select(n => (RedisValue)n)]);
        foreach (var (name, claim) in recovered.Zip(stored).Where(c => !c.Second.IsNull))
        {
            ledger.Load(Decode(name, (byte[])claim!));
        }

        var before = funds.Funds.ToDictionary(f => f.Id, f => ledger.Totals(f.Id));
        var changed = new Dictionary<string, RiskFundClaim>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (ledger.Apply(input) is { } claim)
            {
                changed[ClaimName(claim.EnterpriseId, claim.WriteOffSequence)] = claim;
            }
        }

        var deltas = new List<(string Field, long Delta)>();
        foreach (var fund in funds.Funds)
        {
            var (was, now) = (before[fund.Id], ledger.Totals(fund.Id));
            var fields = TotalFields(fund).ToArray();
            deltas.AddRange([((string)fields[0]!, now.Claims - was.Claims), ((string)fields[1]!, now.ClaimedMinor - was.ClaimedMinor), ((string)fields[2]!, now.ReturnedMinor - was.ReturnedMinor)]);
        }

        deltas.RemoveAll(d => d.Delta == 0);
        args.AddRange([changed.Count == 0 ? "-" : (string?)state[0] ?? "0", deltas.Count, changed.Count]);
        foreach (var (field, delta) in deltas)
        {
            args.AddRange([field, delta]);
        }

        foreach (var (name, claim) in changed)
        {
            args.AddRange([name, Encode(claim)]);
        }
    }

    private static IEnumerable<RedisValue> TotalFields(RiskFund fund) => ["n:" + fund.Id, "c:" + fund.Id, "r:" + fund.Id];

    private static FundTotals Totals(ReadOnlySpan<RedisValue> v) => new((long)v[0], (long)v[1], (long)v[2]);

    private static string Encode(RiskFundEnterprise e) =>
        FormattableString.Invariant($"{e.Sequence}|{(int)e.Product}|{(int)e.Level}|{(e.FirstLoan ? 1 : 0)}|{(e.Renewed ? 1 : 0)}|{e.WriteOffSequence}");

    private static RiskFundEnterprise Enterprise(string value)
    {
        var p = value.Split(Separator);
        return new(
            long.Parse(p[0], CultureInfo.InvariantCulture),
            (Product)int.Parse(p[1], CultureInfo.InvariantCulture),
            (SrdiLevel)int.Parse(p[2], CultureInfo.InvariantCulture),
            p[3] == "1",
            p[4] == "1",
            long.Parse(p[5], CultureInfo.InvariantCulture));
    }

    private static byte[] Encode(RiskFundClaim c) => new RiskFundClaimRecord
    {
        FundId = c.FundId,
        WrittenOffUnixMs = c.WrittenOffAt.ToUnixTimeMilliseconds(),
        Product = (int)c.Product,
        SrdiLevel = (int)c.SrdiLevel,
        FirstLoan = c.FirstLoan,
        Renewal = c.Renewal,
        WrittenOffPrincipalMinor = c.WrittenOffPrincipalMinor,
        WrittenOffInterestMinor = c.WrittenOffInterestMinor,
        ShareBps = c.ShareBps,
        ClaimedMinor = c.ClaimedMinor,
        LimitedBy = (int)c.LimitedBy,
        RecoveredMinor = c.RecoveredMinor,
        ReturnedMinor = c.ReturnedMinor,
        Recoveries = c.Recoveries,
        LastRecoverySequence = c.LastRecoverySequence,
        LastRecoveredUnixMs = c.LastRecoveredAt?.ToUnixTimeMilliseconds() ?? 0,
    }.ToBytes();

    private static RiskFundClaim Decode(string name, byte[] bytes)
    {
        var r = RiskFundClaimRecord.Parser.ParseFrom(bytes);
        var separator = name.LastIndexOf(Separator);
        return new()
        {
            FundId = r.FundId,
            EnterpriseId = name[..separator],
            WriteOffSequence = long.Parse(name.AsSpan(separator + 1), CultureInfo.InvariantCulture),
            WrittenOffAt = DateTimeOffset.FromUnixTimeMilliseconds(r.WrittenOffUnixMs),
            Product = (Product)r.Product,
            SrdiLevel = (SrdiLevel)r.SrdiLevel,
            FirstLoan = r.FirstLoan,
            Renewal = r.Renewal,
            WrittenOffPrincipalMinor = r.WrittenOffPrincipalMinor,
            WrittenOffInterestMinor = r.WrittenOffInterestMinor,
            ShareBps = r.ShareBps,
            ClaimedMinor = r.ClaimedMinor,
            LimitedBy = (ClaimLimit)r.LimitedBy,
            RecoveredMinor = r.RecoveredMinor,
            ReturnedMinor = r.ReturnedMinor,
            Recoveries = r.Recoveries,
            LastRecoverySequence = r.LastRecoverySequence,
            LastRecoveredAt = r.LastRecoveredUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.LastRecoveredUnixMs),
        };
    }
}
