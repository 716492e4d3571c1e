using StackExchange.Redis;

namespace Decisioning.Grains.Storage;

internal static class StorageFailure
{
    /// <summary>Redis is unreachable or did not answer in time: the caller gets UNAVAILABLE and may retry.</summary>
    public static bool IsTransient(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;
}
