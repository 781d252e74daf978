using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Simulator;

// Meta webhooks from the simulator: each new or edited comment is POSTed, signed with the app secret, to a callback.
public sealed partial class FacebookSimulator
{
    private Channel<byte[]>? _webhookQueue;
    private Task? _webhookSender;
    private HttpClient? _webhookClient;
    private int _webhooksDelivered;
    private int _webhooksFailed;

    /// <summary>Deliveries the callback answered with a 2xx status.</summary>
    public int WebhooksDelivered => Volatile.Read(ref _webhooksDelivered);

    /// <summary>Deliveries that failed (no answer or a non-2xx status); the simulator does not retry them.</summary>
    public int WebhooksFailed => Volatile.Read(ref _webhooksFailed);

    /// <summary>
    /// From now on, sends a <c>page</c>/<c>feed</c> change (verb <c>add</c> or <c>edited</c>) for every comment added or
    /// edited, to <paramref name="callback"/>, signed with <c>X-Hub-Signature-256</c> over the raw body with <paramref name="appSecret"/>.
    /// </summary>
    public void EnableWebhooks(Uri callback, string appSecret)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        lock (_lock)
        {
            if (_webhookQueue is not null)
            {
                throw new InvalidOperationException("Webhooks are already enabled.");
            }

            _webhookQueue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
            _webhookClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            _webhookSender = SendWebhooksAsync(_webhookQueue.Reader, _webhookClient, callback, appSecret);
        }
    }

    private void QueueWebhook(CommentRecord comment, string verb)
    {
        if (_webhookQueue is not { } queue)
        {
            return;
        }

        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var value = new JsonObject
        {
            ["from"] = new JsonObject { ["id"] = comment.AuthorId, ["name"] = comment.AuthorName },
            ["item"] = "comment",
            ["verb"] = verb,
            ["comment_id"] = comment.Id,
            ["post_id"] = comment.PostId,
            ["parent_id"] = comment.ParentId ?? comment.PostId,
            ["message"] = comment.Message,
            ["created_time"] = comment.CreatedTime.ToUnixTimeSeconds(),
            ["post"] = new JsonObject { ["id"] = comment.PostId, ["status_type"] = "mobile_status_update", ["is_published"] = true },
        };
        var body = new JsonObject
        {
            ["object"] = "page",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = comment.PageId,
                ["time"] = now,
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "feed", ["value"] = value }),
            }),
        };
        queue.Writer.TryWrite(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    private async Task SendWebhooksAsync(ChannelReader<byte[]> reader, HttpClient client, Uri callback, string appSecret)
    {
        await foreach (var body in reader.ReadAllAsync())
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = content };
                request.Headers.TryAddWithoutValidation(MetaWebhook.SignatureHeader, MetaWebhook.Sign(body, appSecret));
                using var response = await client.SendAsync(request);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _webhooksDelivered : ref _webhooksFailed);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _webhooksFailed);
            }
            catch (TaskCanceledException)
            {
                Interlocked.Increment(ref _webhooksFailed);
            }
        }
    }

    private async Task StopWebhooksAsync()
    {
        Task? sender;
        lock (_lock)
        {
            _webhookQueue?.Writer.TryComplete();
            sender = _webhookSender;
        }

        if (sender is not null)
        {
            await sender;
        }

        _webhookClient?.Dispose();
    }
}
