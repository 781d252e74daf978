using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Tests.Platforms;

public sealed class InstagramWebhookTests
{
    private const string AppSecret = "app-secret-for-tests";

    // The documented shape of an Instagram "comments" delivery (values invented), plus a live comment and a mention.
    private static readonly byte[] InstagramDelivery = Encoding.UTF8.GetBytes("""
        {"object":"instagram","entry":[{"id":"17841400000000001","time":1763770000,"changes":[
          {"field":"comments","value":{"id":"17865799348089039","text":"This is an example.","from":{"id":"232323232","username":"test"},"media":{"id":"123123123","media_product_type":"FEED"}}},
          {"field":"comments","value":{"id":"17865799348089040","text":"a reply","from":{"id":"232323233","username":"test2"},"media":{"id":"123123123","media_product_type":"FEED"},"parent_id":"17865799348089039"}},
          {"field":"live_comments","value":{"id":"17865799348089041","text":"live","from":{"id":"1","username":"x"},"media":{"id":"999","media_product_type":"LIVE"}}},
          {"field":"mentions","value":{"media_id":"17887498072083520","comment_id":"17887498072083521"}}
        ]}]}
        """);

    [Fact]
    public void A_signed_instagram_delivery_yields_its_comments_as_new_comment_changes_of_the_account()
    {
        var delivery = MetaWebhook.Receive(InstagramDelivery, MetaWebhook.Sign(InstagramDelivery, AppSecret), AppSecret);

        Assert.Equal(MetaWebhookStatus.Accepted, delivery.Status);
        Assert.Equal(
            [
                new MetaCommentChange("17841400000000001", "17865799348089039", "123123123", null, "add", Platform.Instagram),
                new MetaCommentChange("17841400000000001", "17865799348089040", "123123123", "17865799348089039", "add", Platform.Instagram),
            ],
            delivery.CommentChanges);
    }

    [Fact]
    public void An_instagram_delivery_with_a_bad_signature_is_rejected_before_parsing()
    {
        var delivery = MetaWebhook.Receive(InstagramDelivery, MetaWebhook.Sign(InstagramDelivery, "another-secret"), AppSecret);

        Assert.Equal(MetaWebhookStatus.BadSignature, delivery.Status);
        Assert.Empty(delivery.CommentChanges);
    }

    [Fact]
    public void Facebook_feed_changes_still_parse_as_facebook_and_other_objects_yield_nothing()
    {
        var page = Encoding.UTF8.GetBytes("""
            {"object":"page","entry":[{"id":"100000000000001","time":1,"changes":[
              {"field":"feed","value":{"item":"comment","verb":"add","comment_id":"12_34","post_id":"100000000000001_12"}},
              {"field":"comments","value":{"id":"17865799348089039","media":{"id":"1"}}}
            ]}]}
            """);
        var user = Encoding.UTF8.GetBytes("""{"object":"user","entry":[{"id":"1","changes":[{"field":"comments","value":{"id":"2"}}]}]}""");

        var pageChanges = MetaWebhook.ParseCommentChanges(page);
        var userChanges = MetaWebhook.ParseCommentChanges(user);

        var change = Assert.Single(pageChanges!);
        Assert.Equal(Platform.Facebook, change.Platform);
        Assert.Equal("12_34", change.CommentId);
        Assert.Empty(userChanges!);
    }

    [Theory]
    [InlineData("""{"object":"instagram","entry":[{"id":"1","changes":[{"field":"comments","value":{"text":"no id"}}]}]}""")]
    [InlineData("""{"object":"instagram","entry":[{"changes":[{"field":"comments","value":{"id":"5"}}]}]}""")]
    [InlineData("""{"object":"instagram","entry":[{"id":"1","changes":[{"field":"comments","value":"5"}]}]}""")]
    public void Instagram_changes_without_a_comment_id_or_account_are_skipped(string body)
    {
        var changes = MetaWebhook.ParseCommentChanges(Encoding.UTF8.GetBytes(body));

        Assert.NotNull(changes);
        Assert.Empty(changes);
    }

    [Fact]
    public void A_truncated_instagram_body_is_malformed()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"instagram","entry":[{"id":"1",""");

        var delivery = MetaWebhook.Receive(body, MetaWebhook.Sign(body, AppSecret), AppSecret);

        Assert.Equal(MetaWebhookStatus.Malformed, delivery.Status);
    }

    [Fact]
    public async Task The_simulator_sends_signed_instagram_comment_webhooks_that_a_receiver_accepts_and_a_wrong_secret_is_refused()
    {
        await using var receiver = await Receiver.StartAsync(AppSecret);
        await using var harness = await InstagramHarness.StartAsync();
        await using var other = await InstagramHarness.StartAsync();
        harness.Simulator.EnableWebhooks(receiver.Url, AppSecret);
        other.Simulator.EnableWebhooks(receiver.Url, "not-the-app-secret");
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Book week");

        var comment = harness.Simulator.AddComment(media, "first");
        var reply = harness.Simulator.AddComment(media, "a reply", parentCommentId: comment);
        other.Simulator.AddComment(other.Simulator.AddMedia(other.Account.Id, "Elsewhere"), "forged");
        await Eventually.WaitUntilAsync(() => harness.Simulator.WebhooksDelivered == 2 && other.Simulator.WebhooksFailed == 1, because: "two accepted, one refused");

        Assert.Equal(
            [
                new MetaCommentChange(harness.Account.Id, comment, media, null, "add", Platform.Instagram),
                new MetaCommentChange(harness.Account.Id, reply, media, comment, "add", Platform.Instagram),
            ],
            receiver.Changes);
        Assert.Equal(1, receiver.Rejected);
    }

    /// <summary>A minimal host of the webhook functions, as Admin maps them.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly ConcurrentQueue<MetaCommentChange> _changes = new();
        private WebApplication? _app;
        private int _rejected;

        public Uri Url { get; private set; } = null!;

        public IReadOnlyList<MetaCommentChange> Changes => [.. _changes];

        public int Rejected => Volatile.Read(ref _rejected);

        public static async Task<Receiver> StartAsync(string appSecret)
        {
            var receiver = new Receiver();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Run(async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                var delivery = MetaWebhook.Receive(buffer.ToArray(), context.Request.Headers[MetaWebhook.SignatureHeader].ToString(), appSecret);
                if (delivery.Status != MetaWebhookStatus.Accepted)
                {
                    Interlocked.Increment(ref receiver._rejected);
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                foreach (var change in delivery.CommentChanges)
                {
                    receiver._changes.Enqueue(change);
                }
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
