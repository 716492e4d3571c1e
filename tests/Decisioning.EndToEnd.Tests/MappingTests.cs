using System.Collections;
using System.Reflection;
using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Domain.Assessment;
using Decisioning.Domain.Events;
using Decisioning.Domain.Lines;
using Decisioning.Domain.Programmes;
using Decisioning.Testing;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// The one mapping between decisioning.v1 and the domain (<see cref="Mapping"/>) forgets no field:
/// every field of every message it maps, found through the protobuf descriptors, round-trips where
/// both directions exist, reaches the domain from a request, and is filled in a response from a
/// domain result whose every member is set. A field deliberately not mapped is listed with its reason.
/// </summary>
public sealed class MappingTests
{
    /// <summary>Names the enterprise's line (its grain), not a part of the command.</summary>
    private const string LineKey = "enterprise_id";

    private const string Actor = "caller";

    [Fact]
    public void Every_field_of_an_application_round_trips_from_the_contract_through_the_domain()
    {
        var message = Message<V1.CreditApplication>();
        var errors = new List<DomainError>();

        var back = Mapping.ToApplication(Mapping.ToApplication(message, errors));

        Assert.Empty(errors);
        Assert.Equal(message, back);
    }

    [Fact]
    public void Every_member_of_an_application_round_trips_from_the_domain_through_the_contract()
    {
        var application = Filled.Record<CreditApplication>();
        var errors = new List<DomainError>();

        var back = Mapping.ToApplication(Mapping.ToApplication(application), errors);

        Assert.Empty(errors);
        Assert.Equivalent(application, back, strict: true);
    }

    [Fact]
    public void Unreadable_dates_of_an_application_are_named_as_the_request_names_them()
    {
        var message = Message<V1.CreditApplication>();
        message.Profile.FoundedOn = "";
        message.FundFlow.Months[1].Month = "2026-13-01";
        var errors = new List<DomainError>();

        Mapping.ToApplication(message, errors);

        Assert.Equal([("profile.founded_on", "FIELD_REQUIRED"), ("fund_flow.months[1].month", "DATE_MALFORMED")], errors.Select(e => (e.Field, e.Reason)));
    }

    [Fact]
    public void Every_field_of_a_request_reaches_its_command()
    {
        AssertEveryFieldReaches<V1.DrawRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.RepayRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.PlaceHoldRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.CaptureHoldRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.ReleaseHoldRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.OpenLineRequest>(r => Mapping.ToCommand(r, Actor, subsidyBps: 100), LineKey);
        AssertEveryFieldReaches<V1.FreezeLineRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.UnfreezeLineRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.AdjustLimitRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.CloseLineRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.ApproveProposalRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.RejectProposalRequest>(r => Mapping.ToCommand(r, Actor), LineKey);
        AssertEveryFieldReaches<V1.AddExclusionRequest>(r => Mapping.ToCommand(r, Actor));
        AssertEveryFieldReaches<V1.RemoveExclusionRequest>(r => Mapping.ToCommand(r, Actor));
        AssertEveryFieldReaches<V1.RevokeConsentRequest>(r => Mapping.ToCommand(r, Actor));
    }

    [Fact]
    public void A_consent_request_and_its_command_map_into_each_other_field_for_field()
    {
        var request = Message<V1.RecordConsentRequest>();
        request.Terms.ValidFrom = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        request.Terms.ValidUntil = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2027, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var errors = new List<DomainError>();

        var command = Mapping.ToCommand(request, Actor, errors);

        Assert.Empty(errors);
        AssertEveryFieldSet(request);
        Assert.Equal(request, Mapping.ToRequest(command));
        Assert.Equal(Actor, command.Actor);
    }

    [Fact]
    public void Every_field_of_a_response_is_filled_from_the_domains_result()
    {
        var result = Filled.Record<OperationResult>() with { Line = Line() };
        var check = Filled.Record<LimitCheck>() with { Line = Line() };
        var assessment = Filled.Record<AssessmentResult>() with { Line = Line() };

        AssertEveryFieldSet(Mapping.ToCheckLimitResponse(check));
        AssertEveryFieldSet(Mapping.ToDrawResponse(result));
        AssertEveryFieldSet(Mapping.ToRepayResponse(result));
        AssertEveryFieldSet(Mapping.ToPlaceHoldResponse(result));
        AssertEveryFieldSet(Mapping.ToCaptureHoldResponse(result));
        AssertEveryFieldSet(Mapping.ToReleaseHoldResponse(result));
        AssertEveryFieldSet(new V1.GetLineResponse { Line = Mapping.ToLine("E", Line()) });
        AssertEveryFieldSet(Mapping.ToTransaction(Filled.Record<JournalEntry>()));
        AssertEveryFieldSet(Mapping.ToOpenLineResponse("E", result));
        AssertEveryFieldSet(Mapping.ToFreezeLineResponse("E", result));
        AssertEveryFieldSet(Mapping.ToUnfreezeLineResponse("E", result));
        AssertEveryFieldSet(Mapping.ToAdjustLimitResponse("E", result));
        AssertEveryFieldSet(Mapping.ToCloseLineResponse("E", result));
        AssertEveryFieldSet(Mapping.ToApproveProposalResponse("E", result));
        AssertEveryFieldSet(Mapping.ToRejectProposalResponse(result));
        AssertEveryFieldSet(Mapping.ToExclusion(Filled.Record<Exclusion>()));
        AssertEveryFieldSet(Mapping.ToExclusionChange(Filled.Record<ExclusionChange>()));
        AssertEveryFieldSet(Mapping.ToConsent(Filled.Record<Consent>() with { Terms = Filled.Record<ConsentTerms>() with { Sources = [ExternalProvider.TaxBureau] }, Revocation = Filled.Record<ConsentRevocation>() }));
        AssertEveryFieldSet(Mapping.ToAssessEnterpriseResponse("E", assessment));
        AssertEveryFieldSet(Mapping.ToRenewLineResponse("E", assessment));
        AssertEveryFieldSet(Mapping.ToReportRiskSignalResponse("E", result));
        AssertEveryFieldSet(Mapping.ToLineEvent(new LineEvent("E", Product.SrdiELoan, Filled.Record<JournalEntry>(), Filled.Record<DecisionSummary>())));
        AssertEveryFieldSet(Mapping.ToRiskFundClaim(Filled.Record<RiskFundClaim>()));
        AssertEveryFieldSet(Mapping.ToRiskFund(TestRiskFunds.Enhancement with { Covers = FundCover.FirstLoans | FundCover.Renewals | FundCover.OtherLoans }, new FundTotals(2, 1_000_000, 100_000)));
        AssertEveryFieldSet(Mapping.ToGetRelendingQuotaResponse(new RelendingQuotaView
        {
            Period = new RelendingPeriod { Name = "2026", AmountMinor = 10, From = new(2026, 1, 1), Until = new(2026, 12, 31), ShareBps = 6_000, BankRateBps = 175 },
            UsedMinor = 4,
            Months = [new RelendingMonth("2026-01", 4, 4)],
        }));
        AssertEveryFieldSet(Mapping.ToGetPortfolioResponse(new Dictionary<PortfolioCell, long> { [new("lines_active", Product.SrdiELoan, "2026-03", SrdiLevel.Provincial)] = 1 }));
        AssertEveryFieldSet(
            Mapping.ToGetDecisionResponse(Filled.Record<DecisionDocument>()),
            ("challenger_decision.external_data", "where the data came from is the assessment's, told once with the champion's decision"));
    }

