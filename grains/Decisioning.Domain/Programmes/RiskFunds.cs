using System.Collections.Immutable;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;

namespace Decisioning.Domain.Programmes;

/// <summary>The loans a fund covers: first loans (首贷), renewals (续贷), other loans; any combination.</summary>
[Flags]
public enum FundCover
{
    None = 0,
    FirstLoans = 1,
    Renewals = 2,
    OtherLoans = 4,
}

/// <summary>What set a claim's amount: the fund's share of the principal, its cap per loan, or what was left of its balance. The numbers match decisioning.v1.ClaimLimit.</summary>
public enum ClaimLimit
{
    None = 0,
    Share = 1,
    PerLoanCap = 2,
    Balance = 3,
}

/// <summary>
/// A risk-compensation fund (风险补偿资金, 首贷续贷增信基金): written-off loans of <see cref="Products"/>
/// to enterprises recognised at <see cref="MinSrdiLevel"/> or above, of the kinds it
/// <see cref="Covers"/>, are compensated <see cref="ShareBps"/> of their principal loss, at most
/// <see cref="CapPerLoanMinor"/> a loan, out of <see cref="BalanceMinor"/>.
/// </summary>
public sealed record RiskFund
{
    /// <summary>Stable: claims are recorded under it.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }
    public required FundCover Covers { get; init; }
    public required ImmutableArray<Product> Products { get; init; }

    /// <summary>The lowest recognition that qualifies; <see cref="SrdiLevel.None"/> opens the fund to enterprises without one (but never to a level nobody assessed).</summary>
    public required SrdiLevel MinSrdiLevel { get; init; }

    public required int ShareBps { get; init; }
    public required long CapPerLoanMinor { get; init; }

    /// <summary>The fund's endowment: what its claims may take, recoveries returned to it added back.</summary>
    public required long BalanceMinor { get; init; }

    /// <summary>Whether a loan of this kind, product and recognition qualifies.</summary>
    public bool Qualifies(LoanWrittenOff w) =>
        Products.Contains(w.Product)
        && SrdiLadder.AtLeast(w.SrdiLevel, MinSrdiLevel)
        && (Covers & RiskFunds.KindOf(w)) != FundCover.None;
}

/// <summary>One page of the funds' claims, in order of enterprise and write-off, with every fund's totals.</summary>
/// <param name="Next">The name of the page's last claim when more follow (the next page starts after it); empty at the end.</param>
public sealed record RiskFundPage(ImmutableArray<(RiskFund Fund, FundTotals Totals)> Funds, ImmutableArray<RiskFundClaim> Claims, string Next);

/// <summary>A fund's running figures: claims recorded, what they claimed, and what recoveries returned.</summary>
public readonly record struct FundTotals(long Claims, long ClaimedMinor, long ReturnedMinor)
{
    public long NetClaimedMinor => checked(ClaimedMinor - ReturnedMinor);

    public FundTotals Add(FundTotals d) => new(checked(Claims + d.Claims), checked(ClaimedMinor + d.ClaimedMinor), checked(ReturnedMinor + d.ReturnedMinor));

    /// <summary>What is left of <paramref name="fund"/>'s balance (never below zero, even when the balance was configured down below what was claimed).</summary>
    public long AvailableMinor(RiskFund fund) => Math.Max(0, checked(fund.BalanceMinor - NetClaimedMinor));
}

/// <summary>What the fund shares in: an event of a line, as the risk-fund projection reads it.</summary>
/// <param name="Sequence">The journal sequence of the entry: each applies once.</param>
public abstract record RiskFundEvent(string EnterpriseId, long Sequence, DateTimeOffset At);

/// <summary>A loan written off (staff, four eyes): its principal and interest no longer owed.</summary>
/// <param name="SrdiLevel">The recognition the enterprise's newest decision stated (<see cref="SrdiLevel.Unspecified"/>: a line opened by hand).</param>
/// <param name="FirstLoan">The enterprise's first bank credit (首贷), as its decision flagged it.</param>
/// <param name="Renewal">The loan was renewed without principal repaid (续贷) before it was written off.</param>
public sealed record LoanWrittenOff(
    string EnterpriseId,
    long Sequence,
    DateTimeOffset At,
    Product Product,
    long WrittenOffPrincipalMinor,
    long WrittenOffInterestMinor,
    bool FirstLoan,
    bool Renewal,
    SrdiLevel SrdiLevel) : RiskFundEvent(EnterpriseId, Sequence, At);

