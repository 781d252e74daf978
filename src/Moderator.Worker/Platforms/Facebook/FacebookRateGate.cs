using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>
/// Keeps each page's Graph calls inside Facebook's budget: remembers the usage the last response reported and any
/// rate-limit backoff, and makes the next call wait (or fail fast as rate limited when the wait would be long).
/// One instance per process, shared by every call for every page.
/// </summary>
public sealed class FacebookRateGate(TimeProvider clock, IOptions<FacebookOptions> options, ILogger<FacebookRateGate> logger)
{
    private readonly ConcurrentDictionary<string, PageBudget> _pages = new(StringComparer.Ordinal);
    private readonly FacebookOptions _options = options.Value;

    /// <summary>The usage Facebook last reported for calls made with this page's token, if any.</summary>
    public GraphUsage? ObservedUsage(string pageId) => Budget(pageId).Usage;

    /// <summary>How long the next call for this page should wait: a backoff still running, or the slow-down for high usage.</summary>
    public TimeSpan RecommendedDelay(string pageId)
    {
        var budget = Budget(pageId);
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
    public async Task WaitAsync(string pageId, CancellationToken cancellationToken)
    {
        var delay = RecommendedDelay(pageId);
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        if (delay > _options.MaxInlineWait)
        {
            FacebookLog.CallHeldBack(logger, pageId, delay);
            throw new PlatformException(
                Platform.Facebook,
                PlatformErrorKind.RateLimited,
                $"Facebook calls for page {pageId} are held back for {delay} to stay within the rate limit.",
                retryAfter: delay);
        }

        FacebookLog.SlowingDown(logger, pageId, delay, Budget(pageId).Usage?.HighestPercent ?? 0);
        await Task.Delay(delay, clock, cancellationToken);
    }

    /// <summary>Records the usage headers of a response. At 100% the page is blocked until Facebook says access returns.</summary>
    public void Observe(string pageId, GraphUsage? usage)
    {
        if (usage is null)
        {
            return;
        }

        var budget = Budget(pageId);
        lock (budget)
        {
            budget.Usage = usage;
            if (usage.HighestPercent >= 100)
            {
                var wait = usage.RegainAccessIn > TimeSpan.Zero ? usage.RegainAccessIn : _options.RateLimitBackoff;
                budget.BlockUntil(clock.GetUtcNow() + wait);
            }
        }
    }

    /// <summary>
    /// Records a rate-limit error and returns how long to back off: Facebook's hint when it gave one, otherwise a backoff
    /// that doubles with each consecutive rate-limit error of the page.
    /// </summary>
    public TimeSpan RecordRateLimited(string pageId, TimeSpan? hint)
    {
        var budget = Budget(pageId);
        lock (budget)
        {
            budget.ConsecutiveLimits++;
            var exponent = Math.Min(budget.ConsecutiveLimits - 1, 16);
            var backoff = TimeSpan.FromTicks(Math.Min(_options.RateLimitBackoff.Ticks * (1L << exponent), _options.MaxRateLimitBackoff.Ticks));
            if (hint is { } given && given > TimeSpan.Zero)
            {
                backoff = given;
            }

            budget.BlockUntil(clock.GetUtcNow() + backoff);
            return backoff;
        }
    }

    /// <summary>A call went through: the rate-limit backoff starts again from its base.</summary>
    public void RecordSuccess(string pageId)
    {
        var budget = Budget(pageId);
        lock (budget)
        {
            budget.ConsecutiveLimits = 0;
        }
    }

    private TimeSpan SlowDownFor(GraphUsage? usage)
    {
        if (usage is null || usage.HighestPercent < _options.SlowDownFromPercent)
        {
            return TimeSpan.Zero;
        }

        var percent = Math.Min(usage.HighestPercent, 100);
        var fraction = (double)(percent - _options.SlowDownFromPercent) / (100 - _options.SlowDownFromPercent);
        return _options.MaxSlowDownDelay * fraction;
    }

    private PageBudget Budget(string pageId) => _pages.GetOrAdd(pageId, static _ => new PageBudget());

    private sealed class PageBudget
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
