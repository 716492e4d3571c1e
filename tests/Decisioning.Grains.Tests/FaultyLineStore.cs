using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Decisioning.Grains.Tests;

/// <summary>
/// The real Redis store, with faults a test arms for one enterprise's next commit: held until the
/// test lets it through, fails it, or never answers it; or answered with an outcome the write loop
/// cannot read. Every other call goes to Redis as it is.
/// </summary>
internal sealed class FaultyLineStore(RedisLineStore inner) : ILineStore
{
    private readonly ConcurrentDictionary<string, Func<Func<Task<CommitOutcome>>, Task<CommitOutcome>>> _next = new(StringComparer.Ordinal);

    /// <summary>Registers the store in a silo, in place of the plain one.</summary>
    public static void Register(IServiceCollection services) => services
        .AddSingleton<RedisLineStore>()
        .AddSingleton<FaultyLineStore>()
        .AddSingleton<ILineStore>(sp => sp.GetRequiredService<FaultyLineStore>());

    /// <summary>Starts a silo with this store over <paramref name="redis"/>.</summary>
    public static async Task<(LineCluster Cluster, FaultyLineStore Store)> StartAsync(RedisServer redis)
    {
        var cluster = await LineCluster.StartAsync(redis, services: Register);
        return (cluster, cluster.SiloService<FaultyLineStore>());
    }

    /// <summary>Holds the next commit of <paramref name="enterpriseId"/> at the gate; nothing reaches Redis until the gate lets it.</summary>
    public CommitGate HoldNextCommit(string enterpriseId)
    {
        var gate = new CommitGate();
        _next[enterpriseId] = gate.PassAsync;
        return gate;
    }

    /// <summary>Lets the next commit of <paramref name="enterpriseId"/> reach Redis, and holds its outcome from the line until the gate delivers it.</summary>
    public OutcomeGate HoldNextOutcome(string enterpriseId)
    {
        var gate = new OutcomeGate();
        _next[enterpriseId] = gate.HoldAsync;
        return gate;
    }

    /// <summary>
    /// Answers the next <paramref name="times"/> commits of <paramref name="enterpriseId"/>, unwritten,
    /// as the fence does when another activation wrote first (storage ahead of the writer).
    /// </summary>
    public void FenceNextCommits(string enterpriseId, int times)
    {
        var left = times;
        _next[enterpriseId] = Fence;

        Task<CommitOutcome> Fence(Func<Task<CommitOutcome>> commit)
        {
            if (--left > 0)
            {
                _next[enterpriseId] = Fence;
            }

            return Task.FromResult<CommitOutcome>(new StaleOutcome(long.MaxValue));
        }
    }

    /// <summary>Answers the next commit of <paramref name="enterpriseId"/>, unwritten, with duplicates the write loop throws on reading.</summary>
    public void BreakNextOutcome(string enterpriseId) =>
        _next[enterpriseId] = _ => Task.FromResult<CommitOutcome>(new DuplicatesOutcome(new ThrowingDictionary()));

    public Task<CommitOutcome> CommitAsync(string enterpriseId, LineState before, LineState after, IReadOnlyList<CommitItem> batch) =>
        _next.TryRemove(enterpriseId, out var fault)
            ? fault(() => inner.CommitAsync(enterpriseId, before, after, batch))
            : inner.CommitAsync(enterpriseId, before, after, batch);

    public Task<LineState> LoadAsync(string enterpriseId) => inner.LoadAsync(enterpriseId);

    public Task<byte[]?> ReadAttachmentAsync(string enterpriseId, string name) => inner.ReadAttachmentAsync(enterpriseId, name);

    public Task<StoredRequest?> FindRequestAsync(string enterpriseId, string requestKey) => inner.FindRequestAsync(enterpriseId, requestKey);

    public Task<(StoredRequest? First, long StoredSequence)> FindRequestAndSequenceAsync(string enterpriseId, string requestKey) =>
        inner.FindRequestAndSequenceAsync(enterpriseId, requestKey);

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(string enterpriseId, long beforeSequence, int count) =>
        inner.ReadJournalAsync(enterpriseId, beforeSequence, count);

    /// <summary>A bug's stand-in: any read of it throws.</summary>
    private sealed class ThrowingDictionary : IReadOnlyDictionary<int, StoredRequest>
    {
        public int Count => throw Bug();

        public IEnumerable<int> Keys => throw Bug();

        public IEnumerable<StoredRequest> Values => throw Bug();

        public StoredRequest this[int key] => throw Bug();

        public bool ContainsKey(int key) => throw Bug();

        public bool TryGetValue(int key, [MaybeNullWhen(false)] out StoredRequest value) => throw Bug();

        public IEnumerator<KeyValuePair<int, StoredRequest>> GetEnumerator() => throw Bug();

        IEnumerator IEnumerable.GetEnumerator() => throw Bug();

        private static InvalidOperationException Bug() => new("injected: a bug in the write loop");
    }
}

/// <summary>A commit held by <see cref="FaultyLineStore.HoldNextCommit"/>.</summary>
internal sealed class CommitGate
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Func<Func<Task<CommitOutcome>>, Task<CommitOutcome>>> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the commit has reached the store (the line's write is in flight).</summary>
    public Task Entered => _entered.Task;

    /// <summary>The commit goes to Redis.</summary>
    public void Pass() => _release.TrySetResult(commit => commit());

    /// <summary>The commit fails as a lost connection would, unwritten.</summary>
    public void Fail() => _release.TrySetResult(_ => Task.FromException<CommitOutcome>(new RedisException("injected: the connection was lost")));

    public async Task<CommitOutcome> PassAsync(Func<Task<CommitOutcome>> commit)
    {
        _entered.TrySetResult();
        var release = await _release.Task;
        return await release(commit);
    }
}

/// <summary>A commit stored in Redis whose outcome <see cref="FaultyLineStore.HoldNextOutcome"/> holds from its line.</summary>
internal sealed class OutcomeGate
{
    private readonly TaskCompletionSource<CommitOutcome> _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _deliver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the outcome Redis gave the commit, which its line has not been told yet.</summary>
    public Task<CommitOutcome> Stored => _stored.Task;

    /// <summary>The line is told the outcome.</summary>
    public void Deliver() => _deliver.TrySetResult();

    public async Task<CommitOutcome> HoldAsync(Func<Task<CommitOutcome>> commit)
    {
        var outcome = await commit();
        _stored.TrySetResult(outcome);
        await _deliver.Task;
        return outcome;
    }
}
