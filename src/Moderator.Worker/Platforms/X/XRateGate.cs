using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.X;

/// <summary>The <c>x-rate-limit-*</c> headers of one response: the window's size, what is left of it, and when it resets.</summary>
public sealed record XRateLimit(int Limit, int Remaining, DateTimeOffset ResetAt)
{
    public const string LimitHeader = "x-rate-limit-limit";
    public const string RemainingHeader = "x-rate-limit-remaining";
    public const string ResetHeader = "x-rate-limit-reset";

    /// <summary>Reads the three headers; null unless remaining and reset (epoch seconds) are both present and readable.</summary>
    public static XRateLimit? FromHeaders(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var remaining = Number(headers, RemainingHeader);
        var reset = Number(headers, ResetHeader);
        if (remaining is null || reset is null)
        {
            return null;
        }

        return new XRateLimit((int)Math.Clamp(Number(headers, LimitHeader) ?? 0, 0, int.MaxValue), (int)Math.Clamp(remaining.Value, 0, int.MaxValue), DateTimeOffset.FromUnixTimeSeconds(reset.Value));
    }

    private static long? Number(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}

/// <summary>
/// Keeps the X calls of each account within X's per-endpoint windows: it remembers the last <c>x-rate-limit-*</c>
/// headers per (endpoint, account) and stops calling once the window is down to <see cref="XOptions.RateLimitReserve"/>
/// requests, until it resets — waiting inside the call when the reset is near, failing fast as rate limited when not.
/// After a 429 the endpoint is blocked until the reset; after <c>usage-capped</c> every read is blocked for a long time.
/// One instance per process. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class XRateGate(TimeProvider clock, IOptions<XOptions> options, ILogger<XRateGate> logger)
{
    private readonly ConcurrentDictionary<(string Endpoint, string Account), Window> _windows = new();
    private readonly XOptions _options = options.Value;
    private readonly Lock _capLock = new();
    private DateTimeOffset _readsBlockedUntil = DateTimeOffset.MinValue;

    /// <summary>The window X last reported for this endpoint and account, if any.</summary>
    public XRateLimit? Observed(string endpoint, string account) => WindowOf(endpoint, account).Last;

    /// <summary>How long the next call must wait: zero, the time to a window reset, or a backoff still running.</summary>
    public TimeSpan RecommendedDelay(string endpoint, string account, bool isRead)
    {
        var now = clock.GetUtcNow();
        var window = WindowOf(endpoint, account);
        TimeSpan delay;
        lock (window)
        {
            delay = window.BlockedUntil - now;
            if (window.Last is { } last && last.ResetAt > now && last.Remaining <= _options.RateLimitReserve && last.ResetAt - now > delay)
            {
                delay = last.ResetAt - now;
            }
        }

        if (isRead)
        {
            lock (_capLock)
            {
                if (_readsBlockedUntil - now > delay)
                {
                    delay = _readsBlockedUntil - now;
                }
            }
        }

        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    /// <summary>Waits out a short delay (see <see cref="RecommendedDelay"/>) or throws RateLimited with the time to wait.</summary>
    public async Task WaitAsync(string endpoint, string account, bool isRead, CancellationToken cancellationToken)
    {
        var delay = RecommendedDelay(endpoint, account, isRead);
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        if (delay > _options.MaxInlineWait)
        {
            XLog.CallHeldBack(logger, endpoint, account, delay);
            throw new PlatformException(
                Platform.X,
                PlatformErrorKind.RateLimited,
                $"X {endpoint} calls for account {account} are held back for {delay} to stay within the rate limit.",
                retryAfter: delay);
        }

        XLog.WaitingForReset(logger, endpoint, account, Observed(endpoint, account)?.Remaining ?? 0, delay);
        await Task.Delay(delay, clock, cancellationToken);
    }

    /// <summary>Records the headers of a response.</summary>
    public void Observe(string endpoint, string account, XRateLimit? limit)
    {
        if (limit is null)
        {
            return;
        }

        var window = WindowOf(endpoint, account);
        lock (window)
        {
            window.Last = limit;
        }
    }

    /// <summary>Records a 429: the endpoint stops until the reported reset (or a fixed backoff); returns how long.</summary>
    public TimeSpan RecordRateLimited(string endpoint, string account, XRateLimit? limit)
    {
        var now = clock.GetUtcNow();
        var backoff = limit is { } known && known.ResetAt > now ? known.ResetAt - now : _options.RateLimitBackoff;
        var window = WindowOf(endpoint, account);
        lock (window)
        {
            if (limit is not null)
            {
                window.Last = limit;
            }

            if (now + backoff > window.BlockedUntil)
            {
                window.BlockedUntil = now + backoff;
            }
        }

        return backoff;
    }

    /// <summary>Records <c>usage-capped</c> (or our own monthly cap): every read stops for <paramref name="backoff"/>.</summary>
    public TimeSpan BlockReads(TimeSpan backoff)
    {
        var until = clock.GetUtcNow() + backoff;
        lock (_capLock)
        {
            if (until > _readsBlockedUntil)
            {
                _readsBlockedUntil = until;
            }
        }

        return backoff;
    }

    private Window WindowOf(string endpoint, string account) => _windows.GetOrAdd((endpoint, account), static _ => new Window());

    private sealed class Window
    {
        public XRateLimit? Last { get; set; }

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
