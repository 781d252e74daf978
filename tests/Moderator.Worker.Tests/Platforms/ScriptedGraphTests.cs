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
using Moderator.Worker.Platforms.Facebook;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>Answers the client from a real local server with hand-written bodies the simulator never produces.</summary>
public sealed class ScriptedGraphTests
{
    [Fact]
    public async Task The_token_travels_in_the_authorization_header_and_never_in_the_url()
    {
        await using var server = await ScriptedServer.StartAsync(_ => """{"data":[]}""");

        await server.Client.ListCommentsAsync(new PageAccess("1", "EAAsecret-token"), "1_2", DateTimeOffset.UnixEpoch, CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer EAAsecret-token", request.Authorization);
        Assert.DoesNotContain("secret", request.Url, StringComparison.Ordinal);
        Assert.Contains("filter=stream", request.Url, StringComparison.Ordinal);
        Assert.Contains("order=reverse_chronological", request.Url, StringComparison.Ordinal);
        Assert.Contains("limit=100", request.Url, StringComparison.Ordinal);
        Assert.Contains("since=0", request.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_refused_so_the_token_is_not_sent_there()
    {
        await using var server = await ScriptedServer.StartAsync(_ =>
            """{"data":[{"id":"2_3","message":"x","created_time":"2026-11-22T09:00:00+0000"}],"paging":{"next":"https://graph.example.net/v26.0/1_2/comments?after=abc"}}""");

        var error = await Assert.ThrowsAsync<PlatformException>(() => server.Client.ListCommentsAsync(new PageAccess("1", "EAAtoken"), "1_2", DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Malformed, error.Kind);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_comment_without_an_id_is_malformed()
    {
        await using var server = await ScriptedServer.StartAsync(_ => """{"data":[{"message":"x","created_time":"2026-11-22T09:00:00+0000"}]}""");

        var error = await Assert.ThrowsAsync<PlatformException>(() => server.Client.ListCommentsAsync(new PageAccess("1", "EAAtoken"), "1_2", DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public async Task Graph_times_with_a_colonless_offset_are_read_exactly()
    {
        await using var server = await ScriptedServer.StartAsync(_ =>
            """{"data":[{"id":"2_3","created_time":"2026-11-22T09:15:30+0100","is_hidden":true,"from":{"id":"7","name":"N"},"parent":{"id":"2_1"}}]}""");

        var comment = Assert.Single(await server.Client.ListCommentsAsync(new PageAccess("1", "EAAtoken"), "1_2", DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 15, 30, TimeSpan.Zero), comment.CreatedTime);
        Assert.True(comment.IsHidden);
        Assert.Equal("2_1", comment.Parent?.Id);
        Assert.Null(comment.Message);
    }

    [Fact]
    public async Task A_success_false_answer_to_hide_is_an_error()
    {
        await using var server = await ScriptedServer.StartAsync(_ => """{"success":false}""");

        var error = await Assert.ThrowsAsync<PlatformException>(() => server.Client.HideCommentAsync(new PageAccess("1", "EAAtoken"), "2_3", CancellationToken.None));

        Assert.Equal(PlatformErrorKind.BadRequest, error.Kind);
        Assert.Equal("POST", Assert.Single(server.Requests).Method);
        Assert.Equal("is_hidden=true", server.Requests.Single().Body);
    }

    [Fact]
    public async Task App_and_page_usage_headers_count_towards_the_slow_down_like_business_use_case_usage()
    {
        await using var server = await ScriptedServer.StartAsync(
            _ => """{"data":[]}""",
            new()
            {
                ["X-App-Usage"] = """{"call_count":12,"total_cputime":96,"total_time":40}""",
                ["X-Page-Usage"] = """{"call_count":30,"total_cputime":5,"total_time":5}""",
                ["X-Business-Use-Case-Usage"] = """{"1":[{"type":"pages","call_count":20,"total_cputime":10,"total_time":41,"estimated_time_to_regain_access":0}]}""",
            });

        await server.Client.ListCommentsAsync(new PageAccess("1", "EAAtoken"), "1_2", DateTimeOffset.UnixEpoch, CancellationToken.None);

        var usage = server.Gate.ObservedUsage("1");
        Assert.Equal(new GraphUsage(30, 96, 41, TimeSpan.Zero), usage);
        Assert.Equal(96, usage!.HighestPercent);
        // Default options: slow down from 75% up to 20 s just below 100%: (96 - 75) / 25 of 20 s.
        Assert.Equal(TimeSpan.FromSeconds(16.8), server.Gate.RecommendedDelay("1"));
    }

    [Fact]
    public async Task Unreadable_usage_headers_are_ignored()
    {
        await using var server = await ScriptedServer.StartAsync(_ => """{"data":[]}""", new() { ["X-App-Usage"] = "not json", ["X-Business-Use-Case-Usage"] = "[]" });

        await server.Client.ListCommentsAsync(new PageAccess("1", "EAAtoken"), "1_2", DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Null(server.Gate.ObservedUsage("1"));
        Assert.Equal(TimeSpan.Zero, server.Gate.RecommendedDelay("1"));
    }

    private sealed record SeenRequest(string Method, string Url, string? Authorization, string Body);

    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly ConcurrentQueue<SeenRequest> _requests = new();
        private WebApplication? _app;
        private ServiceProvider? _services;

        public IReadOnlyList<SeenRequest> Requests => [.. _requests];

        public FacebookGraphClient Client => _services!.GetRequiredService<FacebookGraphClient>();

        public FacebookRateGate Gate => _services!.GetRequiredService<FacebookRateGate>();

        public static async Task<ScriptedServer> StartAsync(Func<HttpRequest, string> respond, Dictionary<string, string>? headers = null)
        {
            var server = new ScriptedServer();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                server._requests.Enqueue(new SeenRequest(
                    context.Request.Method,
                    $"{context.Request.Path}{context.Request.QueryString}",
                    context.Request.Headers.Authorization.ToString(),
                    body));
                context.Response.ContentType = "application/json";
                foreach (var (name, value) in headers ?? [])
                {
                    context.Response.Headers[name] = value;
                }

                await context.Response.WriteAsync(respond(context.Request));
            });
            await app.StartAsync();
            server._app = app;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Facebook:BaseAddress"] = $"{address}/v26.0/" })
                .Build();
            server._services = new ServiceCollection().AddLogging().AddFacebookConnector(configuration).BuildServiceProvider();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            if (_services is not null)
            {
                await _services.DisposeAsync();
            }

            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
