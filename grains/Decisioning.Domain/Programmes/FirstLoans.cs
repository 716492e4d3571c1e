using Decisioning.Domain.Assessment;

namespace Decisioning.Domain.Programmes;

/// <summary>
/// First loans (首贷): credit to an enterprise that has never borrowed from a bank, which the
/// first-loan and renewal credit-enhancement funds (首贷续贷增信基金) support.
/// </summary>
public static class FirstLoans
{
    /// <summary>
    /// The credit bureau reports neither bank debt nor a lending bank. Without the bureau's report
    /// nothing is known, and nothing is claimed: a fund's money is not granted on a fact nobody checked.
    /// </summary>
    public static bool Is(CreditApplication application) =>
        application.Financing is { ExistingBankDebtMinor: 0, LendingBanks: 0 };
}
