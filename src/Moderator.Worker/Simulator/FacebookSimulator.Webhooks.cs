using System.Text;
using System.Text.Json.Nodes;

namespace Moderator.Worker.Simulator;

// Meta webhooks from the simulator: each new or edited comment is POSTed, signed with the app secret, to a callback.
public sealed partial class FacebookSimulator
{
    private SimulatedWebhookSender? _webhooks;

    /// <summary>Deliveries the callback answered with a 2xx status.</summary>
    public int WebhooksDelivered => _webhooks?.Delivered ?? 0;

    /// <summary>Deliveries that failed (no answer or a non-2xx status); the simulator does not retry them.</summary>
    public int WebhooksFailed => _webhooks?.Failed ?? 0;

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
            if (_webhooks is not null)
            {
                throw new InvalidOperationException("Webhooks are already enabled.");
            }

            _webhooks = new SimulatedWebhookSender(callback, appSecret);
        }
    }

    private void QueueWebhook(CommentRecord comment, string verb)
    {
        if (_webhooks is not { } webhooks)
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
        webhooks.Enqueue(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    private async Task StopWebhooksAsync()
    {
        SimulatedWebhookSender? webhooks;
        lock (_lock)
        {
            webhooks = _webhooks;
        }

        if (webhooks is not null)
        {
            await webhooks.DisposeAsync();
        }
    }
}
