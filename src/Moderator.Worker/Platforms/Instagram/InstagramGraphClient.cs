using Microsoft.Extensions.Logging;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.Facebook;

namespace Moderator.Worker.Platforms.Instagram;

/// <summary>
/// The Instagram Graph subset the moderator uses (Instagram API with Facebook Login, Page token), as a typed HttpClient:
/// the account's recent media, the comments of a media (top level, newest first, 50 per request, replies expanded),
/// the replies of a comment, hide, unhide and delete. Requests go through the shared <see cref="GraphTransport"/>
/// (token in the Authorization header, usage headers into the Instagram <see cref="GraphRateGate"/>, every failure a
/// <see cref="PlatformException"/>). Instagram has no time filter on comments: de-duplication is the connector's job.
/// </summary>
public sealed class InstagramGraphClient(HttpClient http, InstagramRateGate gate, ILogger<InstagramGraphClient> logger)
{
    public const string MediaFields = "id,caption,media_type,media_product_type,permalink,timestamp,comments_count";
    public const string ReplyFields = "id,text,username,timestamp,hidden,like_count,from{id,username},parent_id";
    public const string CommentFields = ReplyFields + ",replies{" + ReplyFields + "}";

    /// <summary>Instagram returns at most 50 comments per request.</summary>
    public const int CommentsPerRequest = 50;

    private readonly GraphTransport _graph = new(http, gate.Graph, logger);

    /// <summary>The account's newest media published at or after <paramref name="publishedSince"/>, at most <paramref name="maxMedia"/>.</summary>
    public async Task<IReadOnlyList<InstagramMedia>> ListRecentMediaAsync(PageAccess account, DateTimeOffset publishedSince, int maxMedia, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMedia, 1);
        var media = new List<InstagramMedia>();
        var accountId = account.PageExternalId;
        var url = Relative($"{Escape(accountId)}/media?fields={Escape(MediaFields)}&limit={Math.Min(maxMedia, 100)}");
        for (var pages = 0; url is not null; pages++)
        {
            _graph.GuardPageCount(pages, accountId);
            var list = await _graph.SendAsync(account, "list media", accountId, () => new HttpRequestMessage(HttpMethod.Get, url), InstagramJsonContext.Default.GraphListInstagramMedia, cancellationToken);
            foreach (var item in _graph.DataOf(list, accountId))
            {
                if (item.Timestamp < publishedSince || media.Count >= maxMedia)
                {
                    return media;
                }

                media.Add(item);
            }

            url = _graph.NextOf(list.Paging, accountId);
        }

        return media;
    }

    /// <summary>
    /// The newest top-level comments of the media (at most <paramref name="maxComments"/>, newest first) each with its
    /// replies. A comment whose expanded replies were cut short has them read in full from its <c>replies</c> edge.
    /// </summary>
    public async Task<IReadOnlyList<InstagramComment>> ListCommentsAsync(PageAccess account, string mediaId, int maxComments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxComments, 1);
        var comments = new List<InstagramComment>();
        var url = Relative($"{Escape(mediaId)}/comments?fields={Escape(CommentFields)}&limit={CommentsPerRequest}");
        for (var pages = 0; url is not null && comments.Count < maxComments; pages++)
        {
            _graph.GuardPageCount(pages, mediaId);
            var list = await _graph.SendAsync(account, "list comments", mediaId, () => new HttpRequestMessage(HttpMethod.Get, url), InstagramJsonContext.Default.GraphListInstagramComment, cancellationToken);
            foreach (var comment in _graph.DataOf(list, mediaId))
            {
                if (comments.Count >= maxComments)
                {
                    break;
                }

                comments.Add(comment.Replies?.Paging?.Next is null
                    ? comment
                    : comment with { Replies = new GraphList<InstagramComment>(await ListRepliesAsync(account, comment.Id, cancellationToken)) });
            }

            url = _graph.NextOf(list.Paging, mediaId);
        }

        return comments;
    }

    /// <summary>Every reply to one top-level comment, following all pages.</summary>
    public async Task<IReadOnlyList<InstagramComment>> ListRepliesAsync(PageAccess account, string commentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var replies = new List<InstagramComment>();
        var url = Relative($"{Escape(commentId)}/replies?fields={Escape(ReplyFields)}&limit={CommentsPerRequest}");
        for (var pages = 0; url is not null; pages++)
        {
            _graph.GuardPageCount(pages, commentId);
            var list = await _graph.SendAsync(account, "list replies", commentId, () => new HttpRequestMessage(HttpMethod.Get, url), InstagramJsonContext.Default.GraphListInstagramComment, cancellationToken);
            replies.AddRange(_graph.DataOf(list, commentId));
            url = _graph.NextOf(list.Paging, commentId);
        }

        return replies;
    }

    /// <summary>One comment as it is now, with the media it belongs to.</summary>
    public Task<InstagramComment> GetCommentAsync(PageAccess account, string commentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var url = Relative($"{Escape(commentId)}?fields={Escape(ReplyFields + ",media{id,media_product_type}")}");
        return _graph.SendAsync(account, "read comment", commentId, () => new HttpRequestMessage(HttpMethod.Get, url), InstagramJsonContext.Default.InstagramComment, cancellationToken);
    }

    /// <summary><c>POST /{ig-comment-id}?hide=true</c>. The media owner's own comments stay visible even when hidden.</summary>
    public Task HideCommentAsync(PageAccess account, string commentId, CancellationToken cancellationToken) =>
        SetHiddenAsync(account, commentId, hidden: true, cancellationToken);

    public Task UnhideCommentAsync(PageAccess account, string commentId, CancellationToken cancellationToken) =>
        SetHiddenAsync(account, commentId, hidden: false, cancellationToken);

    public async Task DeleteCommentAsync(PageAccess account, string commentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var result = await _graph.SendAsync(account, "delete", commentId, () => new HttpRequestMessage(HttpMethod.Delete, Relative(Escape(commentId))), InstagramJsonContext.Default.GraphSuccess, cancellationToken);
        _graph.EnsureSucceeded(result, "delete", commentId);
        InstagramLog.ActionDone(logger, commentId, account.PageExternalId, "delete");
    }

    private async Task SetHiddenAsync(PageAccess account, string commentId, bool hidden, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(commentId);
        var operation = hidden ? "hide" : "unhide";
        var url = Relative($"{Escape(commentId)}?hide={(hidden ? "true" : "false")}");
        var result = await _graph.SendAsync(account, operation, commentId, () => new HttpRequestMessage(HttpMethod.Post, url), InstagramJsonContext.Default.GraphSuccess, cancellationToken);
        _graph.EnsureSucceeded(result, operation, commentId);
        InstagramLog.ActionDone(logger, commentId, account.PageExternalId, operation);
    }

    private static Uri Relative(string pathAndQuery) => GraphTransport.Relative(pathAndQuery);

    private static string Escape(string value) => GraphTransport.Escape(value);
}
