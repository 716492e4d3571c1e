namespace Decisioning.Grains.Tests;

/// <summary>Retries a call until Redis serves again (a restart, a failover); bounded so a broken recovery fails the test.</summary>
public static class Eventually
{
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> call, Func<T, bool> done, int seconds = 20)
    {
        T last = default!;
        for (var attempt = 0; attempt < seconds * 10; attempt++)
        {
            last = await call();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"still failing after {seconds} s: {last}");
    }
}
