using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.YouTube;

/// <summary>The moderation status values of <c>comments.setModerationStatus</c>.</summary>
public static class YouTubeModerationStatus
{
    public const string Published = "published";
    public const string HeldForReview = "heldForReview";
    public const string Rejected = "rejected";
}

/// <summary>
/// The YouTube Data API v3 subset the moderator uses, as a typed HttpClient: comment threads of a channel (newest
/// first, one page per call), the replies of a thread, one comment, and <c>setModerationStatus</c>. Each call books its
/// quota units with <see cref="YouTubeQuota"/> first, carries the page's OAuth access token, and refreshes that token
/// (saving the new secret through <see cref="PageAccess.SaveRefreshedCredentialsAsync"/>) when it is about to expire or
/// a call answers 401. Every failure is a <see cref="PlatformException"/>.
/// </summary>
public sealed class YouTubeDataClient(
    HttpClient http,
    YouTubeQuota quota,
    TimeProvider clock,
    IOptions<YouTubeOptions> options,
    ILogger<YouTubeDataClient> logger)
{
    private const int MaxReplyPages = 50;

    private readonly YouTubeOptions _options = options.Value;

    /// <summary>One page (up to 100) of the threads related to the channel, newest first, as plain text.</summary>
    public async Task<YouTubeList<YouTubeCommentThread>> ListThreadsAsync(PageAccess page, string channelId, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        var url = $"commentThreads?part=snippet,replies&allThreadsRelatedToChannelId={Escape(channelId)}&order=time&textFormat=plainText&maxResults=100"
            + (pageToken is null ? string.Empty : $"&pageToken={Escape(pageToken)}");
        var list = await SendAsync(page, "list threads", channelId, HttpMethod.Get, url, moderating: false, YouTubeJsonContext.Default.YouTubeListYouTubeCommentThread, cancellationToken);
        return list!.Items is null ? throw Failed("list threads", channelId, PlatformErrorKind.Malformed, "returned no items array", 200, null, null, null) : list;
    }

    /// <summary>Every reply of a thread (all pages), for threads whose embedded replies are incomplete.</summary>
    public async Task<IReadOnlyList<YouTubeComment>> ListRepliesAsync(PageAccess page, string parentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parentId);
        var replies = new List<YouTubeComment>();
        string? pageToken = null;
        for (var pages = 0; ; pages++)
        {
            if (pages >= MaxReplyPages)
            {
                throw Failed("list replies", parentId, PlatformErrorKind.Malformed, "kept returning page tokens", 200, null, null, null);
            }

            var url = $"comments?part=snippet&parentId={Escape(parentId)}&textFormat=plainText&maxResults=100"
                + (pageToken is null ? string.Empty : $"&pageToken={Escape(pageToken)}");
            var list = await SendAsync(page, "list replies", parentId, HttpMethod.Get, url, moderating: false, YouTubeJsonContext.Default.YouTubeListYouTubeComment, cancellationToken);
            replies.AddRange(list!.Items ?? throw Failed("list replies", parentId, PlatformErrorKind.Malformed, "returned no items array", 200, null, null, null));
            pageToken = list.NextPageToken;
            if (string.IsNullOrEmpty(pageToken))
            {
                return replies;
            }
        }
    }

    /// <summary>One comment as it is now; a comment YouTube no longer returns fails with NotFound.</summary>
    public async Task<YouTubeComment> GetCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var list = await SendAsync(page, "read comment", commentId, HttpMethod.Get, $"comments?part=snippet&id={Escape(commentId)}&textFormat=plainText", moderating: false, YouTubeJsonContext.Default.YouTubeListYouTubeComment, cancellationToken);
        return list!.Items is { Count: > 0 } items
            ? items[0]
            : throw Failed("read comment", commentId, PlatformErrorKind.NotFound, "returned no such comment", 200, null, "commentNotFound", null);
    }

    /// <summary><c>POST comments/setModerationStatus?id=…&amp;moderationStatus=…</c> (50 units; 204 on success).</summary>
    public async Task SetModerationStatusAsync(PageAccess page, string commentId, string moderationStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        if (moderationStatus is not (YouTubeModerationStatus.Published or YouTubeModerationStatus.HeldForReview or YouTubeModerationStatus.Rejected))
        {
            throw new ArgumentOutOfRangeException(nameof(moderationStatus), moderationStatus, "Not a YouTube moderation status.");
        }

        var url = $"comments/setModerationStatus?id={Escape(commentId)}&moderationStatus={moderationStatus}";
        await SendAsync<object>(page, "set moderation status", commentId, HttpMethod.Post, url, moderating: true, null, cancellationToken);
        YouTubeLog.ModerationDone(logger, commentId, page.PageExternalId, moderationStatus);
    }

    /// <summary>Reads the page's secret; an unreadable one means the channel must be reconnected.</summary>
    public static YouTubeCredentials ReadCredentials(PageAccess page)
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            var credentials = JsonSerializer.Deserialize(page.AccessToken, YouTubeOAuthJsonContext.Default.YouTubeCredentials);
            if (credentials is { AccessToken.Length: > 0, RefreshToken.Length: > 0 })
            {
                return credentials;
            }
        }
        catch (JsonException)
        {
            // Fall through: the secret is not the JSON document this connector writes.
        }

        throw new PlatformException(Platform.YouTube, PlatformErrorKind.AuthorizationFailed, $"The stored YouTube credentials of {page} are not readable.");
    }

    /// <summary>The secret document stored for a channel (what the admin's connect flow and a refresh write).</summary>
    public static string WriteCredentials(YouTubeCredentials credentials) =>
        JsonSerializer.Serialize(credentials, YouTubeOAuthJsonContext.Default.YouTubeCredentials);

    private async Task<T?> SendAsync<T>(
        PageAccess page,
        string operation,
        string objectId,
        HttpMethod method,
        string relativeUrl,
        bool moderating,
        JsonTypeInfo<T>? type,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(page);
        var credentials = ReadCredentials(page);
        if (credentials.ExpiresAt - _options.RefreshBeforeExpiry <= clock.GetUtcNow())
        {
            credentials = await RefreshAsync(page, credentials, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            if (moderating)
            {
                await quota.SpendOnModerationAsync(objectId, cancellationToken);
            }
            else
            {
                await quota.SpendOnReadAsync(YouTubeQuota.ListCost, objectId, cancellationToken);
            }

            using var request = new HttpRequestMessage(method, new Uri(relativeUrl, UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.AccessToken);
            using var response = await TransmitAsync(request, operation, objectId, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                // The token was revoked early or the clock is off: one refresh, then the call again.
                credentials = await RefreshAsync(page, credentials, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorOfAsync(response, operation, objectId, moderating, cancellationToken);
            }

            return type is null ? null : await ReadBodyAsync(response, type, operation, objectId, cancellationToken);
        }
    }

    private async Task<YouTubeCredentials> RefreshAsync(PageAccess page, YouTubeCredentials credentials, CancellationToken cancellationToken)
    {
        var channelId = credentials.ChannelId ?? page.PageExternalId;
        if (string.IsNullOrWhiteSpace(_options.ClientId) || string.IsNullOrWhiteSpace(_options.ClientSecret))
        {
            throw Failed("refresh token", channelId, PlatformErrorKind.BadRequest, "cannot be made: YouTube:ClientId and YouTube:ClientSecret are not configured", null, null, null, null);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _options.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", credentials.RefreshToken),
                new("client_id", _options.ClientId),
                new("client_secret", _options.ClientSecret),
            ]),
        };
        using var response = await TransmitAsync(request, "refresh token", channelId, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            OAuthError? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync(YouTubeOAuthJsonContext.Default.OAuthError, cancellationToken);
            }
            catch (JsonException)
            {
                // Not an OAuth error body: the status decides.
            }

            var code = error?.Error ?? "none";
            var kind = code switch
            {
                "invalid_grant" => PlatformErrorKind.AuthorizationFailed,
                _ when (int)response.StatusCode >= 500 => PlatformErrorKind.Transient,
                _ when response.StatusCode == HttpStatusCode.TooManyRequests => PlatformErrorKind.RateLimited,
                _ => PlatformErrorKind.BadRequest,
            };
            if (kind == PlatformErrorKind.AuthorizationFailed)
            {
                YouTubeLog.RefreshRefused(logger, channelId, code);
            }

            throw Failed("refresh token", channelId, kind, "was refused", (int)response.StatusCode, null, code, null);
        }

        var token = await ReadBodyAsync(response, YouTubeOAuthJsonContext.Default.OAuthTokenResponse, "refresh token", channelId, cancellationToken);
        if (string.IsNullOrEmpty(token.AccessToken) || token.ExpiresIn is not > 0)
        {
            throw Failed("refresh token", channelId, PlatformErrorKind.Malformed, "returned no access token", (int)response.StatusCode, null, null, null);
        }

        var refreshed = credentials with
        {
            AccessToken = token.AccessToken,
            RefreshToken = string.IsNullOrEmpty(token.RefreshToken) ? credentials.RefreshToken : token.RefreshToken,
            ExpiresAt = clock.GetUtcNow().AddSeconds(token.ExpiresIn.Value),
        };
        await page.SaveRefreshedCredentialsAsync(WriteCredentials(refreshed), cancellationToken);
        YouTubeLog.TokenRefreshed(logger, channelId, refreshed.ExpiresAt);
        return refreshed;
    }

    private async Task<HttpResponseMessage> TransmitAsync(HttpRequestMessage request, string operation, string objectId, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "timed out", null, null, null, null, exception);
        }
        catch (HttpRequestException exception)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "could not be sent", null, null, null, null, exception);
        }
    }

    private async Task<T> ReadBodyAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string operation, string objectId, CancellationToken cancellationToken)
    {
        T? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync(type, cancellationToken);
        }
        catch (JsonException exception)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Malformed, "returned unreadable JSON", (int)response.StatusCode, null, null, null, exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "timed out reading the response", (int)response.StatusCode, null, null, null, exception);
        }
        catch (HttpRequestException exception)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "lost the response", (int)response.StatusCode, null, null, null, exception);
        }

        return body ?? throw Failed(operation, objectId, PlatformErrorKind.Malformed, "returned an empty body", (int)response.StatusCode, null, null, null);
    }

    private async Task<PlatformException> ErrorOfAsync(HttpResponseMessage response, string operation, string objectId, bool moderating, CancellationToken cancellationToken)
    {
        GoogleError? error = null;
        try
        {
            error = (await response.Content.ReadFromJsonAsync(YouTubeJsonContext.Default.GoogleErrorEnvelope, cancellationToken))?.Error;
        }
        catch (JsonException)
        {
            // Not a Google error body (a proxy's HTML page, an empty 503): classify by status alone.
        }
        catch (HttpRequestException)
        {
            // The error body was lost; the status still says enough.
        }

        var reason = error?.Reason;
        var kind = YouTubeErrorMapper.Classify(response.StatusCode, reason, moderating);
        TimeSpan? retryAfter = null;
        if (YouTubeErrorMapper.IsQuotaReason(reason))
        {
            try
            {
                await quota.MarkExhaustedAsync(cancellationToken);
            }
            catch (PlatformException e) when (e.Kind == PlatformErrorKind.Transient)
            {
                // The refusal below still stops this call's caller; the ledger is what tells the other nodes.
                YouTubeLog.QuotaNotRecorded(logger, e);
            }

            var reset = quota.NextReset;
            retryAfter = reset - clock.GetUtcNow();
            YouTubeLog.QuotaExhausted(logger, reason, reset);
        }
        else if (kind == PlatformErrorKind.RateLimited)
        {
            retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMinutes(1);
        }
        return Failed(operation, objectId, kind, "was refused", (int)response.StatusCode, error?.Code, reason, retryAfter);
    }

    private PlatformException Failed(
        string operation,
        string objectId,
        PlatformErrorKind kind,
        string what,
        int? status,
        int? code,
        string? reason,
        TimeSpan? retryAfter,
        Exception? inner = null)
    {
        YouTubeLog.CallFailed(logger, operation, objectId, kind, status, reason);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"YouTube {operation} for {objectId} {what} ({kind}; HTTP {status?.ToString(CultureInfo.InvariantCulture) ?? "none"}; reason {reason ?? "none"}).");
        return new PlatformException(Platform.YouTube, kind, message, status, code, null, retryAfter, inner);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
