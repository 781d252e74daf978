using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class FacebookWebhookAndEditTests
{
    private const string AppSecret = "simulator-app-secret";

    [Fact]
    public async Task The_simulator_sends_signed_comment_webhooks_that_the_receiver_accepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(AppSecret);
        await using var harness = await GraphHarness.StartAsync();
        harness.Simulator.EnableWebhooks(receiver.Url, AppSecret);
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");

        var comment = harness.Simulator.AddComment(post, "first");
        harness.Simulator.EditComment(comment, "first, edited");
        await Eventually.WaitUntilAsync(() => receiver.Changes.Count == 2 && harness.Simulator.WebhooksDelivered == 2, because: "two deliveries");

        Assert.Equal(
            [
                new MetaCommentChange(harness.Page.Id, comment, post, post, "add"),
                new MetaCommentChange(harness.Page.Id, comment, post, post, "edited"),
            ],
            receiver.Changes);
        Assert.Equal(0, receiver.Rejected);
        Assert.Equal(2, harness.Simulator.WebhooksDelivered);
    }

    [Fact]
    public async Task Deliveries_signed_with_another_secret_are_rejected_by_the_receiver()
    {
        await using var receiver = await WebhookReceiver.StartAsync(AppSecret);
        await using var harness = await GraphHarness.StartAsync();
        harness.Simulator.EnableWebhooks(receiver.Url, "not-the-app-secret");
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");

        harness.Simulator.AddComment(post, "first");
        await Eventually.WaitUntilAsync(() => harness.Simulator.WebhooksFailed == 1, because: "the delivery is refused");

        Assert.Empty(receiver.Changes);
        Assert.Equal(1, receiver.Rejected);
    }

    [Fact]
    public async Task An_edited_comment_is_read_again_with_its_new_text_and_a_deleted_one_is_not_found()
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var comment = harness.Simulator.AddComment(post, "harmless at first");
        var first = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        harness.Simulator.EditComment(comment, "edited text");
        var reread = await harness.Connector.GetCommentAsync(harness.Access, post, comment, CancellationToken.None);
        await harness.Connector.DeleteAsync(harness.Access, comment, CancellationToken.None);
        var gone = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.GetCommentAsync(harness.Access, post, comment, CancellationToken.None));

        Assert.Equal("harmless at first", Assert.Single(first.Comments).Text);
        Assert.Equal("edited text", reread.Text);
        Assert.Equal(post, reread.PostExternalId);
        Assert.Equal(comment, reread.ExternalId);
        Assert.Equal(PlatformErrorKind.NotFound, gone.Kind);
        Assert.Equal(2, harness.Simulator.Calls(SimulatorEndpoints.Comment));
    }

    /// <summary>A minimal host of the webhook functions, as Admin will map them.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly ConcurrentQueue<MetaCommentChange> _changes = new();
        private WebApplication? _app;
        private int _rejected;

        public Uri Url { get; private set; } = null!;

        public IReadOnlyList<MetaCommentChange> Changes => [.. _changes];

        public int Rejected => Volatile.Read(ref _rejected);

        public static async Task<WebhookReceiver> StartAsync(string appSecret)
        {
            var receiver = new WebhookReceiver();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapPost("/webhooks/meta", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                var delivery = MetaWebhook.Receive(buffer.ToArray(), context.Request.Headers[MetaWebhook.SignatureHeader], appSecret);
                if (delivery.Status != MetaWebhookStatus.Accepted)
                {
                    Interlocked.Increment(ref receiver._rejected);
                    return Results.StatusCode(delivery.Status == MetaWebhookStatus.BadSignature ? 401 : 400);
                }

                foreach (var change in delivery.CommentChanges)
                {
                    receiver._changes.Enqueue(change);
                }

                return Results.Ok();
            });
            await app.StartAsync();
            receiver._app = app;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = new Uri($"{address}/webhooks/meta");
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
