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
        FirstLoan = d.FirstLoan,
    };

    /// <summary>The non-zero figures in a stable order (measure, product, month, level), and each measure's total.</summary>
    public static V1.GetPortfolioResponse ToGetPortfolioResponse(IReadOnlyDictionary<PortfolioCell, long> figures)
    {
        var response = new V1.GetPortfolioResponse();
        var shown = figures.Where(f => f.Value != 0)
            .OrderBy(f => f.Key.Measure, StringComparer.Ordinal).ThenBy(f => f.Key.Product).ThenBy(f => f.Key.Month, StringComparer.Ordinal).ThenBy(f => f.Key.Level)
            .ToList();
        response.Figures.AddRange(shown.Select(f => new V1.PortfolioFigure
        {
            Measure = f.Key.Measure,
            Product = (V1.Product)f.Key.Product,
            Month = f.Key.Month,
            SrdiLevel = (V1.SrdiLevel)f.Key.Level,
            Value = f.Value,
        }));
        response.Totals.AddRange(shown.GroupBy(f => f.Key.Measure, StringComparer.Ordinal).Select(g => new V1.PortfolioTotal { Measure = g.Key, Value = g.Sum(f => f.Value) }));
        return response;
    }
}
