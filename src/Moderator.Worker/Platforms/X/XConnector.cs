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
/// with <see cref="PlatformErrorKind.CannotHide"/>). The query finds replies addressed to the account and, for the
/// account's own recent conversations (learned from their first replies and kept in the cursor), replies between other
/// people deeper in them (<see cref="XRepliesQuery"/>). X has no way to delete someone else's post, so
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

    /// <summary>X does not say whether a reply is hidden: a post read always looks "not hidden".</summary>
    public bool ReportsHiddenState => false;

    public async Task<CommentBatch> ListNewCommentsAsync(PageAccess page, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var now = clock.GetUtcNow();
        var account = api.CredentialsOf(page);
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

        var known = position.Conversations.Where(c => XSnowflake.TryTimeOf(c, out var started) && started >= now - SearchWindow).ToList();
        var run = new PollRun(page.PageExternalId);
        var complete = await run.ReadAsync(api, page, XRepliesQuery.For(account.Username, known, includeReplies: true), sinceId, position.UntilId, startTime, _options.MaxPagesPerPoll, cancellationToken);

        // A conversation the account started is learned from its first reply; replies deeper in it (between other
        // people) were not addressed to the account, so read them once for the same range with a conversation query.
        var learned = _options.MaxTrackedConversations == 0 ? [] : run.LearnedConversations(page.PageExternalId).Except(known, StringComparer.Ordinal).ToList();
        if (learned.Count > 0)
        {
            complete &= await run.ReadAsync(api, page, XRepliesQuery.For(account.Username, learned, includeReplies: false), sinceId, position.UntilId, startTime, _options.MaxPagesPerPoll, cancellationToken);
        }

        var conversations = known.Concat(learned)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(c => c, Comparer<string>.Create(XSnowflake.Compare))
            .Take(_options.MaxTrackedConversations)
            .ToList();
        meter.RecordPoll(page.PageExternalId, run.Pages, run.PostReads);
        XLog.Polled(logger, page.PageExternalId, run.Pages, run.PostReads, run.Comments.Count, !complete);
        var newest = XSnowflake.Max(position.NewestPending, run.Newest);
        var next = !complete && run.Oldest is not null
            ? new XCursor(position.SinceId, run.Oldest, newest, conversations)
            : new XCursor(newest is null ? position.SinceId : XSnowflake.Max(position.SinceId, newest), null, null, conversations);
        return new CommentBatch(run.Comments, next.IsEmpty ? cursor : next.Format());
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

    internal static IncomingComment ToIncoming(XPost post, IReadOnlyDictionary<string, XUser> users)
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
/// <see cref="Conversations"/> are the account's own recent conversations whose deeper replies are searched too.
/// Written as <c>since=…&amp;until=…&amp;newest=…&amp;conv=id,id</c>.
/// </summary>
public sealed record XCursor(string? SinceId, string? UntilId, string? NewestPending, IReadOnlyList<string> Conversations)
{
    public XCursor(string? sinceId, string? untilId, string? newestPending)
        : this(sinceId, untilId, newestPending, [])
    {
    }

    public bool IsEmpty => SinceId is null && UntilId is null && NewestPending is null && Conversations.Count == 0;

    public static XCursor Parse(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return new XCursor(null, null, null);
        }

        string? since = null, until = null, newest = null;
        IReadOnlyList<string> conversations = [];
        foreach (var part in cursor.Split('&'))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2 || pair[1].Length == 0 || !pair[1].All(c => char.IsAsciiDigit(c) || c == ','))
            {
                throw new ArgumentException("Not an X cursor.", nameof(cursor));
            }

            switch (pair[0])
            {
                case "since" when !pair[1].Contains(',', StringComparison.Ordinal): since = pair[1]; break;
                case "until" when !pair[1].Contains(',', StringComparison.Ordinal): until = pair[1]; break;
                case "newest" when !pair[1].Contains(',', StringComparison.Ordinal): newest = pair[1]; break;
                case "conv": conversations = pair[1].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                default: throw new ArgumentException("Not an X cursor.", nameof(cursor));
            }
        }

        return new XCursor(since, until, newest, conversations);
    }

    public string Format()
    {
        var parts = new List<string>(4);
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

        if (Conversations.Count > 0)
        {
            parts.Add("conv=" + string.Join(',', Conversations));
        }

        return string.Join('&', parts);
    }

    public bool Equals(XCursor? other) => other is not null && Format() == other.Format();

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Format());
}

