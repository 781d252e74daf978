using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>How a <see cref="GraphRateGate"/> spaces calls out and backs off; each Graph connector fills it from its options.</summary>
public sealed record GraphRateLimits(
    int SlowDownFromPercent,
    TimeSpan MaxSlowDownDelay,
    TimeSpan MaxInlineWait,
    TimeSpan RateLimitBackoff,
    TimeSpan MaxRateLimitBackoff);

/// <summary>
/// Keeps each account's Graph calls inside Meta's budget: remembers the usage the last response reported and any
/// rate-limit backoff, and makes the next call wait (or fail fast as rate limited when the wait would be long).
/// Facebook Pages and Instagram each hold one instance (their budgets are separate business use cases), shared by
/// every call for every account of that platform.
/// </summary>
public sealed class GraphRateGate(Platform platform, GraphRateLimits limits, TimeProvider clock, ILogger logger)
{
    private readonly ConcurrentDictionary<string, AccountBudget> _accounts = new(StringComparer.Ordinal);

    public Platform Platform => platform;

    /// <summary>The usage Meta last reported for calls made for this account, if any.</summary>
    public GraphUsage? ObservedUsage(string accountId) => Budget(accountId).Usage;

    /// <summary>How long the next call for this account should wait: a backoff still running, or the slow-down for high usage.</summary>
    public TimeSpan RecommendedDelay(string accountId)
    {
        var budget = Budget(accountId);
        lock (budget)
        {
            var now = clock.GetUtcNow();
            var blocked = budget.BlockedUntil - now;
            var slowDown = SlowDownFor(budget.Usage);
            var delay = blocked > slowDown ? blocked : slowDown;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }
    }

    /// <summary>Waits before a call as <see cref="RecommendedDelay"/> says, or throws RateLimited when the wait is too long to hold a call open.</summary>
    public async Task WaitAsync(string accountId, CancellationToken cancellationToken)
    {
        var delay = RecommendedDelay(accountId);
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        if (delay > limits.MaxInlineWait)
        {
            GraphLog.CallHeldBack(logger, platform, accountId, delay);
            throw new PlatformException(
                platform,
                PlatformErrorKind.RateLimited,
                $"{platform} calls for page {accountId} are held back for {delay} to stay within the rate limit.",
                retryAfter: delay);
        }

        GraphLog.SlowingDown(logger, platform, accountId, delay, Budget(accountId).Usage?.HighestPercent ?? 0);
        await Task.Delay(delay, clock, cancellationToken);
    }

    /// <summary>Records the usage headers of a response. At 100% the account is blocked until Meta says access returns.</summary>
    public void Observe(string accountId, GraphUsage? usage)
    {
        if (usage is null)
        {
            return;
        }

        var budget = Budget(accountId);
        lock (budget)
        {
            budget.Usage = usage;
            if (usage.HighestPercent >= 100)
            {
                var wait = usage.RegainAccessIn > TimeSpan.Zero ? usage.RegainAccessIn : limits.RateLimitBackoff;
                budget.BlockUntil(clock.GetUtcNow() + wait);
            }
        }
    }

    /// <summary>
    /// Records a rate-limit error and returns how long to back off: Meta's hint when it gave one, otherwise a backoff
    /// that doubles with each consecutive rate-limit error of the account.
    /// </summary>
    public TimeSpan RecordRateLimited(string accountId, TimeSpan? hint)
    {
        var budget = Budget(accountId);
        lock (budget)
        {
            budget.ConsecutiveLimits++;
            var exponent = Math.Min(budget.ConsecutiveLimits - 1, 16);
            var backoff = TimeSpan.FromTicks(Math.Min(limits.RateLimitBackoff.Ticks * (1L << exponent), limits.MaxRateLimitBackoff.Ticks));
            if (hint is { } given && given > TimeSpan.Zero)
            {
                backoff = given;
            }

            budget.BlockUntil(clock.GetUtcNow() + backoff);
            return backoff;
        }
    }

    /// <summary>A call went through: the rate-limit backoff starts again from its base.</summary>
    public void RecordSuccess(string accountId)
    {
        var budget = Budget(accountId);
        lock (budget)
        {
            budget.ConsecutiveLimits = 0;
        }
    }

    private TimeSpan SlowDownFor(GraphUsage? usage)
    {
        if (usage is null || usage.HighestPercent < limits.SlowDownFromPercent)
        {
            return TimeSpan.Zero;
        }

        var percent = Math.Min(usage.HighestPercent, 100);
        var fraction = (double)(percent - limits.SlowDownFromPercent) / (100 - limits.SlowDownFromPercent);
        return limits.MaxSlowDownDelay * fraction;
    }

    private AccountBudget Budget(string accountId) => _accounts.GetOrAdd(accountId, static _ => new AccountBudget());

    private sealed class AccountBudget
    {
        public GraphUsage? Usage { get; set; }

        public DateTimeOffset BlockedUntil { get; private set; } = DateTimeOffset.MinValue;

        public int ConsecutiveLimits { get; set; }

        public void BlockUntil(DateTimeOffset until)
        {
            if (until > BlockedUntil)
            {
                BlockedUntil = until;
            }
        }
    }
}
