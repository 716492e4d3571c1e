namespace Decisioning.Contracts.V1;

/// <summary>A request about one enterprise: the caller must serve it (the token's enterprises claim).</summary>
public interface IEnterpriseRequest
{
    string EnterpriseId { get; }
}
/// <summary>A request about some enterprises (none: every one, for a caller serving all): the caller must serve each.</summary>
public interface IEnterprisesRequest
{
    IReadOnlyList<string> EnterpriseIds { get; }
}

public sealed partial class SubscribeRequest : IEnterprisesRequest
{
    IReadOnlyList<string> IEnterprisesRequest.EnterpriseIds => EnterpriseIds;
}

public sealed partial class CheckLimitRequest : IEnterpriseRequest
{
}

public sealed partial class DrawRequest : IEnterpriseRequest
{
}

public sealed partial class RepayRequest : IEnterpriseRequest
{
}

public sealed partial class PlaceHoldRequest : IEnterpriseRequest
{
}

public sealed partial class CaptureHoldRequest : IEnterpriseRequest
{
}

public sealed partial class ReleaseHoldRequest : IEnterpriseRequest
{
}

public sealed partial class GetLineRequest : IEnterpriseRequest
{
}

public sealed partial class ListTransactionsRequest : IEnterpriseRequest
{
}

public sealed partial class AssessEnterpriseRequest : IEnterpriseRequest
{
}

public sealed partial class GetDecisionRequest : IEnterpriseRequest
{
}

public sealed partial class RenewLineRequest : IEnterpriseRequest
{
}

public sealed partial class ReportRiskSignalRequest : IEnterpriseRequest
{
}

public sealed partial class OpenLineRequest : IEnterpriseRequest
{
}

public sealed partial class FreezeLineRequest : IEnterpriseRequest
{
}

public sealed partial class UnfreezeLineRequest : IEnterpriseRequest
{
}

public sealed partial class AdjustLimitRequest : IEnterpriseRequest
{
}

public sealed partial class CloseLineRequest : IEnterpriseRequest
{
}

public sealed partial class AddExclusionRequest : IEnterpriseRequest
{
}

public sealed partial class RemoveExclusionRequest : IEnterpriseRequest
{
}

public sealed partial class ApproveProposalRequest : IEnterpriseRequest
{
}

public sealed partial class RejectProposalRequest : IEnterpriseRequest
{
}

public sealed partial class ListProposalsRequest : IEnterpriseRequest
{
}

public sealed partial class SetClassificationFloorRequest : IEnterpriseRequest
{
}

public sealed partial class WriteOffLineRequest : IEnterpriseRequest
{
}

public sealed partial class GetReferralRequest : IEnterpriseRequest
{
}

public sealed partial class ClaimReferralRequest : IEnterpriseRequest
{
}

public sealed partial class DecideReferralRequest : IEnterpriseRequest
{
}

public sealed partial class RecordConsentRequest : IEnterpriseRequest
{
}

public sealed partial class RevokeConsentRequest : IEnterpriseRequest
{
}

public sealed partial class ListConsentsRequest : IEnterpriseRequest
{
}
