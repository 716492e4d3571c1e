using Decisioning.Domain.Assessment;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// The front door casts the decisioning enums to and from decisioning.v1 by number, and stored
/// decisions hold them by number: each domain member must have the contract's number and name
/// (0 being the contract's UNSPECIFIED).
/// </summary>
public sealed class ContractEnumTests
{
    private static void AssertSameNumbering<TDomain, TContract>()
        where TDomain : struct, Enum
        where TContract : struct, Enum
    {
        var contract = Enum.GetValues<TContract>().ToDictionary(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v => v.ToString());
        foreach (var value in Enum.GetValues<TDomain>())
        {
            var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(contract.TryGetValue(number, out var name), $"{typeof(TContract).Name} has no {number} for {value}");
            Assert.Equal(number == 0 ? "Unspecified" : value.ToString(), name);
        }

        Assert.Equal(contract.Count, Enum.GetValues<TDomain>().Length);
    }

    [Fact]
    public void Claim_limits_are_numbered_as_CLAIM_LIMIT_in_the_contract() => AssertSameNumbering<Decisioning.Domain.Programmes.ClaimLimit, V1.ClaimLimit>();

    [Fact]
    public void Relending_fundings_are_numbered_as_RELENDING_FUNDING_in_the_contract() => AssertSameNumbering<Domain.Lines.RelendingFunding, V1.RelendingFunding>();

    [Fact]
    public void Outcomes_are_numbered_as_OUTCOME_in_the_contract() => AssertSameNumbering<Outcome, V1.Outcome>();

    [Fact]
    public void Categories_are_numbered_as_CATEGORY_in_the_contract() => AssertSameNumbering<Category, V1.Category>();

    [Fact]
    public void Indicators_are_numbered_as_INDICATOR_in_the_contract() => AssertSameNumbering<Indicator, V1.Indicator>();

    [Fact]
    public void Reason_kinds_are_numbered_as_REASON_KIND_in_the_contract() => AssertSameNumbering<ReasonKind, V1.ReasonKind>();

    [Fact]
    public void Limit_bases_are_numbered_as_LIMIT_BASIS_in_the_contract() => AssertSameNumbering<LimitBasis, V1.LimitBasis>();

    [Fact]
    public void Providers_are_numbered_as_EXTERNAL_PROVIDER_in_the_contract() => AssertSameNumbering<ExternalProvider, V1.ExternalProvider>();

    [Fact]
    public void Data_sources_are_numbered_as_DATA_SOURCE_in_the_contract() => AssertSameNumbering<DataSource, V1.DataSource>();

    [Fact]
    public void Decision_purposes_are_numbered_as_DECISION_PURPOSE_in_the_contract() => AssertSameNumbering<DecisionPurpose, V1.DecisionPurpose>();

    [Fact]
    public void Risk_signal_types_are_numbered_as_RISK_SIGNAL_TYPE_in_the_contract() => AssertSameNumbering<RiskSignalType, V1.RiskSignalType>();

    [Fact]
    public void Severities_are_numbered_as_RISK_SEVERITY_in_the_contract() => AssertSameNumbering<RiskSeverity, V1.RiskSeverity>();

    [Fact]
    public void Effects_are_numbered_as_RISK_EFFECT_in_the_contract() => AssertSameNumbering<RiskEffect, V1.RiskEffect>();

    [Fact]
    public void Consent_grantors_are_numbered_as_CONSENT_GRANTOR_in_the_contract() => AssertSameNumbering<ConsentGrantor, V1.ConsentGrantor>();

    [Fact]
    public void Consent_channels_are_numbered_as_CONSENT_CHANNEL_in_the_contract() => AssertSameNumbering<ConsentChannel, V1.ConsentChannel>();

    // The domain's SrdiLevel has both Unspecified (0) and None (1): the contract's are the same two.
    [Fact]
    public void SRDI_levels_are_numbered_as_SRDI_LEVEL_in_the_contract()
    {
        Assert.Equal(
            Enum.GetValues<SrdiLevel>().Select(v => ((int)v, v.ToString())),
            Enum.GetValues<V1.SrdiLevel>().Select(v => ((int)v, v.ToString())));
    }

    [Fact]
    public void New_journal_entry_kinds_are_numbered_as_TRANSACTION_TYPE_in_the_contract()
    {
        Assert.Equal((int)V1.TransactionType.DecisionRecorded, (int)Domain.Lines.EntryKind.DecisionRecorded);
        Assert.Equal((int)V1.TransactionType.LineRenewed, (int)Domain.Lines.EntryKind.LineRenewed);
        Assert.Equal((int)V1.TransactionType.RenewalDeclined, (int)Domain.Lines.EntryKind.RenewalDeclined);
        Assert.Equal((int)V1.TransactionType.RiskSignalApplied, (int)Domain.Lines.EntryKind.RiskSignalApplied);
        Assert.Equal((int)V1.TransactionType.ProposalRecorded, (int)Domain.Lines.EntryKind.ProposalRecorded);
        Assert.Equal((int)V1.TransactionType.ProposalRejected, (int)Domain.Lines.EntryKind.ProposalRejected);
        Assert.Equal((int)V1.TransactionType.ProposalExpired, (int)Domain.Lines.EntryKind.ProposalExpired);
        Assert.Equal((int)V1.TransactionType.RelendingLeaseChanged, (int)Domain.Lines.EntryKind.RelendingLeaseChanged);
    }

    [Fact]
    public void Exclusion_change_kinds_are_numbered_as_EXCLUSION_CHANGE_TYPE_in_the_contract() => AssertSameNumbering<ExclusionChangeKind, V1.ExclusionChangeType>();

    [Fact]
    public void Proposal_kinds_are_numbered_as_PROPOSAL_KIND_in_the_contract() => AssertSameNumbering<Domain.Lines.ProposalKind, V1.ProposalKind>();

    [Fact]
    public void Proposal_statuses_are_numbered_as_PROPOSAL_STATUS_in_the_contract() => AssertSameNumbering<Domain.Lines.ProposalStatus, V1.ProposalStatus>();
}
