using System.Globalization;

namespace Decisioning.Grains.Events;

/// <summary>A consumer group of one stream, as XINFO GROUPS and XPENDING describe it.</summary>
/// <param name="LastDeliveredId">The newest id delivered to the group (0-0: none).</param>
/// <param name="Pending">Delivered and not acknowledged.</param>
/// <param name="LowestPendingId">The oldest of those, when there are any.</param>
/// <param name="EntriesRead">How many of the stream's events the group has been delivered (Redis 7), when Redis knows.</param>
/// <param name="Lag">How many it has not been delivered yet, when Redis knows.</param>
public readonly record struct ConsumerGroupState(string Name, string LastDeliveredId, long Pending, string? LowestPendingId, long? EntriesRead = null, long? Lag = null);

/// <summary>
/// Below what a stream may be trimmed: every event every group has acknowledged. A group has
/// acknowledged everything before its oldest pending event or, with none pending, everything it
/// was delivered; the floor is the lowest of those over the groups (XTRIM MINID keeps it and all
/// above). No group: no floor (only the length cap trims).
/// </summary>
public static class TrimFloor
{
    public static string? Of(IEnumerable<ConsumerGroupState> groups)
    {
        (ulong Ms, ulong Seq)? floor = null;
        foreach (var group in groups)
        {
            var kept = group.Pending > 0 && group.LowestPendingId is { } oldest ? Parse(oldest) : Next(Parse(group.LastDeliveredId));
            if (floor is not { } lowest || kept.CompareTo(lowest) < 0)
            {
                floor = kept;
            }
        }

        return floor is { } f ? Format(f) : null;
    }

    /// <summary>
    /// Whether trimming took events the group had not acknowledged: a pending one below
    /// <paramref name="firstKeptId"/>, or one never delivered (the stream has dropped more of its
    /// oldest events, <paramref name="removed"/>, than the group was delivered).
    /// </summary>
    public static bool LostEvents(ConsumerGroupState group, long removed, string firstKeptId)
    {
        var first = Parse(firstKeptId);
        if (group.Pending > 0 && group.LowestPendingId is { } oldest && Parse(oldest).CompareTo(first) < 0)
        {
            return true;
        }

        return group.EntriesRead is { } read ? removed > read : Next(Parse(group.LastDeliveredId)).CompareTo(first) < 0 && removed > 0;
    }

    private static (ulong Ms, ulong Seq) Next((ulong Ms, ulong Seq) id) => id.Seq == ulong.MaxValue ? (id.Ms + 1, 0) : (id.Ms, id.Seq + 1);

    private static (ulong Ms, ulong Seq) Parse(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? (ulong.Parse(id, CultureInfo.InvariantCulture), 0)
            : (ulong.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), ulong.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }

    private static string Format((ulong Ms, ulong Seq) id) => id.Ms.ToString(CultureInfo.InvariantCulture) + "-" + id.Seq.ToString(CultureInfo.InvariantCulture);
}
