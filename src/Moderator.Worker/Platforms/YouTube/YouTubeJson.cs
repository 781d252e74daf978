using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderator.Worker.Platforms.YouTube;

/// <summary>A list response: <c>{"kind","etag","nextPageToken","pageInfo":{…},"items":[…]}</c>.</summary>
public sealed record YouTubeList<T>(IReadOnlyList<T>? Items = null, string? NextPageToken = null, string? Kind = null, YouTubePageInfo? PageInfo = null);

public sealed record YouTubePageInfo(int TotalResults = 0, int ResultsPerPage = 0);

/// <summary>A <c>commentThread</c> resource with the <c>snippet</c> and <c>replies</c> parts.</summary>
public sealed record YouTubeCommentThread(string Id, YouTubeThreadSnippet? Snippet = null, YouTubeThreadReplies? Replies = null)
{
    public override string ToString() => $"thread {Id}";
}

public sealed record YouTubeThreadSnippet(
    string? ChannelId = null,
    string? VideoId = null,
    YouTubeComment? TopLevelComment = null,
    int TotalReplyCount = 0,
    bool CanReply = false,
    bool IsPublic = true);

/// <summary>The replies embedded in a thread: a subset when there are more than a few (then read them with <c>comments.list</c>).</summary>
public sealed record YouTubeThreadReplies(IReadOnlyList<YouTubeComment>? Comments = null);

/// <summary>A <c>comment</c> resource.</summary>
public sealed record YouTubeComment(string Id, YouTubeCommentSnippet? Snippet = null)
{
    public override string ToString() => $"comment {Id}";
}

/// <summary>The comment snippet. <see cref="TextDisplay"/> and <see cref="AuthorDisplayName"/> are personal data.</summary>
public sealed record YouTubeCommentSnippet(
    DateTimeOffset PublishedAt,
    string? AuthorDisplayName = null,
    string? AuthorChannelUrl = null,
    YouTubeAuthorChannelId? AuthorChannelId = null,
    string? ChannelId = null,
    string? VideoId = null,
    string? TextDisplay = null,
    string? TextOriginal = null,
    string? ParentId = null,
    string? ModerationStatus = null,
    DateTimeOffset? UpdatedAt = null,
    long LikeCount = 0)
{
    public override string ToString() => $"snippet of {ParentId ?? VideoId}";
}

public sealed record YouTubeAuthorChannelId(string? Value = null);

/// <summary>Google's error body: <c>{"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}</c>.</summary>
public sealed record GoogleErrorEnvelope(GoogleError? Error = null);

public sealed record GoogleError(int? Code = null, string? Message = null, IReadOnlyList<GoogleErrorItem>? Errors = null, string? Status = null)
{
    /// <summary>The first item's reason (<c>quotaExceeded</c>, <c>forbidden</c>, <c>commentNotFound</c>, …), if any.</summary>
    public string? Reason => Errors is { Count: > 0 } items ? items[0].Reason : null;
}

public sealed record GoogleErrorItem(string? Message = null, string? Domain = null, string? Reason = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(YouTubeList<YouTubeCommentThread>))]
[JsonSerializable(typeof(YouTubeList<YouTubeComment>))]
[JsonSerializable(typeof(GoogleErrorEnvelope))]
internal sealed partial class YouTubeJsonContext : JsonSerializerContext;

/// <summary>The token endpoint's answer to a refresh: <c>{"access_token","expires_in","scope","token_type"}</c> (a new refresh token rarely).</summary>
public sealed record OAuthTokenResponse(string? AccessToken = null, int? ExpiresIn = null, string? RefreshToken = null, string? Scope = null, string? TokenType = null)
{
    public override string ToString() => $"token response ({TokenType}, {ExpiresIn}s)";
}

/// <summary>The token endpoint's error: <c>{"error":"invalid_grant","error_description":…}</c>.</summary>
public sealed record OAuthError(string? Error = null, string? ErrorDescription = null);

/// <summary>
/// What the page's encrypted secret holds for YouTube: <c>{"access_token","refresh_token","expires_at","channel_id"}</c>.
/// Never logged (see <see cref="ToString"/>).
/// </summary>
public sealed record YouTubeCredentials(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, string? ChannelId = null)
{
    public override string ToString() => $"YouTube credentials for {ChannelId}, expiring {ExpiresAt:O}";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(OAuthTokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(YouTubeCredentials))]
internal sealed partial class YouTubeOAuthJsonContext : JsonSerializerContext;
