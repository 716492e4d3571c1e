using System.Globalization;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Decisioning.Grains.Tests;

/// <summary>
/// Anyone may name any valid credit code: an enterprise without a line must cost nothing that stays,
/// neither an activation in the silo nor a key in Redis that never expires. Each test has its own
/// Redis and silo, so that key counts and activation counts are its own.
/// </summary>
public sealed class UnlinedEnterpriseTests(ITestOutputHelper output)
{
    /// <summary>
    /// What one assessment of an enterprise without a line may keep in Redis until it expires: its
    /// document (about 5.2 KB for these applications), its journal stream (4.8 KB, most of it the
    /// stream's first node), request record, state, unlined set and the keys' entries (under 1 KB).
    /// Measured at 9.3 KB; derived in docs/security.md, "Bounded memory".
    /// </summary>
    private const long BytesPerUnlinedDecision = 12 * 1024;

    private static readonly DateOnly Today = BusinessCalendar.DateOf(LineCluster.Start);

    [Fact]
    public async Task Calls_on_unknown_enterprises_answer_not_found_and_leave_no_activation_and_no_key()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        await using var inspect = await redis.ConnectAsync();
        var keysBefore = await Server(inspect).DatabaseSizeAsync();
        var codes = RandomCodes(new Random(7), 200);

        var replies = await Task.WhenAll(codes.Select(async (code, i) =>
        {
            var line = cluster.Line(code);
            return (i % 4) switch
            {
                0 => (await line.CheckLimit(1_00)).Error?.Reason,
                1 => (await line.GetLine()).Error?.Reason,
                2 => (await line.Draw("d-1", 1_00, "test")).Error?.Reason,
                _ => (await line.ListTransactions(10, 0)).Error?.Reason,
            };
        }));

