namespace Moderator.Worker.Tests;

/// <summary>Waits on a condition with a deadline instead of sleeping for a fixed time.</summary>
internal static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met in time: {because}");
            }

            await Task.Delay(10);
        }
    }
}
