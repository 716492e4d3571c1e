using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Decisioning.Grains.Hosting;

public sealed class RedisOptions
{
    public const string Section = "Decisioning:Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>, or with an ACL user,
    /// its password and TLS: <c>redis.internal:6380,user=decisioning,password=…,ssl=true</c>.
    /// Through Sentinel: the sentinels and the service name, <c>10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379,serviceName=decisioning</c>.
    /// A Redis Cluster: some of its nodes, <c>10.0.1.1:6379,10.0.1.2:6379,10.0.1.3:6379</c>.
    /// Holds a secret: only <see cref="Redacted"/> may appear in a log line or an error message.
    /// </summary>
    [Required]
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>The configuration without its password, for messages.</summary>
    public string Redacted() => ConfigurationOptions.Parse(Configuration).ToString(includePassword: false);

    /// <summary>
    /// Skip the check that Redis runs with AOF <c>appendfsync always</c> and no eviction. Only for a
    /// throwaway development instance: without them an acknowledged change can be lost.
    /// </summary>
    public bool AllowUnsafeDevInstance { get; set; }

    /// <summary>
    /// Replicas that must hold a change (Redis <c>WAIT</c>) before it is acknowledged; 0 for a single
    /// Redis. A change that fewer replicas confirm within <see cref="ReplicaAckTimeout"/> is an unknown
    /// outcome: the caller gets UNAVAILABLE and retries with the same request id.
    /// </summary>
    [Range(0, MaxReplicas)]
    public int MinReplicasAcked { get; set; }

    /// <summary>How long a commit waits for <see cref="MinReplicasAcked"/> replicas; below the client's 5 s command timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:04")]
    public TimeSpan ReplicaAckTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// 0: each enterprise's keys carry its own hash tag (<c>dc:{id}:…</c>), the layout of existing
    /// data. N &gt; 0: they carry one of N partition tags (<c>dc:{p7}:id:…</c>), so that on a Redis
    /// Cluster the commits of many enterprises share a slot and leave in one script. Changing it
    /// makes stored lines unreadable: it is chosen once, before the first line is stored.
    /// </summary>
    [Range(0, MaxKeyPartitions)]
    public int KeyPartitions { get; set; }

    /// <summary>Replicas a primary may be asked to wait for, at most.</summary>
    public const int MaxReplicas = 16;

    /// <summary>Partitions at most: one Redis Cluster has 16,384 slots.</summary>
    public const int MaxKeyPartitions = 16384;
}
