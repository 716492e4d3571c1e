using Decisioning.Contracts.V1;
using Decisioning.Testing;

namespace Decisioning.EndToEnd.Tests;

/// <summary>Lines opened as staff must open them by hand: proposed by one staff member, approved by another.</summary>
internal static class FourEyesOpening
{
    /// <summary>
    /// OpenLine with the staff token, approved with the second staff member's
    /// (<see cref="ServiceProcess.ApproverChannel"/>). The journal starts with two entries: the
    /// proposal (P1 on a new enterprise) and the opening.
    /// </summary>
    public static async Task<ApproveProposalResponse> OpenLineByFourEyesAsync(this ServiceProcess service, OpenLineRequest request)
    {
        var proposed = await new LineAdminService.LineAdminServiceClient(service.Channel).OpenLineAsync(request);
        return await new LineAdminService.LineAdminServiceClient(service.ApproverChannel).ApproveProposalAsync(new ApproveProposalRequest
        {
            EnterpriseId = request.EnterpriseId,
            RequestId = "approve-" + request.RequestId,
            ProposalId = proposed.Proposal.ProposalId,
        });
    }

    /// <summary>A line on a new enterprise, opened by four eyes: 30 days, no interest, <paramref name="limitMinor"/>. Its enterprise id.</summary>
    public static async Task<string> OpenFreshLineAsync(this ServiceProcess service, long limitMinor)
    {
        var id = TestEnterprises.Unique();
        await service.OpenLineByFourEyesAsync(new OpenLineRequest
        {
            EnterpriseId = id,
            RequestId = "open",
            LimitMinor = limitMinor,
            AnnualRateBps = 300,
            TermDays = 30,
            Product = Product.OperatingQuickLoan,
        });
        return id;
    }
}
