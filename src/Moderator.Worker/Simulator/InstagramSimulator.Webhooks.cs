using System.Text;
using System.Text.Json.Nodes;

namespace Moderator.Worker.Simulator;

// Instagram "comments" webhooks from the simulator: each new comment is POSTed, signed with the app secret, to a callback.
public sealed partial class InstagramSimulator
{
    private SimulatedWebhookSender? _webhooks;

    /// <summary>Deliveries the callback answered with a 2xx status.</summary>
    public int WebhooksDelivered => _webhooks?.Delivered ?? 0;

    /// <summary>Deliveries that failed (no answer or a non-2xx status); the simulator does not retry them.</summary>
    public int WebhooksFailed => _webhooks?.Failed ?? 0;

    /// <summary>
    /// From now on, sends an <c>instagram</c>/<c>comments</c> change for every comment added (Instagram sends no edits),
    /// to <paramref name="callback"/>, signed with <c>X-Hub-Signature-256</c> over the raw body with <paramref name="appSecret"/>.
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

    private void QueueWebhook(CommentRecord comment)
    {
        if (_webhooks is not { } webhooks)
        {
            return;
        }

        var value = new JsonObject
        {
            ["id"] = comment.Id,
            ["text"] = comment.Text,
            ["from"] = new JsonObject { ["id"] = comment.AuthorId, ["username"] = comment.Username },
            ["media"] = new JsonObject { ["id"] = comment.MediaId, ["media_product_type"] = _media[comment.MediaId].MediaProductType },
        };
        if (comment.ParentId is not null)
        {
            value["parent_id"] = comment.ParentId;
        }

        var body = new JsonObject
        {
            ["object"] = "instagram",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = comment.AccountId,
                ["time"] = _clock.GetUtcNow().ToUnixTimeSeconds(),
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "comments", ["value"] = value }),
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
