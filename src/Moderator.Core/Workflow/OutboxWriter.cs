using Dapper;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>Queues outbox rows inside the caller's transaction. A repeated idempotency key is a no-op.</summary>
internal static class OutboxWriter
{
    public static async Task<long?> EnqueuePlatformActionAsync(NpgsqlConnection c, NpgsqlTransaction tx, PlatformActionKind action, Guid pageId, Guid commentId, string idempotencyKey, object payload, DateTimeOffset now, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long?>(Db.Cmd(
            """
            INSERT INTO outbox (kind, action, page_id, comment_id, payload, idempotency_key, status, next_attempt_at, created_at)
            VALUES ('PlatformAction', @action, @pageId, @commentId, @payload::jsonb, @idempotencyKey, 'Pending', @now, @now)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """,
            new { action = action.ToString(), pageId, commentId, payload = Db.ToJson(payload), idempotencyKey, now },
            tx,
            ct));
        if (id is { } queued)
        {
            await c.ExecuteAsync(Db.Cmd(
                "UPDATE comments SET visibility = @visibility WHERE id = @commentId",
                new { commentId, visibility = action switch { PlatformActionKind.Hide => "Hidden", PlatformActionKind.Delete => "Deleted", _ => "Visible" } },
                tx,
                ct));
            await AuditLog.AppendAsync(c, tx, Actor.System, now, "outbox.queued", "outbox", queued.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { Kind = "PlatformAction", Action = action.ToString(), pageId, commentId, idempotencyKey }, ct);
        }

        return id;
    }

    public static async Task<long?> EnqueueNotificationAsync(NpgsqlConnection c, NpgsqlTransaction tx, NotificationChannel channel, Guid? recipientStaffId, object payload, string idempotencyKey, DateTimeOffset now, CancellationToken ct)
    {
        var id = await c.ExecuteScalarAsync<long?>(Db.Cmd(
            """
            INSERT INTO outbox (kind, channel, recipient_staff_id, payload, idempotency_key, status, next_attempt_at, created_at)
            VALUES ('Notification', @channel, @recipientStaffId, @payload::jsonb, @idempotencyKey, 'Pending', @now, @now)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """,
            new { channel = channel.ToString(), recipientStaffId, payload = Db.ToJson(payload), idempotencyKey, now },
            tx,
            ct));
        if (id is { } queued)
        {
            await AuditLog.AppendAsync(c, tx, Actor.System, now, "outbox.queued", "outbox", queued.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { Kind = "Notification", Channel = channel.ToString(), recipientStaffId, idempotencyKey }, ct);
        }

        return id;
    }
}
