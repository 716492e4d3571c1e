using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Grains.Assessment;
using Decisioning.Grains.Events;
using Decisioning.Grains.Hosting;
using Decisioning.Grains.Storage;
using Decisioning.Testing;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

/// <summary>One 3-primary, 3-replica Redis Cluster on loopback, shared by the tests of a class.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public RedisCluster Redis { get; private set; } = null!;

    public async Task InitializeAsync() => Redis = await RedisCluster.StartAsync();

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}

/// <summary>The storage on a sharded Redis Cluster: every script stays within one slot.</summary>
public sealed class RedisClusterTests(RedisClusterFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private const int Lines = 40;
    private const int DrawsPerLine = 4;
    private static readonly DateOnly Today = BusinessCalendar.DateOf(LineCluster.Start);

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public async Task Concurrent_draws_over_many_enterprises_all_commit_and_journal_once_each(int keyPartitions)
    {
        await using var cluster = await LineCluster.StartAsync(fixture.Redis.Configuration, settings: Settings(keyPartitions, minReplicasAcked: 0));
        var ids = Enumerable.Range(0, Lines).Select(_ => TestEnterprises.Unique()).ToArray();

        var draws = await DrawOnEveryLineAsync(cluster, ids);

        Assert.All(draws.SelectMany(d => d), d => Assert.True(d.Value?.Approved, d.Error?.ToString()));
        foreach (var id in ids)
        {
            Assert.Equal(DrawsPerLine * 1_000, (await cluster.Line(id).GetLine()).Value!.DrawnMinor);
            var journal = (await cluster.Line(id).ListTransactions(50, 0)).Value!.Entries;
            Assert.All(Enumerable.Range(0, DrawsPerLine), i => Assert.Single(journal, e => e.RequestId == $"d-{i}"));
        }
    }

    [Fact]
    public async Task With_key_partitions_each_commits_events_land_in_its_partitions_stream_and_read_back_one_per_journal_entry()
    {
        await using var cluster = await LineCluster.StartAsync(fixture.Redis.Configuration, settings: Settings(keyPartitions: 16, minReplicasAcked: 0));
        var ids = Enumerable.Range(0, Lines).Select(_ => TestEnterprises.Unique()).ToArray();
        await DrawOnEveryLineAsync(cluster, ids);
        await using var connection = await fixture.Redis.ConnectAsync();
        var streams = new EventStreams("dc", 16, 0);
        var reader = new EventReader(connection, streams);

        // The streams live in 16 slots over three shards: one read goes to each slot, together.
        var cursor = await reader.StartAsync(fromOldest: true);
        var sequences = new Dictionary<string, List<long>>();
        var partitions = Enumerable.Range(0, streams.Count).ToArray();
        for (var more = true; more;)
        {
            (var events, more) = await reader.ReadAsync(cursor, partitions, 50);
            foreach (var stored in events)
            {
                cursor.Advance(stored.Partition, stored.Position);
                Assert.Equal(streams.PartitionOf(stored.Event.EnterpriseId), stored.Partition);
                (sequences.TryGetValue(stored.Event.EnterpriseId, out var seen) ? seen : sequences[stored.Event.EnterpriseId] = []).Add(stored.Event.Entry.Sequence);
            }
        }

        Assert.Equal(16, partitions.Select(p => connection.HashSlot(streams.Key(p))).Distinct().Count());
        foreach (var id in ids)
        {
            var journaled = (await cluster.Line(id).GetLine()).Value!.Sequence;
            Assert.Equal(Enumerable.Range(1, (int)journaled).Select(s => (long)s), sequences[id]);
        }
    }

    [Fact]
    public async Task With_key_partitions_a_script_carries_the_commits_of_several_lines_and_each_is_confirmed_on_a_replica()
    {
        await using var cluster = await LineCluster.StartAsync(fixture.Redis.Configuration, settings: Settings(keyPartitions: 16, minReplicasAcked: 1));
        var ids = Enumerable.Range(0, Lines).Select(_ => TestEnterprises.Unique()).ToArray();
        var primaries = await fixture.Redis.PrimariesAsync();
        var scriptsBefore = await ScriptCallsAsync(primaries);

        var draws = await DrawOnEveryLineAsync(cluster, ids);
        var scripts = await ScriptCallsAsync(primaries) - scriptsBefore;

        Assert.All(draws.SelectMany(d => d), d => Assert.True(d.Value?.Approved, d.Error?.ToString()));
        // Each line commits its opening and each draw on its own, one after another.
        var commits = Lines * (1 + DrawsPerLine);
        output.WriteLine($"{scripts} scripts for at least {commits} line commits");
        Assert.InRange(scripts, 1, commits - 1);
        await using var connection = await fixture.Redis.ConnectAsync();
        var keys = new LineKeys("dc", 16);
        foreach (var id in ids)
        {
            Assert.Equal((await cluster.Line(id).ListTransactions(50, 0)).Value!.Entries.Length, await connection.GetDatabase().StreamLengthAsync(keys.Journal(id)));
        }
    }

    [Fact]
    public async Task Exclusions_assessments_and_cached_provider_answers_work_on_a_Redis_Cluster()
    {
        await using var cluster = await LineCluster.StartAsync(fixture.Redis.Configuration, settings: Settings(keyPartitions: 16, minReplicasAcked: 1));
        var excluded = TestEnterprises.Unique();
        var sound = TestApplications.SimulatedApprovedEnterprise(cluster.SiloService<DecisionModels>().Champion, Today, 700_000);
        var list = cluster.Grains.GetGrain<IExclusionListGrain>(0);

        var change = await list.Change(new ExclusionCommand(ExclusionChangeKind.Added, excluded, $"add-{excluded}", "fraud referral") { Actor = "officer-7" });
        var declined = (await cluster.Assessment.Assess(Assess(TestApplications.Sound(excluded, Today), fetch: false))).Value!;
        await cluster.GrantConsent(sound);
        var fetched = (await cluster.Assessment.Assess(Assess(TestApplications.ToFetch(sound, Today), fetch: true))).Value!;
        var cached = (await cluster.Assessment.Assess(Assess(TestApplications.ToFetch(sound, Today), fetch: true, "assess-2"))).Value!;

        Assert.Null(change.Error);
        Assert.Equal(Outcome.Decline, declined.Decision!.Outcome);
        Assert.Contains("ON_BANK_EXCLUSION_LIST", declined.Decision.ReasonCodes);
        Assert.Equal(Outcome.Approve, fetched.Decision!.Outcome);
        Assert.All(cached.ExternalData, use => Assert.Equal(DataSource.Cached, use.Source));
        Assert.NotNull((await cluster.Line(sound).GetDecision(fetched.Decision.DecisionId)).Value);
    }

    [Fact]
    public async Task The_start_up_check_inspects_every_node_of_a_Redis_Cluster()
    {
        await using var connection = await fixture.Redis.ConnectAsync();
        var primary = (await fixture.Redis.PrimariesAsync())[^1];
        var server = connection.GetServer("127.0.0.1", primary.Port);

        var healthy = await RedisSafetyCheck.InspectAsync(connection, minReplicasAcked: 1);
        await server.ConfigSetAsync("appendfsync", "everysec");
        RedisFindings lax;
        try
        {
            lax = await RedisSafetyCheck.InspectAsync(connection, minReplicasAcked: 1);
        }
        finally
        {
            await server.ConfigSetAsync("appendfsync", "always");
        }

        Assert.Equal(6, connection.GetServers().Length);
        Assert.Empty(healthy.Unusable.Concat(healthy.NotDurable).Concat(healthy.ReplicaShortfall));
        Assert.Equal([$"{server.EndPoint}: appendfsync is 'everysec', not 'always'"], lax.NotDurable);
    }

    private static Dictionary<string, string?> Settings(int keyPartitions, int minReplicasAcked) => new()
    {
        // Without key partitions no event stream can share the lines' slots (RedisSafetyCheck refuses it).
        [$"{EventOptions.Section}:{nameof(EventOptions.Enabled)}"] = keyPartitions > 0 ? "true" : "false",
        [$"{RedisOptions.Section}:{nameof(RedisOptions.KeyPartitions)}"] = keyPartitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"{RedisOptions.Section}:{nameof(RedisOptions.MinReplicasAcked)}"] = minReplicasAcked.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static AssessRequest Assess(CreditApplication application, bool fetch, string requestId = "assess-1") =>
        new() { Actor = LineCluster.Caller, RequestId = requestId, Application = application, FetchExternalData = fetch };

    /// <summary>Opens every line, then draws on all of them at once, each line's draws one after another.</summary>
    private static async Task<Result<OperationResult>[][]> DrawOnEveryLineAsync(LineCluster cluster, string[] ids)
    {
        await Task.WhenAll(ids.Select(id => cluster.Line(id).OpenApproved("open", 1_000_000, 300, 365, Product.OperatingQuickLoan, "staff")));
        return await Task.WhenAll(ids.Select(async id =>
        {
            var replies = new Result<OperationResult>[DrawsPerLine];
            for (var i = 0; i < DrawsPerLine; i++)
            {
                replies[i] = await cluster.Line(id).Draw($"d-{i}", 1_000, "test");
            }

            return replies;
        }));
    }

    /// <summary>Scripts the primaries ran (EVAL and EVALSHA calls), from their own statistics.</summary>
    private static async Task<long> ScriptCallsAsync(IReadOnlyList<RedisServer> primaries)
    {
        long calls = 0;
        foreach (var primary in primaries)
        {
            await using var connection = await primary.ConnectAsync();
            var stats = (await connection.GetServer("127.0.0.1", primary.Port).InfoAsync("commandstats")).SelectMany(g => g);
            calls += stats.Where(p => p.Key is "cmdstat_eval" or "cmdstat_evalsha")
                .Sum(p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }

        return calls;
    }
}