/// <summary>A repayment after the write-off at <paramref name="WriteOffSequence"/>: money recovered.</summary>
public sealed record LoanRecovered(string EnterpriseId, long Sequence, DateTimeOffset At, long WriteOffSequence, long RecoveredMinor)
    : RiskFundEvent(EnterpriseId, Sequence, At);

/// <summary>
/// A fund's claim for one written-off loan: the write-off, the share, the claim and what recoveries
/// gave back. <see cref="NetClaimMinor"/> is what the fund has borne.
/// </summary>
public sealed record RiskFundClaim
{
    public required string FundId { get; init; }
    public required string EnterpriseId { get; init; }
    public required long WriteOffSequence { get; init; }
    public required DateTimeOffset WrittenOffAt { get; init; }
    public required Product Product { get; init; }
    public required SrdiLevel SrdiLevel { get; init; }
    public required bool FirstLoan { get; init; }
    public required bool Renewal { get; init; }
    public required long WrittenOffPrincipalMinor { get; init; }

    /// <summary>Recorded, never claimed: the funds share principal losses only.</summary>
    public required long WrittenOffInterestMinor { get; init; }

    public required int ShareBps { get; init; }
    public required long ClaimedMinor { get; init; }
    public required ClaimLimit LimitedBy { get; init; }

    /// <summary>Everything recovered after the write-off.</summary>
    public long RecoveredMinor { get; init; }

    /// <summary>The fund's part of <see cref="RecoveredMinor"/>, returned to its balance.</summary>
    public long ReturnedMinor { get; init; }

    public int Recoveries { get; init; }

    /// <summary>The journal sequence of the newest recovery applied (0: none).</summary>
    public long LastRecoverySequence { get; init; }

    public DateTimeOffset? LastRecoveredAt { get; init; }

    public long NetClaimMinor => checked(ClaimedMinor - ReturnedMinor);

    /// <summary>What this claim adds to its fund's totals, against what it was before (null: it is new).</summary>
    public FundTotals TotalsSince(RiskFundClaim? before) =>
        new(before is null ? 1 : 0, checked(ClaimedMinor - (before?.ClaimedMinor ?? 0)), checked(ReturnedMinor - (before?.ReturnedMinor ?? 0)));
}

/// <summary>
/// The funds' rules. A write-off of a qualifying loan is claimed against the first configured fund
/// whose rules it meets (funds do not add up): min(share × written-off principal, the cap per loan,
/// what is left of the balance), in fen rounded down. Interest and penalty interest written off are
/// recorded on the claim but not shared. A recovery gives back to the fund its part of what was
/// recovered, in proportion to the loss it bore (claim ÷ written-off principal: the share, unless
/// the cap or the balance cut the claim), counted on the recoveries' running total so that
/// rounding never drifts, and never more than the claim.
/// </summary>
public static class RiskFunds
{
    /// <summary>A table larger than this is a configuration mistake, not a policy.</summary>
    public const int MaxFunds = 16;

    public const int MaxIdLength = 32;
    public const int MaxNameLength = 64;
    public const int FullShareBps = 10_000;

    /// <summary>A fund's balance, at most: far below overflow when claims are summed.</summary>
    public const long MaxBalanceMinor = 100 * Limits.MaxAmountMinor;

    public static FundCover KindOf(LoanWrittenOff w) =>
        (w.FirstLoan ? FundCover.FirstLoans : FundCover.None)
        | (w.Renewal ? FundCover.Renewals : FundCover.None)
        | (!w.FirstLoan && !w.Renewal ? FundCover.OtherLoans : FundCover.None);

    /// <summary>The claim a write-off makes, with what the fund has left; null when no fund covers the loan or it wrote off no principal.</summary>
    public static RiskFundClaim? Claim(IReadOnlyList<RiskFund> funds, Func<RiskFund, long> availableMinor, LoanWrittenOff w)
    {
        if (w.WrittenOffPrincipalMinor < 0 || w.WrittenOffInterestMinor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(w), w, "a write-off of a negative amount: the journal is broken");
        }

