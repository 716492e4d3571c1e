using System.CommandLine;
using System.Globalization;
using Decisioning.Cli.Output;
using Decisioning.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace Decisioning.Cli.Commands;

/// <summary>
/// decisioning consent record: record an enterprise's signed authorisation (征信授权) to query the
/// credit bureau, the tax bureau and the fund-flow platform; an assessment that fetches queries a
/// provider only under one. Needs the scope decisioning.consent.
/// </summary>
internal sealed class RecordConsentCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();

    private readonly Option<ExternalProvider[]> _sources = new("--source")
    {
        Description = $"A provider the authorisation covers (repeat for several). One of: {Display.Choices<ExternalProvider>()}. Default: all three.",
        HelpName = "name",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = r => [.. r.Tokens.Select(t => Display.TryParse<ExternalProvider>(t.Value, out var p) ? p : throw new FormatException($"--source: '{t.Value}' is not one of {Display.Choices<ExternalProvider>()}"))],
    };

    private readonly Option<string> _grantedBy = new("--granted-by") { Description = "Who signed, as the authorisation names them.", HelpName = "name", Required = true };
    private readonly Option<ConsentGrantor> _grantor = EnumOption<ConsentGrantor>("--grantor", "Who signed it.");
    private readonly Option<ConsentChannel> _channel = EnumOption<ConsentChannel>("--channel", "How it was signed.");
    private readonly Option<string> _reference = new("--reference") { Description = "Where the signed authorisation is found: the e-signature record's or the paper form's number.", HelpName = "text", Required = true };
    private readonly Option<DateTimeOffset?> _from = Instant("--valid-from", "When it takes effect (ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:00+08:00). Default: now.");
    private readonly Option<DateTimeOffset?> _until = Instant("--valid-until", "When it ends (exclusive; ISO 8601). Default: a year after it takes effect.");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() =>
        new("record", "Record an enterprise's signed authorisation to query the credit bureau, tax bureau and fund-flow platform.")
        {
            _enterprise, _sources, _grantedBy, _grantor, _channel, _reference, _from, _until, _requestId,
        };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var from = parse.GetValue(_from) ?? DateTimeOffset.UtcNow;
        var sources = parse.GetValue(_sources) is { Length: > 0 } named ? named : [ExternalProvider.CreditBureau, ExternalProvider.TaxBureau, ExternalProvider.FundFlowPlatform];
        var request = new RecordConsentRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            Terms = new ConsentTerms
            {
                Sources = { sources },
                GrantedBy = parse.GetValue(_grantedBy)!,
                Grantor = parse.GetValue(_grantor),
                Channel = parse.GetValue(_channel),
                AuthorisationReference = parse.GetValue(_reference)!,
                ValidFrom = Timestamp.FromDateTimeOffset(from),
                ValidUntil = Timestamp.FromDateTimeOffset(parse.GetValue(_until) ?? from.AddYears(1)),
            },
        };
        var reply = await session.Consents.RecordConsentAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () => ConsentViews.Consents(session.Console, [reply.Consent], $"Consent {reply.Consent.ConsentId} recorded (request id {request.RequestId})"));
        return ExitCodes.Success;
    }

    private static Option<DateTimeOffset?> Instant(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "time",
        CustomParser = r => Parse<DateTimeOffset?>(r, text => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new FormatException($"{name}: '{text}' is not a date or time (ISO 8601)")),
    };
}

/// <summary>decisioning consent revoke: end a consent at once; answers fetched under it are not reused.</summary>
internal sealed class RevokeConsentCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();
    private readonly Argument<string> _consent = new("consent-id") { Description = "The consent, as consent record or consent list shows it (C- and 24 hex digits)." };
    private readonly Option<string> _reason = Reason("Why it ends, for the journal (required, at most 256 characters).");
    private readonly Option<string?> _requestId = RequestId();

    protected override Command Define() => new("revoke", "End a consent at once: no provider is queried under it again, nor its answers reused.") { _enterprise, _consent, _reason, _requestId };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var request = new RevokeConsentRequest
        {
            EnterpriseId = parse.GetValue(_enterprise)!,
            RequestId = session.UseRequestId(parse.GetValue(_requestId)),
            ConsentId = parse.GetValue(_consent)!,
            Reason = parse.GetValue(_reason)!,
        };
        var reply = await session.Consents.RevokeConsentAsync(request, session.Call(cancellationToken));
        session.Answer(reply, () => ConsentViews.Consents(session.Console, [reply.Consent], $"Consent {reply.Consent.ConsentId} revoked (request id {request.RequestId})"));
        return ExitCodes.Success;
    }
}

/// <summary>decisioning consent list: every consent of an enterprise, revoked and expired ones included.</summary>
internal sealed class ListConsentsCommand : ToolCommand
{
    private readonly Argument<string> _enterprise = EnterpriseId();

    protected override Command Define() => new("list", "Every consent of the enterprise, revoked and expired ones included, in the order recorded.") { _enterprise };

    protected override async Task<int> RunAsync(Session session, ParseResult parse, CancellationToken cancellationToken)
    {
        var enterpriseId = parse.GetValue(_enterprise)!;
        var reply = await session.Consents.ListConsentsAsync(new ListConsentsRequest { EnterpriseId = enterpriseId }, session.Call(cancellationToken));
        session.Answer(reply, () => ConsentViews.Consents(session.Console, reply.Consents, $"{reply.Consents.Count} consent(s) of {enterpriseId}"));
        return ExitCodes.Success;
    }
}

internal static class ConsentViews
{
    public static void Consents(IAnsiConsole console, IEnumerable<Consent> consents, string heading)
    {
        console.WriteLine(heading);
        var table = new Table();
        foreach (var column in new[] { "Consent", "Sources", "Granted by", "Grantor", "Channel", "Reference", "Valid from", "Valid until", "Recorded by", "Revoked" })
        {
            table.AddColumn(column);
        }

        foreach (var c in consents)
        {
            table.AddRow(
                [.. new[]
                {
                    c.ConsentId,
                    string.Join(", ", c.Terms.Sources.Select(Display.Name)),
                    c.Terms.GrantedBy,
                    Display.Name(c.Terms.Grantor),
                    Display.Name(c.Terms.Channel),
                    c.Terms.AuthorisationReference,
                    Display.Time(c.Terms.ValidFrom),
                    Display.Time(c.Terms.ValidUntil),
                    c.RecordedBy,
                    c.Revocation is { } r ? $"{Display.Time(r.RevokeTime)} by {r.RevokedBy}: {r.Reason}" : "",
                }.Select(v => new Text(v))]);
        }

        console.Write(table);
    }
}
