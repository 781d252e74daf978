using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Moderator.Worker.Platforms.YouTube;

namespace Moderator.Worker.Simulator;

// The wire side of the YouTube simulator: the token endpoint, the Data API paths, faults, quota, paging and JSON.
public sealed partial class YouTubeSimulator
{
    private const string Json = "application/json; charset=UTF-8";
    private const string Scope = "https://www.googleapis.com/auth/youtube.force-ssl";

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        IFormCollection? form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        Reply reply;
        lock (_lock)
        {
            reply = path == "/token" && HttpMethods.IsPost(context.Request.Method)
                ? Token(form)
                : Decide(context.Request, path);
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
        if (reply.Body.Length > 0)
        {
            context.Response.ContentType = reply.ContentType;
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }

    private Reply Token(IFormCollection? form)
    {
        _faults.Count(YouTubeSimulatorEndpoints.Token);
        if (form is null || form["grant_type"] != "refresh_token")
        {
            return OAuthError(400, "unsupported_grant_type", "Invalid grant_type.");
        }

        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return OAuthError(401, "invalid_client", "The OAuth client was not found.");
        }

        var refreshToken = form["refresh_token"].ToString();
        var channel = _channels.Values.FirstOrDefault(c => string.Equals(c.RefreshToken, refreshToken, StringComparison.Ordinal));
        if (channel is null || channel.Revoked)
        {
            return OAuthError(400, "invalid_grant", "Token has been expired or revoked.");
        }

        var (token, expiresAt) = Issue(channel.Id);
        var body = new JsonObject
        {
            ["access_token"] = token,
            ["expires_in"] = (int)(expiresAt - _clock.GetUtcNow()).TotalSeconds - 1,
            ["scope"] = Scope,
            ["token_type"] = "Bearer",
        };
        return new Reply(200, body.ToJsonString(), Json);
    }

    private Reply Decide(HttpRequest request, string path)
    {
        var query = request.Query;
        string endpoint;
        int cost;
        if (HttpMethods.IsGet(request.Method) && path == "/youtube/v3/commentThreads")
        {
            (endpoint, cost) = (YouTubeSimulatorEndpoints.CommentThreads, YouTubeQuota.ListCost);
        }
        else if (HttpMethods.IsGet(request.Method) && path == "/youtube/v3/comments" && query.ContainsKey("parentId"))
        {
            (endpoint, cost) = (YouTubeSimulatorEndpoints.Replies, YouTubeQuota.ListCost);
        }
        else if (HttpMethods.IsGet(request.Method) && path == "/youtube/v3/comments" && query.ContainsKey("id"))
        {
            (endpoint, cost) = (YouTubeSimulatorEndpoints.CommentById, YouTubeQuota.ListCost);
        }
        else if (HttpMethods.IsPost(request.Method) && path == "/youtube/v3/comments/setModerationStatus")
        {
            (endpoint, cost) = (YouTubeSimulatorEndpoints.SetModerationStatus, YouTubeQuota.ModerationCost);
        }
        else
        {
            return GoogleError(404, "notFound", "global", "Not Found");
        }

        var answerLate = false;
        if (_faults.Next(endpoint) is { } fault)
        {
            if (fault.Fault != SimulatedYouTubeFault.TimeoutAfterApplying)
            {
                return FaultReply(fault.Fault);
            }

            answerLate = true;
        }

        var channel = ChannelOfToken(request.Headers.Authorization.ToString());
        if (channel is null)
        {
            return GoogleError(401, "authError", "global", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
        }

        RollQuotaDay();
        if (_quotaSpent + cost > _options.DailyQuotaUnits)
        {
            return GoogleError(403, "quotaExceeded", "youtube.quota", "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.");
        }

        _quotaSpent += cost;
        var reply = endpoint switch
        {
            YouTubeSimulatorEndpoints.CommentThreads => ListThreads(query, channel),
            YouTubeSimulatorEndpoints.Replies => ListReplies(query, channel),
            YouTubeSimulatorEndpoints.CommentById => ReadComments(query, channel),
            _ => SetModerationStatus(query, channel),
        };
        return answerLate ? reply with { Delay = _options.TimeoutDelay } : reply;
    }

    private Reply FaultReply(SimulatedYouTubeFault fault) => fault switch
    {
        SimulatedYouTubeFault.InternalServerError => GoogleError(500, "backendError", "global", "Backend Error"),
        SimulatedYouTubeFault.ServiceUnavailable => new Reply(503, "<html><body>Service Unavailable</body></html>", "text/html"),
        SimulatedYouTubeFault.Timeout => GoogleError(503, "backendError", "global", "Backend Error") with { Delay = _options.TimeoutDelay },
        SimulatedYouTubeFault.ProcessingFailure => GoogleError(400, "processingFailure", "youtube.commentThread", "The API server failed to successfully process the request."),
        _ => new Reply(200, """{"kind":"youtube#commentThreadListResponse","items":[{"id":"Ugz""", Json),
    };

    private Reply ListThreads(IQueryCollection query, ChannelRecord caller)
    {
        if (!query["part"].ToString().Split(',').Contains("snippet"))
        {
            return GoogleError(400, "invalidPart", "youtube.part", "The part parameter must include snippet in this simulator.");
        }

        var channelId = query["allThreadsRelatedToChannelId"].ToString();
        var videoId = query["videoId"].ToString();
        Func<VideoRecord, bool> related;
        if (channelId.Length > 0)
        {
            if (!_channels.ContainsKey(channelId))
            {
                return GoogleError(404, "channelNotFound", "youtube.commentThread", "The channel could not be found.");
            }

            related = v => v.ChannelId == channelId;
        }
        else if (videoId.Length > 0 && _videos.TryGetValue(videoId, out var video))
        {
            related = v => v.Id == video.Id;
        }
        else
        {
            return GoogleError(404, "videoNotFound", "youtube.commentThread", "The video could not be found.");
        }

        var status = query["moderationStatus"].ToString() is { Length: > 0 } asked ? asked : YouTubeModerationStatus.Published;
        if (status != YouTubeModerationStatus.Published && channelId != caller.Id)
        {
            return GoogleError(403, "forbidden", "youtube.commentThread", "Only the channel owner may list comments that are not published.");
        }

        if (!TryPageArguments(query, out var maxResults, out var offset))
        {
            return GoogleError(400, "invalidPageToken", "youtube.commentThread", "The page token is invalid.");
        }

        var html = query["textFormat"] != "plainText";
        var threads = _comments.Values
            .Where(c => c.ParentId is null && related(_videos[c.VideoId]) && c.ModerationStatus == status)
            .OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Sequence)
            .ToList();
        var withReplies = query["part"].ToString().Split(',').Contains("replies");
        var items = threads.Skip(offset).Take(maxResults).Select(top =>
        {
            var replies = PublishedReplies(top.Id);
            var thread = new JsonObject
            {
                ["kind"] = "youtube#commentThread",
                ["etag"] = Etag(),
                ["id"] = top.Id,
                ["snippet"] = new JsonObject
                {
                    ["channelId"] = _videos[top.VideoId].ChannelId,
                    ["videoId"] = top.VideoId,
                    ["topLevelComment"] = RenderComment(top, caller, html),
                    ["canReply"] = true,
                    ["totalReplyCount"] = replies.Count,
                    ["isPublic"] = true,
                },
            };
            if (withReplies && replies.Count > 0)
            {
                thread["replies"] = new JsonObject
                {
                    ["comments"] = new JsonArray([.. replies.Take(_options.EmbeddedReplies).Select(r => (JsonNode)RenderComment(r, caller, html))]),
                };
            }

            return (JsonNode)thread;
        });
        return ListReply("youtube#commentThreadListResponse", items, threads.Count, offset, maxResults);
    }

