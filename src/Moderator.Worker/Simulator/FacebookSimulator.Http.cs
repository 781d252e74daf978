using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Moderator.Worker.Simulator;

// The Graph side of the simulator: request parsing, faults, tokens, usage, paging and the JSON it answers with.
public sealed partial class FacebookSimulator
{
    private const int DefaultLimit = 25;
    private const int MaxLimit = 100;

    private async Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? string.Empty).Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        IFormCollection? form = null;
        if (context.Request.HasFormContentType)
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }

        if (segments.Length > 0 && segments[0] == "_sim")
        {
            await HandleConsoleAsync(context, segments, form);
            return;
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
        if (HttpMethods.IsGet(method) && edge is "published_posts" or "feed")
        {
            endpoint = edge == "feed" ? SimulatorEndpoints.Feed : SimulatorEndpoints.PublishedPosts;
        }
        else if (HttpMethods.IsGet(method) && edge == "comments")
        {
            endpoint = SimulatorEndpoints.Comments;
        }
        else if (HttpMethods.IsGet(method) && edge is null)
        {
            endpoint = SimulatorEndpoints.Comment;
        }
        else if (HttpMethods.IsPost(method) && edge is null)
        {
            var hidden = form?["is_hidden"].ToString() ?? request.Query["is_hidden"].ToString();
            if (hidden is not ("true" or "false"))
            {
                return GraphWire.GraphError(400, 100, null, "(#100) Missing or invalid is_hidden parameter.");
            }

            endpoint = hidden == "true" ? SimulatorEndpoints.Hide : SimulatorEndpoints.Unhide;
        }
        else if (HttpMethods.IsDelete(method) && edge is null)
        {
            endpoint = SimulatorEndpoints.Delete;
        }
        else
        {
            return GraphWire.GraphError(400, 100, null, "Unsupported request - method type or edge not supported by the simulator.");
        }

        var page = PageOfToken(GraphWire.TokenOf(request, form));
        var answerLate = false;
        if (_faults.Next(endpoint) is { } fault)
        {
            if (fault.Fault != SimulatedFault.TimeoutAfterApplying)
            {
                return FaultReply(fault, page);
            }

            answerLate = true;
        }

        if (page is null)
        {
            return GraphWire.GraphError(400, 190, null, "Invalid OAuth access token - Cannot parse access token");
        }

        if (page.TokenExpired)
        {
            return GraphWire.GraphError(400, 190, 463, "Error validating access token: Session has expired.");
        }

        var usage = RecordUsage(page);
        if (usage >= 100)
        {
            Interlocked.Increment(ref _throttledResponses);
            return GraphWire.GraphError(400, 80001, null, "There have been too many calls to this Page account. Wait a bit and try again.", UsageHeader(page.Id, usage, regainMinutes: 1));
        }

        var reply = endpoint switch
        {
            SimulatorEndpoints.PublishedPosts or SimulatorEndpoints.Feed => ListPosts(request, page, objectId),
            SimulatorEndpoints.Comments => ListComments(request, page, objectId),
            SimulatorEndpoints.Comment => ReadComment(page, objectId),
            SimulatorEndpoints.Hide => SetHidden(page, objectId, hidden: true),
            SimulatorEndpoints.Unhide => SetHidden(page, objectId, hidden: false),
            _ => Delete(page, objectId),
        };
        return reply with
        {
            Headers = [.. reply.Headers, .. UsageHeader(page.Id, usage, regainMinutes: 0)],
            Delay = answerLate ? _options.TimeoutDelay : TimeSpan.Zero,
        };
    }

    private SimulatedReply FaultReply(SimulatorFaults<SimulatedFault>.Entry fault, PageRecord? page) => fault.Fault switch
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
            page is null ? [] : UsageHeader(page.Id, 100, regainMinutes: 0)),
        SimulatedFault.InternalServerError => GraphWire.GraphError(500, 1, null, "An unknown error occurred"),
        SimulatedFault.ServiceUnavailable => new SimulatedReply(503, "<html><body>Service Unavailable</body></html>", "text/html"),
        SimulatedFault.Timeout => GraphWire.GraphError(500, 2, null, "An unexpected error has occurred. Please retry your request later.") with { Delay = _options.TimeoutDelay },
        _ => new SimulatedReply(200, """{"data":[{"id":"1_2","message":"trunc""", "application/json; charset=UTF-8"),
    };

    private static string RateLimitMessage(int code) => code switch
    {
        4 => "(#4) Application request limit reached",
        17 => "(#17) User request limit reached",
        32 => "(#32) Page request limit reached",
        613 => "(#613) Calls to this api have exceeded the rate limit.",
        _ => "(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
    };

    private SimulatedReply ListPosts(HttpRequest request, PageRecord page, string pageId)
    {
        if (pageId != page.Id)
        {
            return GraphWire.NotFound(pageId);
        }

        var since = GraphWire.SinceOf(request);
        var posts = _posts.Values
            .Where(p => p.PageId == page.Id && p.CreatedTime >= since)
            .Select(p => (Key: (p.CreatedTime.ToUnixTimeSeconds(), p.Sequence), Post: p));
        return GraphWire.Paged(request, posts, descending: true, DefaultLimit, MaxLimit, p => new JsonObject
        {
            ["id"] = p.Id,
            ["message"] = p.Message,
            ["created_time"] = GraphWire.GraphTime(p.CreatedTime),
            ["updated_time"] = GraphWire.GraphTime(p.UpdatedTime),
            ["permalink_url"] = $"https://www.facebook.com/{p.Id}",
        });
    }

    private SimulatedReply ListComments(HttpRequest request, PageRecord page, string objectId)
    {
        var stream = request.Query["filter"] == "stream";
        IEnumerable<CommentRecord> comments;
        if (_posts.TryGetValue(objectId, out var post) && post.PageId == page.Id)
        {
            comments = _comments.Values.Where(c => c.PostId == post.Id && (stream || c.ParentId is null));
        }
        else if (_comments.TryGetValue(objectId, out var parent) && parent.PageId == page.Id && !parent.IsDeleted)
        {
            comments = _comments.Values.Where(c => c.ParentId == parent.Id);
        }
        else
        {
            return GraphWire.NotFound(objectId);
        }

        var since = GraphWire.SinceOf(request);
        var descending = request.Query["order"] == "reverse_chronological";
        var visible = comments
            .Where(c => !c.IsDeleted && c.CreatedTime >= since)
            .Select(c => (Key: (c.CreatedTime.ToUnixTimeSeconds(), c.Sequence), Comment: c))
            .ToList();
        var reply = GraphWire.Paged(request, visible, descending, DefaultLimit, MaxLimit, RenderComment);
        if (request.Query["summary"] == "true")
        {
            var body = JsonNode.Parse(reply.Body)!.AsObject();
            body["summary"] = new JsonObject
            {
                ["order"] = descending ? "reverse_chronological" : "chronological",
                ["total_count"] = visible.Count,
                ["can_comment"] = true,
            };
            reply = reply with { Body = body.ToJsonString() };
        }

        return reply;
    }

    private SimulatedReply ReadComment(PageRecord page, string commentId) =>
        _comments.TryGetValue(commentId, out var comment) && comment.PageId == page.Id && !comment.IsDeleted
            ? new SimulatedReply(200, RenderComment(comment).ToJsonString(), "application/json; charset=UTF-8")
            : GraphWire.NotFound(commentId);

    private static JsonObject RenderComment(CommentRecord c)
    {
        var json = new JsonObject
        {
            ["id"] = c.Id,
            ["message"] = c.Message,
            ["from"] = new JsonObject { ["id"] = c.AuthorId, ["name"] = c.AuthorName },
            ["created_time"] = GraphWire.GraphTime(c.CreatedTime),
            ["is_hidden"] = c.IsHidden,
            ["can_hide"] = true,
            ["permalink_url"] = $"https://www.facebook.com/{c.PostId}?comment_id={c.Id}",
        };
        if (c.ParentId is not null)
        {
            json["parent"] = new JsonObject { ["id"] = c.ParentId };
        }

        return json;
    }

    private SimulatedReply SetHidden(PageRecord page, string commentId, bool hidden)
    {
        if (!_comments.TryGetValue(commentId, out var comment) || comment.PageId != page.Id || comment.IsDeleted)
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

    private SimulatedReply Delete(PageRecord page, string commentId)
    {
        if (!_comments.TryGetValue(commentId, out var comment) || comment.PageId != page.Id || comment.IsDeleted)
        {
            return GraphWire.NotFound(commentId);
        }

        comment.DeleteCalls++;
        comment.IsDeleted = true;
        return GraphWire.Success();
    }

    private PageRecord? PageOfToken(string? token) =>
        token is null ? null : _pages.Values.FirstOrDefault(p => string.Equals(p.AccessToken, token, StringComparison.Ordinal));

    /// <summary>Counts this call and returns the page's usage percentage over the window.</summary>
    private double RecordUsage(PageRecord page)
    {
        var now = _clock.GetUtcNow();
        page.RecentCalls.Enqueue(now);
        while (page.RecentCalls.TryPeek(out var oldest) && oldest < now - _options.UsageWindow)
        {
            page.RecentCalls.Dequeue();
        }

        return page.BaseUsagePercent + (page.RecentCalls.Count * _options.UsagePercentPerCall);
    }

    private static List<(string, string)> UsageHeader(string pageId, double percent, int regainMinutes)
    {
        var callCount = (int)Math.Min(Math.Ceiling(percent), 100);
        var usage = new JsonObject
        {
            [pageId] = new JsonArray(new JsonObject
            {
                ["type"] = "pages",
                ["call_count"] = callCount,
                ["total_cputime"] = callCount / 2,
                ["total_time"] = callCount / 2,
                ["estimated_time_to_regain_access"] = regainMinutes,
            }),
        };
        return [("X-Business-Use-Case-Usage", usage.ToJsonString())];
    }
}
