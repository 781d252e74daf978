using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Worker.Platforms.X;

namespace Moderator.Worker.Simulator;

/// <summary>Faults the X simulator can answer with instead of the real reply.</summary>
public enum XSimulatedFault
{
    /// <summary>429 <c>rate-limit-exceeded</c>-style "Too Many Requests" problem with the window's headers at 0.</summary>
    TooManyRequests = 1,

    /// <summary>429 with the <c>usage-capped</c> problem (the monthly post cap is spent).</summary>
    UsageCapped = 2,

    /// <summary>HTTP 500 problem body.</summary>
    InternalServerError = 3,

    /// <summary>HTTP 503 with an HTML body, as a load balancer would send.</summary>
    ServiceUnavailable = 4,

    /// <summary>No answer until the client gives up (or <see cref="XSimulatorOptions.TimeoutDelay"/> passes).</summary>
    Timeout = 5,

    /// <summary>HTTP 200 with truncated JSON.</summary>
    MalformedJson = 6,
}

/// <summary>Settings of the X simulator.</summary>
public sealed class XSimulatorOptions
{
    /// <summary>Requests per 15-minute window and account for recent search (X: 300 per user).</summary>
    public int SearchLimit { get; set; } = 300;

    /// <summary>Requests per 15-minute window and account for hide/unhide (X: 50 per user).</summary>
    public int HideLimit { get; set; } = 50;

    /// <summary>Requests per 15-minute window and account for a post lookup.</summary>
    public int LookupLimit { get; set; } = 900;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an access token lives (X: 2 hours).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long a <see cref="XSimulatedFault.Timeout"/> answer is held back.</summary>
    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The OAuth 2.0 client allowed to refresh tokens.</summary>
    public string ClientId { get; set; } = "sim-client";

    /// <summary>The client's secret; empty = a public client (no Basic auth expected).</summary>
    public string ClientSecret { get; set; } = string.Empty;
}

/// <summary>An account on the simulated X.</summary>
public sealed record SimulatedXAccount(string Id, string Username, string Name);

/// <summary>A post as the simulator holds it, for assertions.</summary>
public sealed record SimulatedXPost(
    string Id,
    string AuthorId,
    string ConversationId,
    string? InReplyToPostId,
    string? InReplyToUserId,
    string Text,
    DateTimeOffset CreatedAt,
    bool IsHidden,
    bool IsDeleted,
    int HideCalls,
    int UnhideCalls);

