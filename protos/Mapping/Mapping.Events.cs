using Decisioning.Domain.Assessment;
using Decisioning.Domain.Events;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.Contracts;

public static partial class Mapping
{
    public static V1.LineEvent ToLineEvent(LineEvent e) => new()
    {
        EnterpriseId = e.EnterpriseId,
        Transaction = ToTransaction(e.Entry),
        Product = (V1.Product)e.Product,
        Decision = e.Decision is { } d ? ToDecisionSummary(d) : null,
    };

    public static V1.DecisionSummary ToDecisionSummary(DecisionSummary d) => new()
    {
        Purpose = (V1.DecisionPurpose)d.Purpose,
        Outcome = (V1.Outcome)d.Outcome,
        Product = (V1.Product)d.Product,
        LimitMinor = d.LimitMinor,
        AnnualRateBps = d.AnnualRateBps,
        SrdiLevel = (V1.SrdiLevel)d.SrdiLevel,
        LimitBasis = (V1.LimitBasis)d.LimitBasis,
        FundFlowBased = d.FundFlowBased,
        Score = d.Score,
        ModelVersion = d.ModelVersion,
    };
}
