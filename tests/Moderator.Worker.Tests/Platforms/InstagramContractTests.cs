using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.Instagram;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// The real client against a local server answering with JSON in the shapes platform-apis.md documents for Instagram
/// (values invented), including bodies the simulator never produces.
/// </summary>
public sealed class InstagramContractTests
{
    private const string MediaPage = """
        {"data":[
          {"id":"17895695668004550","caption":"Book Week costumes!","media_type":"CAROUSEL_ALBUM","media_product_type":"FEED","permalink":"https://www.instagram.com/p/DAbCdEfGhIj/","timestamp":"2026-11-20T09:15:00+0000","comments_count":3},
          {"id":"17912345678901234","media_type":"VIDEO","media_product_type":"REELS","permalink":"https://www.instagram.com/reel/DXyZ/","timestamp":"2026-11-19T16:00:00+0000","comments_count":0}
        ],"paging":{"cursors":{"before":"QVFIUmx","after":"QVFIUnB"}}}
        """;

    private const string CommentsPage = """
        {"data":[
          {"id":"17870913679156914","text":"Brilliant costumes","username":"parent.one","timestamp":"2026-11-20T10:01:02+0000","hidden":false,"like_count":4,
           "from":{"id":"17841401111111111","username":"parent.one"},
           "replies":{"data":[
             {"id":"17870913679156999","text":"Thank you!","username":"oakfieldprimary","timestamp":"2026-11-20T10:05:00+0000","hidden":true,"from":{"id":"17841400000000001","username":"oakfieldprimary"},"parent_id":"17870913679156914"}
           ]}},
          {"id":"17870913679156800","text":"Where is the photo from?","timestamp":"2026-11-20T09:30:00+0000","hidden":false,"like_count":0}
        ],"paging":{"cursors":{"before":"WWW","after":"XXX"}}}
        """;