/// <summary>
/// A local HTTP server speaking the X API v2 subset the connector uses — recent search (query <c>to:</c>/<c>is:reply</c>/
/// <c>conversation_id:</c>, <c>since_id</c>, <c>until_id</c>, <c>start_time</c>, <c>max_results</c>, <c>next_token</c>,
/// <c>data/includes/meta</c>), post lookup, <c>PUT /2/tweets/{id}/hidden</c> (only in conversations the caller started;
/// others 403), the OAuth 2.0 refresh grant (expiring access tokens, rotating refresh tokens, <c>invalid_request</c> for a
/// spent or revoked one), <c>x-rate-limit-*</c> headers counting down per window and 429 at zero, problem+json errors,
/// and faults tests switch on. Times come from the given <see cref="TimeProvider"/>; posts created "in the future"
/// appear when the clock reaches them. Thread-safe.
/// </summary>
public sealed partial class XSimulator : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly XSimulatorOptions _options;
    private readonly Dictionary<string, SimulatedXAccount> _accounts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, PostRecord> _posts = new(Comparer<string>.Create(XSnowflake.Compare));
    private readonly Dictionary<string, TokenRecord> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenRecord> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Endpoint, string Account), WindowRecord> _windows = [];
    private readonly SimulatorFaults<XSimulatedFault> _faults = new();
    private WebApplication? _app;
    private long _sequence;
    private int _rateLimitedResponses;

    public XSimulator(TimeProvider? clock = null, XSimulatorOptions? options = null)
    {
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new XSimulatorOptions();
    }

    /// <summary>The API root (<c>http://127.0.0.1:port/2/</c>) once started.</summary>
    public Uri? BaseAddress { get; private set; }

    public XSimulatorOptions Options => _options;

    /// <summary>Requests answered with 429 because a window was spent (faults not counted).</summary>
    public int RateLimitedResponses => Volatile.Read(ref _rateLimitedResponses);

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
        BaseAddress = new Uri($"{address.TrimEnd('/')}/2/");
        return BaseAddress;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <param name="accountId">A fixed id (the demo keeps its school's id across runs); by default a random one.</param>
    public SimulatedXAccount AddAccount(string username, string name, string? accountId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            if (_accounts.Values.Any(a => string.Equals(a.Username, username, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"The username {username} is taken.", nameof(username));
            }

            // Random high part: accounts of different simulator runs never share an id (tests share databases).
            var id = accountId ?? (1_500_000_000_000_000_000L + ((long)RandomNumberGenerator.GetInt32(int.MaxValue) * 1000) + (NextSequence() % 1000)).ToString(CultureInfo.InvariantCulture);
            if (_accounts.ContainsKey(id))
            {
                throw new ArgumentException($"The account id {id} is taken.", nameof(accountId));
            }

            var account = new SimulatedXAccount(id, username, name);
            _accounts.Add(account.Id, account);
            return account;
        }
    }

    /// <summary>A post starting a conversation (its id is its conversation id).</summary>
    public string AddPost(string authorId, string text, DateTimeOffset? createdAt = null)
    {
        lock (_lock)
        {
            var author = AccountOf(authorId);
            var id = NewId(createdAt);
            _posts.Add(id, new PostRecord(id, author.Id, id, null, null, text, TimeOf(id)));
            return id;
        }
    }

    /// <summary>A reply to <paramref name="inReplyToPostId"/>, in that post's conversation.</summary>
    public string AddReply(string inReplyToPostId, string authorId, string text, DateTimeOffset? createdAt = null)
    {
        lock (_lock)
        {
            var author = AccountOf(authorId);
            if (!_posts.TryGetValue(inReplyToPostId, out var parent))
            {
                throw new ArgumentException($"No post {inReplyToPostId}.", nameof(inReplyToPostId));
            }

            var id = NewId(createdAt);
            _posts.Add(id, new PostRecord(id, author.Id, parent.ConversationId, parent.Id, parent.AuthorId, text, TimeOf(id)));
            return id;
        }
    }

    public void DeletePost(string postId)
    {
        lock (_lock)
        {
            PostOf(postId).IsDeleted = true;
        }
    }

    public SimulatedXPost Post(string postId)
    {
        lock (_lock)
        {
            return PostOf(postId).Snapshot();
        }
    }

    /// <summary>
    /// Issues tokens for the account as the authorization-code flow would, and returns the secret document the
    /// connector stores (<see cref="XCredentials"/> JSON).
    /// </summary>
    public string IssueCredentials(string accountId, TimeSpan? accessTokenLifetime = null)
    {
        lock (_lock)
        {
            var account = AccountOf(accountId);
            var (access, refresh, expiresAt) = NewTokens(account.Id, accessTokenLifetime ?? _options.AccessTokenLifetime);
            return new XCredentials(access, refresh, expiresAt, account.Id, account.Username).ToJson();
        }
    }

    /// <summary>The account's access tokens stop working now (as if they expired early); refresh tokens still work.</summary>
    public void ExpireAccessTokens(string accountId)
    {
        lock (_lock)
        {
            foreach (var token in _accessTokens.Values.Where(t => t.AccountId == accountId))
            {
                token.Revoked = true;
            }
        }
    }

    /// <summary>The user revoked the app: every access and refresh token of the account stops working.</summary>
    public void RevokeAccess(string accountId)
    {
        lock (_lock)
        {
            foreach (var token in _accessTokens.Values.Concat(_refreshTokens.Values).Where(t => t.AccountId == accountId))
            {
                token.Revoked = true;
            }
        }
    }

    /// <summary>Successful refresh-token grants so far.</summary>
    public int Refreshes { get; private set; }

    /// <summary>Requests that reached one endpoint (see <see cref="XSimulatorEndpoints"/>), faulted ones included.</summary>
    public int Calls(string endpoint)
    {
        lock (_lock)
        {
            return _faults.Calls(endpoint);
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> API requests (the token endpoint excluded) with <paramref name="fault"/>;
    /// with an <paramref name="endpoint"/> (see <see cref="XSimulatorEndpoints"/>) the next requests to that endpoint.
    /// Faults queue up in the order they were asked for.
    /// </summary>
    public void FailNext(int count, XSimulatedFault fault, string? endpoint = null)
    {
        lock (_lock)
        {
            _faults.Add(count, fault, endpoint: endpoint);
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

    /// <summary>The window X would report now for an endpoint and account: (limit, remaining, reset).</summary>
    public (int Limit, int Remaining, DateTimeOffset ResetAt) Window(string endpoint, string accountId)
    {
        lock (_lock)
        {
            var window = WindowOf(endpoint, accountId);
            return (window.Limit, window.Remaining, window.ResetAt);
        }
    }

    private (string Access, string Refresh, DateTimeOffset ExpiresAt) NewTokens(string accountId, TimeSpan lifetime)
    {
        var expiresAt = _clock.GetUtcNow() + lifetime;
        var access = "simXat" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var refresh = "simXrt" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _accessTokens[access] = new TokenRecord(accountId, expiresAt);
        _refreshTokens[refresh] = new TokenRecord(accountId, DateTimeOffset.MaxValue);
        return (access, refresh, expiresAt);
    }

    private string NewId(DateTimeOffset? createdAt)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds((createdAt ?? _clock.GetUtcNow()).ToUnixTimeMilliseconds());
        return XSnowflake.IdAt(time, NextSequence());
    }

    private static DateTimeOffset TimeOf(string id) => XSnowflake.TryTimeOf(id, out var time) ? time : throw new InvalidOperationException("Bad id.");

    private SimulatedXAccount AccountOf(string accountId) =>
        _accounts.TryGetValue(accountId, out var account) ? account : throw new ArgumentException($"No account {accountId}.", nameof(accountId));

    private PostRecord PostOf(string postId) =>
        _posts.TryGetValue(postId, out var post) ? post : throw new ArgumentException($"No post {postId}.", nameof(postId));

    private long NextSequence() => ++_sequence;

    private WindowRecord WindowOf(string endpoint, string accountId)
    {
        var now = _clock.GetUtcNow();
        if (!_windows.TryGetValue((endpoint, accountId), out var window) || window.ResetAt <= now)
        {
            var limit = endpoint switch
            {
                XSimulatorEndpoints.Search => _options.SearchLimit,
                XSimulatorEndpoints.Hide => _options.HideLimit,
                _ => _options.LookupLimit,
            };
            window = new WindowRecord(limit, DateTimeOffset.FromUnixTimeSeconds((now + _options.Window).ToUnixTimeSeconds())) { Remaining = limit };
            _windows[(endpoint, accountId)] = window;
        }

        return window;
    }

    private sealed record PostRecord(string Id, string AuthorId, string ConversationId, string? InReplyToPostId, string? InReplyToUserId, string Text, DateTimeOffset CreatedAt)
    {
        public bool IsHidden { get; set; }

        public bool IsDeleted { get; set; }

        public int HideCalls { get; set; }

        public int UnhideCalls { get; set; }

        public SimulatedXPost Snapshot() => new(Id, AuthorId, ConversationId, InReplyToPostId, InReplyToUserId, Text, CreatedAt, IsHidden, IsDeleted, HideCalls, UnhideCalls);
    }

    private sealed record TokenRecord(string AccountId, DateTimeOffset ExpiresAt)
    {
        public bool Revoked { get; set; }
    }

    private sealed record WindowRecord(int Limit, DateTimeOffset ResetAt)
    {
        public int Remaining { get; set; }
    }
}

/// <summary>Names of the X simulator's per-endpoint call counters (also its rate-limit windows).</summary>
public static class XSimulatorEndpoints
{
    public const string Search = "GET tweets/search/recent";
    public const string Lookup = "GET tweets/:id";
    public const string Hide = "PUT tweets/:id/hidden";
    public const string Token = "POST oauth2/token";
}
