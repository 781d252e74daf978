using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.X;

/// <summary>
/// The X (API v2) adapter of <see cref="IPlatformConnector"/>. The "page" is the school's X account (its user id is
/// <see cref="PageAccess.PageExternalId"/>; the secret is an <see cref="XCredentials"/> document). A poll runs recent
/// search for replies to the account since the newest reply seen (<c>since_id</c>), following <c>next_token</c> up to
/// <see cref="XOptions.MaxPagesPerPoll"/> pages; when more remain, the cursor keeps the old <c>since_id</c> and an
/// <c>until_id</c> so the next poll reads the older rest before moving on, so nothing is skipped and nothing repeated.
/// <para>
/// Hide is <c>PUT /2/tweets/{id}/hidden</c>, allowed only for replies in conversations the account started (others fail
/// with <see cref="PlatformErrorKind.CannotHide"/>). The query finds replies addressed to the account (direct replies
/// and replies to its own replies); a reply between two other people further down the school's thread is not
/// addressed to the school and is not found. X has no way to delete someone else's post, so
/// <see cref="DeleteAsync"/> hides the reply instead — the strongest action X offers — and says so in the log.
/// </para>
/// </summary>
public sealed class XConnector(
    XApiClient api,
    XReadMeter meter,
    TimeProvider clock,
    IOptions<XOptions> options,
    ILogger<XConnector> logger) : IPlatformConnector
{
    /// <summary>Recent search reaches back 7 days; a since_id older than this margin inside it is replaced by a start time.</summary>
    private static readonly TimeSpan SearchWindow = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);

    private readonly XOptions _options = options.Value;

    public Platform Platform => Platform.X;

    public async Task<CommentBatch> ListNewCommentsAsync(PageAccess page, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var now = clock.GetUtcNow();
        var position = XCursor.Parse(cursor);
        var sinceId = position.SinceId;
        DateTimeOffset? startTime = null;
        if (sinceId is null)
        {
            startTime = now - _options.FirstPollLookback;
        }
        else if (XSnowflake.TryTimeOf(sinceId, out var sinceTime) && sinceTime < now - SearchWindow)
        {
            // X rejects a since_id older than its 7-day window; read the whole window instead.
            sinceId = null;
            startTime = now - SearchWindow;
        }

        var comments = new List<IncomingComment>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? newest = position.NewestPending;
        string? oldest = null;
        string? nextToken = null;
        var pages = 0;
        var reads = 0;
        do
        {
            var result = await api.SearchRepliesAsync(page, sinceId, position.UntilId, startTime, nextToken, cancellationToken);
            pages++;
            reads += result.PostReads;
            foreach (var post in result.Posts)
            {
                newest = XSnowflake.Max(newest, post.Id);
                oldest = oldest is null || XSnowflake.Compare(post.Id, oldest) < 0 ? post.Id : oldest;

                // The account's own replies (a school answering in its thread) match to:{account} but are not for moderating.
                if (seen.Add(post.Id) && post.AuthorId != page.PageExternalId)
                {
                    comments.Add(ToIncoming(post, result.Users));
                }
            }

            nextToken = result.NextToken;
        }
        while (nextToken is not null && pages < _options.MaxPagesPerPoll);

        meter.RecordPoll(page.PageExternalId, pages, reads);
        var moreWaiting = nextToken is not null && oldest is not null;
        XLog.Polled(logger, page.PageExternalId, pages, reads, comments.Count, moreWaiting);
        var next = moreWaiting
            ? new XCursor(position.SinceId, oldest, newest)
            : new XCursor(newest is null ? position.SinceId : XSnowflake.Max(position.SinceId, newest), null, null);
        return new CommentBatch(comments, next.IsEmpty ? cursor : next.Format());
    }

    public async Task<IncomingComment> GetCommentAsync(PageAccess page, string postExternalId, string commentExternalId, CancellationToken cancellationToken)
    {
        var (post, author) = await api.GetPostAsync(page, commentExternalId, cancellationToken);
        var users = new Dictionary<string, XUser>(StringComparer.Ordinal);
        if (author is not null)
        {
            users[author.Id] = author;
        }

        return ToIncoming(post, users);
    }

    public Task HideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        api.SetHiddenAsync(page, commentExternalId, hidden: true, cancellationToken);

    public Task UnhideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken) =>
        api.SetHiddenAsync(page, commentExternalId, hidden: false, cancellationToken);

    /// <summary>X cannot delete another person's post: the reply is hidden instead (CannotHide where even that is refused).</summary>
    public Task DeleteAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        XConnectorLog.DeleteMappedToHide(logger, commentExternalId, page.PageExternalId);
        return api.SetHiddenAsync(page, commentExternalId, hidden: true, cancellationToken);
    }

    private static IncomingComment ToIncoming(XPost post, IReadOnlyDictionary<string, XUser> users)
    {
        var repliedTo = post.ReferencedTweets?.FirstOrDefault(r => r.Type == "replied_to")?.Id;
        var conversation = post.ConversationId ?? repliedTo ?? post.Id;
        XUser? author = post.AuthorId is { } authorId ? users.GetValueOrDefault(authorId) : null;
        return new IncomingComment(
            Platform.X,
            post.Id,
            conversation,
            repliedTo == conversation ? null : repliedTo,
            post.AuthorId,
            author?.Name ?? author?.Username,
            post.Text ?? string.Empty,
            post.CreatedAt ?? (XSnowflake.TryTimeOf(post.Id, out var time) ? time : DateTimeOffset.UnixEpoch),
            new Uri($"https://x.com/i/web/status/{Uri.EscapeDataString(post.Id)}"),
            IsHidden: false);
    }
}

/// <summary>
/// Where a page's polling stands: replies newer than <see cref="SinceId"/> are wanted; while a backlog is being read,
/// <see cref="UntilId"/> bounds it and <see cref="NewestPending"/> is the newest reply already returned.
/// Written as <c>since=…&amp;until=…&amp;newest=…</c>.
/// </summary>
public sealed record XCursor(string? SinceId, string? UntilId, string? NewestPending)
{
    public bool IsEmpty => SinceId is null && UntilId is null && NewestPending is null;

    public static XCursor Parse(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return new XCursor(null, null, null);
        }

        string? since = null, until = null, newest = null;
        foreach (var part in cursor.Split('&'))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2 || pair[1].Length == 0 || !pair[1].All(char.IsAsciiDigit))
            {
                throw new ArgumentException("Not an X cursor.", nameof(cursor));
            }

            switch (pair[0])
            {
                case "since": since = pair[1]; break;
                case "until": until = pair[1]; break;
                case "newest": newest = pair[1]; break;
                default: throw new ArgumentException("Not an X cursor.", nameof(cursor));
            }
        }

        return new XCursor(since, until, newest);
    }

    public string Format()
    {
        var parts = new List<string>(3);
        if (SinceId is not null)
        {
            parts.Add("since=" + SinceId);
        }

        if (UntilId is not null)
        {
            parts.Add("until=" + UntilId);
        }

        if (NewestPending is not null)
        {
            parts.Add("newest=" + NewestPending);
        }

        return string.Join('&', parts);
    }
}

internal static partial class XConnectorLog
{
    [LoggerMessage(EventId = 5310, Level = LogLevel.Information, Message = "X cannot delete reply {PostId} of another person for account {AccountId}: hiding it instead")]
    public static partial void DeleteMappedToHide(ILogger logger, string postId, string accountId);
}
