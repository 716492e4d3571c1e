using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Abstractions;
using Decisioning.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Decisioning.Grains.Tests;

/// <summary>The domain's records across the grain boundary (DecisioningSerialization): one strategy, stable names, no copies in process.</summary>
public sealed class BoundarySerializationTests
{
    private static readonly DateTimeOffset Now = LineCluster.Start;

    private static readonly ServiceProvider Services = new ServiceCollection().AddDecisioningSerialization().BuildServiceProvider();

    private static readonly Type[] Grains = [typeof(ICreditLineGrain), typeof(IAssessmentGrain), typeof(IExclusionListGrain), typeof(IRelendingQuotaGrain), typeof(IConsentGrain)];

    /// <summary>
    /// The members each record travels with, by name: a silo of the previous version reads them by
    /// these names. A C# rename that changes this list breaks a mixed-version cluster: keep the old
    /// name on the wire ([JsonPropertyName]) or publish the record under a new wire name.
    /// </summary>
    private const string WireShapes = """
        AdjustLimitCommand: LimitMinor Note RequestId Actor
        ApplyRiskSignalCommand: SignalType Severity Note Effect LowerByBps ReasonCode RequestId Actor
        ApproveProposalCommand: ProposalId RequestId Actor
        AssessRequest: RequestId Application FetchExternalData Actor
        AssessmentFacts: MonthsInOperation CurrentlyOverdue MaxOverdueDaysLast12Months RevenueBasisMinor AverageMonthlyInflowMinor
        AssessmentResult: Decision Line Sequence Renewed RenewalReasons CashFlowFallBps ExternalData
        CaptureHoldCommand: HoldId AmountMinor RequestId Actor
        CashFlowFigures: AnnualInflowMinor AnnualOutflowMinor AverageMonthlyInflowMinor AverageMonthlyNetInflowMinor CoefficientOfVariationBps RecurringCounterparties MonthsWithRecurringInflow RegularityBps TopCounterparty TopCounterpartyShareBps StabilityFactorBps RegularityFactorBps ConcentrationFactorBps ReceiptsLimitMinor NetInflowLimitMinor LimitMinor Reasons
        CategoryScore: Category Score MaxScore
        ClaimReferralCommand: DecisionId RequestId Actor
        CloseLineCommand: Note RequestId Actor
        Consent: ConsentId EnterpriseId Terms RecordedBy RecordedAt RequestId Revocation
        ConsentRevocation: RevokedBy RevokedAt Reason RequestId
        ConsentTerms: Sources GrantedBy Grantor Channel AuthorisationReference ValidFrom ValidUntil
        Counterfactual: Field Indicator CurrentValue TargetValue CurrentIndicatorValue TargetIndicatorValue Outcome Score Product LimitMinor AnnualRateBps
        CounterpartyInflow: Name InflowMinor
        CreditApplication: EnterpriseId Product Profile Financials Innovation Financing Tax FundFlow OnExclusionList
        CreditBureauReport: CurrentlyOverdue max_overdue_days_last_24_months max_overdue_days_last_12_months ExistingBankDebtMinor LendingBanks
        DecideReferralCommand: DecisionId Approve LimitMinor AnnualRateBps ReasonCode Note Policy SecondReviewAboveMinor SubsidyBps AverageMonthlyInflowMinor RequestId Actor
        Decision: DecisionId EnterpriseId AsOf ModelVersion Outcome RequestedProduct Product Score MaxScore Categories Indicators Limit Rate Reasons Counterfactuals Facts CashFlow RevenueCheck FirstLoan
        DecisionDocument: DecisionId EnterpriseId RequestId Actor Fingerprint CreatedAt Purpose Application Champion Challenger ExternalData Renewal
        DomainError: Kind Reason Message Field
        DrawCommand: AmountMinor RequestId Actor
        EnterpriseProfile: FoundedOn SrdiLevel Employees IndustryCode StrategicEmergingIndustry
        Exclusion: EnterpriseId Reason AddedBy AddedAt RequestId
        ExclusionChange: ChangeId Kind EnterpriseId Reason Actor At RequestId
        ExclusionChanged: Exclusion ChangeId
        ExclusionCommand: Kind EnterpriseId RequestId Reason Actor
        ExternalDataUse: Provider Source FetchedAt ConsentId
        Financials: RevenueThisYearMinor RevenueLastYearMinor NetProfitMinor TotalAssetsMinor TotalLiabilitiesMinor DeclaredAnnualRevenueMinor
        FreezeLineCommand: Note RequestId Actor
        FundFlowStatement: Months
        Hold: Id AmountMinor ExpiresAt Owner
        IndicatorScore: Indicator Category Value Points MaxPoints ScoreLost Reason
        InnovationProfile: InventionPatents OtherPatents RdSpendMinor RdStaff TotalStaff HighTechEnterprise TechBasedSme
        JournalEntry: Sequence At Kind RequestId Actor AmountMinor HoldId DeclineReason InterestPaidMinor PrincipalPaidMinor LimitAfterMinor DrawnAfterMinor HeldAfterMinor AccruedInterestAfterMinor StatusAfter Note SubsidisedInterestMinor DecisionId DecisionOutcome SignalType SignalSeverity SignalEffect MaturesOnAfter ProposalId ProposalKind ApprovedBy PenaltyPaidMinor AccruedPenaltyAfterMinor DaysPastDue Classification ClassificationFloor WrittenOffPrincipalMinor WrittenOffInterestMinor WrittenOffPenaltyMinor RecoveredAfterMinor RenewalCount Relending RelendingMinor
        JournalPage: Entries NextBefore
        LeaseAnswer: GrantedMinor Stale Version
        LeaseRequest: Period LineId Version HoldingMinor WantMinor
        LimitBreakdown: ProductCapMinor ScorecardLimitMinor CashFlowLimitMinor LimitMinor Basis
        LimitCheck: Approved DeclineReason Line
        LineView: Status Product LimitMinor DrawnMinor HeldMinor AccruedInterestMinor AnnualRateBps OpenedOn MaturesOn RenewalCount Sequence Holds SubsidyBps LastDecisionId OriginationAverageMonthlyInflowMinor DaysPastDue OverduePrincipalMinor AccruedPenaltyMinor Classification ClassificationFloor WrittenOffPrincipalMinor WrittenOffInterestMinor WrittenOffPenaltyMinor RecoveredMinor FirstLoan
        MonthlyFundFlow: Month InflowMinor OutflowMinor Counterparties
        OpenLineCommand: LimitMinor AnnualRateBps TermDays Product SubsidyBps RequestId Actor
        OperationResult: Line Approved DeclineReason Sequence HoldId HoldExpiresAt InterestPaidMinor PrincipalPaidMinor CapturedMinor ReleasedMinor SubsidisedInterestMinor PenaltyPaidMinor Note SignalEffect LowerByBps Proposal Referral Replayed
        Page`1: Items Next
        PlaceHoldCommand: AmountMinor TtlSeconds RequestId Actor
        Proposal: Id Kind Status ProposedBy RequestId ProposedAt ExpiresAt LimitMinor AnnualRateBps TermDays Product SubsidyBps Note DecidedBy DecidedAt DecisionNote
        RateBreakdown: BaseRateBps RiskPremiumBps RelendingDiscountBps FloorBps FloorApplied AnnualRateBps
        Reason: Code Kind ScoreLost
        RecordConsentCommand: EnterpriseId RequestId Terms Actor
        RecordDecisionCommand: DecisionId RequestFingerprint Outcome Product LimitMinor AnnualRateBps TermMonths AverageMonthlyInflowMinor SubsidyBps RenewalWindowDays RelendingDiscountBps FirstLoan RequestId Actor
        Referral: DecisionId ReferredAt Product ReferredBy Status AssignedTo Reviewer SecondReviewer LimitMinor AnnualRateBps ReasonCode Note DecidedAt
        ReferralPolicy: CapMinor MinLimitMinor RateFloorBps TermMonths RenewalWindowDays
        RejectProposalCommand: ProposalId Note RequestId Actor
        ReleaseHoldCommand: HoldId RequestId Actor
        RelendingLeaseCommand: Period ShareBps ChangeMinor ExpectedVersion NewVersion RequestId Actor
        RelendingMonth: Month ChangeMinor UsedMinor
        RelendingPeriod: Name AmountMinor From Until ShareBps BankRateBps
        RelendingQuotaView: Period UsedMinor Months
        RenewLineCommand: DecisionId RequestFingerprint Eligible Reasons WindowDays TermMonths Product LimitMinor AnnualRateBps SubsidyBps RequestId Actor
        RenewalDecision: Eligible NewMaturesOn Reasons Product LimitMinor AnnualRateBps CashFlowFallBps
        RepayCommand: AmountMinor RequestId Actor
        Result`1: Value Error
        RevenueCrossCheck: DeclaredMinor TaxedMinor FundFlowImpliedMinor DeclaredVsTaxedGapBps DeclaredVsFundFlowGapBps TaxedVsFundFlowGapBps Disagreements
        RevokeConsentCommand: EnterpriseId RequestId ConsentId Reason Actor
        RunDailyCommand: RequestId Actor
        SetClassificationFloorCommand: Floor Note RequestId Actor
        TaxRecord: tax_paid_last_12_months_minor taxed_revenue_last_12_months_minor
        UnfreezeLineCommand: Note RequestId Actor
        WriteOffLineCommand: Note RequestId Actor
        """;

