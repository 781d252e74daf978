using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>
/// The Graph API subset the moderator uses, as a typed HttpClient: recent posts of a page, the comments of a post
/// (all levels, newest first, since a time, every page of results), hide, unhide and delete. The page token goes in the
/// Authorization header of each call; usage headers feed the <see cref="FacebookRateGate"/>, which every call awaits.
/// Every failure is a <see cref="PlatformException"/>.
/// </summary>
public sealed class FacebookGraphClient(HttpClient http, FacebookRateGate gate, ILogger<FacebookGraphClient> logger)
{
    public const string PostFields = "id,created_time,updated_time,permalink_url";
    public const string CommentFields = "id,message,from{id,name},created_time,parent{id},is_hidden,permalink_url";

    /// <summary>Guards against a server that hands out <c>next</c> links forever.</summary>
    private const int MaxPagesPerListing = 500;

    /// <summary>The newest posts of the page created at or after <paramref name="createdSince"/>, at most <paramref name="maxPosts"/>.</summary>
    public async Task<IReadOnlyList<GraphPost>> ListRecentPostsAsync(PageAccess page, DateTimeOffset createdSince, int maxPosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPosts, 1);
        var posts = new List<GraphPost>();
        var url = Relative(
            $"{Escape(page.PageExternalId)}/published_posts?fields={Escape(PostFields)}&limit={Math.Min(maxPosts, 100)}&since={createdSince.ToUnixTimeSeconds()}");
        for (var pages = 0; url is not null; pages++)
        {
            GuardPageCount(pages, page.PageExternalId);
            var list = await SendAsync(page, "list posts", page.PageExternalId, () => new HttpRequestMessage(HttpMethod.Get, url), GraphJsonContext.Default.GraphListGraphPost, cancellationToken);
            foreach (var post in DataOf(list, page.PageExternalId))
            {
                if (post.CreatedTime < createdSince || posts.Count >= maxPosts)
                {
                    return posts;
                }

                posts.Add(post);
            }

            url = NextOf(list.Paging, page.PageExternalId);
        }

