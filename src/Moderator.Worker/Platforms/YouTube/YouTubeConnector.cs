using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.YouTube;

/// <summary>
/// The YouTube adapter of <see cref="IPlatformConnector"/>. A poll pages through the channel's comment threads newest
/// first (<c>order=time</c>) and stops once threads are older than the cursor minus the overlap and the reply lookback;
/// threads whose embedded replies are incomplete have their replies read with <c>comments.list</c>. The cursor is the
/// newest <c>publishedAt</c> seen plus the ids already returned inside the overlap, so a comment is returned once.
/// <para>
/// What "hidden" means here: YouTube has no hide. <see cref="HideAsync"/> sets the comment to <c>heldForReview</c>: it
/// leaves public view and waits in the channel's "Held for review" queue in YouTube Studio, where the channel's
/// moderators can still see it (and its author may still see it as their own); it can be restored exactly. Delete sets
/// <c>rejected</c> (removed from public view with its replies) instead of <c>comments.delete</c>, so nothing is
/// destroyed. A comment on a video the channel does not own cannot be moderated by it: that fails with
/// <see cref="PlatformErrorKind.CannotHide"/> and a person must act on the platform.
/// </para>
/// </summary>
public sealed class YouTubeConnector(
    YouTubeDataClient client,
    TimeProvider clock,
    IOptions<YouTubeOptions> options,
    ILogger<YouTubeConnector> logger) : IPlatformConnector
{
    /// <summary>A cursor carries at most this many ids of the overlap window; beyond that a repeat is possible (callers upsert).</summary>
    public const int MaxCursorIds = 200;

    private readonly YouTubeOptions _options = options.Value;

    public Platform Platform => Platform.YouTube;

    public async Task<CommentBatch> ListNewCommentsAsync(PageAccess page, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var now = clock.GetUtcNow();
        var previous = YouTubeCursor.Parse(cursor);
        var since = previous is null ? now - _options.FirstPollLookback : previous.Newest - _options.CursorOverlap;
        var threadFloor = since - _options.ReplyLookback;
        var channelId = page.PageExternalId;

        var listed = new Dictionary<string, IncomingComment>(StringComparer.Ordinal);
        string? pageToken = null;
        int pages = 0, replyReads = 0;
        var reachedOlderThreads = false;
        while (!reachedOlderThreads && pages < _options.MaxThreadPagesPerPoll)
        {
            var list = await client.ListThreadsAsync(page, channelId, pageToken, cancellationToken);
            pages++;
            foreach (var thread in list.Items!)
            {
                if (thread.Snippet?.TopLevelComment is not { Snippet: { } top } topLevel)
                {
                    continue;
                }

                if (top.PublishedAt < threadFloor)
                {
                    reachedOlderThreads = true;
                    break;
                }

                Add(listed, ToIncoming(topLevel, thread.Snippet.VideoId, null), since);
                var embedded = thread.Replies?.Comments ?? [];
                var replies = embedded.Count < thread.Snippet.TotalReplyCount
                    ? await ReadAllRepliesAsync(page, topLevel.Id, cancellationToken)
                    : embedded;
                replyReads += embedded.Count < thread.Snippet.TotalReplyCount ? 1 : 0;
                foreach (var reply in replies)
                {
                    if (reply.Snippet is not null)
                    {
                        Add(listed, ToIncoming(reply, thread.Snippet.VideoId, topLevel.Id), since);
                    }
                }
            }

            pageToken = list.NextPageToken;
            if (string.IsNullOrEmpty(pageToken))
            {
                break;
            }

            if (!reachedOlderThreads && pages == _options.MaxThreadPagesPerPoll)
            {
                YouTubeLog.PageCapReached(logger, channelId, pages, since);
            }
        }

        var fresh = listed.Values
            .Where(c => previous is null || !previous.Contains(c.ExternalId))
            .OrderBy(c => c.CreatedAt)
            .ToList();
        YouTubeLog.Polled(logger, channelId, pages, replyReads, fresh.Count, since);
        return new CommentBatch(fresh, YouTubeCursor.Next(previous, listed.Values, now, _options.CursorOverlap)?.Format() ?? cursor);
    }

    public async Task<IncomingComment> GetCommentAsync(PageAccess page, string postExternalId, string commentExternalId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(postExternalId);
        var comment = await client.GetCommentAsync(page, commentExternalId, cancellationToken);
        return ToIncoming(comment, comment.Snippet?.VideoId ?? postExternalId, comment.Snippet?.ParentId);
    }

    /// <summary>Holds the comment for review (out of public view, restorable).</summary>
    public Task HideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        ModerateAsync(page, commentExternalId, YouTubeModerationStatus.HeldForReview, cancellationToken);

    /// <summary>Publishes the comment again.</summary>
    public Task UnhideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        ModerateAsync(page, commentExternalId, YouTubeModerationStatus.Published, cancellationToken);

    /// <summary>Rejects the comment (removed from public view with its replies); <c>comments.delete</c> is not used.</summary>
    public Task DeleteAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        ModerateAsync(page, commentExternalId, YouTubeModerationStatus.Rejected, cancellationToken);

    private async Task ModerateAsync(PageAccess page, string commentExternalId, string status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            await client.SetModerationStatusAsync(page, commentExternalId, status, cancellationToken);
        }
        catch (PlatformException e) when (e.Kind == PlatformErrorKind.CannotHide)
        {
            YouTubeLog.CannotModerate(logger, commentExternalId, page.PageExternalId);
            throw;
        }
    }

    private Task<IReadOnlyList<YouTubeComment>> ReadAllRepliesAsync(PageAccess page, string parentId, CancellationToken cancellationToken) =>
        client.ListRepliesAsync(page, parentId, cancellationToken);

    private static void Add(Dictionary<string, IncomingComment> listed, IncomingComment comment, DateTimeOffset since)
    {
        if (comment.CreatedAt >= since)
        {
            listed.TryAdd(comment.ExternalId, comment);
        }
    }

    private static IncomingComment ToIncoming(YouTubeComment comment, string? videoId, string? parentId)
    {
        var snippet = comment.Snippet ?? throw new PlatformException(Platform.YouTube, PlatformErrorKind.Malformed, $"YouTube {comment} came without a snippet.");
        var video = snippet.VideoId ?? videoId ?? string.Empty;
        return new IncomingComment(
            Platform.YouTube,
            comment.Id,
            video,
            snippet.ParentId ?? parentId,
            snippet.AuthorChannelId?.Value,
            snippet.AuthorDisplayName,
            snippet.TextDisplay ?? snippet.TextOriginal ?? string.Empty,
            snippet.PublishedAt,
            video.Length == 0 ? null : new Uri(string.Create(CultureInfo.InvariantCulture, $"https://www.youtube.com/watch?v={Uri.EscapeDataString(video)}&lc={Uri.EscapeDataString(comment.Id)}")),
            snippet.ModerationStatus is { } status && status != YouTubeModerationStatus.Published);
    }
}