    [Fact]
    public async Task Documented_media_comment_and_reply_shapes_are_read_into_comments()
    {
        await using var server = await ContractServer.StartAsync(request => request.Path.Value!.EndsWith("/media", StringComparison.Ordinal)
            ? (200, MediaPage)
            : request.Path.Value!.EndsWith("17895695668004550/comments", StringComparison.Ordinal) ? (200, CommentsPage) : (200, """{"data":[]}"""));
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var connector = server.Connector(clock);

        var batch = await connector.ListNewCommentsAsync(new PageAccess("17841400000000001", "EAAsecret"), null, CancellationToken.None);

        Assert.Equal(["17870913679156914", "17870913679156999", "17870913679156800"], batch.Comments.Select(c => c.ExternalId));
        var top = batch.Comments[0];
        Assert.Equal("17895695668004550", top.PostExternalId);
        Assert.Equal("parent.one", top.AuthorDisplayName);
        Assert.Equal("17841401111111111", top.AuthorExternalId);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 1, 2, TimeSpan.Zero), top.CreatedAt);
        Assert.Equal(new Uri("https://www.instagram.com/p/DAbCdEfGhIj/"), top.Permalink);
        var reply = batch.Comments[1];
        Assert.Equal("17870913679156914", reply.ParentExternalId);
        Assert.True(reply.IsHidden);
        var bare = batch.Comments[2];
        Assert.Null(bare.AuthorDisplayName);
        Assert.Null(bare.AuthorExternalId);
        Assert.Equal(Platform.Instagram, bare.Platform);
    }

    [Fact]
    public async Task Requests_carry_the_documented_paths_and_fields_and_the_token_only_in_the_header()
    {
        await using var server = await ContractServer.StartAsync(request => request.Path.Value!.EndsWith("/media", StringComparison.Ordinal)
            ? (200, MediaPage)
            : request.Method == "GET" ? (200, """{"data":[]}""") : (200, """{"success":true}"""));
        var connector = server.Connector(new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        var access = new PageAccess("17841400000000001", "EAAsecret-token");

        await connector.ListNewCommentsAsync(access, null, CancellationToken.None);
        await connector.HideAsync(access, "17870913679156914", CancellationToken.None);
        await connector.UnhideAsync(access, "17870913679156914", CancellationToken.None);
        await connector.DeleteAsync(access, "17870913679156914", CancellationToken.None);

        var requests = server.Requests;
        Assert.All(requests, r => Assert.Equal("Bearer EAAsecret-token", r.Authorization));
        Assert.All(requests, r => Assert.DoesNotContain("secret", r.Url, StringComparison.Ordinal));
        Assert.StartsWith("GET /v26.0/17841400000000001/media?fields=id%2Ccaption%2Cmedia_type%2Cmedia_product_type%2Cpermalink%2Ctimestamp%2Ccomments_count", requests[0].Line, StringComparison.Ordinal);
        Assert.Contains(requests, r => r.Line.StartsWith("GET /v26.0/17895695668004550/comments?fields=", StringComparison.Ordinal)
            && r.Line.Contains("limit=50", StringComparison.Ordinal)
            && Uri.UnescapeDataString(r.Url).Contains("replies{id,text,username,timestamp,hidden,like_count,from{id,username},parent_id}", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.Url.Contains("since=", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Line == "POST /v26.0/17870913679156914?hide=true");
        Assert.Contains(requests, r => r.Line == "POST /v26.0/17870913679156914?hide=false");
        Assert.Contains(requests, r => r.Line == "DELETE /v26.0/17870913679156914");
    }

    [Theory]
    [InlineData(400, """{"error":{"message":"There have been too many calls to this Instagram account.","type":"OAuthException","code":80002,"fbtrace_id":"A1"}}""", PlatformErrorKind.RateLimited)]
    [InlineData(400, """{"error":{"message":"Temporary problem","type":"OAuthException","code":9007,"is_transient":true,"fbtrace_id":"A2"}}""", PlatformErrorKind.Transient)]
    [InlineData(400, """{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":460,"fbtrace_id":"A3"}}""", PlatformErrorKind.AuthorizationFailed)]
    [InlineData(403, """{"error":{"message":"(#10) Application does not have permission for this action","type":"OAuthException","code":10,"fbtrace_id":"A4"}}""", PlatformErrorKind.AuthorizationFailed)]
    [InlineData(400, """{"error":{"message":"Unsupported post request. Object with ID '1' does not exist","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"A5"}}""", PlatformErrorKind.NotFound)]
    [InlineData(400, """{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"A6"}}""", PlatformErrorKind.BadRequest)]
    [InlineData(200, """{"success":false}""", PlatformErrorKind.BadRequest)]
    [InlineData(200, """{"succ""", PlatformErrorKind.Malformed)]
    public async Task Documented_error_bodies_map_to_the_error_kind(int status, string body, PlatformErrorKind expected)
    {
        await using var server = await ContractServer.StartAsync(_ => (status, body));
        var connector = server.Connector(TimeProvider.System);

        var error = await Assert.ThrowsAsync<PlatformException>(() => connector.HideAsync(new PageAccess("17841400000000001", "EAAtoken"), "17870913679156914", CancellationToken.None));

        Assert.Equal(expected, error.Kind);
        Assert.Equal(Platform.Instagram, error.Platform);
    }

    [Fact]
    public async Task A_comment_without_an_id_or_timestamp_is_malformed()
    {
        await using var server = await ContractServer.StartAsync(request => request.Path.Value!.EndsWith("/media", StringComparison.Ordinal)
            ? (200, MediaPage)
            : (200, """{"data":[{"text":"no id","timestamp":"2026-11-20T10:00:00+0000"}]}"""));
        var connector = server.Connector(new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));

        var error = await Assert.ThrowsAsync<PlatformException>(() => connector.ListNewCommentsAsync(new PageAccess("17841400000000001", "EAAtoken"), null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_refused_so_the_token_is_not_sent_there()
    {
        await using var server = await ContractServer.StartAsync(_ =>
            (200, """{"data":[],"paging":{"next":"https://graph.example.net/v26.0/17841400000000001/media?after=abc"}}"""));
        var connector = server.Connector(TimeProvider.System);

        var error = await Assert.ThrowsAsync<PlatformException>(() => connector.ListNewCommentsAsync(new PageAccess("17841400000000001", "EAAtoken"), null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Malformed, error.Kind);
        Assert.Single(server.Requests);
    }

    private sealed record SeenRequest(string Line, string Url, string Authorization);

    private sealed class ContractServer : IAsyncDisposable
    {
        private readonly ConcurrentQueue<SeenRequest> _requests = new();
        private readonly List<ServiceProvider> _providers = [];
        private WebApplication? _app;
        private string _address = string.Empty;

        public IReadOnlyList<SeenRequest> Requests => [.. _requests];

        public static async Task<ContractServer> StartAsync(Func<HttpRequest, (int Status, string Body)> respond)
        {
            var server = new ContractServer();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Run(async context =>
            {
                var url = $"{context.Request.Path}{context.Request.QueryString}";
                server._requests.Enqueue(new SeenRequest($"{context.Request.Method} {url}", url, context.Request.Headers.Authorization.ToString()));
                var (status, body) = respond(context.Request);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body);
            });
            await app.StartAsync();
            server._app = app;
            server._address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return server;
        }

        public InstagramConnector Connector(TimeProvider clock)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Instagram:BaseAddress"] = $"{_address}/v26.0/" })
                .Build();
            var provider = new ServiceCollection().AddLogging().AddSingleton(clock).AddInstagramConnector(configuration).BuildServiceProvider();
            _providers.Add(provider);
            return provider.GetRequiredService<InstagramConnector>();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var provider in _providers)
            {
                await provider.DisposeAsync();
            }

            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
