using Decisioning.Domain.Programmes;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.Contracts;

public static partial class Mapping
{
    public static V1.GetRelendingQuotaResponse ToGetRelendingQuotaResponse(RelendingQuotaView q)
    {
        var message = new V1.GetRelendingQuotaResponse
        {
            Period = q.Period.Name,
            StartDate = Date(q.Period.From),
            EndDate = Date(q.Period.Until),
            ConfiguredMinor = q.ConfiguredMinor,
            UsedMinor = q.UsedMinor,
            AvailableMinor = q.AvailableMinor,
            ShareBps = q.Period.ShareBps,
            BankRateBps = q.Period.BankRateBps,
        };
        message.Months.AddRange(q.Months.Select(m => new V1.RelendingQuotaMonth { Month = m.Month, ChangeMinor = m.ChangeMinor, UsedMinor = m.UsedMinor }));
        return message;
    }
}
