using System.Security.Cryptography;
using System.Text;
using Decisioning.Contracts.V1;
using Decisioning.Domain;
using Decisioning.Testing;
using Google.Rpc;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Decisioning.EndToEnd.Tests;

/// <summary>
/// Calls as an attacker would make them, over the wire: no token, a forged or stale one, the wrong
/// scope, somebody else's enterprise. Each gets the exact status and reason, and nothing changes on
/// the line, in its journal or among its decisions.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class HostileCallerTests(ServiceFixture fixture) : IAsyncLifetime
{
    // The line every case aims at: limit 1,000,000 fen, 100,000 drawn, hold H4 of 50,000 open (P1 opened it).
    private static readonly string Target = TestEnterprises.Unique();

    // Served by the attackers' tokens instead of the target.
    private static readonly string Elsewhere = TestEnterprises.Unique();

    // Nobody's line: refusals for it must read exactly as for the target.
    private static readonly string Nonexistent = TestEnterprises.Unique();

    private static readonly TestTokens Tokens = TestTokens.Shared;

    /// <summary>Every RPC of the Decisioning services, with the one scope it needs and a request that would change or read the line.</summary>
    private static readonly Rpc[] Rpcs =
    [
        new("CheckLimit", "credit.read", (c, h, e, r) => c.Lines.CheckLimitAsync(new() { EnterpriseId = e, AmountMinor = 1_000 }, h).ResponseAsync),
        new("Draw", "credit.draw", (c, h, e, r) => c.Lines.DrawAsync(new() { EnterpriseId = e, RequestId = r, AmountMinor = 1_000 }, h).ResponseAsync),
        new("Repay", "credit.repay", (c, h, e, r) => c.Lines.RepayAsync(new() { EnterpriseId = e, RequestId = r, AmountMinor = 1_000 }, h).ResponseAsync),
        new("PlaceHold", "credit.draw", (c, h, e, r) => c.Lines.PlaceHoldAsync(new() { EnterpriseId = e, RequestId = r, AmountMinor = 1_000, HoldTtlSeconds = 600 }, h).ResponseAsync),
        new("CaptureHold", "credit.draw", (c, h, e, r) => c.Lines.CaptureHoldAsync(new() { EnterpriseId = e, RequestId = r, HoldId = "H4", AmountMinor = 10_000 }, h).ResponseAsync),
        new("ReleaseHold", "credit.draw", (c, h, e, r) => c.Lines.ReleaseHoldAsync(new() { EnterpriseId = e, RequestId = r, HoldId = "H4" }, h).ResponseAsync),
        new("GetLine", "credit.read", (c, h, e, r) => c.Lines.GetLineAsync(new() { EnterpriseId = e }, h).ResponseAsync),
        new("ListTransactions", "credit.read", (c, h, e, r) => c.Lines.ListTransactionsAsync(new() { EnterpriseId = e, PageSize = 10 }, h).ResponseAsync),
        new("OpenLine", "credit.admin", (c, h, e, r) => c.Admin.OpenLineAsync(new() { EnterpriseId = e, RequestId = r, LimitMinor = 100_000_000_000, AnnualRateBps = 0, TermDays = 365, Product = Product.OperatingQuickLoan }, h).ResponseAsync),
        new("FreezeLine", "credit.admin", (c, h, e, r) => c.Admin.FreezeLineAsync(new() { EnterpriseId = e, RequestId = r, Reason = "hostile" }, h).ResponseAsync),
        new("UnfreezeLine", "credit.admin", (c, h, e, r) => c.Admin.UnfreezeLineAsync(new() { EnterpriseId = e, RequestId = r, Reason = "hostile" }, h).ResponseAsync),
        new("AdjustLimit", "credit.admin", (c, h, e, r) => c.Admin.AdjustLimitAsync(new() { EnterpriseId = e, RequestId = r, LimitMinor = 100_000_000_000, Reason = "hostile" }, h).ResponseAsync),
        new("CloseLine", "credit.admin", (c, h, e, r) => c.Admin.CloseLineAsync(new() { EnterpriseId = e, RequestId = r, Reason = "hostile" }, h).ResponseAsync),
        new("ApproveProposal", "credit.approve", (c, h, e, r) => c.Admin.ApproveProposalAsync(new() { EnterpriseId = e, RequestId = r, ProposalId = "P1" }, h).ResponseAsync),
        new("RejectProposal", "credit.approve", (c, h, e, r) => c.Admin.RejectProposalAsync(new() { EnterpriseId = e, RequestId = r, ProposalId = "P1", Reason = "hostile" }, h).ResponseAsync),
        new("ListProposals", "credit.read", (c, h, e, r) => c.Admin.ListProposalsAsync(new() { EnterpriseId = e }, h).ResponseAsync),
        new("SetClassificationFloor", "credit.admin", (c, h, e, r) => c.Admin.SetClassificationFloorAsync(new() { EnterpriseId = e, RequestId = r, Floor = LoanClassification.Normal, Reason = "hostile" }, h).ResponseAsync),
        new("WriteOffLine", "credit.admin", (c, h, e, r) => c.Admin.WriteOffLineAsync(new() { EnterpriseId = e, RequestId = r, Reason = "hostile" }, h).ResponseAsync),
        new("AssessEnterprise", "decisioning.assess", (c, h, e, r) => c.Decisioning.AssessEnterpriseAsync(Applications.Fetching(e, r), h).ResponseAsync),
        new("GetDecision", "credit.read", (c, h, e, r) => c.Decisioning.GetDecisionAsync(new() { EnterpriseId = e, DecisionId = "D-0123456789abcdef01234567" }, h).ResponseAsync),
        new("RenewLine", "decisioning.assess", (c, h, e, r) => c.Decisioning.RenewLineAsync(Renewal(e, r), h).ResponseAsync),
        new("ReportRiskSignal", "risk.signal", (c, h, e, r) => c.Decisioning.ReportRiskSignalAsync(new() { EnterpriseId = e, RequestId = r, SignalType = RiskSignalType.Litigation, Severity = RiskSeverity.Severe, Note = "hostile" }, h).ResponseAsync),
        new("AddExclusion", "credit.admin", (c, h, e, r) => c.Admin.AddExclusionAsync(new() { EnterpriseId = e, RequestId = r, Reason = "hostile" }, h).ResponseAsync),
        new("RemoveExclusion", "credit.admin", (c, h, e, r) => c.Admin.RemoveExclusionAsync(new() { EnterpriseId = e, RequestId = r, Reason = "hostile" }, h).ResponseAsync),
        new("ListExclusions", "credit.admin", (c, h, e, r) => c.Admin.ListExclusionsAsync(new() { PageSize = 10 }, h).ResponseAsync, Bankwide: true),
        new("ListExclusionChanges", "credit.admin", (c, h, e, r) => c.Admin.ListExclusionChangesAsync(new() { PageSize = 10 }, h).ResponseAsync, Bankwide: true),
        new("RecordConsent", "decisioning.consent", (c, h, e, r) => c.Consents.RecordConsentAsync(TestConsents.Request(e, DateTimeOffset.UtcNow, r), h).ResponseAsync),
        new("RevokeConsent", "decisioning.consent", (c, h, e, r) => c.Consents.RevokeConsentAsync(new() { EnterpriseId = e, RequestId = r, ConsentId = "C-0123456789abcdef01234567", Reason = "hostile" }, h).ResponseAsync),
        new("ListConsents", "decisioning.consent", (c, h, e, r) => c.Consents.ListConsentsAsync(new() { EnterpriseId = e }, h).ResponseAsync),
    ];

    /// <summary>What is wrong with the caller, and what the service must answer.</summary>
    private static readonly Attack[] EveryRpc =
    [
        new("no token", ErrorReasons.TokenMissing, (rpc, e) => null),
        new("an expired token", ErrorReasons.TokenExpired, (rpc, e) => Issue(rpc.Scope, Target, d => (d.NotBefore, d.Expires) = (DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddMinutes(-2)))),
        new("every scope but the one it needs", ErrorReasons.ScopeRequired, (rpc, e) => Tokens.Issue("attacker", TestTokens.AllScopes.Where(s => s != rpc.Scope), [Target])),
        new("a token serving another enterprise", ErrorReasons.EnterpriseNotServed, (rpc, e) => Issue(rpc.Scope, Elsewhere)),
        new("a token serving another enterprise, aimed at one that does not exist", ErrorReasons.EnterpriseNotServed, (rpc, e) => Issue(rpc.Scope, Elsewhere), Nonexistent),
    ];

    /// <summary>Forged and malformed tokens, tried on a read, a draw, an assessment and two staff operations.</summary>
    private static readonly Attack[] Forgeries =
    [
        new("a token that is not valid yet", ErrorReasons.TokenNotYetValid, (rpc, e) => Issue(rpc.Scope, Target, d => d.NotBefore = DateTime.UtcNow.AddMinutes(5))),
        new("a token from another issuer", ErrorReasons.TokenIssuerNotAccepted, (rpc, e) => Issue(rpc.Scope, Target, d => d.Issuer = "https://attacker.example")),
        new("a token for another audience", ErrorReasons.TokenAudienceNotAccepted, (rpc, e) => Issue(rpc.Scope, Target, d => d.Audience = "payments")),
        new("an unsigned token (alg none)", ErrorReasons.TokenInvalid, (rpc, e) => Unsigned(rpc.Scope)),
        new("an HMAC token keyed with the service's public key", ErrorReasons.TokenInvalid, (rpc, e) => HmacWithPublicKey(rpc.Scope)),
        new("a token whose payload was changed after signing", ErrorReasons.TokenInvalid, (rpc, e) => Tampered(rpc.Scope)),
        new("a token signed with the service's key by an algorithm it does not accept (PS256)", ErrorReasons.TokenInvalid, (rpc, e) => SignedWith(new RsaSecurityKey(Tokens.Key) { KeyId = Path.GetFileNameWithoutExtension(Tokens.PublicKeyFile) }, SecurityAlgorithms.RsaSsaPssSha256, rpc.Scope)),
        new("a token signed with another RSA key", ErrorReasons.TokenInvalid, (rpc, e) => SignedWith(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "tests" }, SecurityAlgorithms.RsaSha256, rpc.Scope)),
        new("an ES256 token signed with an unknown key", ErrorReasons.TokenInvalid, (rpc, e) => SignedWith(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "tests" }, SecurityAlgorithms.EcdsaSha256, rpc.Scope)),
        new("a token without a subject", ErrorReasons.TokenSubjectRequired, (rpc, e) => Issue(rpc.Scope, Target, d => d.Claims.Remove("sub"))),
        new("a token without an expiry", ErrorReasons.TokenExpiryRequired, (rpc, e) => Issue(rpc.Scope, Target, d => d.Expires = null)),
        new("a bearer value that is not a JWT", ErrorReasons.TokenInvalid, (rpc, e) => "not-a-jwt"),
        new("basic credentials instead of a token", ErrorReasons.TokenMissing, (rpc, e) => null, Header: "Basic YXR0YWNrZXI6cGFzc3dvcmQ="),
    ];

    /// <summary>A real channel of the target enterprise reaching for what another caller owns.</summary>
    private static readonly Attack[] Trespasses =
    [
        new("a token of another channel serving the enterprise, on staff's hold", ErrorReasons.HoldNotFound, (rpc, e) => Tokens.Issue("channel-b", ["credit.draw"], [Target])),
    ];

    /// <summary>Fields only the bank's data services may set, sent by a caller that may assess but not supply data.</summary>
    private static readonly Rpc[] PrivilegedFields =
    [
        new("AssessEnterprise supplying the bureau, tax and fund-flow parts", "decisioning.assess", (c, h, e, r) => c.Decisioning.AssessEnterpriseAsync(Applications.Sound(e, r), h).ResponseAsync),
        new("RenewLine supplying the bureau, tax and fund-flow parts", "decisioning.assess", (c, h, e, r) => c.Decisioning.RenewLineAsync(Applications.Renewal(e, r), h).ResponseAsync),
    ];

    private static readonly Attack WithoutSupplyScope =
        new("a token that may assess but not supply data", ErrorReasons.DataSupplyNotPermitted, (rpc, e) => Tokens.Issue("channel-app", ["decisioning.assess"], [Target]));

    private static readonly string[] ForgeryTargets = ["GetLine", "Draw", "AssessEnterprise", "UnfreezeLine", "AdjustLimit"];

    private static readonly Dictionary<string, (Rpc Rpc, Attack Attack)> Cases =
        Rpcs.SelectMany(rpc => EveryRpc.Select(attack => (rpc, attack)))
            .Concat(Rpcs.Where(r => ForgeryTargets.Contains(r.Name)).SelectMany(rpc => Forgeries.Select(attack => (rpc, attack))))
            .Concat(Rpcs.Where(r => r.Name is "CaptureHold" or "ReleaseHold").SelectMany(rpc => Trespasses.Select(attack => (rpc, attack))))
            .Concat(PrivilegedFields.Select(rpc => (rpc, attack: WithoutSupplyScope)))
            .ToDictionary(c => $"{c.rpc.Name} with {c.attack.Name}");

    public static TheoryData<string> Names => [.. Cases.Keys];

    /// <summary>The reasons the cases cause.</summary>
    internal static IEnumerable<ErrorReason> Reasons => Cases.Values.Select(c => c.Attack.Reason);

    public static TheoryData<string> RpcNames => [.. Rpcs.Select(r => r.Name)];

    public async Task InitializeAsync()
    {
        try
        {
            await fixture.Lines.GetLineAsync(new() { EnterpriseId = Target });
            return;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // First case of the run: set the target line up.
        }

        await fixture.Service.OpenLineByFourEyesAsync(new() { EnterpriseId = Target, RequestId = "open", LimitMinor = 1_000_000, AnnualRateBps = 300, TermDays = 365, Product = Product.OperatingQuickLoan });
        await fixture.Lines.DrawAsync(new() { EnterpriseId = Target, RequestId = "draw-setup", AmountMinor = 100_000 });
        var hold = await fixture.Lines.PlaceHoldAsync(new() { EnterpriseId = Target, RequestId = "hold-setup", AmountMinor = 50_000, HoldTtlSeconds = 3600 });
        Assert.Equal("H4", hold.HoldId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_table_holds_at_least_a_hundred_cases_and_every_rpc_of_the_services()
    {
        Assert.True(Cases.Count >= 100, $"{Cases.Count} cases");
        var served = new[] { CreditLineService.Descriptor, LineAdminService.Descriptor, DecisioningService.Descriptor, ConsentService.Descriptor }
            .SelectMany(s => s.Methods.Select(m => m.Name));
        Assert.Equal(served.Order(), Rpcs.Select(r => r.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_hostile_call_gets_the_exact_refusal_and_changes_nothing(string name)
    {
        var (rpc, attack) = Cases[name];
        var before = await Snapshot();
        var headers = new Metadata();
        if ((attack.Header ?? (attack.Token(rpc, attack.Enterprise ?? Target) is { } token ? "Bearer " + token : null)) is { } value)
        {
            headers.Add("authorization", value);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => rpc.Call(Anonymous, headers, attack.Enterprise ?? Target, "hostile-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(ErrorReasonCoverageTests.StatusOf(attack.Reason), error.StatusCode);
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.Equal((attack.Reason.Code, "decisioning.v1"), (info?.Reason, info?.Domain));
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task A_refusal_reads_the_same_whether_or_not_the_enterprise_exists()
    {
        var headers = new Metadata { { "authorization", "Bearer " + Issue("credit.read", Elsewhere) } };

        var existing = await Assert.ThrowsAsync<RpcException>(() => Anonymous.Lines.GetLineAsync(new() { EnterpriseId = Target }, headers).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => Anonymous.Lines.GetLineAsync(new() { EnterpriseId = Nonexistent }, headers).ResponseAsync);

        Assert.Equal((existing.StatusCode, existing.Status.Detail), (missing.StatusCode, missing.Status.Detail));
    }

    [Theory]
    [MemberData(nameof(RpcNames))]
    public async Task Each_rpc_admits_a_token_holding_only_its_scope_for_only_its_enterprise(string name)
    {
        var rpc = Rpcs.Single(r => r.Name == name);
        var own = TestEnterprises.Unique();
        await fixture.Service.OpenLineByFourEyesAsync(new() { EnterpriseId = own, RequestId = "open", LimitMinor = 1_000_000, AnnualRateBps = 300, TermDays = 365, Product = Product.OperatingQuickLoan });
        await fixture.Lines.DrawAsync(new() { EnterpriseId = own, RequestId = "draw-setup", AmountMinor = 100_000 });
        await fixture.Lines.PlaceHoldAsync(new() { EnterpriseId = own, RequestId = "hold-setup", AmountMinor = 50_000, HoldTtlSeconds = 3600 });
        var headers = new Metadata { { "authorization", "Bearer " + Issue(rpc.Scope, rpc.Bankwide ? "*" : own) } };

        try
        {
            await rpc.Call(Anonymous, headers, own, "own-1");
        }
        catch (RpcException e)
        {
            // A business refusal (the line is open already, no such decision) is past the door.
            Assert.DoesNotContain(e.StatusCode, new[] { StatusCode.Unauthenticated, StatusCode.PermissionDenied });
        }
    }

    [Fact]
    public async Task Another_callers_request_id_is_a_new_request_not_their_answer()
    {
        var own = TestEnterprises.Unique();
        await fixture.Service.OpenLineByFourEyesAsync(new() { EnterpriseId = own, RequestId = "open", LimitMinor = 1_000_000, AnnualRateBps = 300, TermDays = 365, Product = Product.OperatingQuickLoan });
        var channelA = new Metadata { { "authorization", "Bearer " + Tokens.Issue("channel-a", ["credit.draw"], [own]) } };
        var channelB = new Metadata { { "authorization", "Bearer " + Tokens.Issue("channel-b", ["credit.draw"], [own]) } };

        var first = await Anonymous.Lines.DrawAsync(new() { EnterpriseId = own, RequestId = "pay-1", AmountMinor = 1_000 }, channelA);
        var sameAmount = await Anonymous.Lines.DrawAsync(new() { EnterpriseId = own, RequestId = "pay-1", AmountMinor = 1_000 }, channelB);
        var retryOfA = await Anonymous.Lines.DrawAsync(new() { EnterpriseId = own, RequestId = "pay-1", AmountMinor = 1_000 }, channelA);
        var reuseByB = await Assert.ThrowsAsync<RpcException>(() => Anonymous.Lines.DrawAsync(new() { EnterpriseId = own, RequestId = "pay-1", AmountMinor = 2_000 }, channelB).ResponseAsync);

        Assert.NotEqual(first.TransactionSequence, sameAmount.TransactionSequence);
        Assert.Equal(first.TransactionSequence, retryOfA.TransactionSequence);
        Assert.Equal(StatusCode.AlreadyExists, reuseByB.StatusCode);
        Assert.Equal(2_000, (await fixture.Lines.GetLineAsync(new() { EnterpriseId = own })).Line.DrawnMinor);
    }

    private Clients Anonymous => new(
        new CreditLineService.CreditLineServiceClient(fixture.Service.Anonymous),
        new LineAdminService.LineAdminServiceClient(fixture.Service.Anonymous),
        new DecisioningService.DecisioningServiceClient(fixture.Service.Anonymous),
        new ConsentService.ConsentServiceClient(fixture.Service.Anonymous));

    private async Task<(GetLineResponse Line, ListTransactionsResponse Journal, ListExclusionChangesResponse Exclusions, long ConsentChanges)> Snapshot() =>
        (await fixture.Lines.GetLineAsync(new() { EnterpriseId = Target }),
            await fixture.Lines.ListTransactionsAsync(new() { EnterpriseId = Target, PageSize = 500 }),
            await fixture.Admin.ListExclusionChangesAsync(new() { PageSize = 200 }),
            await fixture.ConsentChangesAsync(Target));

    private static RenewLineRequest Renewal(string enterpriseId, string requestId)
    {
        var request = Applications.Renewal(enterpriseId, requestId);
        (request.Financing, request.Tax, request.FundFlow, request.FetchExternalData) = (null, null, null, true);
        return request;
    }

    private static string Issue(string scope, string enterprise, Action<SecurityTokenDescriptor>? adjust = null) =>
        Tokens.Issue("attacker", [scope], [enterprise], adjust: adjust);

    /// <summary>What a valid token would claim, with every enterprise: the payload an attacker wants.</summary>
    private static Dictionary<string, object> GreedyClaims(string scope) => new()
    {
        ["iss"] = TestTokens.Issuer,
        ["aud"] = TestTokens.Audience,
        ["sub"] = "attacker",
        ["scope"] = scope,
        ["enterprises"] = new[] { "*" },
        ["nbf"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
    };

    private static string Unsigned(string scope) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(GreedyClaims(scope))) + ".";

    private static string HmacWithPublicKey(string scope) =>
        SignedWith(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(File.ReadAllText(Tokens.PublicKeyFile))) { KeyId = "tests" }, SecurityAlgorithms.HmacSha256, scope);

    private static string SignedWith(SecurityKey key, string algorithm, string scope) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
        new SecurityTokenDescriptor { Claims = GreedyClaims(scope), SigningCredentials = new SigningCredentials(key, algorithm) });

    /// <summary>A genuine token for another enterprise whose payload is swapped for one serving every enterprise, signature kept.</summary>
    private static string Tampered(string scope)
    {
        var parts = Issue(scope, Elsewhere).Split('.');
        return parts[0] + "." + Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(GreedyClaims(scope))) + "." + parts[2];
    }

    private sealed record Clients(
        CreditLineService.CreditLineServiceClient Lines,
        LineAdminService.LineAdminServiceClient Admin,
        DecisioningService.DecisioningServiceClient Decisioning,
        ConsentService.ConsentServiceClient Consents);

    /// <param name="Bankwide">The request names no enterprise: only a token serving every enterprise may call it.</param>
    private sealed record Rpc(string Name, string Scope, Func<Clients, Metadata, string, string, Task> Call, bool Bankwide = false);

    /// <param name="Token">The token to send (null: none) for an RPC aimed at an enterprise.</param>
    /// <param name="Enterprise">The enterprise the request names, when not the target.</param>
    /// <param name="Header">An authorization header sent as it is, instead of a bearer token.</param>
    private sealed record Attack(string Name, ErrorReason Reason, Func<Rpc, string, string?> Token, string? Enterprise = null, string? Header = null);
}
