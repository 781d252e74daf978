using System.Diagnostics;

namespace Moderator.Worker.Tests;

/// <summary>Waits on a condition with a deadline, never on the clock alone.</summary>
internal static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            if (elapsed.Elapsed > limit)
            {
                throw new TimeoutException($"Condition not met in time: {because}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Polls an asynchronous condition until it holds or the deadline passes (then fails with the description).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string description)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout} waiting until {description}.");
            }

            await Task.Delay(100);
        }
    }
}