    private Reply ListReplies(IQueryCollection query, ChannelRecord caller)
    {
        var parentId = query["parentId"].ToString();
        if (!_comments.TryGetValue(parentId, out var parent) || parent.ParentId is not null)
        {
            return GoogleError(404, "commentNotFound", "youtube.comment", "The comment could not be found.");
        }

        if (!TryPageArguments(query, out var maxResults, out var offset))
        {
            return GoogleError(400, "invalidPageToken", "youtube.comment", "The page token is invalid.");
        }

        var html = query["textFormat"] != "plainText";
        var replies = PublishedReplies(parent.Id);
        return ListReply("youtube#commentListResponse", replies.Skip(offset).Take(maxResults).Select(r => (JsonNode)RenderComment(r, caller, html)), replies.Count, offset, maxResults);
    }

    private Reply ReadComments(IQueryCollection query, ChannelRecord caller)
    {
        var html = query["textFormat"] != "plainText";
        var found = query["id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(id => _comments.GetValueOrDefault(id))
            .Where(c => c is not null && (c.ModerationStatus == YouTubeModerationStatus.Published || Owns(caller, c)))
            .Select(c => (JsonNode)RenderComment(c!, caller, html))
            .ToList();
        return ListReply("youtube#commentListResponse", found, found.Count, 0, Math.Max(found.Count, 1));
    }

    private Reply SetModerationStatus(IQueryCollection query, ChannelRecord caller)
    {
        var status = query["moderationStatus"].ToString();
        if (status is not (YouTubeModerationStatus.Published or YouTubeModerationStatus.HeldForReview or YouTubeModerationStatus.Rejected))
        {
            return GoogleError(400, "invalidModerationStatus", "youtube.comment", "The moderationStatus parameter is invalid.");
        }

        if (query["banAuthor"] == "true" && status != YouTubeModerationStatus.Rejected)
        {
            return GoogleError(400, "banWithoutReject", "youtube.comment", "banAuthor can only be used with rejected.");
        }

        var targets = new List<CommentRecord>();
        foreach (var id in query["id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!_comments.TryGetValue(id, out var comment))
            {
                return GoogleError(404, "commentNotFound", "youtube.comment", "The comment could not be found.");
            }

            if (!Owns(caller, comment))
            {
                return GoogleError(403, "forbidden", "youtube.comment", "The comment could not be updated due to insufficient permissions.");
            }

            targets.Add(comment);
        }

        if (targets.Count == 0)
        {
            return GoogleError(400, "missingRequiredParameter", "youtube.parameter", "No id given.");
        }

        foreach (var comment in targets)
        {
            comment.ModerationStatus = status;
            switch (status)
            {
                case YouTubeModerationStatus.HeldForReview:
                    comment.HeldForReviewCalls++;
                    break;
                case YouTubeModerationStatus.Rejected:
                    comment.RejectedCalls++;
                    break;
                default:
                    comment.PublishedCalls++;
                    break;
            }
        }

        return new Reply(204, string.Empty, Json);
    }

    private List<CommentRecord> PublishedReplies(string parentId) =>
        [.. _comments.Values.Where(c => c.ParentId == parentId && c.ModerationStatus == YouTubeModerationStatus.Published).OrderBy(c => c.PublishedAt).ThenBy(c => c.Sequence)];

    private bool Owns(ChannelRecord caller, CommentRecord comment) =>
        _videos[comment.VideoId] is { OwnedByChannel: true } video && video.ChannelId == caller.Id;

    private JsonObject RenderComment(CommentRecord c, ChannelRecord caller, bool html)
    {
        var video = _videos[c.VideoId];
        var snippet = new JsonObject
        {
            ["channelId"] = video.ChannelId,
            ["videoId"] = c.VideoId,
            ["textDisplay"] = html ? WebUtility.HtmlEncode(c.Text) : c.Text,
            ["authorDisplayName"] = "@" + c.AuthorName.Replace(" ", string.Empty, StringComparison.Ordinal),
            ["authorProfileImageUrl"] = $"https://yt3.ggpht.com/sim/{c.AuthorChannelId}",
            ["authorChannelUrl"] = $"http://www.youtube.com/channel/{c.AuthorChannelId}",
            ["authorChannelId"] = new JsonObject { ["value"] = c.AuthorChannelId },
            ["canRate"] = true,
            ["viewerRating"] = "none",
            ["likeCount"] = 0,
            ["publishedAt"] = GoogleTime(c.PublishedAt),
            ["updatedAt"] = GoogleTime(c.PublishedAt),
        };
        if (c.ParentId is not null)
        {
            snippet["parentId"] = c.ParentId;
        }

        if (Owns(caller, c))
        {
            snippet["moderationStatus"] = c.ModerationStatus;
        }

        return new JsonObject { ["kind"] = "youtube#comment", ["etag"] = Etag(), ["id"] = c.Id, ["snippet"] = snippet };
    }

    private static Reply ListReply(string kind, IEnumerable<JsonNode> items, int total, int offset, int maxResults)
    {
        var array = new JsonArray([.. items]);
        var body = new JsonObject { ["kind"] = kind, ["etag"] = Etag() };
        if (offset + maxResults < total)
        {
            body["nextPageToken"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"o:{offset + maxResults}")));
        }

        body["pageInfo"] = new JsonObject { ["totalResults"] = total, ["resultsPerPage"] = maxResults };
        body["items"] = array;
        return new Reply(200, body.ToJsonString(), Json);
    }