    [Fact]
    public void Every_record_a_grain_takes_or_answers_has_a_wire_name()
    {
        var crossing = Grains.SelectMany(g => g.GetMethods()).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .SelectMany(Constituents)
            .Where(IsDomain)
            .SelectMany(t => t.IsAbstract ? t.Assembly.GetTypes().Where(s => s.IsSubclassOf(t) && !s.IsAbstract) : [t])
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t)
            .Distinct();

        Assert.All(crossing, t => Assert.Contains(t, DecisioningSerialization.WireNames.Values));
    }

    [Fact]
    public void Every_record_that_crosses_keeps_the_member_names_it_travels_with()
    {
        var shapes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pending = new Queue<Type>(DecisioningSerialization.WireNames.Values.Where(t => !t.IsAbstract));
        while (pending.TryDequeue(out var type))
        {
            var info = DecisioningSerialization.Json.GetTypeInfo(type.IsGenericTypeDefinition ? type.MakeGenericType(typeof(string)) : type);
            if (info.Kind != JsonTypeInfoKind.Object || !shapes.TryAdd(type.Name, string.Join(' ', info.Properties.Select(p => p.Name))))
            {
                continue;
            }

            foreach (var member in info.Properties.SelectMany(p => Constituents(p.PropertyType)).Where(IsDomain))
            {
                pending.Enqueue(member);
            }
        }

        Assert.Equal(WireShapes.ReplaceLineEndings("\n").Trim(), string.Join('\n', shapes.Select(s => $"{s.Key}: {s.Value}")));
    }

    [Fact]
    public void Commands_results_and_decisions_travel_under_their_wire_names_and_arrive_whole()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        var (result, entries) = HeldLine();
        object[] values =
        [
            new DrawCommand("d-1", 1_00) { Actor = "channel" },
            new RenewLineCommand("renew-1", "D-1", "fp") { Eligible = false, Reasons = ["A", "B"], WindowDays = 60, TermMonths = 12, Actor = "staff" },
            new Result<OperationResult>(result, null),
            new Result<OperationResult>(null, DomainError.LineNotFound()),
            new Result<JournalPage>(new JournalPage([.. entries], 3), null),
            new Result<ImmutableArray<Proposal>>([result.Proposal!], null),
            new Result<DecisionDocument?>(Document(), null),
            new Result<Page<Exclusion>>(new Page<Exclusion>([new Exclusion { EnterpriseId = "E", Reason = "R", AddedBy = "A", AddedAt = Now, RequestId = "Q" }], "E"), null),
            new Result<Consent>(TestConsents.Command("E", Now, sources: ExternalProvider.TaxBureau).ToConsent(Now) with { Revocation = new ConsentRevocation("officer", Now, "withdrawn", "revoke-1") }, null),
        ];

        foreach (var value in values)
        {
            var bytes = serializer.SerializeToArray<object>(value);
            var text = Encoding.UTF8.GetString(bytes);

            Assert.Equivalent(value, serializer.Deserialize<object>(bytes), strict: true);
            Assert.Contains("decisioning.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Decisioning.Domain", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Within_a_silo_records_are_handed_over_without_a_copy()
    {
        var copier = Services.GetRequiredService<DeepCopier>();
        var (result, _) = HeldLine();
        var command = new DrawCommand("d-1", 1_00) { Actor = "channel" };
        var document = Document();

        Assert.Same(command, copier.Copy<LineCommand>(command));
        Assert.Same(document, copier.Copy(document));
        Assert.Same(result, copier.Copy(new Result<OperationResult>(result, null)).Value);
    }

    /// <summary>An opened line with a hold placed and a raise of its limit waiting for four eyes.</summary>
    private static (OperationResult Result, IReadOnlyList<JournalEntry> Entries) HeldLine()
    {
        var opened = (Applied)LineState.NotOpened.Apply(new OpenLineCommand("open", 1_000_00, 350, 365, Product.SrdiELoan) { Actor = "staff" }, Now, FourEyesPolicy.None);
        var held = (Applied)opened.State.Apply(new PlaceHoldCommand("h-1", 100_00, 600) { Actor = "channel" }, Now);
        var raised = (Applied)held.State.Apply(new AdjustLimitCommand("raise", 5_000_00, "growth") { Actor = "staff" }, Now);
        return (raised.Result with { HoldId = held.Result.HoldId, HoldExpiresAt = held.Result.HoldExpiresAt }, [.. opened.Entries, .. held.Entries, .. raised.Entries]);
    }

    private static DecisionDocument Document()
    {
        var asOf = BusinessCalendar.DateOf(Now);
        var application = TestApplications.Sound(TestEnterprises.Id(1), asOf);
        var decision = Assessor.Assess(application, ScorecardModel.LoadFile("models/scorecard-2026.1.json"), asOf, "D-1");
        return new DecisionDocument
        {
            DecisionId = "D-1",
            EnterpriseId = application.EnterpriseId,
            RequestId = "assess-1",
            Actor = "channel",
            Fingerprint = "fp",
            CreatedAt = Now,
            Purpose = DecisionPurpose.Origination,
            Application = application,
            Champion = decision,
            Challenger = decision,
            ExternalData = [new ExternalDataUse(ExternalProvider.TaxBureau, DataSource.Fetched, Now, "C-0123456789abcdef01234567")],
            Renewal = new RenewalDecision { Eligible = true, NewMaturesOn = asOf, Reasons = ["X"], CashFlowFallBps = 5 },
        };
    }

    private static bool IsDomain(Type type) => type.Assembly == typeof(Result<>).Assembly && !type.IsEnum;

    /// <summary>A type and the types it is made of: generic arguments, element types, the value of a nullable.</summary>
    private static IEnumerable<Type> Constituents(Type type) =>
        type.HasElementType ? Constituents(type.GetElementType()!)
        : type.IsGenericType ? type.GetGenericArguments().SelectMany(Constituents).Prepend(type)
        : [type];
}
