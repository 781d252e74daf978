using Moderator.Worker.Platforms.Facebook;

namespace Moderator.Worker.Platforms.Instagram;

/// <summary>Settings of the Instagram connector (section <c>Instagram</c>): Instagram API with Facebook Login, a Page token. Validated at start.</summary>
public sealed class InstagramOptions
{
    public const string SectionName = "Instagram";

    /// <summary>The Graph API root including the version, ending with a slash. Points at the simulator in the demo and tests.</summary>
    public Uri BaseAddress { get; set; } = new("https://graph.facebook.com/v26.0/");

    /// <summary>How long one Graph request may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Media published longer ago than this are not scanned for new comments.</summary>
    public TimeSpan MediaLookback { get; set; } = TimeSpan.FromDays(30);

    /// <summary>At most this many of the newest media are scanned per poll.</summary>
    public int MaxMediaPerPoll { get; set; } = 25;

    /// <summary>At most this many top-level comments (newest first, 50 per request) are read per media; older ones are not scanned.</summary>
    public int MaxCommentsPerMedia { get; set; } = 500;

    /// <summary>On an account's first poll (no cursor yet) only comments created within this window are returned; older ones are recorded as seen.</summary>
    public TimeSpan FirstPollLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Between full scans, a media whose <c>comments_count</c> did not change since the last poll is not read again (saves
    /// one call per quiet media). A deletion and a new comment in the same interval leave the count unchanged, so every
    /// <see cref="FullScanInterval"/> all media are read regardless.
    /// </summary>
    public bool SkipMediaWithUnchangedCommentCount { get; set; } = true;

    /// <summary>How often every listed media is read even when its comment count did not move.</summary>
    public TimeSpan FullScanInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Above this usage percentage calls are spaced out; at 100 they stop until access is regained.</summary>
    public int SlowDownFromPercent { get; set; } = 75;

    /// <summary>The pause between calls just below 100% usage; it grows linearly from zero at <see cref="SlowDownFromPercent"/>.</summary>
    public TimeSpan MaxSlowDownDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A pause longer than this is not waited out inside a call: the call fails as rate limited with the time to wait.</summary>
    public TimeSpan MaxInlineWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Backoff after the first rate-limit error (80002 etc.) without a hint; doubles with each further one.</summary>
    public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest backoff after repeated rate-limit errors.</summary>
    public TimeSpan MaxRateLimitBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The rate-limit settings as the shared Graph gate takes them.</summary>
    public GraphRateLimits RateLimits() => new(SlowDownFromPercent, MaxSlowDownDelay, MaxInlineWait, RateLimitBackoff, MaxRateLimitBackoff);

    /// <summary>The reasons these options cannot work, or none.</summary>
    public IEnumerable<string> Problems()
    {
        if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttps && BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            yield return "Instagram:BaseAddress must be an absolute http(s) URI.";
        }
        else if (!BaseAddress.AbsolutePath.EndsWith('/'))
        {
            yield return "Instagram:BaseAddress must end with '/' (for example https://graph.facebook.com/v26.0/).";
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            yield return "Instagram:RequestTimeout must be between 0 and 5 minutes.";
        }

        if (MediaLookback <= TimeSpan.Zero)
        {
            yield return "Instagram:MediaLookback must be positive.";
        }

        if (FirstPollLookback <= TimeSpan.Zero)
        {
            yield return "Instagram:FirstPollLookback must be positive.";
        }

        if (FullScanInterval <= TimeSpan.Zero)
        {
            yield return "Instagram:FullScanInterval must be positive.";
        }

        if (MaxMediaPerPoll is < 1 or > 1000)
        {
            yield return "Instagram:MaxMediaPerPoll must be between 1 and 1000.";
        }

        if (MaxCommentsPerMedia is < 1 or > 10_000)
        {
            yield return "Instagram:MaxCommentsPerMedia must be between 1 and 10000.";
        }

        if (SlowDownFromPercent is < 1 or > 99)
        {
            yield return "Instagram:SlowDownFromPercent must be between 1 and 99.";
        }

        if (MaxSlowDownDelay < TimeSpan.Zero || MaxInlineWait < TimeSpan.Zero || RateLimitBackoff <= TimeSpan.Zero || MaxRateLimitBackoff < RateLimitBackoff)
        {
            yield return "Instagram:MaxSlowDownDelay and MaxInlineWait must not be negative; RateLimitBackoff must be positive and not above MaxRateLimitBackoff.";
        }
    }
}
