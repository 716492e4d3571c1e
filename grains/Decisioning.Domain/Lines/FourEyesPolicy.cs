namespace Decisioning.Domain.Lines;

/// <summary>
/// The four-eyes rule (issue 7): a change by hand that raises the bank's risk — opening a line, a
/// limit above what the last credit decision granted, unfreezing a line a risk signal froze — is
/// recorded as a proposal that takes effect only when another staff member approves it.
/// </summary>
/// <param name="Required">False only for code that seeds lines below the service (tests of the change rules themselves, benchmarks).</param>
/// <param name="ProposalTtl">How long a proposal waits for its approval.</param>
public sealed record FourEyesPolicy(bool Required, TimeSpan ProposalTtl)
{
    public static FourEyesPolicy Default { get; } = new(true, TimeSpan.FromSeconds(Limits.DefaultProposalTtlSeconds));

    /// <summary>Every change by hand applies at once, as if already approved.</summary>
    public static FourEyesPolicy None { get; } = new(false, TimeSpan.FromSeconds(Limits.DefaultProposalTtlSeconds));
}
