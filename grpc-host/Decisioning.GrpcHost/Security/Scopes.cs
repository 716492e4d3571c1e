namespace Decisioning.GrpcHost.Security;

/// <summary>The scopes a token's <c>scope</c> claim grants; each RPC needs exactly one (<see cref="RequiredScopeAttribute"/>).</summary>
public static class Scopes
{
    /// <summary>CheckLimit, GetLine, ListTransactions, GetDecision, ListProposals; GetPortfolio, GetRelendingQuota and ListRiskFundClaims (for a token serving every enterprise).</summary>
    public const string CreditRead = "credit.read";

    /// <summary>Draw and holds.</summary>
    public const string CreditDraw = "credit.draw";

    public const string CreditRepay = "credit.repay";

    /// <summary>LineAdminService: the operations of credit staff.</summary>
    public const string CreditAdmin = "credit.admin";

    /// <summary>
    /// ApproveProposal, RejectProposal: the second pair of eyes on a change that raises the bank's
    /// risk. Never the proposer's own: the line refuses a self-approval whatever the scopes.
    /// </summary>
    public const string CreditApprove = "credit.approve";

    /// <summary>AssessEnterprise, RenewLine.</summary>
    public const string Assess = "decisioning.assess";

    /// <summary>
    /// Not an RPC's scope but a privilege within one: an assessment whose caller holds it may supply the
    /// bureau, tax and fund-flow parts (the bank's own data services); every other caller's are fetched.
    /// </summary>
    public const string SupplyData = "decisioning.supply-data";

    /// <summary>ReportRiskSignal.</summary>
    public const string RiskSignal = "risk.signal";

    /// <summary>EventService/Subscribe: the stream of every journal entry of the enterprises the token serves.</summary>
    public const string Events = "decisioning.events";

    /// <summary>ReviewService: reviewers of referred decisions; the token's subject is the reviewer.</summary>
    public const string Review = "decisioning.review";

    /// <summary>
    /// ConsentService: recording, revoking and listing enterprises' authorisations of the bureau,
    /// tax and fund-flow queries. Its own scope, apart from decisioning.assess: the channel that asks
    /// for a decision must not be the one that vouches for the enterprise's authorisation.
    /// </summary>
    public const string Consent = "decisioning.consent";

    /// <summary>
    /// SimulationService/AdvanceClock: moving a simulated clock (tests and demos; the service serves it
    /// only with Decisioning:Clock:Mode=Simulated, on loopback). Its own scope: no token of a real
    /// caller needs it.
    /// </summary>
    public const string Simulation = "decisioning.simulation";

    public static readonly IReadOnlyList<string> All = [CreditRead, CreditDraw, CreditRepay, CreditAdmin, CreditApprove, Assess, SupplyData, RiskSignal, Events, Review, Consent, Simulation];
}

/// <summary>The one scope an RPC needs. A method of ours without it is refused to every caller (fail closed).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RequiredScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}
