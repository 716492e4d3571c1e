using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace Decisioning.Grains.Abstractions;

/// <summary>
/// How the domain's records cross the grain boundary. The grains take the domain's commands and
/// answer with its results, and the domain references nothing of Orleans, so Orleans is told here,
/// once, how to carry them:
/// <list type="bullet">
/// <item>One strategy for every record: System.Text.Json (Orleans' <c>JsonCodec</c>), chosen by
/// assembly. Generated Orleans serializers need <c>[GenerateSerializer]</c> and <c>[Id]</c> on each
/// type and member (attributes the pure domain must not carry), and surrogates would bring back a
/// copy of each record, which is what this boundary got rid of. JSON costs only when a call leaves
/// the process: within a silo nothing is serialized (see the copier below).</item>
/// <item>Stable wire names: Orleans writes each value's type with the value. <see cref="WireNames"/>
/// gives every record that crosses a literal alias (as <c>[Alias]</c> would), so a rename of a C#
/// type breaks no mixed-version cluster; members travel by name, and the tests pin those names
/// (a member renamed keeps its old one with <c>[JsonPropertyName]</c>). Members no longer
/// <c>required</c> on the wire and computed ones not sent: an older or newer silo's record reads.</item>
/// <item>No copies in process: Orleans deep-copies the arguments and results of calls within a
/// silo unless their types are <c>[Immutable]</c>. The domain's records are immutable values, so
/// <see cref="ImmutableRecords"/> hands them over as they are; the front door's own path to a line
/// active in this process (<c>LocalLines</c>) passes the same objects.</item>
/// </list>
/// </summary>
public static class DecisioningSerialization
{
    /// <summary>The records that cross the grain boundary, by the name they travel under.</summary>
    public static IReadOnlyDictionary<string, Type> WireNames { get; } = new Dictionary<string, Type>
    {
        ["decisioning.result.v1`1"] = typeof(Result<>),
        ["decisioning.limit-check.v1"] = typeof(LimitCheck),
        ["decisioning.line-view.v1"] = typeof(LineView),
        ["decisioning.journal-page.v1"] = typeof(JournalPage),
        ["decisioning.proposal.v1"] = typeof(Proposal),
        ["decisioning.operation-result.v1"] = typeof(OperationResult),
        ["decisioning.open-line.v1"] = typeof(OpenLineCommand),
        ["decisioning.draw.v1"] = typeof(DrawCommand),
        ["decisioning.repay.v1"] = typeof(RepayCommand),
        ["decisioning.place-hold.v1"] = typeof(PlaceHoldCommand),
        ["decisioning.capture-hold.v1"] = typeof(CaptureHoldCommand),
        ["decisioning.release-hold.v1"] = typeof(ReleaseHoldCommand),
        ["decisioning.freeze-line.v1"] = typeof(FreezeLineCommand),
        ["decisioning.unfreeze-line.v1"] = typeof(UnfreezeLineCommand),
        ["decisioning.adjust-limit.v1"] = typeof(AdjustLimitCommand),
        ["decisioning.close-line.v1"] = typeof(CloseLineCommand),
        ["decisioning.record-decision.v1"] = typeof(RecordDecisionCommand),
        ["decisioning.renew-line.v1"] = typeof(RenewLineCommand),
        ["decisioning.apply-risk-signal.v1"] = typeof(ApplyRiskSignalCommand),
        ["decisioning.approve-proposal.v1"] = typeof(ApproveProposalCommand),
        ["decisioning.reject-proposal.v1"] = typeof(RejectProposalCommand),
        ["decisioning.run-daily.v1"] = typeof(RunDailyCommand),
        ["decisioning.set-classification-floor.v1"] = typeof(SetClassificationFloorCommand),
        ["decisioning.write-off-line.v1"] = typeof(WriteOffLineCommand),
        ["decisioning.referral.v1"] = typeof(Referral),
        ["decisioning.referral-policy.v1"] = typeof(ReferralPolicy),
        ["decisioning.claim-referral.v1"] = typeof(ClaimReferralCommand),
        ["decisioning.decide-referral.v1"] = typeof(DecideReferralCommand),
        ["decisioning.decision-document.v1"] = typeof(DecisionDocument),
        ["decisioning.assess-request.v1"] = typeof(AssessRequest),
        ["decisioning.assessment-result.v1"] = typeof(AssessmentResult),
        ["decisioning.exclusion-command.v1"] = typeof(ExclusionCommand),
        ["decisioning.exclusion-changed.v1"] = typeof(ExclusionChanged),
        ["decisioning.exclusion.v1"] = typeof(Exclusion),
        ["decisioning.exclusion-change.v1"] = typeof(ExclusionChange),
        ["decisioning.page.v1`1"] = typeof(Page<>),
        ["decisioning.relending-lease.v1"] = typeof(RelendingLeaseCommand),
        ["decisioning.lease-request.v1"] = typeof(LeaseRequest),
        ["decisioning.lease-answer.v1"] = typeof(LeaseAnswer),
        ["decisioning.relending-quota.v1"] = typeof(RelendingQuotaView),
        ["decisioning.relending-period.v1"] = typeof(RelendingPeriod),
        ["decisioning.relending-month.v1"] = typeof(RelendingMonth),
        ["decisioning.consent.v1"] = typeof(Consent),
        ["decisioning.consent-revocation.v1"] = typeof(ConsentRevocation),
        ["decisioning.consent-terms.v1"] = typeof(ConsentTerms),
        ["decisioning.record-consent.v1"] = typeof(RecordConsentCommand),
        ["decisioning.revoke-consent.v1"] = typeof(RevokeConsentCommand),
    };

    /// <summary>The JSON the records travel as: members by name, computed ones left out, none required.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlyStoredMembers } },
    };

    /// <summary>
    /// Lets Orleans carry the domain's records. Needed by silos and by clients alike, so both
    /// register it.
    /// </summary>
    public static IServiceCollection AddDecisioningSerialization(this IServiceCollection services) =>
        services.AddSerializer(serializer =>
        {
            serializer.AddJsonSerializer(isSerializable: IsDomainRecord, isCopyable: null, options => options.Configure(o => o.SerializerOptions = Json));
            serializer.Services.AddSingleton<IGeneralizedCopier, ImmutableRecords>();
            serializer.Configure(options =>
            {
                foreach (var (name, type) in WireNames)
                {
                    options.WellKnownTypeAliases[name] = type;
                }
            });
        });

    private static bool IsDomainRecord(Type type) =>
        type.Assembly == typeof(Result<>).Assembly && !type.IsEnum && !typeof(Exception).IsAssignableFrom(type);

    private static void OnlyStoredMembers(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        // A record with constructors of its own besides the one of its members (DomainError: one
        // takes a catalogued reason) is made empty and given its members one by one.
        if (type.Type.GetConstructors().Length > 1 && type.Type.GetConstructor(Type.EmptyTypes) is null)
        {
            type.CreateObject = () => RuntimeHelpers.GetUninitializedObject(type.Type);
        }

        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            var member = type.Properties[i];
            if (member.Set is null && member.AssociatedParameter is null)
            {
                type.Properties.RemoveAt(i);
            }
            else
            {
                member.IsRequired = false;
            }
        }
    }

    /// <summary>The domain's records are immutable: a call within a silo passes them as they are.</summary>
    private sealed class ImmutableRecords : IGeneralizedCopier
    {
        public bool IsSupportedType(Type type) => IsDomainRecord(type);

        public object? DeepCopy(object? input, CopyContext context) => input;
    }
}