        Assert.All(replies, reason => Assert.Equal("LINE_NOT_FOUND", reason));
        Assert.Equal(0, await SettledLineActivationsAsync(cluster, expected: 0));
        Assert.Equal(0, cluster.SiloService<LocalLines>().Count);
        Assert.Equal(keysBefore, await Server(inspect).DatabaseSizeAsync());
    }

    [Fact]
    public async Task Declined_and_referred_enterprises_leave_no_activation_and_every_key_of_theirs_expires_within_the_configured_retention()
    {
        var retention = TimeSpan.FromDays(45);
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis, settings: new Dictionary<string, string?>
        {
            [$"{LineStorageOptions.Section}:{nameof(LineStorageOptions.UnlinedDecisionRetention)}"] = retention.ToString("c", CultureInfo.InvariantCulture),
        });
        await using var inspect = await redis.ConnectAsync();
        var ids = Enumerable.Range(0, 10).Select(_ => TestEnterprises.Unique()).ToArray();

        var outcomes = await Task.WhenAll(ids.Select(async (id, i) =>
            (await cluster.Assessment.Assess(Request(i % 2 == 0 ? Declined(id) : Referred(id)))).Value!.Decision.Outcome));

        Assert.Equal(ids.Select((_, i) => i % 2 == 0 ? Outcome.Decline : Outcome.Refer), outcomes);
        Assert.Equal(0, await SettledLineActivationsAsync(cluster, expected: 0));
        foreach (var id in ids)
        {
            var ttls = await TimesToLiveAsync(inspect, id);
            Assert.Contains(ttls, k => k.Key.EndsWith(":journal", StringComparison.Ordinal));
            Assert.Contains(ttls, k => k.Key.Contains(":doc:", StringComparison.Ordinal));
            Assert.All(ttls, k => Assert.InRange(k.Ttl ?? TimeSpan.MaxValue, TimeSpan.FromTicks(1), retention));
        }
    }

    [Fact]
    public async Task An_enterprise_whose_line_opens_after_a_decline_keeps_both_decisions_and_its_journal_without_expiry()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        await using var inspect = await redis.ConnectAsync();
        var id = TestEnterprises.Unique();

        var declined = (await cluster.Assessment.Assess(Request(Declined(id), "assess-1"))).Value!;
        var approved = (await cluster.Assessment.Assess(Request(TestApplications.Sound(id, Today), "assess-2"))).Value!;

        Assert.Equal((Outcome.Decline, Outcome.Approve), (declined.Decision!.Outcome, approved.Decision!.Outcome));
        var ttls = await TimesToLiveAsync(inspect, id);
        var kept = ttls.Where(k => !k.Key.Contains(":rq:", StringComparison.Ordinal)).ToArray();
        string[] expected = ["journal", $"doc:{DecisionCodec.AttachmentName(declined.Decision.DecisionId)}", $"doc:{DecisionCodec.AttachmentName(approved.Decision.DecisionId)}"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), kept.Select(k => k.Key[$"dc:{{{id}}}:".Length..]).Order(StringComparer.Ordinal));
        Assert.All(kept, k => Assert.Null(k.Ttl));
        Assert.NotNull((await cluster.Line(id).GetDecision(declined.Decision.DecisionId)).Value);
    }

    /// <remarks>
    /// DECISIONING_BOUND_CALLS sets the number of calls (2,000 by default, half limit checks and
    /// half assessments); docs/security.md records a run at 100,000.
    /// </remarks>
    [Fact]
    public async Task Checks_and_assessments_on_random_codes_keep_Redis_memory_and_silo_activations_within_the_bound_and_everything_they_keep_expires()
    {
        var calls = int.Parse(Environment.GetEnvironmentVariable("DECISIONING_BOUND_CALLS") ?? "2000", CultureInfo.InvariantCulture);
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await LineCluster.StartAsync(redis);
        await using var inspect = await redis.ConnectAsync();
        var codes = RandomCodes(new Random(20261201), calls + 2);
        // Warm: the assessment workers, the script cache and the connections exist before the baseline.
        await cluster.Assessment.Assess(Request(Declined(codes[^1])));
        await cluster.Line(codes[^2]).CheckLimit(1_00);
        await SettledLineActivationsAsync(cluster, expected: 0);
        var (memoryBefore, activationsBefore, persistentBefore) = (await UsedMemoryAsync(inspect), await ActivationsAsync(cluster, null), await PersistentKeysAsync(inspect));

        await Parallel.ForEachAsync(Enumerable.Range(0, calls), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var reason = i % 2 == 0
                ? (await cluster.Line(codes[i]).CheckLimit(1_00)).Error?.Reason
                : (await cluster.Assessment.Assess(Request(i % 4 == 1 ? Declined(codes[i]) : Referred(codes[i])))).Value!.Decision is { Outcome: not Outcome.Approve } ? "LINE_NOT_FOUND" : "A LINE";
            Assert.Equal("LINE_NOT_FOUND", reason);
        });

        var lineActivations = await SettledLineActivationsAsync(cluster, expected: 0);
        var (memoryAfter, activationsAfter, persistentAfter) = (await UsedMemoryAsync(inspect), await ActivationsAsync(cluster, null), await PersistentKeysAsync(inspect));
        var assessments = calls / 2;
        output.WriteLine(
            $"{calls} calls ({assessments} assessments): Redis used_memory {memoryBefore} -> {memoryAfter} bytes, " +
            $"{(memoryAfter - memoryBefore) / (double)assessments:F0} bytes per unlined decision; " +
            $"activations {activationsBefore} -> {activationsAfter}, of credit lines {lineActivations}; keys without expiry {persistentBefore} -> {persistentAfter}");
        foreach (var (key, _) in await TimesToLiveAsync(inspect, codes[1]))
        {
            output.WriteLine($"{key}: {await inspect.GetDatabase().ExecuteAsync("MEMORY", "USAGE", key)} bytes");
        }

        Assert.Equal(0, lineActivations);
        Assert.InRange(activationsAfter, 0, activationsBefore + Environment.ProcessorCount);
        Assert.InRange(memoryAfter - memoryBefore, long.MinValue, assessments * BytesPerUnlinedDecision);
        Assert.Equal(persistentBefore, persistentAfter);

        // The referral index is a fixed set of keys (a hash and an expiry set per partition): each
        // referral of an enterprise without a line goes from it with the enterprise's records.
        var db = inspect.GetDatabase();
        for (var p = 0; p < 16; p++)
        {
            Assert.Equal(await db.HashLengthAsync($"dc:referrals:{p}"), await db.SortedSetLengthAsync($"dc:referrals:{p}:expiry"));
        }
    }

    internal static AssessRequest Request(CreditApplication application, string requestId = "assess-1") =>
        new() { Actor = LineCluster.Caller, RequestId = requestId, Application = application };

    /// <summary>Currently overdue at the credit bureau: a knock-out.</summary>
    internal static CreditApplication Declined(string id)
    {
        var sound = TestApplications.Sound(id, Today);
        return sound with { Financing = sound.Financing! with { CurrentlyOverdue = true, MaxOverdueDaysLast12Months = 12, MaxOverdueDaysLast24Months = 12 } };
    }

    /// <summary>No credit-bureau report: a person must look.</summary>
    internal static CreditApplication Referred(string id) => TestApplications.Sound(id, Today) with { Financing = null };

    /// <summary>Distinct valid codes drawn at random over the whole nine-digit range.</summary>
    internal static string[] RandomCodes(Random random, int count)
    {
        var numbers = new HashSet<long>();
        while (numbers.Count < count)
        {
            numbers.Add(random.NextInt64(0, 1_000_000_000));
        }

        return [.. numbers.Select(TestEnterprises.Id)];
    }

    private static async Task<long> UsedMemoryAsync(ConnectionMultiplexer connection)
    {
        var memory = (await Server(connection).InfoAsync("memory")).SelectMany(g => g).First(p => p.Key == "used_memory");
        return long.Parse(memory.Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Keys that never expire.</summary>
    /// <summary>
    /// Keys without expiry, the event streams aside: a fixed number of them (the partitions), whose
    /// length the trimmer bounds (docs/events.md), whatever the number of enterprises.
    /// </summary>
    private static async Task<int> PersistentKeysAsync(ConnectionMultiplexer connection)
    {
        var count = 0;
        await foreach (var key in Server(connection).KeysAsync(pageSize: 1000))
        {
            // The event streams and the referral index: one or two keys per partition, however many enterprises.
            var partitioned = key.ToString().StartsWith("dc:events:", StringComparison.Ordinal) || key.ToString().StartsWith("dc:referrals:", StringComparison.Ordinal);
            count += !partitioned && await connection.GetDatabase().KeyTimeToLiveAsync(key) is null ? 1 : 0;
        }

        return count;
    }

    internal static IServer Server(ConnectionMultiplexer connection) => connection.GetServer(connection.GetEndPoints()[0]);

    /// <summary>
    /// Line activations, once they have settled at <paramref name="expected"/> or after a generous
    /// wait: a deactivation on idle runs after the call that asked for it has been answered.
    /// </summary>
    internal static async Task<int> SettledLineActivationsAsync(LineCluster cluster, int expected)
    {
        var count = -1;
        for (var attempt = 0; attempt < 300 && count != expected; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(100);
            }

            count = await ActivationsAsync(cluster, typeof(CreditLineGrain));
        }

        return count;
    }

    /// <summary>Activations in the silo, of one grain class or (null) of all.</summary>
    internal static async Task<int> ActivationsAsync(LineCluster cluster, Type? grainClass)
    {
        var statistics = await cluster.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics
            .Where(s => grainClass is null || s.GrainType.Contains(grainClass.FullName!, StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
    }

    internal static async Task<(string Key, TimeSpan? Ttl)[]> TimesToLiveAsync(ConnectionMultiplexer connection, string enterpriseId)
    {
        var keys = new List<(string, TimeSpan?)>();
        await foreach (var key in Server(connection).KeysAsync(pattern: $"dc:{{{enterpriseId}}}:*"))
        {
            keys.Add((key.ToString(), await connection.GetDatabase().KeyTimeToLiveAsync(key)));
        }

        return [.. keys];
    }
}
