using System.CommandLine;

namespace Decisioning.Cli.Commands;

/// <summary>Every command of the tool, in the order help lists them. A new command is one line here.</summary>
internal static class CommandCatalogue
{
    public static IEnumerable<Command> All(Cli cli) =>
    [
        new ShowCommand().Build(cli),
        new CheckCommand().Build(cli),
        new DrawCommand().Build(cli),
        new RepayCommand().Build(cli),
        new Command("hold", "Reserve credit for a pending payment, then capture or release it.")
        {
            new PlaceHoldCommand().Build(cli),
            new CaptureHoldCommand().Build(cli),
            new ReleaseHoldCommand().Build(cli),
        },
        new OpenCommand().Build(cli),
        new FreezeCommand().Build(cli),
        new UnfreezeCommand().Build(cli),
        new ProposalsCommand().Build(cli),
        new ApproveCommand().Build(cli),
        new RejectCommand().Build(cli),
        new Command("consent", "An enterprise's authorisations (征信授权) to query the credit bureau, tax bureau and fund-flow platform.")
        {
            new RecordConsentCommand().Build(cli),
            new RevokeConsentCommand().Build(cli),
            new ListConsentsCommand().Build(cli),
        },
        new AssessCommand().Build(cli),
        new Command("referrals", "Referred decisions waiting for a reviewer (scope decisioning.review): the queue, a referral's whole decision, claiming and deciding it.")
        {
            new ListReferralsCommand().Build(cli),
            new ShowReferralCommand().Build(cli),
            new ClaimReferralCommand().Build(cli),
            new DecideReferralCommand().Build(cli),
        },
        new DecisionCommand().Build(cli),
        new RenewCommand().Build(cli),
        new SignalCommand().Build(cli),
        new PortfolioCommand().Build(cli),
        new Command("events", "The event stream: every journal entry of every line, as it happens.") { new TailCommand().Build(cli) },
    ];
}
