namespace Decisioning.Domain.Lines;

/// <summary>
/// What time does to a line past its maturity (issue 11): penalty interest (罚息) at the contract
/// rate plus <see cref="PenaltyUpliftBps"/> of it, and the five-tier classification (五级分类) by
/// days past due. The bounds are the first day past due of each tier below NORMAL.
/// </summary>
/// <param name="PenaltyUpliftBps">The penalty rate is the contract rate × (10,000 + this) / 10,000: +50% by default.</param>
public sealed record OverduePolicy(
    int PenaltyUpliftBps = OverduePolicy.DefaultPenaltyUpliftBps,
    int SpecialMentionFromDays = 1,
    int SubstandardFromDays = 91,
    int DoubtfulFromDays = 271,
    int LossFromDays = 361)
{
    public const int DefaultPenaltyUpliftBps = 5_000;

    /// <summary>The most a penalty uplift may be: +300% of the contract rate.</summary>
    public const int MaxPenaltyUpliftBps = 30_000;

    public static OverduePolicy Default { get; } = new();

    /// <summary>The tier <paramref name="daysPastDue"/> alone gives.</summary>
    public LoanClass ClassFor(int daysPastDue) => daysPastDue switch
    {
        _ when daysPastDue >= LossFromDays => LoanClass.Loss,
        _ when daysPastDue >= DoubtfulFromDays => LoanClass.Doubtful,
        _ when daysPastDue >= SubstandardFromDays => LoanClass.Substandard,
        _ when daysPastDue >= SpecialMentionFromDays => LoanClass.SpecialMention,
        _ => LoanClass.Normal,
    };

    /// <summary>Why the policy is unusable (bounds not strictly increasing from 1, an uplift out of range), or null.</summary>
    public string? Problem() =>
        PenaltyUpliftBps is < 1 or > MaxPenaltyUpliftBps ? $"the penalty uplift must be from 1 to {MaxPenaltyUpliftBps} basis points, not {PenaltyUpliftBps}"
        : SpecialMentionFromDays >= 1 && SpecialMentionFromDays < SubstandardFromDays && SubstandardFromDays < DoubtfulFromDays && DoubtfulFromDays < LossFromDays && LossFromDays <= Limits.MaxTermDays
            ? null
            : $"the classification bounds must rise strictly from at least 1 to at most {Limits.MaxTermDays} days, not {SpecialMentionFromDays}/{SubstandardFromDays}/{DoubtfulFromDays}/{LossFromDays}";
}
