using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.X;

/// <summary>One page of replies found by recent search, with what it cost.</summary>
public sealed record XReplyPage(IReadOnlyList<XPost> Posts, IReadOnlyDictionary<string, XUser> Users, string? NextToken, int PostReads);

/// <summary>
/// The X API v2 subset the moderator uses, as a typed HttpClient: recent search for replies to the account, one post by
/// id, and hide/unhide of a reply. Calls carry the account's user-context OAuth 2.0 token, refreshed automatically
/// (before expiry, and once after a 401) and stored back through <see cref="PageAccess.SaveRefreshedCredentialsAsync"/>.
/// <c>x-rate-limit-*</c> headers feed the <see cref="XRateGate"/>, which every call awaits. Every failure is a
/// <see cref="PlatformException"/>; nothing logged carries post text, usernames or tokens.
/// </summary>
public sealed class XApiClient(
    HttpClient http,
    XRateGate gate,
    XReadMeter meter,
    XTokenCache tokens,
    TimeProvider clock,
    IOptions<XOptions> options,
    ILogger<XApiClient> logger)
{
    public const string PostFields = "id,text,author_id,conversation_id,in_reply_to_user_id,created_at,referenced_tweets";
    public const string Expansions = "author_id";
    public const string UserFields = "id,name,username";

    public const string SearchEndpoint = "search";
    public const string LookupEndpoint = "lookup";
    public const string HideEndpoint = "hide";

    private readonly XOptions _options = options.Value;

    /// <summary>
    /// One page of recent search for <paramref name="query"/> (see <see cref="XRepliesQuery"/>), newest first. Pass
    /// either <paramref name="sinceId"/> or <paramref name="startTime"/>; <paramref name="untilId"/> bounds a backfill.
    /// </summary>
    public async Task<XReplyPage> SearchRepliesAsync(
        PageAccess page,
        string query,
        string? sinceId,
        string? untilId,
        DateTimeOffset? startTime,
        string? nextToken,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var url = new StringBuilder("tweets/search/recent?query=")
            .Append(Escape(query))
            .Append("&max_results=").Append(_options.MaxResultsPerPage.ToString(CultureInfo.InvariantCulture))
            .Append("&tweet.fields=").Append(Escape(PostFields))
            .Append("&expansions=").Append(Escape(Expansions))
            .Append("&user.fields=").Append(Escape(UserFields));
        if (sinceId is not null)
        {
            url.Append("&since_id=").Append(Escape(sinceId));
        }
        else if (startTime is { } start)
        {
            url.Append("&start_time=").Append(Escape(start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        }

        if (untilId is not null)
        {
            url.Append("&until_id=").Append(Escape(untilId));
        }

        if (nextToken is not null)
        {
            url.Append("&next_token=").Append(Escape(nextToken));
        }

        var address = url.ToString();
        var result = await SendAsync(page, SearchEndpoint, "search replies", page.PageExternalId, isRead: true, () => new HttpRequestMessage(HttpMethod.Get, Relative(address)), XJsonContext.Default.XSearchPage, cancellationToken);
        if (result.Errors is { Count: > 0 } errors)
        {
            XLog.PartialErrors(logger, page.PageExternalId, errors.Count, errors[0].Kind ?? errors[0].Title, errors[0].ResourceType, errors[0].ResourceId);
        }

        var posts = result.Data ?? [];
        if (result.Meta is null && result.Data is null)
        {
            throw Failed("search replies", page.PageExternalId, PlatformErrorKind.Malformed, "returned neither data nor meta", 200, null, null, null);
        }

        var users = new Dictionary<string, XUser>(StringComparer.Ordinal);
        foreach (var user in result.Includes?.Users ?? [])
        {
            users.TryAdd(user.Id, user);
        }

        await meter.AddPostReadsAsync(posts.Count, cancellationToken);
        return new XReplyPage(posts, users, result.Meta?.NextToken, posts.Count);
    }

    /// <summary>One post as it is now. A deleted or unavailable post fails with NotFound.</summary>
    public async Task<(XPost Post, XUser? Author)> GetPostAsync(PageAccess page, string postId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(postId);
        var url = $"tweets/{Escape(postId)}?tweet.fields={Escape(PostFields)}&expansions={Escape(Expansions)}&user.fields={Escape(UserFields)}";
        var result = await SendAsync(page, LookupEndpoint, "read post", postId, isRead: true, () => new HttpRequestMessage(HttpMethod.Get, Relative(url)), XJsonContext.Default.XPostLookup, cancellationToken);
        if (result.Data is not { } post)
        {
            var problem = result.Errors is { Count: > 0 } errors ? errors[0] : null;
            var kind = problem?.Kind is "resource-not-found" or "not-authorized-for-resource" or null ? PlatformErrorKind.NotFound : PlatformErrorKind.BadRequest;
            throw Failed("read post", postId, kind, "returned no post", 200, problem?.Kind ?? problem?.Title, null, null);
        }

        await meter.AddPostReadsAsync(1, cancellationToken);
        var author = result.Includes?.Users?.FirstOrDefault(u => u.Id == post.AuthorId);
        return (post, author);
    }

    /// <summary>
    /// <c>PUT /2/tweets/{id}/hidden</c>. X only allows it for replies in conversations the account started; any other
    /// reply fails with <see cref="PlatformErrorKind.CannotHide"/>.
    /// </summary>
    public async Task SetHiddenAsync(PageAccess page, string replyId, bool hidden, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrWhiteSpace(replyId);
        var operation = hidden ? "hide" : "unhide";
        var url = $"tweets/{Escape(replyId)}/hidden";
        var result = await SendAsync(
            page,
            HideEndpoint,
            operation,
            replyId,
            isRead: false,
            () => new HttpRequestMessage(HttpMethod.Put, Relative(url)) { Content = JsonContent.Create(new XHiddenRequest(hidden), XJsonContext.Default.XHiddenRequest) },
            XJsonContext.Default.XHiddenResponse,
            cancellationToken);
        if (result.Data is not { } data)
        {
            var problem = result.Errors is { Count: > 0 } errors ? errors[0] : null;
            var kind = problem is null ? PlatformErrorKind.Malformed : XErrorMapper.Classify(HttpStatusCode.OK, problem, isModeration: true);
            throw Failed(operation, replyId, kind, "returned no result", 200, problem?.Kind ?? problem?.Title, null, null);
        }

        if (data.Hidden != hidden)
        {
            throw Failed(operation, replyId, PlatformErrorKind.BadRequest, $"answered hidden={data.Hidden}", 200, null, null, null);
        }

        XLog.ActionDone(logger, replyId, page.PageExternalId, operation);
    }

    private async Task<T> SendAsync<T>(
        PageAccess page,
        string endpoint,
        string operation,
        string objectId,
        bool isRead,
        Func<HttpRequestMessage> createRequest,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken)
    {
        var account = page.PageExternalId;
        await gate.WaitAsync(endpoint, account, isRead, cancellationToken);
        if (isRead && await meter.CapSpentUntilAsync(cancellationToken) is { } until)
        {
            var wait = gate.BlockReads(until - clock.GetUtcNow());
            XLog.MonthlyCapReached(logger, await meter.PostReadsThisMonthAsync(cancellationToken), _options.MonthlyPostReadCap, until);
            throw new PlatformException(Platform.X, PlatformErrorKind.RateLimited, $"The monthly X post-read cap of this installation is spent; reads resume at {until:O}.", retryAfter: wait);
        }

        var credentials = await CurrentCredentialsAsync(page, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            using var request = createRequest();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.AccessToken);
            using var response = await TransmitAsync(request, operation, objectId, cancellationToken);
            var limit = XRateLimit.FromHeaders(response.Headers);
            gate.Observe(endpoint, account, limit);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                // The token may have been revoked early or expired by X's clock: one refresh, then one retry.
                credentials = await RefreshAsync(page, credentials, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorOfAsync(response, limit, endpoint, account, operation, objectId, isModeration: endpoint == HideEndpoint, cancellationToken);
            }

            return await ReadAsync(response, type, operation, objectId, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> TransmitAsync(HttpRequestMessage request, string operation, string objectId, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "timed out", null, null, null, exception);
        }
        catch (HttpRequestException exception)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "could not be sent", null, null, null, exception);
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string operation, string objectId, CancellationToken cancellationToken)
    {
        T? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync(type, cancellationToken);
        }
        catch (JsonException exception)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Malformed, "returned unreadable JSON", (int)response.StatusCode, null, null, exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "timed out reading the response", (int)response.StatusCode, null, null, exception);
        }
        catch (HttpRequestException exception)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "lost the response", (int)response.StatusCode, null, null, exception);
        }

        return body ?? throw Failed(operation, objectId, PlatformErrorKind.Malformed, "returned an empty body", (int)response.StatusCode, null, null, null);
    }

    private async Task<PlatformException> ErrorOfAsync(
        HttpResponseMessage response,
        XRateLimit? limit,
        string endpoint,
        string account,
        string operation,
        string objectId,
        bool isModeration,
        CancellationToken cancellationToken)
    {
        var problem = await ProblemOfAsync(response, cancellationToken);
        var kind = XErrorMapper.Classify(response.StatusCode, problem, isModeration);
        TimeSpan? retryAfter = null;
        if (kind == PlatformErrorKind.RateLimited)
        {
            retryAfter = problem?.Kind == XErrorMapper.UsageCapped
                ? gate.BlockReads(_options.UsageCappedBackoff)
                : gate.RecordRateLimited(endpoint, account, limit);
            XLog.RateLimited(logger, endpoint, account, problem?.Kind, retryAfter.Value);
        }

        return Failed(operation, objectId, kind, "was refused", (int)response.StatusCode, problem?.Kind ?? problem?.Title, retryAfter, null);
    }

    private static async Task<XProblem?> ProblemOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync(XJsonContext.Default.XProblemEnvelope, cancellationToken);
            return envelope?.Primary;
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's HTML page, an empty 503): classify by status alone.
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            // A content type the JSON reader refuses (text/html).
            return null;
        }
    }

    /// <summary>The stored credentials, or the newer ones another call of this process refreshed; refreshed first when about to expire.</summary>
    private async Task<XCredentials> CurrentCredentialsAsync(PageAccess page, CancellationToken cancellationToken)
    {
        var credentials = tokens.Newest(page.PageExternalId, CredentialsOf(page));
        return credentials.ExpiresWithin(clock.GetUtcNow(), _options.RefreshBeforeExpiry)
            ? await RefreshAsync(page, credentials, cancellationToken)
            : credentials;
    }

    /// <summary>
    /// Exchanges the refresh token for new tokens (<c>POST /2/oauth2/token</c>, grant_type=refresh_token), once per
    /// account at a time in this process and, through <see cref="PageAccess.HoldCredentialsAsync"/>, on every node, and
    /// stores the new secret through the page. A refused refresh token means
    /// the school must reconnect the account: AuthorizationFailed.
    /// </summary>
    private async Task<XCredentials> RefreshAsync(PageAccess page, XCredentials stale, CancellationToken cancellationToken)
    {
        var account = page.PageExternalId;
        using var held = await tokens.LockAsync(account, cancellationToken);
        var newest = tokens.Newest(account, stale);
        if (!ReferenceEquals(newest, stale) && newest.AccessToken != stale.AccessToken)
        {
            // Someone refreshed while this call waited for the lock: use theirs (the old refresh token is spent).
            if (page.AccessToken != newest.ToJson())
            {
                await page.SaveRefreshedCredentialsAsync(newest.ToJson(), cancellationToken);
            }

            return newest;
        }

        // Across nodes: wait for any other node's refresh of this account, then read what is stored now.
        await using var lease = await page.HoldCredentialsAsync(cancellationToken);
        var stored = CredentialsOf(page);
        if (stored.AccessToken != stale.AccessToken && stored.ExpiresAt >= stale.ExpiresAt)
        {
            // Another node refreshed first and spent the refresh token we hold: its tokens are the current ones.
            tokens.Remember(account, stored);
            return stored;
        }

        // Optional at start so installations without X pages run; a refresh is where it becomes necessary.
        if (string.IsNullOrWhiteSpace(_options.ClientId))
        {
            throw new PlatformException(Platform.X, PlatformErrorKind.BadRequest, "X:ClientId is not set, so the X token cannot be refreshed; set the OAuth 2.0 client id.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Relative("oauth2/token"))
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", stale.RefreshToken),
                new("client_id", _options.ClientId),
            ]),
        };
        if (!string.IsNullOrEmpty(_options.ClientSecret))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(_options.ClientId)}:{Uri.EscapeDataString(_options.ClientSecret)}")));
        }

        using var response = await TransmitAsync(request, "refresh token", account, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await TokenErrorOfAsync(response, cancellationToken);
            XLog.RefreshRefused(logger, account, (int)response.StatusCode, error);
            var kind = response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => PlatformErrorKind.RateLimited,
                >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout => PlatformErrorKind.Transient,
                _ => PlatformErrorKind.AuthorizationFailed,
            };
            throw Failed("refresh token", account, kind, "was refused", (int)response.StatusCode, error, kind == PlatformErrorKind.RateLimited ? _options.RateLimitBackoff : null, null);
        }

        var answer = await ReadAsync(response, XJsonContext.Default.XTokenResponse, "refresh token", account, cancellationToken);
        if (string.IsNullOrEmpty(answer.AccessToken) || answer.ExpiresIn is not > 0)
        {
            throw Failed("refresh token", account, PlatformErrorKind.Malformed, "returned no access token", (int)response.StatusCode, null, null, null);
        }

        // X rotates refresh tokens; keep the old one only if the answer carried none.
        var fresh = stale with
        {
            AccessToken = answer.AccessToken,
            RefreshToken = string.IsNullOrEmpty(answer.RefreshToken) ? stale.RefreshToken : answer.RefreshToken,
            ExpiresAt = clock.GetUtcNow() + TimeSpan.FromSeconds(answer.ExpiresIn.Value),
        };
        tokens.Remember(account, fresh);
        await page.SaveRefreshedCredentialsAsync(fresh.ToJson(), cancellationToken);
        XLog.TokenRefreshed(logger, account, fresh.ExpiresAt);
        return fresh;
    }

    private static async Task<string?> TokenErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(XJsonContext.Default.XTokenError, cancellationToken);

            // Only the OAuth error code (a fixed vocabulary such as invalid_grant), never the free-text description.
            return error?.Error is { Length: <= 64 } code && code.All(c => char.IsAsciiLetterLower(c) || c == '_') ? code : null;
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The account's stored credentials document; AuthorizationFailed when the secret is not one.</summary>
    public XCredentials CredentialsOf(PageAccess page) =>
        XCredentials.TryParse(page.AccessToken)
        ?? throw Failed("read credentials", page.PageExternalId, PlatformErrorKind.AuthorizationFailed, "found stored credentials that are not an X token document", null, null, null, null);

    private PlatformException Failed(string operation, string objectId, PlatformErrorKind kind, string what, int? status, string? problem, TimeSpan? retryAfter, Exception? inner)
    {
        XLog.CallFailed(logger, operation, objectId, kind, status, problem);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"X {operation} for {objectId} {what} ({kind}; HTTP {status?.ToString(CultureInfo.InvariantCulture) ?? "none"}; problem {problem ?? "none"}).");
        return new PlatformException(Platform.X, kind, message, status, retryAfter: retryAfter, innerException: inner);
    }

    private static Uri Relative(string pathAndQuery) => new(pathAndQuery, UriKind.Relative);

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
