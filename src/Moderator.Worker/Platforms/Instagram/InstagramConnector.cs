using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Instagram;

/// <summary>
/// The Instagram adapter of <see cref="IPlatformConnector"/> (Instagram API with Facebook Login; the page's external id
/// is the Instagram professional account id, its token the linked Facebook Page's token). A poll lists the account's
/// recent media, reads the comments of each (with replies) and returns the ones whose ids the cursor has not seen
/// (see <see cref="InstagramCursor"/>): there is no time filter to lean on.
/// </summary>
public sealed class InstagramConnector(
    InstagramGraphClient graph,
    TimeProvider clock,
    IOptions<InstagramOptions> options,
    ILogger<InstagramConnector> logger) : IPlatformConnector
{
    private readonly InstagramOptions _options = options.Value;

    public Platform Platform => Platform.Instagram;

    public async Task<CommentBatch> ListNewCommentsAsync(PageAccess page, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var now = clock.GetUtcNow();
        var previous = InstagramCursor.Parse(cursor);
        var fullScan = previous is null || !_options.SkipMediaWithUnchangedCommentCount || now - previous.LastFullScan >= _options.FullScanInterval;

        var media = await graph.ListRecentMediaAsync(page, now - _options.MediaLookback, _options.MaxMediaPerPoll, cancellationToken);
        var next = new Dictionary<string, MediaSeen>(StringComparer.Ordinal);
        var comments = new List<IncomingComment>();
        var scanned = 0;
        foreach (var item in media)
        {
            var known = previous?.Media(item.Id);
            if (!fullScan && known is not null && known.CommentsCount == item.CommentsCount)
            {
                next[item.Id] = known;
                continue;
            }

            scanned++;
            var ids = new HashSet<ulong>();
            foreach (var comment in Flatten(await graph.ListCommentsAsync(page, item.Id, _options.MaxCommentsPerMedia, cancellationToken)))
            {
                var key = InstagramCursor.KeyOf(comment.Id);
                if (!ids.Add(key) || known?.Ids.Contains(key) == true)
                {
                    continue;
                }

                // The first poll of an account records its history as seen but returns only recent comments.
                if (previous is null && comment.Timestamp < now - _options.FirstPollLookback)
                {
                    continue;
                }

                comments.Add(ToIncoming(item.Id, item.Permalink, comment));
            }

            next[item.Id] = new MediaSeen(item.CommentsCount, ids);
        }

        InstagramLog.Polled(logger, page.PageExternalId, media.Count, scanned, comments.Count, fullScan);
        var lastFullScan = fullScan ? now : previous!.LastFullScan;
        return new CommentBatch(comments, InstagramCursor.Create(lastFullScan, next).Format());
    }

    public async Task<IncomingComment> GetCommentAsync(PageAccess page, string postExternalId, string commentExternalId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(postExternalId);
        var comment = await graph.GetCommentAsync(page, commentExternalId, cancellationToken);
        return ToIncoming(comment.Media?.Id ?? postExternalId, null, comment);
    }

    public Task HideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        graph.HideCommentAsync(page, commentExternalId, cancellationToken);

    public Task UnhideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        graph.UnhideCommentAsync(page, commentExternalId, cancellationToken);

    public Task DeleteAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        graph.DeleteCommentAsync(page, commentExternalId, cancellationToken);

    /// <summary>Top-level comments followed by their replies (a reply's parent is its top-level comment).</summary>
    private static IEnumerable<InstagramComment> Flatten(IEnumerable<InstagramComment> topLevel)
    {
        foreach (var comment in topLevel)
        {
            yield return comment;
            foreach (var reply in comment.Replies?.Data ?? [])
            {
                yield return reply.ParentId is null ? reply with { ParentId = comment.Id } : reply;
            }
        }
    }

    private static IncomingComment ToIncoming(string mediaId, Uri? mediaPermalink, InstagramComment comment) => new(
        Platform.Instagram,
        comment.Id,
        mediaId,
        comment.ParentId,
        comment.From?.Id,
        comment.Username ?? comment.From?.Username,
        comment.Text ?? string.Empty,
        comment.Timestamp,
        mediaPermalink,
        comment.Hidden);
}
