using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// The shapes documented for <c>commentThreads.list</c>, <c>comments.list</c>, <c>comments.setModerationStatus</c>, Google
/// errors and the OAuth token endpoint (developers.google.com/youtube/v3/docs), checked in both directions: the simulator
/// answers with them, and the real client reads them when a plain server replays them verbatim.
/// </summary>
public sealed class YouTubeContractTests
{
    // A commentThreadListResponse as the reference documents it, one thread with one embedded reply, plainText.
    private const string DocumentedThreadList = """
        {
          "kind": "youtube#commentThreadListResponse",
          "etag": "etag-1",
          "nextPageToken": null,
          "pageInfo": { "totalResults": 1, "resultsPerPage": 100 },
          "items": [
            {
              "kind": "youtube#commentThread",
              "etag": "etag-2",
              "id": "UgzDocThread",
              "snippet": {
                "channelId": "UCdocChannel",
                "videoId": "docVideo001",
                "topLevelComment": {
                  "kind": "youtube#comment",
                  "etag": "etag-3",
                  "id": "UgzDocThread",
                  "snippet": {
                    "authorDisplayName": "@DocViewer",
                    "authorProfileImageUrl": "https://yt3.ggpht.com/doc",
                    "authorChannelUrl": "http://www.youtube.com/channel/UCdocViewer",
                    "authorChannelId": { "value": "UCdocViewer" },
                    "channelId": "UCdocChannel",
                    "videoId": "docVideo001",
                    "textDisplay": "Documented top-level text",
                    "textOriginal": "Documented top-level text",
                    "canRate": true,
                    "viewerRating": "none",
                    "likeCount": 3,
                    "moderationStatus": "published",
                    "publishedAt": "2026-11-20T09:58:00Z",
                    "updatedAt": "2026-11-20T09:58:30Z"
                  }
                },
                "canReply": true,
                "totalReplyCount": 1,
                "isPublic": true
              },
              "replies": {
                "comments": [
                  {
                    "kind": "youtube#comment",
                    "etag": "etag-4",
                    "id": "UgzDocThread.reply1",
                    "snippet": {
                      "authorDisplayName": "@DocReplier",
                      "authorChannelId": { "value": "UCdocReplier" },
                      "channelId": "UCdocChannel",
                      "videoId": "docVideo001",
                      "textDisplay": "Documented reply text",
                      "parentId": "UgzDocThread",
                      "canRate": true,
                      "viewerRating": "none",
                      "likeCount": 0,
                      "publishedAt": "2026-11-20T09:59:00Z",
                      "updatedAt": "2026-11-20T09:59:00Z"
                    }
                  }
                ]
              }
            }
          ]
        }
        """;