    /// <summary>A line whose limit leaves credit available, so that available_minor is more than 0.</summary>
    private static LineView Line() => Filled.Record<LineView>() with { LimitMinor = 1_000_000 };

    private static void AssertEveryFieldReaches<TRequest>(Func<TRequest, object> map, params string[] notMapped)
        where TRequest : IMessage<TRequest>, new()
    {
        var request = Message<TRequest>();
        var command = map(request);
        foreach (var field in request.Descriptor.Fields.InFieldNumberOrder())
        {
            var changed = request.Clone();
            var value = field.Accessor.GetValue(changed);
            field.Accessor.SetValue(changed, value switch
            {
                string s => s + "x",
                long l => l + 1,
                int i => i + 1,
                bool b => !b,
                Enum e => Enum.ToObject(e.GetType(), 1),
                _ => throw new InvalidOperationException($"{field.FullName}: no other value for {value}"),
            });

            if (notMapped.Contains(field.Name))
            {
                Assert.Equal(command, map(changed));
            }
            else
            {
                Assert.True(!command.Equals(map(changed)), $"{field.FullName} does not reach {command.GetType().Name}");
            }
        }
    }

    /// <param name="notMapped">Fields (paths from the message) deliberately left unset, with the reason.</param>
    private static void AssertEveryFieldSet(IMessage message, params (string Path, string Reason)[] notMapped)
    {
        var unset = new List<string>();
        Walk(message, "");
        var forgotten = unset.Except(notMapped.Select(n => n.Path)).ToList();
        var listed = notMapped.Select(n => n.Path).Except(unset).ToList();
        Assert.True(forgotten.Count + listed.Count == 0, $"{message.Descriptor.FullName}: not filled: {string.Join(", ", forgotten)}; listed as not mapped but filled: {string.Join(", ", listed)}");

        void Walk(IMessage m, string prefix)
        {
            foreach (var field in m.Descriptor.Fields.InFieldNumberOrder())
            {
                var path = prefix + field.Name;
                var value = field.Accessor.GetValue(m);
                var element = value is IList list ? (list.Count > 0 ? list[0] : null) : value;
                if (element is null || (field.FieldType != FieldType.Message && !field.IsRepeated && Equals(value, Default(field))))
                {
                    unset.Add(path);
                }
                else if (element is IMessage child && field.MessageType.File.Package == V1.Line.Descriptor.File.Package)
                {
                    Walk(child, path + ".");
                }
            }
        }

        static object? Default(FieldDescriptor field) => field.FieldType switch
        {
            FieldType.String => "",
            FieldType.Bool => false,
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => 0,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => 0L,
            FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, 0),
            _ => null,
        };
    }

    /// <summary>A message with every field set (lists of two), each to a value of its own; dates are dates.</summary>
    private static T Message<T>()
        where T : IMessage, new()
    {
        var n = 0;
        return (T)Fill(new T(), ref n);

        static IMessage Fill(IMessage message, ref int n)
        {
            foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
            {
                if (field.IsRepeated)
                {
                    var list = (IList)field.Accessor.GetValue(message);
                    list.Add(Value(field, ref n));
                    list.Add(Value(field, ref n));
                }
                else
                {
                    field.Accessor.SetValue(message, Value(field, ref n));
                }
            }

            return message;
        }

        static object Value(FieldDescriptor field, ref int n) => field.FieldType switch
        {
            FieldType.Message => Fill((IMessage)Activator.CreateInstance(field.MessageType.ClrType)!, ref n),
            FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[^1].Number),
            FieldType.Bool => true,
            FieldType.Int32 => ++n,
            FieldType.Int64 => (long)++n,
            FieldType.String when field.Name is "founded_on" or "month" => Mapping.Date(new DateOnly(2020, 1, 1).AddDays(++n)),
            FieldType.String => $"s{++n}",
            _ => throw new InvalidOperationException($"{field.FullName}: {field.FieldType} is not filled"),
        };
    }
}
