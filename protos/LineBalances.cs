namespace Decisioning.Contracts.V1;

/// <summary>Replies that carry the line's balances after the call, so they can be filled in one place.</summary>
public interface ILineBalances
{
    long AvailableMinor { get; set; }

    long LimitMinor { get; set; }

    long DrawnMinor { get; set; }

    long HeldMinor { get; set; }
}

public sealed partial class CheckLimitResponse : ILineBalances
{
}

public sealed partial class DrawResponse : ILineBalances
{
}

public sealed partial class RepayResponse : ILineBalances
{
}

public sealed partial class PlaceHoldResponse : ILineBalances
{
}

public sealed partial class CaptureHoldResponse : ILineBalances
{
}

public sealed partial class ReleaseHoldResponse : ILineBalances
{
}
