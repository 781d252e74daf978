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

    private readonly GraphTransport _graph = new(http, gate.Graph, logger);

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
            _graph.GuardPageCount(pages, page.PageExternalId);
            var list = await _graph.SendAsync(page, "list posts", page.PageExternalId, () => new HttpRequestMessage(HttpMethod.Get, url), GraphJsonContext.Default.GraphListGraphPost, cancellationToken);
            foreach (var post in _graph.DataOf(list, page.PageExternalId))
            {
                if (post.CreatedTime < createdSince || posts.Count >= maxPosts)
                {
                    return posts;
                }

                posts.Add(post);
            }

            url = _graph.NextOf(list.Paging, page.PageExternalId);
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
            _graph.GuardPageCount(pages, postId);
            var list = await _graph.SendAsync(page, "list comments", postId, () => new HttpRequestMessage(HttpMethod.Get, url), GraphJsonContext.Default.GraphListGraphComment, cancellationToken);
            comments.AddRange(_graph.DataOf(list, postId));
            url = _graph.NextOf(list.Paging, postId);
        }

        return comments;
    }

    /// <summary>One comment as it is now (an edit keeps its created time, so only a direct read sees the new text).</summary>
    public Task<GraphComment> GetCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var url = Relative($"{Escape(commentId)}?fields={Escape(CommentFields)}");
        return _graph.SendAsync(page, "read comment", commentId, () => new HttpRequestMessage(HttpMethod.Get, url), GraphJsonContext.Default.GraphComment, cancellationToken);
    }

    public Task HideCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken) =>
        SetHiddenAsync(page, commentId, hidden: true, cancellationToken);

    public Task UnhideCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken) =>
        SetHiddenAsync(page, commentId, hidden: false, cancellationToken);

    public async Task DeleteCommentAsync(PageAccess page, string commentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var result = await _graph.SendAsync(page, "delete", commentId, () => new HttpRequestMessage(HttpMethod.Delete, Relative(Escape(commentId))), GraphJsonContext.Default.GraphSuccess, cancellationToken);
        _graph.EnsureSucceeded(result, "delete", commentId);
        FacebookLog.ActionDone(logger, commentId, page.PageExternalId, "delete");
    }

    private async Task SetHiddenAsync(PageAccess page, string commentId, bool hidden, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var operation = hidden ? "hide" : "unhide";
        var result = await _graph.SendAsync(
            page,
            operation,
            commentId,
            () => new HttpRequestMessage(HttpMethod.Post, Relative(Escape(commentId)))
            {
                Content = new FormUrlEncodedContent([new("is_hidden", hidden ? "true" : "false")]),
            },
            GraphJsonContext.Default.GraphSuccess,
            cancellationToken);
        _graph.EnsureSucceeded(result, operation, commentId);
        FacebookLog.ActionDone(logger, commentId, page.PageExternalId, operation);
    }

    private static Uri Relative(string pathAndQuery) => GraphTransport.Relative(pathAndQuery);

    private static string Escape(string value) => GraphTransport.Escape(value);
}
