using Orleans.Runtime;

namespace Decisioning.GrpcHost.Hosting;

/// <summary>
/// In client mode, a grain call refused because its silo is stopping or gone ("Silo stopping", "the
/// target silo is no longer active", no connection to it) is sent again after a short pause, by
/// which time the line's grain is placed on a silo that stays. Measured in the failover test: a
/// rolling restart (SIGTERM, one silo at a time) otherwise fails a few calls per silo with UNAVAILABLE.
/// Safe for every call this front door makes: reads change nothing, and every change carries a
/// request id that the line applies at most once, so a call that did reach its grain is answered
/// with its first reply.
/// </summary>
internal sealed class HandoverRetryFilter : IOutgoingGrainCallFilter
{
    /// <summary>Pauses before each further attempt: together well under the callers' deadlines of seconds.</summary>
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500)];

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (Exception ex) when (ex is OrleansMessageRejectionException or SiloUnavailableException && attempt < Pauses.Length)
            {
                await Task.Delay(Pauses[attempt]);
            }
        }
    }
}