        if (w.WrittenOffPrincipalMinor == 0 || funds.FirstOrDefault(f => f.Qualifies(w)) is not { } fund)
        {
            return null;
        }

        var share = (long)((Int128)w.WrittenOffPrincipalMinor * fund.ShareBps / FullShareBps);
        var available = availableMinor(fund);
        var (claimed, limitedBy) = (share, ClaimLimit.Share);
        if (fund.CapPerLoanMinor < claimed)
        {
            (claimed, limitedBy) = (fund.CapPerLoanMinor, ClaimLimit.PerLoanCap);
        }

        if (available < claimed)
        {
            (claimed, limitedBy) = (available, ClaimLimit.Balance);
        }

        return new()
        {
            FundId = fund.Id,
            EnterpriseId = w.EnterpriseId,
            WriteOffSequence = w.Sequence,
            WrittenOffAt = w.At,
            Product = w.Product,
            SrdiLevel = w.SrdiLevel,
            FirstLoan = w.FirstLoan,
            Renewal = w.Renewal,
            WrittenOffPrincipalMinor = w.WrittenOffPrincipalMinor,
            WrittenOffInterestMinor = w.WrittenOffInterestMinor,
            ShareBps = fund.ShareBps,
            ClaimedMinor = claimed,
            LimitedBy = limitedBy,
        };
    }

    /// <summary>The claim after a recovery; the same claim when the recovery was applied before (its sequence is not above the newest one's).</summary>
    public static RiskFundClaim Recover(RiskFundClaim claim, LoanRecovered r)
    {
        if (r.RecoveredMinor < 0 || r.EnterpriseId != claim.EnterpriseId || r.WriteOffSequence != claim.WriteOffSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(r), r, "a recovery of a negative amount or of another write-off: the journal is broken");
        }

        if (r.Sequence <= Math.Max(claim.LastRecoverySequence, claim.WriteOffSequence))
        {
            return claim;
        }

        var recovered = checked(claim.RecoveredMinor + r.RecoveredMinor);
        var shared = Math.Min(recovered, claim.WrittenOffPrincipalMinor);
        var returned = (long)((Int128)claim.ClaimedMinor * shared / claim.WrittenOffPrincipalMinor);
        if (returned < claim.ReturnedMinor || returned > claim.ClaimedMinor)
        {
            throw new InvalidOperationException($"a recovery would return {returned} of a claim of {claim.ClaimedMinor} that returned {claim.ReturnedMinor} before");
        }

        return claim with
        {
            RecoveredMinor = recovered,
            ReturnedMinor = returned,
            Recoveries = claim.Recoveries + 1,
            LastRecoverySequence = r.Sequence,
            LastRecoveredAt = r.At,
        };
    }

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static DomainError? PageSize(int pageSize) => pageSize is < 0 or > MaxPageSize
        ? DomainError.Invalid("page_size", ErrorReasons.PageSizeOutOfRange, $"must be from 0 (the default, {DefaultPageSize}) to {MaxPageSize}, not {pageSize}")
        : null;

    /// <summary>A page token of ListRiskFundClaims: the name of the previous page's last claim, an enterprise id and a write-off's 19-digit sequence.</summary>
    public static DomainError? PageToken(string token)
    {
        var separator = token.LastIndexOf('|');
        var wellFormed = token.Length == 0
            || (separator is > 0 and <= Limits.MaxRequestIdLength && token.Length - separator - 1 == 19 && token.AsSpan(separator + 1).IndexOfAnyExceptInRange('0', '9') < 0);
        return wellFormed ? null : DomainError.Invalid("page_token", ErrorReasons.PageTokenInvalid, "must be a next_page_token as ListRiskFundClaims returned it");
    }

    /// <summary>Every problem of a table, as sentences naming the fund and its setting; empty when it is usable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<RiskFund> funds)
    {
        var problems = new List<string>();
        if (funds.Count > MaxFunds)
        {
            problems.Add($"at most {MaxFunds} funds may be configured, not {funds.Count}");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < funds.Count; i++)
        {
            var f = funds[i];
            var at = $"fund {i} ({f.Id})";
            if (f.Id.Length is 0 or > MaxIdLength || !f.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                problems.Add($"fund {i}: Id must be 1 to {MaxIdLength} lower-case letters, digits or -");
            }
            else if (!ids.Add(f.Id))
            {
                problems.Add($"{at}: Id appears twice");
            }

            if (string.IsNullOrWhiteSpace(f.Name) || f.Name.Length > MaxNameLength)
            {
                problems.Add($"{at}: Name must be 1 to {MaxNameLength} characters");
            }

            if (f.Covers == FundCover.None || (f.Covers & ~(FundCover.FirstLoans | FundCover.Renewals | FundCover.OtherLoans)) != FundCover.None)
            {
                problems.Add($"{at}: Covers must name one or more of FirstLoans, Renewals, OtherLoans");
            }

            if (f.Products.IsDefaultOrEmpty || f.Products.Any(x => x is not (Product.SrdiELoan or Product.OperatingQuickLoan)))
            {
                problems.Add($"{at}: Products must list one or more of SrdiELoan, OperatingQuickLoan");
            }

            if (!SrdiLadder.IsDefined(f.MinSrdiLevel))
            {
                problems.Add($"{at}: MinSrdiLevel must be one of {SrdiLadder.Names}");
            }

            if (f.ShareBps is < 1 or > FullShareBps)
            {
                problems.Add($"{at}: ShareBps must be from 1 to {FullShareBps}, not {f.ShareBps}");
            }

            if (f.CapPerLoanMinor is < 1 or > Limits.MaxAmountMinor)
            {
                problems.Add($"{at}: CapPerLoanMinor must be from 1 to {Limits.MaxAmountMinor}, not {f.CapPerLoanMinor}");
            }

            if (f.BalanceMinor is < 0 or > MaxBalanceMinor)
            {
                problems.Add($"{at}: BalanceMinor must be from 0 to {MaxBalanceMinor}, not {f.BalanceMinor}");
            }
        }

        return problems;
    }
}

