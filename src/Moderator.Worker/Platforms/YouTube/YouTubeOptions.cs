namespace Moderator.Worker.Platforms.YouTube;

/// <summary>Settings of the YouTube Data API v3 connector (section <c>YouTube</c>). Validated when the host starts.</summary>
public sealed class YouTubeOptions
{
    public const string SectionName = "YouTube";

    /// <summary>The Data API root, ending with a slash. Points at the simulator in the demo and tests.</summary>
    public Uri BaseAddress { get; set; } = new("https://www.googleapis.com/youtube/v3/");

    /// <summary>Google's OAuth 2.0 token endpoint, used to refresh access tokens.</summary>
    public Uri TokenEndpoint { get; set; } = new("https://oauth2.googleapis.com/token");

    /// <summary>
    /// The OAuth client id of the moderator's Google Cloud project. Optional so that installations without YouTube start
    /// without it; a channel whose token needs refreshing then fails with a BadRequest naming the missing setting.
    /// </summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The OAuth client secret of that project. Never logged.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>How long one request may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An access token this close to its expiry is refreshed before the call instead of after a 401.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>On a channel's first poll (no cursor yet) comments published within this window are read.</summary>
    public TimeSpan FirstPollLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Each poll re-reads comments this much older than the cursor, so late-indexed comments are not missed.</summary>
    public TimeSpan CursorOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>order=time</c> sorts threads by when their top-level comment was posted, so a new reply sits under an older
    /// thread. Paging goes on until threads are older than the cursor minus this window; replies to threads started
    /// earlier than that are not seen by the poll.
    /// </summary>
    public TimeSpan ReplyLookback { get; set; } = TimeSpan.FromDays(3);

    /// <summary>At most this many result pages of <c>commentThreads</c> per poll (each costs one quota unit).</summary>
    public int MaxThreadPagesPerPoll { get; set; } = 10;

    /// <summary>
    /// The project's daily quota in units (Google's default is 10,000; resets at midnight Pacific time), shared by all
    /// worker nodes through the database; give every node the same value.
    /// </summary>
    public int DailyQuotaUnits { get; set; } = 10_000;

    /// <summary>
    /// Units kept back for moderation calls (50 each): reads stop once only this much is left, so hides still go through.
    /// </summary>
    public int ModerationReserveUnits { get; set; } = 2_000;

    /// <summary>The reasons these options cannot work, or none.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, uri) in new[] { ("BaseAddress", BaseAddress), ("TokenEndpoint", TokenEndpoint) })
        {
            if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                yield return $"YouTube:{name} must be an absolute http(s) URI.";
            }
        }

        if (BaseAddress is { IsAbsoluteUri: true } && !BaseAddress.AbsolutePath.EndsWith('/'))
        {
            yield return "YouTube:BaseAddress must end with '/' (for example https://www.googleapis.com/youtube/v3/).";
        }

        if (string.IsNullOrWhiteSpace(ClientId) != string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return "YouTube:ClientId and YouTube:ClientSecret go together: set both (needed to refresh access tokens) or neither.";
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            yield return "YouTube:RequestTimeout must be between 0 and 5 minutes.";
        }

        if (RefreshBeforeExpiry < TimeSpan.Zero || FirstPollLookback <= TimeSpan.Zero || CursorOverlap < TimeSpan.Zero || ReplyLookback < TimeSpan.Zero)
        {
            yield return "YouTube:FirstPollLookback must be positive; RefreshBeforeExpiry, CursorOverlap and ReplyLookback not negative.";
        }

        if (MaxThreadPagesPerPoll is < 1 or > 100)
        {
            yield return "YouTube:MaxThreadPagesPerPoll must be between 1 and 100.";
        }

        if (DailyQuotaUnits < YouTubeQuota.ModerationCost || ModerationReserveUnits < 0 || ModerationReserveUnits >= DailyQuotaUnits)
        {
            yield return "YouTube:DailyQuotaUnits must be at least 50 and ModerationReserveUnits between 0 and DailyQuotaUnits.";
        }
    }
}
