using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Moderator.Worker.Simulator;

/// <summary>
/// A local HTTP server that speaks the Facebook Graph subset the connector uses (same paths, JSON, cursor paging with
/// <c>next</c> links, <c>since</c>, <c>filter=stream</c>, hide/unhide/delete, Graph error bodies and usage headers), so the
/// demo and the tests drive the real connector. Its state (pages, posts, comments), counters and injectable faults are
/// reachable through the methods below. Thread-safe. Times come from the given <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class FacebookSimulator : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly FacebookSimulatorOptions _options;
    private readonly Dictionary<string, PageRecord> _pages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PostRecord> _posts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommentRecord> _comments = new(StringComparer.Ordinal);
    private readonly SimulatorFaults<SimulatedFault> _faults = new();
    private WebApplication? _app;
    private long _sequence;
    private int _totalRequests;
    private int _throttledResponses;

    public FacebookSimulator(TimeProvider? clock = null, FacebookSimulatorOptions? options = null)
    {
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new FacebookSimulatorOptions();

        // Real Graph ids are unique across pages and time; a random start per instance keeps two demo runs (or two
        // simulators) that write into one database from handing out the same comment ids.
        _sequence = Random.Shared.NextInt64(1, 1_000_000_000) * 1_000;
    }

    /// <summary>The Graph base address (ending with the version and a slash) once started.</summary>
    public Uri? BaseAddress { get; private set; }

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

    /// <summary>Every request the Graph endpoints received, faulted ones included.</summary>
    public int TotalRequests => Volatile.Read(ref _totalRequests);

    /// <summary>Requests refused with code 80001 because the page's usage had reached 100%.</summary>
    public int ThrottledResponses => Volatile.Read(ref _throttledResponses);

    public SimulatedPage AddPage(string name, string? pageId = null, string? accessToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            var id = pageId ?? (100_000_000_000_000 + NextSequence()).ToString(CultureInfo.InvariantCulture);
            var page = new PageRecord(id, name) { AccessToken = accessToken ?? NewToken(id) };
            _pages.Add(id, page);
            return page.Snapshot();
        }
    }

    /// <summary>Adds a post to the page; its id is <c>{page-id}_{n}</c> as on Facebook.</summary>
    public string AddPost(string pageId, string message, DateTimeOffset? createdTime = null)
    {
        lock (_lock)
        {
            var page = PageOf(pageId);
            var sequence = NextSequence();
            var created = Truncate(createdTime ?? _clock.GetUtcNow());
            var post = new PostRecord($"{page.Id}_{sequence}", page.Id, message, created, sequence) { UpdatedTime = created };
            _posts.Add(post.Id, post);
            return post.Id;
        }
    }

    /// <summary>
    /// Adds a comment (a reply when <paramref name="parentCommentId"/> is given) and returns its id
    /// (<c>{post}_{n}</c>). It appears now by the simulator's clock; <paramref name="createdTime"/> may backdate it.
    /// </summary>
    public string AddComment(string postId, string message, string authorName = "Sam Visitor", string? parentCommentId = null, DateTimeOffset? createdTime = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            if (!_posts.TryGetValue(postId, out var post))
            {
                throw new ArgumentException($"No post {postId}.", nameof(postId));
            }

            if (parentCommentId is not null && !_comments.ContainsKey(parentCommentId))
            {
                throw new ArgumentException($"No comment {parentCommentId}.", nameof(parentCommentId));
            }

            var sequence = NextSequence();
            var now = _clock.GetUtcNow();
            var created = Truncate(createdTime ?? now);
            var postNumber = post.Id[(post.Id.IndexOf('_', StringComparison.Ordinal) + 1)..];
            var comment = new CommentRecord(
                $"{postNumber}_{sequence}",
                post.PageId,
                post.Id,
                parentCommentId,
                AuthorIdOf(authorName),
                authorName,
                message,
                created,
                now,
                sequence);
            _comments.Add(comment.Id, comment);
            if (created > post.UpdatedTime)
            {
                post.UpdatedTime = created;
            }

            QueueWebhook(comment, "add");
            return comment.Id;
        }
    }

    /// <summary>Changes a comment's text as its author editing it would (its created time stays; Meta sends verb "edited").</summary>
    public void EditComment(string commentId, string newMessage)
    {
        ArgumentNullException.ThrowIfNull(newMessage);
        lock (_lock)
        {
            if (!_comments.TryGetValue(commentId, out var comment) || comment.IsDeleted)
            {
                throw new ArgumentException($"No comment {commentId}.", nameof(commentId));
            }

            comment.Message = newMessage;
            QueueWebhook(comment, "edited");
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

    /// <summary>All comments of a page (deleted ones included), oldest first.</summary>
    public IReadOnlyList<SimulatedCommentState> Comments(string pageId)
    {
        lock (_lock)
        {
            return [.. _comments.Values.Where(c => c.PageId == pageId).OrderBy(c => c.Sequence).Select(c => c.Snapshot())];
        }
    }

    /// <summary>Requests that reached one endpoint (see <see cref="SimulatorEndpoints"/>), faulted ones included.</summary>
    public int Calls(string endpoint)
    {
        lock (_lock)
        {
            return _faults.Calls(endpoint);
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> Graph requests with <paramref name="fault"/>, after first answering
    /// <paramref name="afterRequests"/> requests normally. For <see cref="SimulatedFault.RateLimitCode"/> pass the Graph
    /// code (4, 17, 32, 613 or 80001). Faults queue up in the order they were asked for; one aimed at an
    /// <paramref name="endpoint"/> (see <see cref="SimulatorEndpoints"/>) waits for a request to it, and the faults behind it wait too.
    /// </summary>
    public void FailNext(int count, SimulatedFault fault, int graphCode = 80001, int afterRequests = 0, string? endpoint = null)
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

    /// <summary>The page's token now fails with code 190, subcode 463 (expired) until <see cref="RenewToken"/>.</summary>
    public void ExpireToken(string pageId)
    {
        lock (_lock)
        {
            PageOf(pageId).TokenExpired = true;
        }
    }

    /// <summary>Reconnects the page: issues a new token (the old one stays invalid) and returns it.</summary>
    public string RenewToken(string pageId)
    {
        lock (_lock)
        {
            var page = PageOf(pageId);
            page.AccessToken = NewToken(pageId);
            page.TokenExpired = false;
            return page.AccessToken;
        }
    }

    /// <summary>Sets the page's usage floor (percent of the budget) reported in X-Business-Use-Case-Usage; 100 or more throttles.</summary>
    public void SetUsagePercent(string pageId, double percent)
    {
        lock (_lock)
        {
            PageOf(pageId).BaseUsagePercent = percent;
        }
    }

    private PageRecord PageOf(string pageId) =>
        _pages.TryGetValue(pageId, out var page) ? page : throw new ArgumentException($"No page {pageId}.", nameof(pageId));

    private long NextSequence() => ++_sequence;

    private static string NewToken(string pageId) => $"EAAsim{pageId}{Guid.NewGuid():N}";

    private static string AuthorIdOf(string authorName) =>
        (1_000_000_000 + (uint)StringComparer.Ordinal.GetHashCode(authorName) % 900_000_000).ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());


    private sealed class PageRecord(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public required string AccessToken { get; set; }

        public bool TokenExpired { get; set; }

        public double BaseUsagePercent { get; set; }

        public Queue<DateTimeOffset> RecentCalls { get; } = new();

        public SimulatedPage Snapshot() => new(Id, Name, AccessToken);
    }

    private sealed record PostRecord(string Id, string PageId, string Message, DateTimeOffset CreatedTime, long Sequence)
    {
        public DateTimeOffset UpdatedTime { get; set; }
    }

    private sealed record CommentRecord(
        string Id,
        string PageId,
        string PostId,
        string? ParentId,
        string AuthorId,
        string AuthorName,
        string Message,
        DateTimeOffset CreatedTime,
        DateTimeOffset AppearedAt,
        long Sequence)
    {
        public string Message { get; set; } = Message;

        public bool IsHidden { get; set; }

        public bool IsDeleted { get; set; }

        public DateTimeOffset? HiddenAt { get; set; }

        public int HideCalls { get; set; }

        public int UnhideCalls { get; set; }

        public int DeleteCalls { get; set; }

        public SimulatedCommentState Snapshot() => new(
            Id, PageId, PostId, ParentId, AuthorId, AuthorName, Message, CreatedTime, AppearedAt, IsHidden, IsDeleted, HiddenAt, HideCalls, UnhideCalls, DeleteCalls);
    }
}