/// <summary>
/// Claims and the funds' totals as events arrive, in memory: the projection loads what a batch of
/// events needs (every fund's totals, the claims of the batch's enterprises), applies the batch,
/// and stores the claims that changed and the totals they moved.
/// </summary>
public sealed class RiskFundLedger(IReadOnlyList<RiskFund> funds)
{
    private readonly Dictionary<string, FundTotals> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<(string EnterpriseId, long WriteOffSequence), RiskFundClaim> _claims = [];

    public IReadOnlyList<RiskFund> Funds => funds;

    public IEnumerable<RiskFundClaim> Claims => _claims.Values;

    public FundTotals Totals(string fundId) => _totals.GetValueOrDefault(fundId);

    public long AvailableMinor(RiskFund fund) => Totals(fund.Id).AvailableMinor(fund);

    /// <summary>Loads a fund's totals as stored.</summary>
    public void Load(string fundId, FundTotals totals) => _totals[fundId] = totals;

    /// <summary>Loads a claim as stored.</summary>
    public void Load(RiskFundClaim claim) => _claims[(claim.EnterpriseId, claim.WriteOffSequence)] = claim;

    public RiskFundClaim? Find(string enterpriseId, long writeOffSequence) => _claims.GetValueOrDefault((enterpriseId, writeOffSequence));

    /// <summary>The claim <paramref name="e"/> records or changes (null: none, or applied before), its fund's totals moved with it.</summary>
    public RiskFundClaim? Apply(RiskFundEvent e)
    {
        var (before, after) = e switch
        {
            LoanWrittenOff w when Find(w.EnterpriseId, w.Sequence) is null =>
                (null, RiskFunds.Claim(funds, AvailableMinor, w)),
            LoanRecovered r when Find(r.EnterpriseId, r.WriteOffSequence) is { } claim => (claim, RiskFunds.Recover(claim, r)),
            _ => ((RiskFundClaim?)null, (RiskFundClaim?)null),
        };
        if (after is null || ReferenceEquals(before, after))
        {
            return null;
        }

        _totals[after.FundId] = Totals(after.FundId).Add(after.TotalsSince(before));
        Load(after);
        return after;
    }
}
