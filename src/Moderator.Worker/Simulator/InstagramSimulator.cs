using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Moderator.Worker.Simulator;

/// <summary>Names of the Instagram simulator's per-endpoint call counters.</summary>
public static class InstagramSimulatorEndpoints
{
    public const string Media = "GET media";
    public const string Comments = "GET comments";
    public const string Replies = "GET replies";
    public const string Comment = "GET comment";
    public const string Hide = "POST hide";
    public const string Unhide = "POST unhide";
    public const string Delete = "DELETE comment";
}

/// <summary>
/// A local HTTP server that speaks the Instagram Graph subset the connector uses (Instagram API with Facebook Login:
/// <c>/{ig-user-id}/media</c>, <c>/{ig-media-id}/comments</c> newest first at most 50 per page with <c>replies</c>
/// expanded, <c>/{ig-comment-id}/replies</c>, <c>POST ?hide=</c>, <c>DELETE</c>; Graph error bodies and the
/// <c>instagram</c> business-use-case usage header; no time filter). Faults, counters and state are reachable through the
/// methods below; the wire format is shared with <see cref="FacebookSimulator"/>. Thread-safe.
/// </summary>
public sealed partial class InstagramSimulator : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly FacebookSimulatorOptions _options;
    private readonly Dictionary<string, AccountRecord> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MediaRecord> _media = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommentRecord> _comments = new(StringComparer.Ordinal);
    private readonly SimulatorFaults<SimulatedFault> _faults = new();
    private WebApplication? _app;
    private long _sequence;
    private int _totalRequests;
    private int _throttledResponses;

    /// <param name="clock">Times of new media and comments, usage windows and the demo replay.</param>
    /// <param name="options">The same knobs as the Facebook simulator (version, usage per call, timeout delay, Retry-After).</param>
    public InstagramSimulator(TimeProvider? clock = null, FacebookSimulatorOptions? options = null)
    {
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new FacebookSimulatorOptions();

        // Real Instagram ids are unique across accounts and time; a random start per instance keeps two simulators (or two
        // demo runs) that write into one database from handing out the same comment ids.
        _sequence = Random.Shared.NextInt64(1, 1_000_000_000) * 1_000;
    }

    /// <summary>The Graph base address (ending with the version and a slash) once started.</summary>
    public Uri? BaseAddress { get; private set; }

    /// <summary>How many replies a top-level comment carries inline in <c>replies{…}</c> before a <c>next</c> link to its replies edge.</summary>
    public int InlineReplies { get; set; } = 25;

    /// <summary>Every request the Graph endpoints received, faulted ones included.</summary>
    public int TotalRequests => Volatile.Read(ref _totalRequests);

    /// <summary>Requests refused with code 80002 because the account's usage had reached 100%.</summary>
    public int ThrottledResponses => Volatile.Read(ref _throttledResponses);

    /// <summary>Starts listening on 127.0.0.1 (port 0 = any free port) and returns the Graph base address.</summary>
    public async Task<Uri> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The simulator is already running.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri($"{address.TrimEnd('/')}/{_options.Version}/");
        return BaseAddress;
    }

    public async ValueTask DisposeAsync()
    {
        await StopWebhooksAsync();
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Adds an Instagram professional account (its id is the page's external id; the token is its Page token).</summary>
    public SimulatedPage AddAccount(string username, string? accountId = null, string? accessToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        lock (_lock)
        {
            var id = accountId ?? (17_841_400_000_000_000 + NextSequence()).ToString(CultureInfo.InvariantCulture);
            var account = new AccountRecord(id, username) { AccessToken = accessToken ?? NewToken(id) };
            _accounts.Add(id, account);
            return account.Snapshot();
        }
    }

    /// <summary>Publishes a media (an image post) on the account and returns its id.</summary>
    public string AddMedia(string accountId, string caption, DateTimeOffset? timestamp = null, string mediaProductType = "FEED")
    {
        lock (_lock)
        {
            var account = AccountOf(accountId);
            var sequence = NextSequence();
            var media = new MediaRecord(
                (17_900_000_000_000_000 + sequence).ToString(CultureInfo.InvariantCulture),
                account.Id,
                caption,
                Truncate(timestamp ?? _clock.GetUtcNow()),
                mediaProductType,
                sequence);
            _media.Add(media.Id, media);
            return media.Id;
        }
    }

    /// <summary>
    /// Adds a comment (a reply when <paramref name="parentCommentId"/> is given: Instagram replies are one level deep) by
    /// <paramref name="username"/>; the account's own username makes it the media owner's comment.
    /// </summary>
    public string AddComment(string mediaId, string text, string username = "sam.visitor", string? parentCommentId = null, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        lock (_lock)
        {
            if (!_media.TryGetValue(mediaId, out var media))
            {
                throw new ArgumentException($"No media {mediaId}.", nameof(mediaId));
            }

            if (parentCommentId is not null && (!_comments.TryGetValue(parentCommentId, out var parent) || parent.MediaId != mediaId || parent.ParentId is not null))
            {
                throw new ArgumentException($"No top-level comment {parentCommentId} on media {mediaId}.", nameof(parentCommentId));
            }

            var account = _accounts[media.AccountId];
            var sequence = NextSequence();
            var now = _clock.GetUtcNow();
            var comment = new CommentRecord(
                (17_850_000_000_000_000 + sequence).ToString(CultureInfo.InvariantCulture),
                media.AccountId,
                media.Id,
                parentCommentId,
                username == account.Username ? account.Id : UserIdOf(username),
                username,
                text,
                Truncate(timestamp ?? now),
                now,
                sequence);
            _comments.Add(comment.Id, comment);
            QueueWebhook(comment);
            return comment.Id;
        }
    }

    public SimulatedCommentState Comment(string commentId)
    {
        lock (_lock)
        {
            return _comments.TryGetValue(commentId, out var comment)
                ? comment.Snapshot()
                : throw new ArgumentException($"No comment {commentId}.", nameof(commentId));
        }
    }

    /// <summary>All comments of an account (deleted ones included), oldest first.</summary>
    public IReadOnlyList<SimulatedCommentState> Comments(string accountId)
    {
        lock (_lock)
        {
            return [.. _comments.Values.Where(c => c.AccountId == accountId).OrderBy(c => c.Sequence).Select(c => c.Snapshot())];
        }
    }

    /// <summary>
    /// Whether a visitor who is neither the author nor the account sees the comment: not deleted, and not hidden unless
    /// the media owner wrote it (Instagram keeps the owner's own comments visible even when hidden).
    /// </summary>
    public bool IsVisibleToPublic(string commentId)
    {
        lock (_lock)
        {
            var comment = _comments.TryGetValue(commentId, out var found) ? found : throw new ArgumentException($"No comment {commentId}.", nameof(commentId));
            return !comment.IsDeleted && (!comment.IsHidden || comment.AuthorId == comment.AccountId);
        }
    }

    /// <summary>Whether the comment's author sees it: a hidden comment stays visible to its author; only deletion removes it.</summary>
    public bool IsVisibleToAuthor(string commentId) => !Comment(commentId).IsDeleted;

    /// <summary>Requests that reached one endpoint (see <see cref="InstagramSimulatorEndpoints"/>), faulted ones included.</summary>
    public int Calls(string endpoint)
    {
        lock (_lock)
        {
            return _faults.Calls(endpoint);
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> Graph requests with <paramref name="fault"/>, after answering
    /// <paramref name="afterRequests"/> requests normally. For <see cref="SimulatedFault.RateLimitCode"/> pass the Graph code
    /// (80002 Instagram BUC by default; 4, 17, 32, 613 also work). Faults queue up in the order they were asked for; one
    /// aimed at an <paramref name="endpoint"/> (see <see cref="InstagramSimulatorEndpoints"/>) waits for a request to it.
    /// </summary>
    public void FailNext(int count, SimulatedFault fault, int graphCode = 80002, int afterRequests = 0, string? endpoint = null)
    {
        lock (_lock)
        {
            _faults.Add(count, fault, graphCode, afterRequests, endpoint);
        }
    }

    /// <summary>Faults queued by <see cref="FailNext"/> that have not fired yet.</summary>
    public int PendingFaults
    {
        get
        {
            lock (_lock)
            {
                return _faults.Pending;
            }
        }
    }

    /// <summary>The account's token now fails with code 190, subcode 463 (expired) until <see cref="RenewToken"/>.</summary>
    public void ExpireToken(string accountId)
    {
        lock (_lock)
        {
            AccountOf(accountId).TokenExpired = true;
        }
    }

    /// <summary>Reconnects the account: issues a new token (the old one stays invalid) and returns it.</summary>
    public string RenewToken(string accountId)
    {
        lock (_lock)
        {
            var account = AccountOf(accountId);
            account.AccessToken = NewToken(accountId);
            account.TokenExpired = false;
            return account.AccessToken;
        }
    }

    /// <summary>Sets the account's usage floor (percent) reported in X-Business-Use-Case-Usage; 100 or more throttles with 80002.</summary>
    public void SetUsagePercent(string accountId, double percent)
    {
        lock (_lock)
        {
            AccountOf(accountId).BaseUsagePercent = percent;
        }
    }

    private AccountRecord AccountOf(string accountId) =>
        _accounts.TryGetValue(accountId, out var account) ? account : throw new ArgumentException($"No account {accountId}.", nameof(accountId));

    private long NextSequence() => ++_sequence;

    private static string NewToken(string accountId) => $"EAAsimig{accountId}{Guid.NewGuid():N}";

    private static string UserIdOf(string username) =>
        (17_841_000_000_000_000 + ((uint)StringComparer.Ordinal.GetHashCode(username) % 900_000_000)).ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());


    private sealed class AccountRecord(string id, string username)
    {
        public string Id { get; } = id;

        public string Username { get; } = username;

        public required string AccessToken { get; set; }

        public bool TokenExpired { get; set; }

        public double BaseUsagePercent { get; set; }

        public Queue<DateTimeOffset> RecentCalls { get; } = new();

        public SimulatedPage Snapshot() => new(Id, Username, AccessToken);
    }

    private sealed record MediaRecord(string Id, string AccountId, string Caption, DateTimeOffset Timestamp, string MediaProductType, long Sequence)
    {
        public string Permalink => $"https://www.instagram.com/p/SIM{Sequence.ToString(CultureInfo.InvariantCulture)}/";
    }

    private sealed record CommentRecord(
        string Id,
        string AccountId,
        string MediaId,
        string? ParentId,
        string AuthorId,
        string Username,
        string Text,
        DateTimeOffset Timestamp,
        DateTimeOffset AppearedAt,
        long Sequence)
    {
        public bool IsHidden { get; set; }

        public bool IsDeleted { get; set; }

        public DateTimeOffset? HiddenAt { get; set; }

        public int HideCalls { get; set; }

        public int UnhideCalls { get; set; }

        public int DeleteCalls { get; set; }

        public SimulatedCommentState Snapshot() => new(
            Id, AccountId, MediaId, ParentId, AuthorId, Username, Text, Timestamp, AppearedAt, IsHidden, IsDeleted, HiddenAt, HideCalls, UnhideCalls, DeleteCalls);
    }
}