        return posts;
    }

    /// <summary>Every comment (top-level and replies) on the post created at or after <paramref name="since"/>, following all pages.</summary>
    public async Task<IReadOnlyList<GraphComment>> ListCommentsAsync(PageAccess page, string postId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(postId);
        var comments = new List<GraphComment>();
        var url = Relative(
            $"{Escape(postId)}/comments?filter=stream&order=reverse_chronological&limit=100&fields={Escape(CommentFields)}&since={since.ToUnixTimeSeconds()}");
        for (var pages = 0; url is not null; pages++)
        {
            GuardPageCount(pages, postId);
            var list = await SendAsync(page, "list comments", postId, () => new HttpRequestMessage(HttpMethod.Get, url), GraphJsonContext.Default.GraphListGraphComment, cancellationToken);
            comments.AddRange(DataOf(list, postId));
            url = NextOf(list.Paging, postId);
        }

        return comments;
    }

    /// <summary>One comment as it is now (an edit keeps its created time, so only a direct read sees the new text).</summary>
    public Task<GraphComment> GetCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var url = Relative($"{Escape(commentId)}?fields={Escape(CommentFields)}");
        return SendAsync(page, "read comment", commentId, () => new HttpRequestMessage(HttpMethod.Get, url), GraphJsonContext.Default.GraphComment, cancellationToken);
    }

    public Task HideCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken) =>
        SetHiddenAsync(page, commentId, hidden: true, cancellationToken);

    public Task UnhideCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken) =>
        SetHiddenAsync(page, commentId, hidden: false, cancellationToken);

    public async Task DeleteCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var result = await SendAsync(page, "delete", commentId, () => new HttpRequestMessage(HttpMethod.Delete, Relative(Escape(commentId))), GraphJsonContext.Default.GraphSuccess, cancellationToken);
        EnsureSucceeded(result, "delete", commentId);
        FacebookLog.ActionDone(logger, commentId, page.PageExternalId, "delete");
    }

    private async Task SetHiddenAsync(PageAccess page, string commentId, bool hidden, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var operation = hidden ? "hide" : "unhide";
        var result = await SendAsync(
            page,
            operation,
            commentId,
            () => new HttpRequestMessage(HttpMethod.Post, Relative(Escape(commentId)))
            {
                Content = new FormUrlEncodedContent([new("is_hidden", hidden ? "true" : "false")]),
            },
            GraphJsonContext.Default.GraphSuccess,
            cancellationToken);
        EnsureSucceeded(result, operation, commentId);
        FacebookLog.ActionDone(logger, commentId, page.PageExternalId, operation);
    }

    private async Task<T> SendAsync<T>(
        PageAccess page,
        string operation,
        string objectId,
        Func<HttpRequestMessage> createRequest,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken)
    {
        var pageId = page.PageExternalId;
        await gate.WaitAsync(pageId, cancellationToken);
        using var request = createRequest();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", page.AccessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "timed out", null, null, null, null, exception);
        }
        catch (HttpRequestException exception)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "could not be sent", null, null, null, null, exception);
        }

        using (response)
        {
            var usage = GraphUsage.FromHeaders(response.Headers);
            gate.Observe(pageId, usage);
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorOfAsync(response, usage, pageId, operation, objectId, cancellationToken);
            }

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

            if (body is null)
            {
                throw Failed(operation, objectId, PlatformErrorKind.Malformed, "returned an empty body", (int)response.StatusCode, null, null, null, null);
            }

            gate.RecordSuccess(pageId);
            return body;
        }
    }

    private async Task<PlatformException> ErrorOfAsync(
        HttpResponseMessage response,
        GraphUsage? usage,
        string pageId,
        string operation,
        string objectId,
        CancellationToken cancellationToken)
    {
        GraphError? error = null;
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync(GraphJsonContext.Default.GraphErrorEnvelope, cancellationToken);
            error = envelope?.Error;
        }
        catch (JsonException)
        {
            // Not a Graph error body (a proxy's HTML page, an empty 503): classify by status alone.
        }
        catch (HttpRequestException)
        {
            // The error body was lost; the status still says enough.
        }

        var kind = GraphErrorMapper.Classify(response.StatusCode, error);
        TimeSpan? retryAfter = null;
        if (kind == PlatformErrorKind.RateLimited)
        {
            var hint = RetryAfterOf(response) ?? (usage?.RegainAccessIn > TimeSpan.Zero ? usage.RegainAccessIn : null);
            retryAfter = gate.RecordRateLimited(pageId, hint);
            FacebookLog.RateLimited(logger, pageId, error?.Code, retryAfter.Value);
        }

        return Failed(operation, objectId, kind, "was refused", (int)response.StatusCode, error?.Code, error?.ErrorSubcode, retryAfter, null);
    }

    private PlatformException Failed(
        string operation,
        string objectId,
        PlatformErrorKind kind,
        string what,
        int? status,
        int? code,
        int? subcode,
        TimeSpan? retryAfter,
        Exception? inner)
    {
        FacebookLog.CallFailed(logger, operation, objectId, kind, status, code, subcode);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"Facebook {operation} for {objectId} {what} ({kind}; HTTP {status?.ToString(CultureInfo.InvariantCulture) ?? "none"}; code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}; subcode {subcode?.ToString(CultureInfo.InvariantCulture) ?? "none"}).");
        return new PlatformException(Platform.Facebook, kind, message, status, code, subcode, retryAfter, inner);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta && delta > TimeSpan.Zero)
        {
            return delta;
        }

        return header?.Date is { } date && response.Headers.Date is { } sent && date > sent ? date - sent : null;
    }

    private void EnsureSucceeded(GraphSuccess result, string operation, string objectId)
    {
        if (!result.Success)
        {
            throw Failed(operation, objectId, PlatformErrorKind.BadRequest, "answered success=false", 200, null, null, null, null);
        }
    }

    private IReadOnlyList<T> DataOf<T>(GraphList<T> list, string objectId) =>
        list.Data ?? throw Failed("list", objectId, PlatformErrorKind.Malformed, "returned no data array", 200, null, null, null, null);

    /// <summary>The <c>paging.next</c> link, only if it points at the configured Graph host (the token must not travel elsewhere).</summary>
    private Uri? NextOf(GraphPaging? paging, string objectId)
    {
        if (paging?.Next is not { } next)
        {
            return null;
        }

        var root = http.BaseAddress;
        if (!next.IsAbsoluteUri || root is null || Uri.Compare(next, root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw Failed("list", objectId, PlatformErrorKind.Malformed, "returned a next link to another host", 200, null, null, null, null);
        }

        return next;
    }

    private void GuardPageCount(int pages, string objectId)
    {
        if (pages >= MaxPagesPerListing)
        {
            throw Failed("list", objectId, PlatformErrorKind.Malformed, "kept returning next links", 200, null, null, null, null);
        }
    }

    private static Uri Relative(string pathAndQuery) => new(pathAndQuery, UriKind.Relative);

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
