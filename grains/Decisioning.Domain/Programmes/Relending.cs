using System.Collections.Immutable;
using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Programmes;

/// <summary>
/// One period of the central bank's technology re-lending quota (科技再贷款): from <see cref="From"/>
/// to <see cref="Until"/> (both inclusive) the bank may fund up to <see cref="AmountMinor"/> of its
/// eligible loans, each loan <see cref="ShareBps"/> of its principal, paying <see cref="BankRateBps"/>
/// for the funding.
/// </summary>
public sealed record RelendingPeriod
{
    public required string Name { get; init; }
    public required long AmountMinor { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly Until { get; init; }
    public required int ShareBps { get; init; }
    public required int BankRateBps { get; init; }

    public bool Covers(DateOnly day) => day >= From && day <= Until;
}

/// <summary>
/// The arithmetic of the re-lending quota. The quota is kept by a grain in Redis; each eligible line
/// holds a lease of it (reserved there, atomically) and consumes it in its own commits, so that a
/// draw never waits for the quota. What the quota counts for a line is never less than what the line
/// holds (lease plus funded principal): grants are counted before the line records them, give-backs
/// after, and a grant the line never recorded stays counted until the line next tells the quota what
/// it holds (<see cref="QuotaBook"/>).
/// </summary>
public static class Relending
{
    /// <summary>A table longer than this is a configuration mistake, not a policy.</summary>
    public const int MaxPeriods = 32;

    public const int MaxNameLength = 64;

    /// <summary>The actor of lease changes: the system, as for expiries.</summary>
    public const string SystemActor = "system";

    /// <summary>A lease never asks for more than this in one go: a line's lease is a few draws' worth, not its limit.</summary>
    public const long MaxLeaseChunkMinor = Limits.MaxAmountMinor;

    /// <summary>The part of a loan of <paramref name="amountMinor"/> the quota funds: rounded down, never more than the share.</summary>
    public static long Funded(long amountMinor, int shareBps) =>
        (long)((Int128)amountMinor * shareBps / AssessmentLimits.BasisPoints);

    /// <summary>
    /// What a repayment of <paramref name="principalMinor"/> gives back to the line's lease: the share
    /// of it, at most what is funded, and all of it once nothing is drawn (so rounding leaves nothing behind).
    /// </summary>
    public static long Returned(long principalMinor, long drawnAfterMinor, long fundedMinor, int shareBps) =>
        drawnAfterMinor == 0 ? fundedMinor : Math.Min(fundedMinor, Funded(principalMinor, shareBps));

    /// <summary>
    /// The change a line's lease needs: a grant (positive) when its lease is below half a chunk and
    /// the line could still use more, a give-back (negative) of what is above two chunks, or all of it
    /// when the line no longer takes funded draws; 0 otherwise.
    /// </summary>
    public static long LeaseChange(long leaseMinor, long fundedMinor, long capMinor, long chunkMinor, bool takesDraws)
    {
        if (!takesDraws)
        {
            return -leaseMinor;
        }

        if (leaseMinor > 2 * chunkMinor)
        {
            return chunkMinor - leaseMinor;
        }

        if (leaseMinor * 2 >= chunkMinor)
        {
            return 0;
        }

        var room = checked(capMinor - fundedMinor - leaseMinor);
        return Math.Max(0, Math.Min(chunkMinor - leaseMinor, room));
    }

    /// <summary>
    /// The decision as it stands when the quota has no room: the rate without the re-lending
    /// discount (base + risk premium, never below the floor), and the reason, after the product's
    /// reasons and before the scorecard's. A decision without the discount is returned as it is.
    /// </summary>
    public static Decision WithoutDiscount(Decision decision)
    {
        if (decision.Rate.RelendingDiscountBps == 0)
        {
            return decision;
        }

        var rate = decision.Rate;
        var computed = checked(rate.BaseRateBps + rate.RiskPremiumBps);
        var reasons = decision.Reasons.ToList();
        var at = reasons.FindIndex(r => r.Kind == ReasonKind.Score);
        reasons.Insert(at < 0 ? reasons.Count : at, new Reason(ReasonCodes.RelendingQuotaExhausted, ReasonKind.Product));
        return decision with
        {
            Rate = rate with { RelendingDiscountBps = 0, FloorApplied = computed < rate.FloorBps, AnnualRateBps = Math.Max(computed, rate.FloorBps) },
            Reasons = [.. reasons],
        };
    }

    /// <summary>The period covering <paramref name="day"/>, or null.</summary>
    public static RelendingPeriod? Covering(IReadOnlyList<RelendingPeriod> periods, DateOnly day)
    {
        foreach (var period in periods)
        {
            if (period.Covers(day))
            {
                return period;
            }
        }

        return null;
    }

