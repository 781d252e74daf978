namespace Moderator.Worker.Platforms.X;

/// <summary>Settings of the X (API v2) connector (section <c>X</c>). Validated when the host starts.</summary>
public sealed class XOptions
{
    public const string SectionName = "X";

    /// <summary>The API v2 root, ending with a slash. Points at the simulator in the demo and tests.</summary>
    public Uri BaseAddress { get; set; } = new("https://api.x.com/2/");

    /// <summary>The OAuth 2.0 app's client id, sent when refreshing a user's access token. Required.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The client secret of a confidential client (sent with HTTP Basic auth on refresh); empty for a public client.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>How long one request may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An access token expiring within this is refreshed before the call instead of failing it.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Recent search <c>max_results</c> per page of results (X allows 10–100).</summary>
    public int MaxResultsPerPage { get; set; } = 100;

    /// <summary>At most this many pages of results per poll; the rest is read by the next poll (the cursor only moves over what was read).</summary>
    public int MaxPagesPerPoll { get; set; } = 5;

    /// <summary>
    /// How many of the account's own recent conversations are also searched with <c>conversation_id:</c> so replies between
    /// other people deep in them are found (0 = only replies addressed to the account). Bounded by X's 512-character query.
    /// </summary>
    public int MaxTrackedConversations { get; set; } = 10;

    /// <summary>On a page's first poll (no cursor yet) replies created within this window are read (recent search covers 7 days).</summary>
    public TimeSpan FirstPollLookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Calls stop when the rate-limit window has this many requests left (or fewer) until it resets.</summary>
    public int RateLimitReserve { get; set; } = 1;

    /// <summary>A wait for a rate-limit reset shorter than this is waited out inside the call; longer ones fail as rate limited.</summary>
    public TimeSpan MaxInlineWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after a 429 that carried no <c>x-rate-limit-reset</c> header.</summary>
    public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to stop reading after X answered <c>usage-capped</c> (the cap is monthly; a day is checked again sooner).</summary>
    public TimeSpan UsageCappedBackoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Post reads (billed resources) the installation (all worker nodes together, counted in the database) may spend per
    /// calendar month (UTC) across all X pages; 0 = no cap of our own (X's usage cap still applies). Reaching it fails
    /// polls as rate limited until the next month.
    /// </summary>
    public long MonthlyPostReadCap { get; set; }

    /// <summary>The reasons these options cannot work, or none.</summary>
    public IEnumerable<string> Problems()
    {
        if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttps && BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            yield return "X:BaseAddress must be an absolute http(s) URI.";
        }
        else if (!BaseAddress.AbsolutePath.EndsWith('/'))
        {
            yield return "X:BaseAddress must end with '/' (for example https://api.x.com/2/).";
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            yield return "X:RequestTimeout must be between 0 and 5 minutes.";
        }

        if (RefreshBeforeExpiry < TimeSpan.Zero || RefreshBeforeExpiry > TimeSpan.FromMinutes(30))
        {
            yield return "X:RefreshBeforeExpiry must be between 0 and 30 minutes.";
        }

        if (MaxResultsPerPage is < 10 or > 100)
        {
            yield return "X:MaxResultsPerPage must be between 10 and 100.";
        }

        if (MaxPagesPerPoll is < 1 or > 100)
        {
            yield return "X:MaxPagesPerPoll must be between 1 and 100.";
        }

        if (MaxTrackedConversations is < 0 or > 12)
        {
            yield return "X:MaxTrackedConversations must be between 0 and 12 (X queries are at most 512 characters).";
        }

        if (FirstPollLookback <= TimeSpan.Zero || FirstPollLookback > TimeSpan.FromDays(7))
        {
            yield return "X:FirstPollLookback must be positive and at most 7 days (recent search covers 7 days).";
        }

        if (RateLimitReserve is < 0 or > 100)
        {
            yield return "X:RateLimitReserve must be between 0 and 100.";
        }

        if (MaxInlineWait < TimeSpan.Zero || RateLimitBackoff <= TimeSpan.Zero || UsageCappedBackoff <= TimeSpan.Zero)
        {
            yield return "X:MaxInlineWait must not be negative; RateLimitBackoff and UsageCappedBackoff must be positive.";
        }

        if (MonthlyPostReadCap < 0)
        {
            yield return "X:MonthlyPostReadCap must not be negative (0 = no cap of our own).";
        }
    }
}
