using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>The random part of the retry delay, injectable so tests can fix it. Returns a value in [0, 1).</summary>
public sealed class OutboxJitter(Func<double> next)
{
    public static OutboxJitter Random { get; } = new(System.Random.Shared.NextDouble);

    public double Next() => next();
}

/// <summary>What one dispatch pass did.</summary>
public sealed record DispatchResult(int Claimed, int Succeeded, int Retrying, int DeadLettered, int Blocked, int CannotAct = 0);

/// <summary>
/// Carries out outbox rows: claims a batch with FOR UPDATE SKIP LOCKED under a lease (so parallel consumers never
/// take the same row), executes each through the ports, and records the result. Failures are retried with
/// exponential backoff and jitter and dead-lettered with an alert after the limit; a platform authorisation failure
/// moves the page to NeedsReconnect and alerts an administrator instead of retrying. A platform that will never allow
/// the action on that item (<see cref="PlatformCannotActException"/>) finishes the row as <c>CannotAct</c>: the comment
/// goes back to visible, it and its open case are flagged "cannot hide — act on the platform" and an alert is raised.
/// </summary>
public sealed partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    TimeProvider clock,
    IPlatformActions platformActions,
    INotificationSender notifications,
    IOptions<OutboxOptions> options,
    OutboxJitter jitter,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>One pass: claim up to a batch of due rows for <paramref name="consumerId"/> and execute them.</summary>
    public async Task<DispatchResult> DispatchAsync(string consumerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerId);
        var o = options.Value;
        var claimed = await ClaimAsync(consumerId, o, cancellationToken);
        int succeeded = 0, retrying = 0, dead = 0, blocked = 0, cannotAct = 0;
        foreach (var row in claimed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await ExecuteAsync(row, cancellationToken);
                await CompleteAsync(row, consumerId, cancellationToken);
                succeeded++;
            }
            catch (PlatformAuthorizationException e)
            {
                await BlockAsync(row, consumerId, e, cancellationToken);
                blocked++;
            }
            catch (PlatformCannotActException e)
            {
                await CannotActAsync(row, consumerId, e, cancellationToken);
                cannotAct++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (await FailAsync(row, consumerId, e, o, cancellationToken))
                {
                    dead++;
                }
                else
                {
                    retrying++;
                }
            }
        }

        return new DispatchResult(claimed.Count, succeeded, retrying, dead, blocked, cannotAct);
    }

    /// <summary>The delay before attempt <paramref name="attempts"/> + 1: InitialBackoff * 2^(attempts-1), capped, with "equal jitter" (half fixed, half random).</summary>
    public static TimeSpan Backoff(int attempts, OutboxOptions options, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var raw = Math.Min(options.InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent), options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((raw / 2) + (raw / 2 * Math.Clamp(random, 0, 1)));
    }

    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        Db.EnsureConfigured();
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<EntryRow>(Db.Cmd(
            """
            SELECT id AS Id, kind AS Kind, action AS Action, channel AS Channel, page_id AS PageId, comment_id AS CommentId, recipient_staff_id AS RecipientStaffId,
                   payload::text AS Payload, idempotency_key AS IdempotencyKey, status AS Status, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
                   last_error AS LastError, created_at AS CreatedAt, completed_at AS CompletedAt
            FROM outbox WHERE (@status::text IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit
            """,
            new { status = status?.ToString(), limit },
            null,
            cancellationToken));
        return [.. rows.Select(r => new OutboxEntry(
            r.Id,
            Enum.Parse<OutboxKind>(r.Kind),
            r.Action is null ? null : Enum.Parse<PlatformActionKind>(r.Action),
            r.Channel is null ? null : Enum.Parse<NotificationChannel>(r.Channel),
            r.PageId,
            r.CommentId,
            r.RecipientStaffId,
            r.Payload,
            r.IdempotencyKey,
            Enum.Parse<OutboxStatus>(r.Status),
            r.Attempts,
            r.NextAttemptAt,
            r.LastError,
            r.CreatedAt,
            r.CompletedAt))];
    }

    private async Task<List<ClaimedRow>> ClaimAsync(string consumerId, OutboxOptions o, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            // Due rows, or rows whose consumer died mid-lease. Rows of a page needing reconnection wait.
            var rows = await c.QueryAsync<ClaimedRow>(Db.Cmd(
                """
                WITH due AS (
                    SELECT o.id FROM outbox o
                    LEFT JOIN pages p ON p.id = o.page_id
                    WHERE ((o.status = 'Pending' AND o.next_attempt_at <= @now) OR (o.status = 'InProgress' AND o.lease_expires_at <= @now))
                      AND (o.kind = 'Notification' OR p.status NOT IN ('NeedsReconnect','Deactivated'))
                    ORDER BY o.next_attempt_at, o.id
                    LIMIT @batch
                    FOR UPDATE OF o SKIP LOCKED
                )
                UPDATE outbox SET status = 'InProgress', lease_owner = @consumerId, lease_expires_at = @leaseUntil, attempts = attempts + 1
                FROM due WHERE outbox.id = due.id
                RETURNING outbox.id AS Id, outbox.kind AS Kind, outbox.action AS Action, outbox.channel AS Channel, outbox.page_id AS PageId,
                          outbox.comment_id AS CommentId, outbox.recipient_staff_id AS RecipientStaffId, outbox.payload::text AS Payload,
                          outbox.idempotency_key AS IdempotencyKey, outbox.attempts AS Attempts
                """,
                new { now, batch = o.BatchSize, consumerId, leaseUntil = now + o.Lease },
                tx,
                ct));
            return rows.OrderBy(r => r.Id).ToList();
        }, ct);
    }

    private async Task ExecuteAsync(ClaimedRow row, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        if (row.Kind == nameof(OutboxKind.PlatformAction))
        {
            var target = await c.QuerySingleAsync<TargetRow>(Db.Cmd(
                """
                SELECT p.platform AS Platform, p.external_id AS PageExternalId, p.credentials_ciphertext AS Credentials, c.external_id AS CommentExternalId, c.post_id AS PostExternalId
                FROM pages p JOIN comments c ON c.id = @commentId WHERE p.id = @pageId
                """,
                new { pageId = row.PageId, commentId = row.CommentId },
                null,
                ct));
            await platformActions.ExecuteAsync(
                new PlatformActionRequest(row.Id, row.IdempotencyKey, Enum.Parse<PlatformActionKind>(row.Action!), row.PageId!.Value, Enum.Parse<Platform>(target.Platform), target.PageExternalId, target.Credentials, row.CommentId!.Value, target.CommentExternalId, row.Attempts) { PostExternalId = target.PostExternalId },
                ct);
        }
        else
        {
            var channel = Enum.Parse<NotificationChannel>(row.Channel!);
            string address;
            if (channel == NotificationChannel.Email)
            {
                address = await c.QuerySingleAsync<string>(Db.Cmd("SELECT email FROM staff_members WHERE id = @id", new { id = row.RecipientStaffId }, null, ct));
            }
            else
            {
                address = await c.QuerySingleOrDefaultAsync<string?>(Db.Cmd(
                    "SELECT escalation_webhook_url FROM schools WHERE id = (SELECT school_id FROM escalations WHERE id = (@payload::jsonb->>'escalationId')::uuid)",
                    new { payload = row.Payload },
                    null,
                    ct)) ?? throw new InvalidOperationException("The school has no webhook configured.");
            }

            await notifications.SendAsync(new NotificationRequest(row.Id, row.IdempotencyKey, channel, row.RecipientStaffId, address, row.Payload, row.Attempts), ct);
        }
    }

    private Task CompleteAsync(ClaimedRow row, string consumerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var updated = await c.ExecuteAsync(Db.Cmd(
                "UPDATE outbox SET status = 'Done', completed_at = @now, lease_owner = NULL, lease_expires_at = NULL, last_error = NULL WHERE id = @id AND lease_owner = @consumerId AND status = 'InProgress'",
                new { id = row.Id, consumerId, now },
                tx,
                ct));
            if (updated == 1)
            {
                await AuditLog.AppendAsync(c, tx, Actor.System, now, "outbox.done", "outbox", Key(row.Id), null, new { row.Kind, row.Action, row.Channel, row.Attempts }, ct);
                LogDone(logger, row.Id, row.Kind, row.Attempts);
            }
        }, ct);
    }

    private Task BlockAsync(ClaimedRow row, string consumerId, PlatformAuthorizationException error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            if (row.PageId is { } pageId)
            {
                var page = await Stores.LoadPageAsync(c, tx, pageId, forUpdate: true, ct);
                if (page is not null && page.Status is not (PageStatus.NeedsReconnect or PageStatus.Deactivated))
                {
                    var before = page.Snapshot();
                    page.MarkNeedsReconnect();
                    await Stores.SavePageAsync(c, tx, page, before, isNew: false, Actor.System, now, "page.needs_reconnect", ct);
                }
            }

            await c.ExecuteAsync(Db.Cmd(
                "UPDATE outbox SET status = 'Blocked', lease_owner = NULL, lease_expires_at = NULL, last_error = @error WHERE id = @id AND lease_owner = @consumerId",
                new { id = row.Id, consumerId, error = Describe(error) },
                tx,
                ct));
            await AuditLog.AppendAsync(c, tx, Actor.System, now, "outbox.blocked", "outbox", Key(row.Id), null, new { row.PageId, Reason = "PlatformAuthorization" }, ct);
            LogBlocked(logger, row.Id, row.PageId);
        }, ct);
    }

    /// <summary>
    /// The platform refuses this action on this item for good. The row is finished as CannotAct (not Done: nothing
    /// happened), the comment is put back to Visible and flagged, its open cases are flagged, and an alert is raised.
    /// </summary>
    private Task CannotActAsync(ClaimedRow row, string consumerId, PlatformCannotActException error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var updated = await c.ExecuteAsync(Db.Cmd(
                """
                UPDATE outbox SET status = 'CannotAct', completed_at = @now, lease_owner = NULL, lease_expires_at = NULL, last_error = @error
                WHERE id = @id AND lease_owner = @consumerId AND status = 'InProgress'
                """,
                new { id = row.Id, consumerId, now, error = Describe(error) },
                tx,
                ct));
            if (updated != 1 || row.CommentId is not { } commentId)
            {
                return;
            }

            // Hide and delete marked the comment as out of view when they were queued; it is not, so say so.
            await c.ExecuteAsync(Db.Cmd(
                """
                UPDATE comments SET cannot_act_at = @now, cannot_act_action = @action,
                       visibility = CASE WHEN @action IN ('Hide','Delete') THEN 'Visible' ELSE visibility END
                WHERE id = @commentId
                """,
                new { commentId, now, action = row.Action },
                tx,
                ct));
            await c.ExecuteAsync(Db.Cmd(
                "UPDATE review_cases SET cannot_hide = true WHERE comment_id = @commentId AND status <> 'Settled'",
                new { commentId },
                tx,
                ct));
            await Stores.RaiseAlertAsync(
                c,
                tx,
                AlertKinds.PlatformCannotAct,
                null,
                row.PageId,
                "comment",
                commentId.ToString(),
                $"The platform does not let this page's account perform {row.Action} on this comment, so it is still visible: cannot hide — act on the platform.",
                now,
                ct);
            await AuditLog.AppendAsync(c, tx, Actor.System, now, "outbox.cannot_act", "outbox", Key(row.Id), null, new { row.Action, row.PageId, row.CommentId, row.Attempts }, ct);
            LogCannotAct(logger, row.Id, row.Action, row.CommentId);
        }, ct);
    }

    /// <summary>Schedules a retry, or dead-letters the row with an alert; returns true when dead-lettered.</summary>
    private Task<bool> FailAsync(ClaimedRow row, string consumerId, Exception error, OutboxOptions o, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dead = row.Attempts >= o.MaxAttempts;
        var next = now + Backoff(row.Attempts, o, jitter.Next());
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var updated = await c.ExecuteAsync(Db.Cmd(
                """
                UPDATE outbox SET status = @status, next_attempt_at = @next, lease_owner = NULL, lease_expires_at = NULL, last_error = @error
                WHERE id = @id AND lease_owner = @consumerId AND status = 'InProgress'
                """,
                new { id = row.Id, consumerId, status = dead ? "DeadLettered" : "Pending", next, error = Describe(error) },
                tx,
                ct));
            if (updated == 1 && dead)
            {
                await Stores.RaiseAlertAsync(c, tx, AlertKinds.OutboxDeadLettered, null, row.PageId, "outbox", Key(row.Id), $"An outbox {row.Kind} failed {row.Attempts} times and was set aside: {Describe(error)}", now, ct);
                await AuditLog.AppendAsync(c, tx, Actor.System, now, "outbox.dead_lettered", "outbox", Key(row.Id), null, new { row.Kind, row.Attempts }, ct);
                LogDeadLettered(logger, row.Id, row.Kind, row.Attempts);
            }
            else if (updated == 1)
            {
                LogRetry(logger, row.Id, row.Kind, row.Attempts, next);
            }

            return dead && updated == 1;
        }, ct);
    }

    /// <summary>The error's type only: messages from connectors may quote comment text or tokens.</summary>
    private static string Describe(Exception e) => e.GetType().Name;

    private static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 450, Level = LogLevel.Information, Message = "Outbox {OutboxId} ({Kind}) done after {Attempts} attempt(s)")]
    private static partial void LogDone(ILogger logger, long outboxId, string kind, int attempts);

    [LoggerMessage(EventId = 451, Level = LogLevel.Warning, Message = "Outbox {OutboxId} ({Kind}) failed on attempt {Attempts}; retrying at {NextAttemptAt}")]
    private static partial void LogRetry(ILogger logger, long outboxId, string kind, int attempts, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 452, Level = LogLevel.Error, Message = "Outbox {OutboxId} ({Kind}) dead-lettered after {Attempts} attempts")]
    private static partial void LogDeadLettered(ILogger logger, long outboxId, string kind, int attempts);

    [LoggerMessage(EventId = 453, Level = LogLevel.Error, Message = "Outbox {OutboxId} blocked: the platform refused the credentials of page {PageId}")]
    private static partial void LogBlocked(ILogger logger, long outboxId, Guid? pageId);

    [LoggerMessage(EventId = 454, Level = LogLevel.Warning, Message = "Outbox {OutboxId}: the platform cannot {Action} comment {CommentId}; flagged for action on the platform")]
    private static partial void LogCannotAct(ILogger logger, long outboxId, string? action, Guid? commentId);

    private sealed class ClaimedRow
    {
        public long Id { get; init; }

        public string Kind { get; init; } = string.Empty;

        public string? Action { get; init; }

        public string? Channel { get; init; }

        public Guid? PageId { get; init; }

        public Guid? CommentId { get; init; }

        public Guid? RecipientStaffId { get; init; }

        public string Payload { get; init; } = string.Empty;

        public string IdempotencyKey { get; init; } = string.Empty;

        public int Attempts { get; init; }
    }

    private sealed class TargetRow
    {
        public string Platform { get; init; } = string.Empty;

        public string PageExternalId { get; init; } = string.Empty;

        public string? Credentials { get; init; }

        public string CommentExternalId { get; init; } = string.Empty;

        public string? PostExternalId { get; init; }
    }

    private sealed class EntryRow
    {
        public long Id { get; init; }

        public string Kind { get; init; } = string.Empty;

        public string? Action { get; init; }

        public string? Channel { get; init; }

        public Guid? PageId { get; init; }

        public Guid? CommentId { get; init; }

        public Guid? RecipientStaffId { get; init; }

        public string Payload { get; init; } = string.Empty;

        public string IdempotencyKey { get; init; } = string.Empty;

        public string Status { get; init; } = string.Empty;

        public int Attempts { get; init; }

        public DateTimeOffset NextAttemptAt { get; init; }

        public string? LastError { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset? CompletedAt { get; init; }
    }
}
