namespace Moderator.Worker.Simulator;

/// <summary>A page the simulator serves, with the token that grants access to it.</summary>
public sealed record SimulatedPage(string Id, string Name, string AccessToken)
{
    public override string ToString() => $"simulated page {Id}";
}

/// <summary>A snapshot of one simulated comment: its state on the "platform" and how often each action reached it.</summary>
public sealed record SimulatedCommentState(
    string Id,
    string PageId,
    string PostId,
    string? ParentId,
    string AuthorId,
    string AuthorName,
    string Message,
    DateTimeOffset CreatedTime,
    DateTimeOffset AppearedAt,
    bool IsHidden,
    bool IsDeleted,
    DateTimeOffset? HiddenAt,
    int HideCalls,
    int UnhideCalls,
    int DeleteCalls)
{
    public override string ToString() => $"simulated comment {Id}";
}

/// <summary>A failure the simulator can answer the next requests with.</summary>
public enum SimulatedFault
{
    /// <summary>HTTP 429 with a Retry-After header and no Graph body.</summary>
    TooManyRequests = 1,

    /// <summary>A Graph rate-limit error body (code 4, 17, 32, 613 or 80001) with usage at 100%.</summary>
    RateLimitCode = 2,

    /// <summary>HTTP 500 with Graph's "unknown error" body (code 1).</summary>
    InternalServerError = 3,

    /// <summary>HTTP 503 with an HTML body, as a load balancer would send.</summary>
    ServiceUnavailable = 4,

    /// <summary>No answer until the client gives up (or <see cref="FacebookSimulatorOptions.TimeoutDelay"/> passes).</summary>
    Timeout = 5,

    /// <summary>HTTP 200 with truncated JSON.</summary>
    MalformedJson = 6,

    /// <summary>
    /// The request takes effect (a hide is applied) but the answer comes too late for the client: the ambiguous case
    /// where a retry must be harmless.
    /// </summary>
    TimeoutAfterApplying = 7,
}

/// <summary>Names of the simulator's per-endpoint call counters.</summary>
public static class SimulatorEndpoints
{
    public const string PublishedPosts = "GET published_posts";
    public const string Feed = "GET feed";
    public const string Comments = "GET comments";
    public const string Comment = "GET comment";
    public const string Hide = "POST hide";
    public const string Unhide = "POST unhide";
    public const string Delete = "DELETE comment";
}

/// <summary>How the simulator behaves apart from injected faults.</summary>
public sealed class FacebookSimulatorOptions
{
    /// <summary>The version segment of the paths, as in the real Graph base address.</summary>
    public string Version { get; set; } = "v26.0";

    /// <summary>How much each call adds to the page's X-Business-Use-Case-Usage call_count (percent).</summary>
    public double UsagePercentPerCall { get; set; } = 0.05;

    /// <summary>Calls older than this no longer count towards usage.</summary>
    public TimeSpan UsageWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a <see cref="SimulatedFault.Timeout"/> request hangs when the client does not give up first.</summary>
    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Retry-After sent with <see cref="SimulatedFault.TooManyRequests"/>.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