    /// <summary>Every problem of a table, as sentences naming the period and its setting; empty when it is usable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<RelendingPeriod> periods)
    {
        var problems = new List<string>();
        if (periods.Count > MaxPeriods)
        {
            problems.Add($"at most {MaxPeriods} periods may be configured, not {periods.Count}");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < periods.Count; i++)
        {
            var p = periods[i];
            var at = $"period {i} ({p.Name})";
            if (string.IsNullOrWhiteSpace(p.Name) || p.Name.Length > MaxNameLength || !p.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                problems.Add($"period {i}: Name must be 1 to {MaxNameLength} letters, digits and - _ .");
            }
            else if (!names.Add(p.Name))
            {
                problems.Add($"{at}: Name appears twice");
            }

            if (p.AmountMinor is < 1 or > Limits.MaxQuotaMinor)
            {
                problems.Add($"{at}: AmountMinor must be from 1 to {Limits.MaxQuotaMinor} fen, not {p.AmountMinor}");
            }

            if (p.ShareBps is < 1 or > AssessmentLimits.BasisPoints)
            {
                problems.Add($"{at}: ShareBps must be from 1 to {AssessmentLimits.BasisPoints}, not {p.ShareBps}");
            }

            if (p.BankRateBps is < 0 or > Limits.MaxAnnualRateBps)
            {
                problems.Add($"{at}: BankRateBps must be from 0 to {Limits.MaxAnnualRateBps}, not {p.BankRateBps}");
            }

            if (p.From == default || p.Until == default)
            {
                problems.Add($"{at}: From and Until are required (yyyy-MM-dd)");
            }
            else if (p.Until < p.From)
            {
                problems.Add($"{at}: Until ({p.Until:yyyy-MM-dd}) must not be before From ({p.From:yyyy-MM-dd})");
            }
        }

        for (var i = 0; i < periods.Count; i++)
        {
            for (var j = i + 1; j < periods.Count; j++)
            {
                if (periods[i].From <= periods[j].Until && periods[j].From <= periods[i].Until)
                {
                    problems.Add($"period {i} ({periods[i].Name}) and period {j} ({periods[j].Name}) overlap: a day belongs to one period");
                }
            }
        }

        return problems;
    }
}

/// <summary>
/// What the quota grain keeps for one line: what it counts as the line's (<see cref="HeldMinor"/>:
/// the line's lease and funded principal, or more) and the lease version it last saw.
/// </summary>
public readonly record struct QuotaHolding(long HeldMinor, long Version);

/// <summary>A lease request answered: the grant (0 when the quota has no room), or stale with the version the quota saw.</summary>
public sealed record LeaseAnswer(long GrantedMinor, bool Stale, long Version);

/// <summary>A line's request for a lease change (<see cref="QuotaBook.Lease"/>), in the period it names.</summary>
public sealed record LeaseRequest(string Period, string LineId, long Version, long HoldingMinor, long WantMinor);

/// <summary>One month of a quota period: the change of what lines hold in it, and what they held at its end.</summary>
public sealed record RelendingMonth(string Month, long ChangeMinor, long UsedMinor);

/// <summary>
/// A quota period as GetRelendingQuota reports it. <see cref="UsedMinor"/> is what the lines hold:
/// their funded principal and the leases they have not used yet (quota reserved for a line is used
/// as far as any other line is concerned).
/// </summary>
public sealed record RelendingQuotaView
{
    public required RelendingPeriod Period { get; init; }
    public required long UsedMinor { get; init; }
    public required ImmutableArray<RelendingMonth> Months { get; init; }

    public long ConfiguredMinor => Period.AmountMinor;

    public long AvailableMinor => Math.Max(0, Period.AmountMinor - UsedMinor);
}

/// <summary>
/// The quota's ledger, as quota.lua keeps it (this is its model, and the tests' oracle). A line asks
/// with the lease version it has durably recorded and what it holds at that version. A version
/// below the one the quota saw is stale (another activation asked since, or this line's earlier grant
/// was never recorded): nothing changes, and the line records the quota's version before asking
/// again. Otherwise the quota believes the line (a grant it never recorded is reclaimed, a give-back
/// whose message was lost is counted) and grants what it can; a grant moves the line's version on by one.
/// Versions only move through the line's own fenced commits, so no stale activation can lower what
/// the quota counts for a line below what the line holds.
/// </summary>
public sealed record QuotaBook(long ConfiguredMinor, long UsedMinor, ImmutableDictionary<string, QuotaHolding> Lines)
{
    public static QuotaBook Empty(long configuredMinor) => new(configuredMinor, 0, ImmutableDictionary<string, QuotaHolding>.Empty);

    public long AvailableMinor => Math.Max(0, ConfiguredMinor - UsedMinor);

    public (QuotaBook Book, LeaseAnswer Answer) Lease(string line, long version, long holdingMinor, long wantMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(holdingMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(wantMinor);
        var known = Lines.GetValueOrDefault(line);
        if (version < known.Version)
        {
            return (this, new LeaseAnswer(0, true, known.Version));
        }

        var used = checked(UsedMinor - known.HeldMinor + holdingMinor);
        var granted = Math.Min(wantMinor, Math.Max(0, ConfiguredMinor - used));
        var after = new QuotaHolding(checked(holdingMinor + granted), granted > 0 ? version + 1 : version);
        return (new QuotaBook(ConfiguredMinor, checked(used + granted), Lines.SetItem(line, after)), new LeaseAnswer(granted, false, after.Version));
    }
}
