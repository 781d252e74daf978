namespace Moderator.Worker.Platforms.Facebook;

/// <summary>Settings of the Facebook Pages connector (section <c>Facebook</c>). Validated when the host starts.</summary>
public sealed class FacebookOptions
{
    public const string SectionName = "Facebook";

    /// <summary>The Graph API root including the version, ending with a slash. Points at the simulator in the demo and tests.</summary>
    public Uri BaseAddress { get; set; } = new("https://graph.facebook.com/v26.0/");

    /// <summary>How long one Graph request may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Posts created longer ago than this are not scanned for new comments.</summary>
    public TimeSpan PostLookback { get; set; } = TimeSpan.FromDays(30);

    /// <summary>At most this many of the newest posts are scanned per poll.</summary>
    public int MaxPostsPerPoll { get; set; } = 50;

    /// <summary>
    /// Skip posts whose <c>updated_time</c> is older than the poll's <c>since</c>, on the reading that a new comment bumps a
    /// post's <c>updated_time</c>. Saves one call per quiet post, but a post whose <c>updated_time</c> did not move would
    /// have its new comments missed; that behaviour of Graph is not verified here, so it is off unless switched on.
    /// </summary>
    public bool SkipPostsNotUpdatedSince { get; set; }

    /// <summary>On a page's first poll (no cursor yet) comments created within this window are read.</summary>
    public TimeSpan FirstPollLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Each poll re-reads comments this much older than the cursor, so late-indexed comments are not missed.</summary>
    public TimeSpan CursorOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Above this usage percentage (any usage header) calls are spaced out; at 100 they stop until access is regained.</summary>
    public int SlowDownFromPercent { get; set; } = 75;

    /// <summary>The pause between calls just below 100% usage; it grows linearly from zero at <see cref="SlowDownFromPercent"/>.</summary>
    public TimeSpan MaxSlowDownDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A pause longer than this is not waited out inside a call: the call fails as rate limited with the time to wait.</summary>
    public TimeSpan MaxInlineWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Backoff after the first rate-limit error without a hint from Facebook; doubles with each further one.</summary>
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
            yield return "Facebook:BaseAddress must be an absolute http(s) URI.";
        }
        else if (!BaseAddress.AbsolutePath.EndsWith('/'))
        {
            yield return "Facebook:BaseAddress must end with '/' (for example https://graph.facebook.com/v26.0/).";
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            yield return "Facebook:RequestTimeout must be between 0 and 5 minutes.";
        }

        if (PostLookback <= TimeSpan.Zero || FirstPollLookback <= TimeSpan.Zero || CursorOverlap < TimeSpan.Zero)
        {
            yield return "Facebook:PostLookback and FirstPollLookback must be positive, CursorOverlap not negative.";
        }

        if (MaxPostsPerPoll is < 1 or > 1000)
        {
            yield return "Facebook:MaxPostsPerPoll must be between 1 and 1000.";
        }

        if (SlowDownFromPercent is < 1 or > 99)
        {
            yield return "Facebook:SlowDownFromPercent must be between 1 and 99.";
        }

        if (MaxSlowDownDelay < TimeSpan.Zero || MaxInlineWait < TimeSpan.Zero || RateLimitBackoff <= TimeSpan.Zero || MaxRateLimitBackoff < RateLimitBackoff)
        {
            yield return "Facebook:MaxSlowDownDelay and MaxInlineWait must not be negative; RateLimitBackoff must be positive and not above MaxRateLimitBackoff.";
        }
    }
}
