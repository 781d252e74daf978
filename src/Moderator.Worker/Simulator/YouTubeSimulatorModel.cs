namespace Moderator.Worker.Simulator;

/// <summary>A channel the YouTube simulator serves, with the refresh token that grants access to it.</summary>
public sealed record SimulatedChannel(string Id, string Name, string RefreshToken)
{
    public override string ToString() => $"simulated channel {Id}";
}

/// <summary>A snapshot of one simulated YouTube comment: its moderation status and how often each status was set on it.</summary>
public sealed record SimulatedYouTubeComment(
    string Id,
    string VideoId,
    string? ParentId,
    string AuthorChannelId,
    string AuthorName,
    string Text,
    DateTimeOffset PublishedAt,
    string ModerationStatus,
    int HeldForReviewCalls,
    int PublishedCalls,
    int RejectedCalls)
{
    public int ModerationCalls => HeldForReviewCalls + PublishedCalls + RejectedCalls;

    public override string ToString() => $"simulated YouTube comment {Id} ({ModerationStatus})";
}

/// <summary>A failure the YouTube simulator can answer the next Data API requests with.</summary>
public enum SimulatedYouTubeFault
{
    /// <summary>HTTP 500 with Google's <c>backendError</c> body.</summary>
    InternalServerError = 1,

    /// <summary>HTTP 503 with an HTML body, as a load balancer would send.</summary>
    ServiceUnavailable = 2,

    /// <summary>No answer until the client gives up (or <see cref="YouTubeSimulatorOptions.TimeoutDelay"/> passes).</summary>
    Timeout = 3,

    /// <summary>HTTP 200 with truncated JSON.</summary>
    MalformedJson = 4,

    /// <summary>HTTP 400 with reason <c>processingFailure</c>.</summary>
    ProcessingFailure = 5,

    /// <summary>The request takes effect but the answer comes too late for the client (a retry must be harmless).</summary>
    TimeoutAfterApplying = 6,
}

/// <summary>Names of the YouTube simulator's per-endpoint call counters.</summary>
public static class YouTubeSimulatorEndpoints
{
    public const string CommentThreads = "GET commentThreads";
    public const string Replies = "GET comments?parentId";
    public const string CommentById = "GET comments?id";
    public const string SetModerationStatus = "POST comments/setModerationStatus";
    public const string Token = "POST token";
}

/// <summary>How the YouTube simulator behaves apart from injected faults.</summary>
public sealed class YouTubeSimulatorOptions
{
    /// <summary>The project's daily quota; requests beyond it get 403 <c>quotaExceeded</c> until midnight Pacific time.</summary>
    public int DailyQuotaUnits { get; set; } = 10_000;

    /// <summary>How many replies a thread embeds in <c>replies.comments</c>; more make the client call <c>comments.list</c>.</summary>
    public int EmbeddedReplies { get; set; } = 5;

    /// <summary>How long issued access tokens live.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a <see cref="SimulatedYouTubeFault.Timeout"/> request hangs when the client does not give up first.</summary>
    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromSeconds(30);
}
