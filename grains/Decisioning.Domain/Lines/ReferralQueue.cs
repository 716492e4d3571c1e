using System.Collections.Immutable;
using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Lines;

/// <summary>One referral of the queue: its enterprise, the referral, and its age today.</summary>
public sealed record QueuedReferral(string EnterpriseId, Referral Referral, ReferralAge Age);

/// <summary>What ListReferrals asks for. No statuses: the open ones.</summary>
public sealed record ReferralFilter
{
    public ImmutableArray<ReferralStatus> Statuses { get; init; } = [];
    public Product Product { get; init; }
    public string Assignee { get; init; } = "";
    public int MinAgeWorkingDays { get; init; }
    public bool AboutToBreachOnly { get; init; }

    public bool Admits(QueuedReferral q) =>
        (Statuses.IsEmpty ? q.Referral.IsOpen : Statuses.Contains(q.Referral.Status))
        && (Product == Product.None || q.Referral.Product == Product)
        && (Assignee.Length == 0 || q.Referral.AssignedTo == Assignee)
        && q.Age.WorkingDays >= MinAgeWorkingDays
        && (!AboutToBreachOnly || q.Age.AboutToBreach);
}

/// <summary>
/// The referral queue: every indexed referral, filtered, oldest first (ties by decision id), paged
/// after the position of the last one a page gave (<see cref="Position"/>), so a page never repeats
/// or skips one that was there before.
/// </summary>
public static class ReferralQueue
{
    public static (ImmutableArray<QueuedReferral> Page, QueuedReferral? Last) Page(
        IEnumerable<(string EnterpriseId, Referral Referral)> indexed,
        ReferralFilter filter,
        DateOnly today,
        WorkingCalendar calendar,
        int pageSize,
        (long ReferUnixMs, string DecisionId)? after)
    {
        var admitted = indexed
            .Select(i => new QueuedReferral(i.EnterpriseId, i.Referral, i.Referral.AgeOn(today, calendar)))
            .Where(filter.Admits)
            .Where(q => after is not { } a || Compare(Position(q), a) > 0)
            .OrderBy(q => q.Referral.ReferredAt)
            .ThenBy(q => q.Referral.DecisionId, StringComparer.Ordinal)
            .Take(pageSize + 1)
            .ToList();
        var page = admitted.Take(pageSize).ToImmutableArray();
        return (page, admitted.Count > pageSize ? page[^1] : null);
    }

    public static (long ReferUnixMs, string DecisionId) Position(QueuedReferral q) => (q.Referral.ReferredAt.ToUnixTimeMilliseconds(), q.Referral.DecisionId);

    private static int Compare((long Ms, string Id) x, (long Ms, string Id) y) =>
        x.Ms != y.Ms ? x.Ms.CompareTo(y.Ms) : string.CompareOrdinal(x.Id, y.Id);
}