/// <summary>
/// The recent-search query for replies: <c>to:{account}</c> (replies addressed to the account, including replies to its
/// own replies) and <c>conversation_id:</c> for the account's own recent conversations (replies between other people
/// deeper in them), all with <c>is:reply</c>, kept within X's 512-character limit by dropping the oldest conversations.
/// </summary>
public static class XRepliesQuery
{
    public const int MaxLength = 512;

    public static string For(string username, IEnumerable<string> conversations, bool includeReplies)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentNullException.ThrowIfNull(conversations);
        var terms = new List<string>();
        if (includeReplies)
        {
            terms.Add("to:" + username);
        }

        // Without the account's own term, only the replies it would not find are wanted (they are not billed twice).
        var suffix = includeReplies ? " is:reply" : " is:reply -to:" + username;
        foreach (var conversation in conversations.OrderByDescending(c => c, Comparer<string>.Create(XSnowflake.Compare)))
        {
            var candidate = terms.Append("conversation_id:" + conversation).ToList();
            if (Compose(candidate, suffix).Length > MaxLength)
            {
                break;
            }

            terms = candidate;
        }

        if (terms.Count == 0)
        {
            throw new ArgumentException("A replies query needs the account or at least one conversation.", nameof(conversations));
        }

        return Compose(terms, suffix);
    }

    private static string Compose(List<string> terms, string suffix) =>
        (terms.Count == 1 ? terms[0] : "(" + string.Join(" OR ", terms) + ")") + suffix;
}

/// <summary>The replies one poll collected across its searches, de-duplicated, with the ids and costs seen.</summary>
internal sealed class PollRun(string accountId)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<XPost> _posts = [];

    public List<IncomingComment> Comments { get; } = [];

    public string? Newest { get; private set; }

    public string? Oldest { get; private set; }

    public int Pages { get; private set; }

    public int PostReads { get; private set; }

    /// <summary>Reads one query's pages (at most <paramref name="maxPages"/>); true when no page was left unread.</summary>
    public async Task<bool> ReadAsync(XApiClient api, PageAccess page, string query, string? sinceId, string? untilId, DateTimeOffset? startTime, int maxPages, CancellationToken cancellationToken)
    {
        string? nextToken = null;
        var pages = 0;
        do
        {
            var result = await api.SearchRepliesAsync(page, query, sinceId, untilId, startTime, nextToken, cancellationToken);
            pages++;
            Pages++;
            PostReads += result.PostReads;
            foreach (var post in result.Posts)
            {
                Add(post, result.Users);
            }

            nextToken = result.NextToken;
        }
        while (nextToken is not null && pages < maxPages);

        return nextToken is null;
    }

    /// <summary>Conversations the account started, known from a reply straight to their first post by the account.</summary>
    public IEnumerable<string> LearnedConversations(string account) =>
        _posts
            .Where(p => p.ConversationId is { } c && p.InReplyToUserId == account
                && p.ReferencedTweets?.Any(r => r.Type == "replied_to" && r.Id == c) == true)
            .Select(p => p.ConversationId!)
            .Distinct(StringComparer.Ordinal);

    private void Add(XPost post, IReadOnlyDictionary<string, XUser> users)
    {
        Newest = XSnowflake.Max(Newest, post.Id);
        Oldest = Oldest is null || XSnowflake.Compare(post.Id, Oldest) < 0 ? post.Id : Oldest;
        if (!_seen.Add(post.Id))
        {
            return;
        }

        _posts.Add(post);

        // The account's own replies (a school answering in its thread) match the query but are not for moderating.
        if (post.AuthorId != accountId)
        {
            Comments.Add(XConnector.ToIncoming(post, users));
        }
    }
}

internal static partial class XConnectorLog
{
    [LoggerMessage(EventId = 5310, Level = LogLevel.Information, Message = "X cannot delete reply {PostId} of another person for account {AccountId}: hiding it instead")]
    public static partial void DeleteMappedToHide(ILogger logger, string postId, string accountId);
}