    private static bool TryPageArguments(IQueryCollection query, out int maxResults, out int offset)
    {
        maxResults = int.TryParse(query["maxResults"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) ? Math.Clamp(asked, 1, 100) : 20;
        offset = 0;
        var token = query["pageToken"].ToString();
        if (token.Length == 0)
        {
            return true;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            return text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private ChannelRecord? ChannelOfToken(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !_accessTokens.TryGetValue(authorization["Bearer ".Length..].Trim(), out var grant)
            || grant.ExpiresAt <= _clock.GetUtcNow())
        {
            return null;
        }

        var channel = _channels[grant.ChannelId];
        return channel.Revoked ? null : channel;
    }

    private static string GoogleTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Etag() => RandomId(27);

    private static Reply OAuthError(int status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString(), Json);

    private static Reply GoogleError(int status, string reason, string domain, string message)
    {
        var error = new JsonObject
        {
            ["code"] = status,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = domain, ["reason"] = reason }),
            ["status"] = status switch
            {
                400 => "INVALID_ARGUMENT",
                401 => "UNAUTHENTICATED",
                403 => "PERMISSION_DENIED",
                404 => "NOT_FOUND",
                503 => "UNAVAILABLE",
                _ => "INTERNAL",
            },
        };
        return new Reply(status, new JsonObject { ["error"] = error }.ToJsonString(), Json);
    }

    private sealed record Reply(int Status, string Body, string ContentType)
    {
        public TimeSpan Delay { get; init; }
    }
}
