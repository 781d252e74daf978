using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Moderator.Worker.Simulator;

// The Graph side of the Instagram simulator: routing, faults, tokens, usage and the JSON Instagram answers with.
public sealed partial class InstagramSimulator
{
    private const int MaxCommentsPerPage = 50;
    private const int DefaultMediaPerPage = 25;
    private const int MaxMediaPerPage = 100;

    private async Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? string.Empty).Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        IFormCollection? form = null;
        if (context.Request.HasFormContentType)
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }

        Interlocked.Increment(ref _totalRequests);
        SimulatedReply reply;
        lock (_lock)
        {
            reply = Decide(context.Request, segments, form);
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

    private SimulatedReply Decide(HttpRequest request, string[] segments, IFormCollection? form)
    {
        if (segments.Length is < 2 or > 3 || segments[0] != _options.Version)
        {
            return GraphWire.GraphError(400, 2500, null, "Unknown path components.");
        }

        var objectId = segments[1];
        var edge = segments.Length == 3 ? segments[2] : null;
        var method = request.Method;
        string endpoint;
        if (HttpMethods.IsGet(method) && edge is "media" or "comments" or "replies")
        {
            endpoint = edge switch
            {
                "media" => InstagramSimulatorEndpoints.Media,
                "comments" => InstagramSimulatorEndpoints.Comments,
                _ => InstagramSimulatorEndpoints.Replies,
            };
        }
        else if (HttpMethods.IsGet(method) && edge is null)
        {
            endpoint = InstagramSimulatorEndpoints.Comment;
        }
        else if (HttpMethods.IsPost(method) && edge is null)
        {
            var hide = request.Query["hide"].ToString();
            if (hide.Length == 0 && form is not null)
            {
                hide = form["hide"].ToString();
            }

            if (hide is not ("true" or "false"))
            {
                return GraphWire.GraphError(400, 100, null, "(#100) The parameter hide is required");
            }

            endpoint = hide == "true" ? InstagramSimulatorEndpoints.Hide : InstagramSimulatorEndpoints.Unhide;
        }
        else if (HttpMethods.IsDelete(method) && edge is null)
        {
            endpoint = InstagramSimulatorEndpoints.Delete;
        }
        else
        {
            return GraphWire.GraphError(400, 100, null, "Unsupported request - method type or edge not supported by the simulator.");
        }

        var account = AccountOfToken(GraphWire.TokenOf(request, form));
        var answerLate = false;
        if (_faults.Next(endpoint) is { } fault)
        {
            if (fault.Fault != SimulatedFault.TimeoutAfterApplying)
            {
                return FaultReply(fault, account);
            }

            answerLate = true;
        }

        if (account is null)
        {
            return GraphWire.GraphError(400, 190, null, "Invalid OAuth access token - Cannot parse access token");
        }

        if (account.TokenExpired)
        {
            return GraphWire.GraphError(400, 190, 463, "Error validating access token: Session has expired.");
        }

        var usage = RecordUsage(account);
        if (usage >= 100)
        {
            Interlocked.Increment(ref _throttledResponses);
            return GraphWire.GraphError(400, 80002, null, RateLimitMessage(80002), UsageHeader(account.Id, usage, regainMinutes: 1));
        }

        var reply = endpoint switch
        {
            InstagramSimulatorEndpoints.Media => ListMedia(request, account, objectId),
            InstagramSimulatorEndpoints.Comments => ListComments(request, account, objectId),
            InstagramSimulatorEndpoints.Replies => ListReplies(request, account, objectId),
            InstagramSimulatorEndpoints.Comment => ReadComment(account, objectId),
            InstagramSimulatorEndpoints.Hide => SetHidden(account, objectId, hidden: true),
            InstagramSimulatorEndpoints.Unhide => SetHidden(account, objectId, hidden: false),
            _ => Delete(account, objectId),
        };
        return reply with
        {
            Headers = [.. reply.Headers, .. UsageHeader(account.Id, usage, regainMinutes: 0)],
            Delay = answerLate ? _options.TimeoutDelay : TimeSpan.Zero,
        };
    }

    private SimulatedReply FaultReply(SimulatorFaults<SimulatedFault>.Entry fault, AccountRecord? account) => fault.Fault switch
    {
        SimulatedFault.TooManyRequests => new SimulatedReply(429, "Too Many Requests", "text/plain")
        {
            Headers = [("Retry-After", ((int)Math.Ceiling(_options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture))],
        },
        SimulatedFault.RateLimitCode => GraphWire.GraphError(
            fault.Code == 613 ? 403 : 400,
            fault.Code,
            null,
            RateLimitMessage(fault.Code),
            account is null ? [] : UsageHeader(account.Id, 100, regainMinutes: 0)),
        SimulatedFault.InternalServerError => GraphWire.GraphError(500, 1, null, "An unknown error occurred"),
        SimulatedFault.ServiceUnavailable => new SimulatedReply(503, "<html><body>Service Unavailable</body></html>", "text/html"),
        SimulatedFault.Timeout => GraphWire.GraphError(500, 2, null, "An unexpected error has occurred. Please retry your request later.") with { Delay = _options.TimeoutDelay },
        _ => new SimulatedReply(200, """{"data":[{"id":"17850000000000001","text":"trunc""", "application/json; charset=UTF-8"),
    };

    private static string RateLimitMessage(int code) => code switch
    {
        4 => "(#4) Application request limit reached",
        17 => "(#17) User request limit reached",
        32 => "(#32) Page request limit reached",
        613 => "(#613) Calls to this api have exceeded the rate limit.",
        _ => "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.",
    };

    private SimulatedReply ListMedia(HttpRequest request, AccountRecord account, string accountId)
    {
        if (accountId != account.Id)
        {
            return GraphWire.NotFound(accountId);
        }

        var media = _media.Values
            .Where(m => m.AccountId == account.Id)
            .Select(m => (Key: (m.Timestamp.ToUnixTimeSeconds(), m.Sequence), Media: m));
        return GraphWire.Paged(request, media, descending: true, DefaultMediaPerPage, MaxMediaPerPage, m => new JsonObject
        {
            ["id"] = m.Id,
            ["caption"] = m.Caption,
            ["media_type"] = "IMAGE",
            ["media_product_type"] = m.MediaProductType,
            ["permalink"] = m.Permalink,
            ["timestamp"] = GraphWire.GraphTime(m.Timestamp),
            ["comments_count"] = _comments.Values.Count(c => c.MediaId == m.Id && !c.IsDeleted),
        });
    }

    /// <summary>Top-level comments, newest first, at most 50 a page, no time filter; <c>replies{…}</c> expanded when asked for.</summary>
    private SimulatedReply ListComments(HttpRequest request, AccountRecord account, string mediaId)
    {
        if (!_media.TryGetValue(mediaId, out var media) || media.AccountId != account.Id)
        {
            return GraphWire.NotFound(mediaId);
        }

        var expandReplies = request.Query["fields"].ToString().Contains("replies", StringComparison.Ordinal);
        var comments = _comments.Values
            .Where(c => c.MediaId == media.Id && c.ParentId is null && !c.IsDeleted)
            .Select(c => (Key: (c.Timestamp.ToUnixTimeSeconds(), c.Sequence), Comment: c));
        return GraphWire.Paged(request, comments, descending: true, MaxCommentsPerPage, MaxCommentsPerPage, c =>
        {
            var json = RenderComment(c);
            if (expandReplies)
            {
                json["replies"] = InlineRepliesOf(request, c);
            }

            return json;
        });
    }

    private JsonObject InlineRepliesOf(HttpRequest request, CommentRecord parent)
    {
        var replies = RepliesOf(parent).ToList();
        var inline = new JsonObject { ["data"] = new JsonArray([.. replies.Take(InlineReplies).Select(r => (JsonNode)RenderComment(r))]) };
        if (replies.Count > InlineReplies)
        {
            inline["paging"] = new JsonObject
            {
                ["next"] = $"{request.Scheme}://{request.Host}/{_options.Version}/{parent.Id}/replies?limit={InlineReplies.ToString(CultureInfo.InvariantCulture)}",
            };
        }

        return inline;
    }

    private IEnumerable<CommentRecord> RepliesOf(CommentRecord parent) =>
        _comments.Values.Where(c => c.ParentId == parent.Id && !c.IsDeleted).OrderBy(c => c.Timestamp).ThenBy(c => c.Sequence);

    /// <summary>Replies of one comment, oldest first.</summary>
    private SimulatedReply ListReplies(HttpRequest request, AccountRecord account, string commentId)
    {
        if (!_comments.TryGetValue(commentId, out var parent) || parent.AccountId != account.Id || parent.IsDeleted)
        {
            return GraphWire.NotFound(commentId);
        }

        var replies = RepliesOf(parent).Select(c => (Key: (c.Timestamp.ToUnixTimeSeconds(), c.Sequence), Comment: c));
        return GraphWire.Paged(request, replies, descending: false, MaxCommentsPerPage, MaxCommentsPerPage, RenderComment);
    }

    private SimulatedReply ReadComment(AccountRecord account, string commentId)
    {
        if (!_comments.TryGetValue(commentId, out var comment) || comment.AccountId != account.Id || comment.IsDeleted)
        {
            return GraphWire.NotFound(commentId);
        }

        var json = RenderComment(comment);
        json["media"] = new JsonObject { ["id"] = comment.MediaId, ["media_product_type"] = _media[comment.MediaId].MediaProductType };
        return new SimulatedReply(200, json.ToJsonString(), "application/json; charset=UTF-8");
    }

    private static JsonObject RenderComment(CommentRecord c)
    {
        var json = new JsonObject
        {
            ["id"] = c.Id,
            ["text"] = c.Text,
            ["username"] = c.Username,
            ["timestamp"] = GraphWire.GraphTime(c.Timestamp),
            ["hidden"] = c.IsHidden,
            ["like_count"] = 0,
            ["from"] = new JsonObject { ["id"] = c.AuthorId, ["username"] = c.Username },
        };
        if (c.ParentId is not null)
        {
            json["parent_id"] = c.ParentId;
        }

        return json;
    }

    private SimulatedReply SetHidden(AccountRecord account, string commentId, bool hidden)
    {
        if (!_comments.TryGetValue(commentId, out var comment) || comment.AccountId != account.Id || comment.IsDeleted)
        {
            return GraphWire.NotFound(commentId);
        }

        if (hidden)
        {
            comment.HideCalls++;
            comment.HiddenAt ??= _clock.GetUtcNow();
        }
        else
        {
            comment.UnhideCalls++;
            comment.HiddenAt = null;
        }

        comment.IsHidden = hidden;
        return GraphWire.Success();
    }

    private SimulatedReply Delete(AccountRecord account, string commentId)
    {
        if (!_comments.TryGetValue(commentId, out var comment) || comment.AccountId != account.Id || comment.IsDeleted)
        {
            return GraphWire.NotFound(commentId);
        }

        comment.DeleteCalls++;
        comment.IsDeleted = true;
        foreach (var reply in _comments.Values.Where(c => c.ParentId == comment.Id))
        {
            reply.IsDeleted = true;
        }

        return GraphWire.Success();
    }

    private AccountRecord? AccountOfToken(string? token) =>
        token is null ? null : _accounts.Values.FirstOrDefault(a => string.Equals(a.AccessToken, token, StringComparison.Ordinal));

    /// <summary>Counts this call and returns the account's usage percentage over the window.</summary>
    private double RecordUsage(AccountRecord account)
    {
        var now = _clock.GetUtcNow();
        account.RecentCalls.Enqueue(now);
        while (account.RecentCalls.TryPeek(out var oldest) && oldest < now - _options.UsageWindow)
        {
            account.RecentCalls.Dequeue();
        }

        return account.BaseUsagePercent + (account.RecentCalls.Count * _options.UsagePercentPerCall);
    }

    /// <summary>X-Business-Use-Case-Usage with the <c>instagram</c> business use case.</summary>
    private static List<(string, string)> UsageHeader(string accountId, double percent, int regainMinutes)
    {
        var callCount = (int)Math.Min(Math.Ceiling(percent), 100);
        var usage = new JsonObject
        {
            [accountId] = new JsonArray(new JsonObject
            {
                ["type"] = "instagram",
                ["call_count"] = callCount,
                ["total_cputime"] = callCount / 2,
                ["total_time"] = callCount / 2,
                ["estimated_time_to_regain_access"] = regainMinutes,
            }),
        };
        return [("X-Business-Use-Case-Usage", usage.ToJsonString())];
    }
}
