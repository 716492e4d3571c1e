using System.Text.Json;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Lines;
using Decisioning.Grains.Storage;
using Decisioning.Testing;
using Google.Protobuf;
using S = Decisioning.Grains.Storage.V1;

namespace Decisioning.Grains.Tests;

/// <summary>What is stored comes back exactly: decision documents and the line's new fields.</summary>
public sealed class CodecTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 26);
    private static readonly ScorecardModel Champion = ScorecardModel.LoadFile(Path.Combine(AppContext.BaseDirectory, "models/scorecard-2026.1.json"));
    private static readonly ScorecardModel Challenger = ScorecardModel.LoadFile(Path.Combine(AppContext.BaseDirectory, "models/scorecard-2026.2-challenger.json"));

    // Records holding ImmutableArrays compare those by reference: JSON compares the values.
    private static string Json(object value) => JsonSerializer.Serialize(value);

    public static TheoryData<string> Applications =>
    [
        "sound",
        "below-cap",
        "missing-bureau",
        "declined",
    ];

    private static CreditApplication Application(string name)
    {
        var sound = TestApplications.Sound(TestEnterprises.Id(42), AsOf);
        return name switch
        {
            "sound" => sound,
            "below-cap" => sound with { Financials = sound.Financials with { TotalLiabilitiesMinor = sound.Financials.TotalAssetsMinor * 72 / 100 } },
            "missing-bureau" => sound with { Financing = null },
            "declined" => sound with { OnExclusionList = true },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(Applications))]
    public void A_decision_document_comes_back_from_storage_exactly_as_it_was_written(string name)
    {
        var document = Document(Application(name)) with
        {
            Purpose = DecisionPurpose.Renewal,
            ExternalData = [new(ExternalProvider.CreditBureau, DataSource.Cached, DateTimeOffset.FromUnixTimeMilliseconds(1_789_000_000_000)), new(ExternalProvider.TaxBureau, DataSource.Supplied, null)],
            Renewal = new RenewalDecision { Eligible = false, Reasons = ["LINE_FROZEN"], CashFlowFallBps = -120, NewMaturesOn = null },
        };

        var decoded = DecisionCodec.Decode(DecisionCodec.Encode(document));

        Assert.Equal(Json(document), Json(decoded));
    }

    [Theory]
    [MemberData(nameof(Applications))]
    public void A_decision_document_stored_before_names_and_shared_figures_were_kept_once_still_reads_and_is_larger(string name)
    {
        var document = Document(Application(name));
        var compact = DecisionCodec.Encode(document);
        var earlier = AsFirstStored(S.DecisionDocument.Parser.ParseFrom(compact)).ToByteArray();

        Assert.Equal(Json(document), Json(DecisionCodec.Decode(earlier)));
        Assert.True(compact.Length < earlier.Length, $"{compact.Length} bytes now, {earlier.Length} before");
    }

    [Fact]
    public void A_challenger_whose_figures_differ_from_the_champions_keeps_its_own()
    {
        var application = Application("sound");
        var document = Document(application);
        document = document with { Challenger = document.Challenger! with { CashFlow = document.Challenger.CashFlow! with { LimitMinor = 1 } } };

        var stored = S.DecisionDocument.Parser.ParseFrom(DecisionCodec.Encode(document));

        Assert.False(stored.Challenger.FiguresAsChampion);
        Assert.Equal(Json(document), Json(DecisionCodec.Decode(stored.ToByteArray())));
    }

    private static DecisionDocument Document(CreditApplication application) => new()
    {
        DecisionId = "D-0123456789abcdef01234567",
        EnterpriseId = application.EnterpriseId,
        RequestId = "assess-1",
        Actor = "officer-li",
        Fingerprint = "fp",
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123),
        Purpose = DecisionPurpose.Origination,
        Application = application,
        Champion = Assessor.Assess(application, Champion, AsOf, "D-0123456789abcdef01234567"),
        Challenger = Assessor.Assess(application, Challenger, AsOf, "D-0123456789abcdef01234567", withCounterfactuals: false),
    };

    /// <summary>The shape documents were first stored in: every name in full, every id repeated, each decision with its own figures.</summary>
    private static S.DecisionDocument AsFirstStored(S.DecisionDocument compact)
    {
        var d = compact.Clone();
        d.Application.EnterpriseId = d.EnterpriseId;
        if (d.Application.FundFlow is { } flow)
        {
            foreach (var counterparty in flow.Months.SelectMany(m => m.Counterparties))
            {
                (counterparty.Name, counterparty.NameIndex) = (flow.CounterpartyNames[counterparty.NameIndex - 1], 0);
            }

            flow.CounterpartyNames.Clear();
        }

        foreach (var decision in (S.DecisionRecord?[])[d.Champion, d.Challenger])
        {
            if (decision is not null)
            {
                (decision.DecisionId, decision.EnterpriseId) = (d.DecisionId, d.EnterpriseId);
            }
        }

        if (d.Challenger is { FiguresAsChampion: true } challenger)
        {
            (challenger.Facts, challenger.CashFlow, challenger.RevenueCheck, challenger.FiguresAsChampion) =
                (d.Champion.Facts.Clone(), d.Champion.CashFlow?.Clone(), d.Champion.RevenueCheck?.Clone(), false);
        }

        return d;
    }

    [Fact]
    public void A_decision_without_a_challenger_or_renewal_comes_back_without_them()
    {
        var application = Application("sound");
        var document = new DecisionDocument
        {
            DecisionId = "D-1",
            EnterpriseId = application.EnterpriseId,
            RequestId = "assess-1",
            Fingerprint = "fp",
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1),
            Purpose = DecisionPurpose.Origination,
            Application = application,
            Champion = Assessor.Assess(application, Champion, AsOf, "D-1"),
        };

        var decoded = DecisionCodec.Decode(DecisionCodec.Encode(document));

        Assert.Null(decoded.Challenger);
        Assert.Null(decoded.Renewal);
        Assert.Equal(Json(document), Json(decoded));
    }

    [Fact]
    public void A_lines_subsidy_last_decision_and_origination_inflow_are_stored()
    {
        var state = LineState.NotOpened with
        {
            Status = LineStatus.Active,
            Product = Product.SrdiELoan,
            LimitMinor = 500_000_000,
            AnnualRateBps = 340,
            SubsidyBps = 100,
            LastDecisionId = "D-0123456789abcdef01234567",
            OriginationAverageMonthlyInflowMinor = 265_000_000,
            Sequence = 7,
        };

        Assert.Equal(state, LineCodec.DecodeLine(LineCodec.Encode(state)));
    }

    [Fact]
    public void A_lines_proposals_freeze_origin_and_granted_limit_are_stored()
    {
        var pending = Proposed("P3", ProposalKind.OpenLine) with { LimitMinor = 5_000_000, AnnualRateBps = 345, TermDays = 365, Product = Product.SrdiELoan, SubsidyBps = 100 };
        var rejected = (pending with { Id = "P4", Kind = ProposalKind.RaiseLimit, Note = "peak" })
            .Decided(ProposalStatus.Rejected, "officer-wang", DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_100_000), "no");
        var state = LineState.NotOpened with { Status = LineStatus.Frozen, FrozenByStaff = true, GrantedLimitMinor = 7_000_000, Sequence = 4, Proposals = [pending, rejected] };

        var decoded = LineCodec.DecodeLine(LineCodec.Encode(state));

        Assert.Equal(state.Proposals.AsEnumerable(), decoded.Proposals.AsEnumerable());
        Assert.Equal(state, decoded with { Proposals = state.Proposals });
    }

    [Fact]
    public void A_stored_answer_keeps_its_proposal_and_a_journal_entry_both_names()
    {
        var proposal = Proposed("P1", ProposalKind.UnfreezeLine) with { Note = "settled" };
        var line = LineState.NotOpened.ViewAt(DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000));
        var stored = LineCodec.DecodeRequest(LineCodec.Encode("unfreeze:settled", new OperationResult { Line = line, Sequence = 1, Proposal = proposal }));
        Assert.Equal(proposal, stored.Result.Proposal);

        var entry = new JournalEntry
        {
            Sequence = 2,
            At = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000),
            Kind = EntryKind.LineUnfrozen,
            RequestId = "u-1",
            Actor = "officer-li",
            ApprovedBy = "officer-wang",
            ProposalId = "P1",
            ProposalKind = ProposalKind.UnfreezeLine,
            LimitAfterMinor = 1,
            DrawnAfterMinor = 0,
            HeldAfterMinor = 0,
            AccruedInterestAfterMinor = 0,
            StatusAfter = LineStatus.Active,
        };
        Assert.Equal(entry, LineCodec.DecodeEntry(LineCodec.Encode(entry)));
    }

    private static Proposal Proposed(string id, ProposalKind kind) => new()
    {
        Id = id,
        Kind = kind,
        ProposedBy = "officer-li",
        RequestId = "request-1",
        ProposedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(1_790_259_200_000),
    };

    [Fact]
    public void A_journal_entry_keeps_its_decision_signal_subsidy_and_maturity()
    {
        var entry = new JournalEntry
        {
            Sequence = 3,
            At = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000),
            Kind = EntryKind.RiskSignalApplied,
            RequestId = "signal-1",
            Actor = "risk",
            LimitAfterMinor = 1,
            DrawnAfterMinor = 2,
            HeldAfterMinor = 3,
            AccruedInterestAfterMinor = 4,
            StatusAfter = LineStatus.Frozen,
            Note = "SEVERE_OVERDUE_REPORTED",
            SubsidisedInterestMinor = 5,
            DecisionId = "D-9",
            DecisionOutcome = Outcome.Refer,
            SignalType = RiskSignalType.Overdue,
            SignalSeverity = RiskSeverity.Severe,
            SignalEffect = RiskEffect.Freeze,
            MaturesOnAfter = AsOf,
        };

        Assert.Equal(entry, LineCodec.DecodeEntry(LineCodec.Encode(entry)));
    }

    [Fact]
    public void A_lines_penalty_classification_daily_run_and_write_off_are_stored_and_a_recovery_keeps_its_figures()
    {
        var state = LineState.NotOpened with
        {
            Status = LineStatus.WrittenOff,
            AccruedPenaltyMinor = 1,
            PenaltyRemainder = 2,
            PenaltyUpliftBps = 5_000,
            Classification = LoanClass.Loss,
            ClassificationFloor = LoanClass.Doubtful,
            LastDailyRun = AsOf,
            DaysPastDueAtLastRun = 400,
            WrittenOffPrincipalMinor = 3,
            WrittenOffInterestMinor = 4,
            WrittenOffPenaltyMinor = 5,
            RecoveredMinor = 6,
            Sequence = 9,
        };
        Assert.Equal(state, LineCodec.DecodeLine(LineCodec.Encode(state)));

        var entry = new JournalEntry
        {
            Sequence = 10,
            At = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000),
            Kind = EntryKind.Recovery,
            RequestId = "r-1",
            Actor = "officer-li",
            AmountMinor = 6,
            LimitAfterMinor = 0,
            DrawnAfterMinor = 0,
            HeldAfterMinor = 0,
            AccruedInterestAfterMinor = 0,
            StatusAfter = LineStatus.WrittenOff,
            PenaltyPaidMinor = 5,
            InterestPaidMinor = 1,
            AccruedPenaltyAfterMinor = 7,
            DaysPastDue = 400,
            Classification = LoanClass.Loss,
            ClassificationFloor = LoanClass.Doubtful,
            WrittenOffPrincipalMinor = 3,
            WrittenOffInterestMinor = 4,
            WrittenOffPenaltyMinor = 5,
            RecoveredAfterMinor = 6,
            RenewalCount = 2,
        };
        Assert.Equal(entry, LineCodec.DecodeEntry(LineCodec.Encode(entry)));

        var view = state.ViewAt(DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000));
        var stored = LineCodec.DecodeRequest(LineCodec.Encode("repay:6", new OperationResult { Line = view, Sequence = 10, PenaltyPaidMinor = 5 }));
        Assert.Equal((view, 5L), (stored.Result.Line, stored.Result.PenaltyPaidMinor));
    }

    [Fact]
    public void A_record_encoded_after_one_with_every_member_set_carries_nothing_of_it_over()
    {
        // The codec reuses one record of each kind per thread: what a bare state, entry and answer
        // encode to after full ones on this thread must be what they encode to on a thread that has
        // encoded nothing before.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        var bareEntry = new JournalEntry { Sequence = 1, At = at, Kind = EntryKind.Draw, RequestId = "d-1", Actor = "a", LimitAfterMinor = 0, DrawnAfterMinor = 0, HeldAfterMinor = 0, AccruedInterestAfterMinor = 0, StatusAfter = LineStatus.Active };
        var bareResult = new OperationResult { Line = LineState.NotOpened.ViewAt(at), Sequence = 1 };
        byte[][] Bare() =>
        [
            LineCodec.Encode(LineState.NotOpened),
            LineCodec.Encode(LineState.NotOpened with { Sequence = 8 }, historySequence: 7),
            LineCodec.Encode(bareEntry),
            LineCodec.Encode("draw:1", bareResult),
        ];
        byte[][]? fresh = null;
        var thread = new Thread(() => fresh = Bare());
        thread.Start();
        thread.Join();

        LineCodec.Encode(Filled.Record<LineState>());
        LineCodec.Encode(Filled.Record<JournalEntry>());
        LineCodec.Encode("s", Filled.Record<OperationResult>());

        Assert.Equal(fresh, Bare());
    }
}