    [Fact]
    public async Task The_client_reads_a_documented_comment_thread_list()
    {
        await using var server = await ReplayServer.StartAsync(_ => (200, DocumentedThreadList));
        await using var harness = await YouTubeHarness.StartAsync(new() { ["YouTube:BaseAddress"] = server.BaseAddress.ToString() });

        var batch = await harness.PollAsync();

        Assert.Equal(2, batch.Comments.Count);
        var top = batch.Comments.Single(c => c.ExternalId == "UgzDocThread");
        var reply = batch.Comments.Single(c => c.ExternalId == "UgzDocThread.reply1");
        Assert.Equal(("docVideo001", "UCdocViewer", "@DocViewer", "Documented top-level text", false), (top.PostExternalId, top.AuthorExternalId, top.AuthorDisplayName, top.Text, top.IsHidden));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 58, 0, TimeSpan.Zero), top.CreatedAt);
        Assert.Equal(("UgzDocThread", "Documented reply text"), (reply.ParentExternalId, reply.Text));
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("/youtube/v3/commentThreads?part=snippet,replies&allThreadsRelatedToChannelId=", request, StringComparison.Ordinal);
        Assert.Contains("&order=time&textFormat=plainText&maxResults=100", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_reads_a_documented_error_body_and_an_empty_204()
    {
        var documentedQuotaError = """
            {"error":{"code":403,"message":"The request cannot be completed because you have exceeded your quota.",
             "errors":[{"message":"The request cannot be completed because you have exceeded your quota.","domain":"youtube.quota","reason":"quotaExceeded"}],
             "status":"PERMISSION_DENIED"}}
            """;
        await using var server = await ReplayServer.StartAsync(path => path.Contains("setModerationStatus", StringComparison.Ordinal) ? (204, "") : (403, documentedQuotaError));
        await using var harness = await YouTubeHarness.StartAsync(new() { ["YouTube:BaseAddress"] = server.BaseAddress.ToString() });

        await harness.Connector.HideAsync(harness.Access, "UgzDoc", CancellationToken.None);
        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(403, error.ErrorCode);
        Assert.Contains("/youtube/v3/comments/setModerationStatus?id=UgzDoc&moderationStatus=heldForReview", server.Requests);
    }

    [Fact]
    public async Task The_simulator_answers_with_the_documented_fields()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var top = harness.Simulator.AddComment(harness.VideoId, "hello");
        harness.Simulator.AddComment(harness.VideoId, "reply", parentId: top);
        var (token, _) = harness.Simulator.IssueAccessToken(harness.Channel.Id);
        using var http = new HttpClient { BaseAddress = harness.Simulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri($"commentThreads?part=snippet,replies&allThreadsRelatedToChannelId={harness.Channel.Id}&maxResults=1&textFormat=plainText", UriKind.Relative)));
        using var moderate = await http.PostAsync(new Uri($"comments/setModerationStatus?id={top}&moderationStatus=bogus", UriKind.Relative), null);
        using var error = JsonDocument.Parse(await moderate.Content.ReadAsStringAsync());
        using var held = await http.PostAsync(new Uri($"comments/setModerationStatus?id={top}&moderationStatus=heldForReview", UriKind.Relative), null);

        var root = list.RootElement;
        Assert.Equal("youtube#commentThreadListResponse", root.GetProperty("kind").GetString());
        Assert.Equal(1, root.GetProperty("pageInfo").GetProperty("resultsPerPage").GetInt32());
        var thread = root.GetProperty("items")[0];
        Assert.Equal("youtube#commentThread", thread.GetProperty("kind").GetString());
        var snippet = thread.GetProperty("snippet");
        Assert.Equal(1, snippet.GetProperty("totalReplyCount").GetInt32());
        var comment = snippet.GetProperty("topLevelComment").GetProperty("snippet");
        foreach (var field in new[] { "authorDisplayName", "authorChannelUrl", "channelId", "videoId", "textDisplay", "publishedAt", "updatedAt", "moderationStatus" })
        {
            Assert.Equal(JsonValueKind.String, comment.GetProperty(field).ValueKind);
        }

        Assert.Equal(JsonValueKind.String, comment.GetProperty("authorChannelId").GetProperty("value").ValueKind);
        Assert.Equal(top, thread.GetProperty("replies").GetProperty("comments")[0].GetProperty("snippet").GetProperty("parentId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, moderate.StatusCode);
        Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("invalidModerationStatus", error.RootElement.GetProperty("error").GetProperty("errors")[0].GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NoContent, held.StatusCode);
        Assert.Empty(await held.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_simulator_token_endpoint_answers_like_google()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        using var http = new HttpClient();

        using var ok = await http.PostAsync(harness.Simulator.TokenEndpoint, new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"), new("refresh_token", harness.Channel.RefreshToken),
            new("client_id", harness.Simulator.ClientId), new("client_secret", harness.Simulator.ClientSecret),
        ]));
        using var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        harness.Simulator.RevokeAccess(harness.Channel.Id);
        using var revoked = await http.PostAsync(harness.Simulator.TokenEndpoint, new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"), new("refresh_token", harness.Channel.RefreshToken),
            new("client_id", harness.Simulator.ClientId), new("client_secret", harness.Simulator.ClientSecret),
        ]));
        using var refusal = JsonDocument.Parse(await revoked.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.True(body.RootElement.GetProperty("expires_in").GetInt32() > 3000);
        Assert.False(body.RootElement.TryGetProperty("refresh_token", out _));
        Assert.Equal(HttpStatusCode.BadRequest, revoked.StatusCode);
        Assert.Equal("invalid_grant", refusal.RootElement.GetProperty("error").GetString());
    }

    /// <summary>A plain local server that answers every request with a fixed status and body and records the paths asked for.</summary>
    private sealed class ReplayServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _requests = new();

        private ReplayServer(WebApplication app, Func<string, (int, string)> answer)
        {
            _app = app;
            app.Run(async context =>
            {
                var path = context.Request.Path + context.Request.QueryString.Value;
                _requests.Enqueue(path);
                var (status, body) = answer(path);
                context.Response.StatusCode = status;
                if (body.Length > 0)
                {
                    context.Response.ContentType = "application/json; charset=UTF-8";
                    await context.Response.WriteAsync(body);
                }
            });
        }

        public Uri BaseAddress { get; private set; } = null!;

        public IReadOnlyList<string> Requests => [.. _requests];

        public static async Task<ReplayServer> StartAsync(Func<string, (int, string)> answer)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var server = new ReplayServer(builder.Build(), answer);
            await server._app.StartAsync();
            var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            server.BaseAddress = new Uri($"{address}/youtube/v3/");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
