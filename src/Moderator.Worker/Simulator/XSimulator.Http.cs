using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Moderator.Worker.Platforms.X;

namespace Moderator.Worker.Simulator;

// The wire side of the X simulator: routing, auth, rate-limit windows, faults and the JSON it answers with.
public sealed partial class XSimulator
{
    private const string ProblemPrefix = "https://api.x.com/2/problems/";
    private const string ProblemJson = "application/problem+json";
    private const string Json = "application/json; charset=utf-8";
    private static readonly TimeSpan SearchWindow = TimeSpan.FromDays(7);

    private async Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? string.Empty).Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        IFormCollection? form = null;
        string? body = null;
        if (context.Request.HasFormContentType)
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        else if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        Reply reply;
        lock (_lock)
        {
            reply = Decide(context.Request, segments, form, body);
        }

        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }

    private Reply Decide(HttpRequest request, string[] segments, IFormCollection? form, string? body)
    {
        if (segments.Length < 2 || segments[0] != "2")
        {
            return Problem(404, "about:blank", "Not Found", "Unknown path.");
        }

        var route = segments[1..];
        if (route is ["oauth2", "token"] && HttpMethods.IsPost(request.Method))
        {
            _faults.Count(XSimulatorEndpoints.Token);
            return Token(request, form);
        }

        string endpoint;
        if (route is ["tweets", "search", "recent"] && HttpMethods.IsGet(request.Method))
        {
            endpoint = XSimulatorEndpoints.Search;
        }
        else if (route is ["tweets", _] && HttpMethods.IsGet(request.Method))
        {
            endpoint = XSimulatorEndpoints.Lookup;
        }
        else if (route is ["tweets", _, "hidden"] && HttpMethods.IsPut(request.Method))
        {
            endpoint = XSimulatorEndpoints.Hide;
        }
        else
        {
            return Problem(404, "about:blank", "Not Found", "Unsupported path or method.");
        }

        if (_faults.Next(endpoint) is { } fault)
        {
            return FaultReply(fault.Fault);
        }

        var account = AccountOfToken(request);
        if (account is null)
        {
            return Problem(401, "about:blank", "Unauthorized", "Unauthorized");
        }

        var window = WindowOf(endpoint, account);
        if (window.Remaining <= 0)
        {
            Interlocked.Increment(ref _rateLimitedResponses);
            return Problem(429, "about:blank", "Too Many Requests", "Too Many Requests") with { Headers = RateHeaders(window) };
        }

        window.Remaining--;
        var reply = endpoint switch
        {
            XSimulatorEndpoints.Search => Search(request),
            XSimulatorEndpoints.Lookup => Lookup(route[1]),
            _ => SetHidden(account, route[1], body),
        };
        return reply with { Headers = [.. reply.Headers, .. RateHeaders(window)] };
    }

    private Reply FaultReply(XSimulatedFault fault)
    {
        var reset = (_clock.GetUtcNow() + _options.Window).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return fault switch
        {
            XSimulatedFault.TooManyRequests => Problem(429, "about:blank", "Too Many Requests", "Too Many Requests") with
            {
                Headers = [(XRateLimit.LimitHeader, "300"), (XRateLimit.RemainingHeader, "0"), (XRateLimit.ResetHeader, reset)],
            },
            XSimulatedFault.UsageCapped => new Reply(
                429,
                """{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.x.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}""",
                ProblemJson),
            XSimulatedFault.InternalServerError => Problem(500, "about:blank", "Internal Server Error", "Internal Server Error"),
            XSimulatedFault.ServiceUnavailable => new Reply(503, "<html><body>Over capacity</body></html>", "text/html"),
            XSimulatedFault.Timeout => Problem(503, "about:blank", "Service Unavailable", "Service Unavailable") with { Delay = _options.TimeoutDelay },
            _ => new Reply(200, """{"data":[{"id":"1","text":"trunc""", Json),
        };
    }

    private Reply Search(HttpRequest request)
    {
        var now = _clock.GetUtcNow();
        var maxResults = 10;
        if (request.Query.TryGetValue("max_results", out var max)
            && (!int.TryParse(max.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out maxResults) || maxResults is < 10 or > 100))
        {
            return InvalidRequest("max_results", "The `max_results` query parameter value [" + max + "] is not between 10 and 100");
        }

        var query = request.Query["query"].ToString();
        if (string.IsNullOrWhiteSpace(query) || query.Length > 512)
        {
            return InvalidRequest("query", "The `query` parameter is missing or longer than 512 characters.");
        }

        // Terms are ANDed; one parenthesised group of terms joined by OR counts as one term.
        var clauses = new List<List<string>>();
        List<string>? group = null;
        foreach (var raw in query.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "OR" && group is not null)
            {
                continue;
            }

            var term = raw;
            var opens = term.StartsWith('(');
            var closes = term.EndsWith(')');
            term = term.Trim('(', ')');
            if (!IsSupportedTerm(term))
            {
                return InvalidRequest("query", "The simulator does not support the operator in this query.");
            }

            if (opens)
            {
                group = [];
                clauses.Add(group);
            }

            if (group is not null)
            {
                group.Add(term);
            }
            else
            {
                clauses.Add([term]);
            }

            if (closes)
            {
                group = null;
            }
        }

        var sinceId = request.Query["since_id"].ToString();
        var untilId = request.Query["until_id"].ToString();
        DateTimeOffset? startTime = null;
        if (request.Query.TryGetValue("start_time", out var start))
        {
            if (!DateTimeOffset.TryParse(start.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) || parsed < now - SearchWindow)
            {
                return InvalidRequest("start_time", "Invalid 'start_time': must be a date within the last 7 days.");
            }

            startTime = parsed;
        }

        if (sinceId.Length > 0 && (!XSnowflake.TryTimeOf(sinceId, out var sinceTime) || sinceTime < now - SearchWindow))
        {
            return InvalidRequest("since_id", "Invalid 'since_id': must be a post id created within the last 7 days.");
        }

        var nextToken = request.Query["next_token"].ToString();
        string? below = null;
        if (nextToken.Length > 0)
        {
            if (!nextToken.StartsWith("sim", StringComparison.Ordinal) || !XSnowflake.TryTimeOf(nextToken[3..], out _))
            {
                return InvalidRequest("next_token", "The `next_token` query parameter value is not valid.");
            }

            below = nextToken[3..];
        }

        var matches = _posts.Values.Reverse()
            .Where(p => !p.IsDeleted && p.CreatedAt <= now && p.CreatedAt >= now - SearchWindow)
            .Where(p => clauses.All(alternatives => alternatives.Any(term => Matches(p, term))))
            .Where(p => sinceId.Length == 0 || XSnowflake.Compare(p.Id, sinceId) > 0)
            .Where(p => untilId.Length == 0 || XSnowflake.Compare(p.Id, untilId) < 0)
            .Where(p => startTime is null || p.CreatedAt >= startTime)
            .Where(p => below is null || XSnowflake.Compare(p.Id, below) < 0)
            .Take(maxResults + 1)
            .ToList();
        var page = matches.Take(maxResults).ToList();
        var result = new JsonObject();
        if (page.Count > 0)
        {
            result["data"] = new JsonArray([.. page.Select(PostJson)]);
            result["includes"] = new JsonObject { ["users"] = UsersJson(page) };
        }

        var meta = new JsonObject { ["result_count"] = page.Count };
        if (page.Count > 0)
        {
            meta["newest_id"] = page[0].Id;
            meta["oldest_id"] = page[^1].Id;
        }

        if (matches.Count > maxResults)
        {
            meta["next_token"] = "sim" + page[^1].Id;
        }

        result["meta"] = meta;
        return new Reply(200, result.ToJsonString(), Json);
    }

    private static bool IsSupportedTerm(string term) =>
        term.StartsWith('-') ? term.Length > 1 && term[1] != '-' && IsSupportedTerm(term[1..])
        : term == "is:reply"
        || term.StartsWith("to:", StringComparison.Ordinal)
        || term.StartsWith("from:", StringComparison.Ordinal)
        || term.StartsWith("conversation_id:", StringComparison.Ordinal);

    private bool Matches(PostRecord post, string term)
    {
        if (term.StartsWith('-'))
        {
            return !Matches(post, term[1..]);
        }

        if (term == "is:reply")
        {
            return post.InReplyToPostId is not null;
        }

        if (term.StartsWith("conversation_id:", StringComparison.Ordinal))
        {
            return post.ConversationId == term[16..];
        }

        var colon = term.IndexOf(':', StringComparison.Ordinal);
        var account = _accounts.Values.FirstOrDefault(a => string.Equals(a.Username, term[(colon + 1)..], StringComparison.OrdinalIgnoreCase));
        return account is not null && (term.StartsWith("to:", StringComparison.Ordinal) ? post.InReplyToUserId == account.Id : post.AuthorId == account.Id);
    }

    private Reply Lookup(string postId)
    {
        if (!_posts.TryGetValue(postId, out var post) || post.IsDeleted || post.CreatedAt > _clock.GetUtcNow())
        {
            var errors = new JsonArray(new JsonObject
            {
                ["value"] = postId,
                ["detail"] = $"Could not find tweet with id: [{postId}].",
                ["title"] = "Not Found Error",
                ["resource_type"] = "tweet",
                ["parameter"] = "id",
                ["resource_id"] = postId,
                ["type"] = ProblemPrefix + "resource-not-found",
            });
            return new Reply(200, new JsonObject { ["errors"] = errors }.ToJsonString(), Json);
        }

        var result = new JsonObject
        {
            ["data"] = PostJson(post),
            ["includes"] = new JsonObject { ["users"] = UsersJson([post]) },
        };
        return new Reply(200, result.ToJsonString(), Json);
    }

    private Reply SetHidden(string accountId, string postId, string? body)
    {
        bool hidden;
        try
        {
            var node = body is null ? null : JsonNode.Parse(body);
            if (node?["hidden"] is not JsonValue value || !value.TryGetValue(out hidden))
            {
                return InvalidRequest("hidden", "The `hidden` field is required and must be a boolean.");
            }
        }
        catch (JsonException)
        {
            return InvalidRequest("body", "The request body is not JSON.");
        }

        if (!_posts.TryGetValue(postId, out var post) || post.IsDeleted || post.CreatedAt > _clock.GetUtcNow())
        {
            return Problem(404, ProblemPrefix + "resource-not-found", "Not Found Error", $"Could not find tweet with id: [{postId}].");
        }

        if (post.InReplyToPostId is null)
        {
            return InvalidRequest("id", "Only replies can be hidden.");
        }

        var root = _posts[post.ConversationId];
        if (root.AuthorId != accountId)
        {
            return Problem(403, "about:blank", "Forbidden", "You are not permitted to hide replies in a conversation you did not start.");
        }

        post.IsHidden = hidden;
        if (hidden)
        {
            post.HideCalls++;
        }
        else
        {
            post.UnhideCalls++;
        }

        return new Reply(200, new JsonObject { ["data"] = new JsonObject { ["hidden"] = hidden } }.ToJsonString(), Json);
    }

    private Reply Token(HttpRequest request, IFormCollection? form)
    {
        var invalid = new Reply(400, """{"error":"invalid_request","error_description":"Value passed for the token was invalid."}""", Json);
        if (form is null || form["grant_type"].ToString() != "refresh_token")
        {
            return new Reply(400, """{"error":"unsupported_grant_type","error_description":"Only refresh_token is simulated."}""", Json);
        }

        if (form["client_id"].ToString() != _options.ClientId || !ClientAuthenticated(request))
        {
            return new Reply(401, """{"error":"unauthorized_client","error_description":"Missing valid authorization header"}""", Json);
        }

        var presented = form["refresh_token"].ToString();
        if (!_refreshTokens.TryGetValue(presented, out var record) || record.Revoked)
        {
            return invalid;
        }

        // Rotation: a refresh token works once.
        record.Revoked = true;
        var (access, refresh, _) = NewTokens(record.AccountId, _options.AccessTokenLifetime);
        Refreshes++;
        var answer = new JsonObject
        {
            ["token_type"] = "bearer",
            ["expires_in"] = (int)_options.AccessTokenLifetime.TotalSeconds,
            ["access_token"] = access,
            ["scope"] = "tweet.read users.read tweet.moderate.write offline.access",
            ["refresh_token"] = refresh,
        };
        return new Reply(200, answer.ToJsonString(), Json);
    }

    private bool ClientAuthenticated(HttpRequest request)
    {
        if (string.IsNullOrEmpty(_options.ClientSecret))
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(_options.ClientId)}:{Uri.EscapeDataString(_options.ClientSecret)}"));
        return string.Equals(header, expected, StringComparison.Ordinal);
    }

    private string? AccountOfToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        return _accessTokens.TryGetValue(header[7..], out var token) && !token.Revoked && token.ExpiresAt > _clock.GetUtcNow() ? token.AccountId : null;
    }

    private JsonObject PostJson(PostRecord post)
    {
        var json = new JsonObject
        {
            ["id"] = post.Id,
            ["text"] = post.Text,
            ["author_id"] = post.AuthorId,
            ["conversation_id"] = post.ConversationId,
            ["created_at"] = post.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["edit_history_tweet_ids"] = new JsonArray(post.Id),
        };
        if (post.InReplyToPostId is not null)
        {
            json["in_reply_to_user_id"] = post.InReplyToUserId;
            json["referenced_tweets"] = new JsonArray(new JsonObject { ["type"] = "replied_to", ["id"] = post.InReplyToPostId });
        }

        return json;
    }

    private JsonArray UsersJson(IEnumerable<PostRecord> posts) =>
        new([.. posts.Select(p => p.AuthorId).Distinct(StringComparer.Ordinal).Select(id => _accounts[id]).Select(a => (JsonNode)new JsonObject
        {
            ["id"] = a.Id,
            ["name"] = a.Name,
            ["username"] = a.Username,
        })]);

    private static (string, string)[] RateHeaders(WindowRecord window) =>
    [
        (XRateLimit.LimitHeader, window.Limit.ToString(CultureInfo.InvariantCulture)),
        (XRateLimit.RemainingHeader, window.Remaining.ToString(CultureInfo.InvariantCulture)),
        (XRateLimit.ResetHeader, window.ResetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
    ];

    private static Reply InvalidRequest(string parameter, string message)
    {
        var body = new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["parameters"] = new JsonObject { [parameter] = new JsonArray() }, ["message"] = message }),
            ["title"] = "Invalid Request",
            ["detail"] = "One or more parameters to your request was invalid.",
            ["type"] = ProblemPrefix + "invalid-request",
        };
        return new Reply(400, body.ToJsonString(), ProblemJson);
    }

    private static Reply Problem(int status, string type, string title, string detail) =>
        new(status, new JsonObject { ["title"] = title, ["type"] = type, ["status"] = status, ["detail"] = detail }.ToJsonString(), ProblemJson);


    private sealed record Reply(int Status, string Body, string ContentType)
    {
        public (string Name, string Value)[] Headers { get; init; } = [];

        public TimeSpan Delay { get; init; }
    }
}
