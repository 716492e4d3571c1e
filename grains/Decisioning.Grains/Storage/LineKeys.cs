using System.IO.Hashing;
using System.Text;
using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

/// <summary>
/// The names of an enterprise's keys. Every key of one enterprise carries the same hash tag, so a
/// commit's keys live in one Redis Cluster slot: either the enterprise's own id (the layout of
/// existing data) or, with <c>partitions</c> &gt; 0, a partition of the enterprises (<c>p0</c>…),
/// chosen by a hash that stays the same in every process and every release (xxHash32 of the
/// id's UTF-8 bytes), so that the commits of many enterprises can share one script.
/// </summary>
internal sealed class LineKeys(string prefix, int partitions)
{
    public RedisKey Journal(string id) => For(id).Journal;

    public RedisKey Unlined(string id) => For(id).Unlined;

    public RedisKey Request(string id, string requestKey) => For(id).Request(requestKey);

    public RedisKey Attachment(string id, string name) => For(id).Attachment(name);

    /// <summary>Read only: lines stored before the state moved into the journal.</summary>
    public RedisKey LegacyLine(string id) => For(id).LegacyLine;

    /// <summary>Every key name of one enterprise, from its hash tag worked out once (a commit names several).</summary>
    public EnterpriseKeys For(string id) =>
        new(partitions == 0 ? $"{prefix}:{{{id}}}:" : $"{prefix}:{{p{Partition(id, partitions)}}}:{id}:");

    /// <summary>The partition of an enterprise, 0 to <paramref name="count"/> - 1.</summary>
    public static int Partition(string id, int count) => (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(id)) % (uint)count);
}

/// <summary>The keys of one enterprise: <paramref name="Base"/> (prefix and hash tag) and a suffix each.</summary>
internal readonly record struct EnterpriseKeys(string Base)
{
    public RedisKey Journal => Base + "journal";

    public RedisKey Unlined => Base + "unlined";

    public RedisKey LegacyLine => Base + "line";

    /// <summary>The daily reminder's mark (<see cref="Lines.DailyReminders"/>): written outside commits, never part of one.</summary>
    public RedisKey DailyReminder => Base + "daily";

    public RedisKey Request(string requestKey) => Base + "rq:" + requestKey;

    public RedisKey Attachment(string name) => Base + "doc:" + name;
}
