using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>
/// The Facebook Pages adapter of <see cref="IPlatformConnector"/>. A poll reads the page's recent posts (optionally
/// skipping those whose <c>updated_time</c> did not move since the cursor) and reads each post's comments created since
/// the cursor minus an overlap. The cursor is the newest comment time seen, in unix seconds.
/// </summary>
public sealed class FacebookConnector(
    FacebookGraphClient graph,
    TimeProvider clock,
    IOptions<FacebookOptions> options,
    ILogger<FacebookConnector> logger) : IPlatformConnector
{
    private readonly FacebookOptions _options = options.Value;

    public Platform Platform => Platform.Facebook;

    public async Task<CommentBatch> ListNewCommentsAsync(PageAccess page, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var now = clock.GetUtcNow();
        var previous = ParseCursor(cursor);
        var since = previous is { } seen ? seen - _options.CursorOverlap : now - _options.FirstPollLookback;

        var posts = await graph.ListRecentPostsAsync(page, now - _options.PostLookback, _options.MaxPostsPerPoll, cancellationToken);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var comments = new List<IncomingComment>();
        var newest = previous;
        foreach (var post in posts)
        {
            if (_options.SkipPostsNotUpdatedSince && post.UpdatedTime is { } updated && updated < since)
            {
                continue;
            }

            foreach (var comment in await graph.ListCommentsAsync(page, post.Id, since, cancellationToken))
            {
                if (!seenIds.Add(comment.Id))
                {
                    continue;
                }

                comments.Add(ToIncoming(post.Id, comment));
                if (newest is null || comment.CreatedTime > newest)
                {
                    newest = comment.CreatedTime;
                }
            }
        }

        FacebookLog.Polled(logger, page.PageExternalId, posts.Count, comments.Count, since);

        // A comment stamped ahead of this host's clock must not push the cursor past "now" (skew would skip comments).
        return new CommentBatch(comments, newest is { } time ? FormatCursor(time > now ? now : time) : cursor);
    }

    public async Task<IncomingComment> GetCommentAsync(PageAccess page, string postExternalId, string commentExternalId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(postExternalId);
        var comment = await graph.GetCommentAsync(page, commentExternalId, cancellationToken);
        return ToIncoming(postExternalId, comment);
    }

    public Task HideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        graph.HideCommentAsync(page, commentExternalId, cancellationToken);

    public Task UnhideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        graph.UnhideCommentAsync(page, commentExternalId, cancellationToken);

    public Task DeleteAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        graph.DeleteCommentAsync(page, commentExternalId, cancellationToken);

    /// <summary>The cursor for "comments newer than this time" (unix seconds, as Graph's <c>since</c> takes it).</summary>
    public static string FormatCursor(DateTimeOffset newestSeen) =>
        newestSeen.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseCursor(string? cursor) =>
        cursor is null ? null
        : long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds)
        : throw new ArgumentException("Not a Facebook cursor.", nameof(cursor));

    private static IncomingComment ToIncoming(string postId, GraphComment comment) => new(
        Platform.Facebook,
        comment.Id,
        postId,
        comment.Parent?.Id,
        comment.From?.Id,
        comment.From?.Name,
        comment.Message ?? string.Empty,
        comment.CreatedTime,
        comment.PermalinkUrl,
        comment.IsHidden);
}
