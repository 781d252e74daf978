using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>Settings a school may change; null keeps the default.</summary>
public sealed record SchoolSettings(
    string TimeZone = "Europe/London",
    TimeOnly? SchoolDayStart = null,
    TimeOnly? SchoolDayEnd = null,
    TimeSpan? AckDeadlineInSchoolHours = null,
    TimeSpan? AckDeadlineOutsideSchoolHours = null,
    TimeSpan? ReviewAgeTarget = null,
    string? EscalationWebhookUrl = null);

/// <summary>Trusts, schools and pages with their approvals and moderators. Every change is audited.</summary>
public sealed partial class Organisation(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<Organisation> logger)
{
    public static readonly TimeOnly DefaultSchoolDayStart = new(8, 0);
    public static readonly TimeOnly DefaultSchoolDayEnd = new(16, 0);
    public static readonly TimeSpan DefaultAckInSchoolHours = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultAckOutsideSchoolHours = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan DefaultReviewAgeTarget = TimeSpan.FromHours(24);

    public Task<Guid> CreateTrustAsync(string name, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            await c.ExecuteAsync(Db.Cmd("INSERT INTO trusts (id, name, created_at) VALUES (@id, @name, @now)", new { id, name, now }, tx, cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "trust.created", "trust", id.ToString(), null, new { name }, cancellationToken);
            return id;
        }, cancellationToken);
    }

    /// <summary>Names the trust's safeguarding lead: the last person an unacknowledged escalation goes to.</summary>
    public Task SetTrustSafeguardingLeadAsync(Guid trustId, Guid staffId, Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var staff = await Stores.LoadStaffAsync(c, tx, staffId, cancellationToken) ?? throw new WorkflowNotFoundException("No such member of staff.");
            if (staff.TrustId != trustId || !staff.Active || !staff.Has(StaffRole.SafeguardingLead))
            {
                throw new WorkflowRuleException("The trust's safeguarding lead must be an active SafeguardingLead of the trust.");
            }

            var before = await c.ExecuteScalarAsync<Guid?>(Db.Cmd("SELECT safeguarding_lead_staff_id FROM trusts WHERE id = @trustId FOR UPDATE", new { trustId }, tx, cancellationToken));
            await c.ExecuteAsync(Db.Cmd("UPDATE trusts SET safeguarding_lead_staff_id = @staffId WHERE id = @trustId", new { trustId, staffId }, tx, cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "trust.safeguarding_lead_set", "trust", trustId.ToString(), new { SafeguardingLead = before }, new { SafeguardingLead = staffId }, cancellationToken);
        }, cancellationToken);
    }

    public Task<Guid> CreateSchoolAsync(Guid trustId, string name, SchoolSettings? settings, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        settings ??= new SchoolSettings();
        Validate(settings);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var p = Parameters(id, settings);
            await c.ExecuteAsync(Db.Cmd(
                """
                INSERT INTO schools (id, trust_id, name, time_zone, school_day_start, school_day_end, ack_deadline_school_hours,
                                     ack_deadline_outside_hours, review_age_target, escalation_webhook_url, created_at)
                VALUES (@id, @trustId, @name, @timeZone, @start, @end, @ackIn, @ackOut, @reviewTarget, @webhook, @now)
                """,
                new { id, trustId, name, p.timeZone, p.start, p.end, p.ackIn, p.ackOut, p.reviewTarget, p.webhook, now },
                tx,
                cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "school.created", "school", id.ToString(), null, new { trustId, name, settings }, cancellationToken);
            return id;
        }, cancellationToken);
    }

    public Task ChangeSchoolSettingsAsync(Guid schoolId, SchoolSettings settings, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Validate(settings);
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            await c.ExecuteAsync(Db.Cmd("SELECT 1 FROM schools WHERE id = @schoolId FOR UPDATE", new { schoolId }, tx, cancellationToken));
            var before = await Stores.LoadSchoolAsync(c, tx, schoolId, cancellationToken) ?? throw new WorkflowNotFoundException("No such school.");
            await EnsureAdministratorAsync(c, tx, actor, schoolId, cancellationToken);
            var p = Parameters(schoolId, settings);
            await c.ExecuteAsync(Db.Cmd(
                """
                UPDATE schools SET time_zone = @timeZone, school_day_start = @start, school_day_end = @end, ack_deadline_school_hours = @ackIn,
                                   ack_deadline_outside_hours = @ackOut, review_age_target = @reviewTarget, escalation_webhook_url = @webhook, version = version + 1
                WHERE id = @id
                """,
                p,
                tx,
                cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "school.settings_changed", "school", schoolId.ToString(), before, settings, cancellationToken);
        }, cancellationToken);
    }

    public async Task<School> GetSchoolAsync(Guid schoolId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Stores.LoadSchoolAsync(c, null, schoolId, cancellationToken) ?? throw new WorkflowNotFoundException("No such school.");
    }

    public async Task<IReadOnlyList<School>> ListSchoolsAsync(Guid trustId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await c.QueryAsync<Guid>(Db.Cmd("SELECT id FROM schools WHERE trust_id = @trustId ORDER BY name, id", new { trustId }, null, cancellationToken));
        var schools = new List<School>();
        foreach (var id in ids)
        {
            schools.Add((await Stores.LoadSchoolAsync(c, null, id, cancellationToken))!);
        }

        return schools;
    }

    public async Task<Trust> GetTrustAsync(Guid trustId, CancellationToken cancellationToken = default)
    {
        Db.EnsureConfigured();
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await c.QueryFirstOrDefaultAsync<Trust>(Db.Cmd(
            "SELECT id AS Id, name AS Name, safeguarding_lead_staff_id AS SafeguardingLeadStaffId FROM trusts WHERE id = @trustId",
            new { trustId },
            null,
            cancellationToken)) ?? throw new WorkflowNotFoundException("No such trust.");
    }

    /// <summary>Registers a page. It stays Pending (not polled) until approved and given two moderators.</summary>
    public Task<Guid> RegisterPageAsync(Guid schoolId, Platform platform, string externalId, string name, TimeSpan pollInterval, string? credentialsCiphertext, Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var page = Page.Register(Guid.CreateVersion7(now), schoolId, platform, externalId, name, pollInterval, credentialsCiphertext);
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            _ = await Stores.LoadSchoolAsync(c, tx, schoolId, cancellationToken) ?? throw new WorkflowNotFoundException("No such school.");
            await EnsureAdministratorAsync(c, tx, actor, schoolId, cancellationToken);
            await Stores.SavePageAsync(c, tx, page, null, isNew: true, actor, now, "page.registered", cancellationToken);
            return page.Id;
        }, cancellationToken);
    }

    public async Task<Page> GetPageAsync(Guid pageId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Stores.LoadPageAsync(c, null, pageId, forUpdate: false, cancellationToken) ?? throw new WorkflowNotFoundException("No such page.");
    }

    /// <summary>Pages the worker polls: Active ones.</summary>
    public async Task<IReadOnlyList<Page>> ListActivePagesAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await c.QueryAsync<Guid>(Db.Cmd("SELECT id FROM pages WHERE status = 'Active' ORDER BY id", null, null, cancellationToken));
        var pages = new List<Page>();
        foreach (var id in ids)
        {
            pages.Add((await Stores.LoadPageAsync(c, null, id, forUpdate: false, cancellationToken))!);
        }

        return pages;
    }

    public async Task<IReadOnlyList<Page>> ListSchoolPagesAsync(Guid schoolId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await c.QueryAsync<Guid>(Db.Cmd("SELECT id FROM pages WHERE school_id = @schoolId ORDER BY name, id", new { schoolId }, null, cancellationToken));
        var pages = new List<Page>();
        foreach (var id in ids)
        {
            pages.Add((await Stores.LoadPageAsync(c, null, id, forUpdate: false, cancellationToken))!);
        }

        return pages;
    }

    public Task<Page> RecordApprovalAsync(Guid pageId, ApprovalRole role, string approverName, Guid? approverStaffId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangePageAsync(pageId, actor, "page.approval_recorded", (page, now) => page.RecordApproval(role, approverName, approverStaffId, now), cancellationToken);

    public Task<Page> AssignModeratorAsync(Guid pageId, Guid staffId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangePageAsync(pageId, actor, "page.moderator_assigned", async (c, tx, page, now) =>
        {
            var staff = await Stores.LoadStaffAsync(c, tx, staffId, cancellationToken) ?? throw new WorkflowNotFoundException("No such member of staff.");
            page.AssignModerator(staff, now);
        }, null, cancellationToken);

    public Task<Page> RemoveModeratorAsync(Guid pageId, Guid staffId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangePageAsync(pageId, actor, "page.moderator_removed", (page, _) => page.RemoveModerator(staffId), cancellationToken);

    /// <summary>Stores fresh credentials (ciphertext) and re-queues platform actions that were blocked on the old ones.</summary>
    public Task<Page> ReconnectAsync(Guid pageId, string credentialsCiphertext, Actor actor, CancellationToken cancellationToken = default) =>
        ChangePageAsync(pageId, actor, "page.reconnected", async (c, tx, page, now) =>
        {
            page.Reconnect(credentialsCiphertext);
            await c.ExecuteAsync(Db.Cmd(
                "UPDATE outbox SET status = 'Pending', next_attempt_at = @now, last_error = NULL WHERE page_id = @pageId AND status = 'Blocked'",
                new { pageId, now },
                tx,
                cancellationToken));
        }, null, cancellationToken);

    public Task<Page> DeactivatePageAsync(Guid pageId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangePageAsync(pageId, actor, "page.deactivated", (page, _) => page.Deactivate(), cancellationToken);

    public Task<Page> ChangePollIntervalAsync(Guid pageId, TimeSpan interval, Actor actor, CancellationToken cancellationToken = default) =>
        ChangePageAsync(pageId, actor, "page.poll_interval_changed", (page, _) => page.ChangePollInterval(interval), cancellationToken);

    public Task<Page> SetThresholdOverridesAsync(Guid pageId, string? thresholdOverridesJson, Actor actor, CancellationToken cancellationToken = default) =>
        ChangePageAsync(pageId, actor, "page.thresholds_changed", (page, _) => page.SetThresholdOverrides(thresholdOverridesJson), cancellationToken);

    /// <summary>The worker's poll position. Not audited: it changes on every poll and carries no decision.</summary>
    public async Task SaveCursorAsync(Guid pageId, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        await c.ExecuteAsync(Db.Cmd("UPDATE pages SET cursor = @cursor WHERE id = @pageId", new { pageId, cursor }, null, cancellationToken));
    }

    /// <summary>
    /// The platform refused the page's credentials while polling: the page stops being polled and an administrator is
    /// alerted to reconnect it (no retrying with a dead token).
    /// </summary>
    public Task MarkNeedsReconnectAsync(Guid pageId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var page = await Stores.LoadPageAsync(c, tx, pageId, forUpdate: true, cancellationToken);
            if (page is null || page.Status is PageStatus.NeedsReconnect or PageStatus.Deactivated)
            {
                return;
            }

            var before = page.Snapshot();
            var statusBefore = page.Status;
            page.MarkNeedsReconnect();
            await Stores.SavePageAsync(c, tx, page, before, isNew: false, Actor.System, now, "page.needs_reconnect", cancellationToken);
            LogPageStatusChanged(logger, page.Id, statusBefore, page.Status);
        }, cancellationToken);
    }

    /// <summary>A connector refreshed the page's token: store the new encrypted credentials (no status change).</summary>
    public async Task SaveRefreshedCredentialsAsync(Guid pageId, string credentialsCiphertext, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        await c.ExecuteAsync(Db.Cmd("UPDATE pages SET credentials_ciphertext = @credentialsCiphertext WHERE id = @pageId", new { pageId, credentialsCiphertext }, null, cancellationToken));
    }

    /// <summary>
    /// Holds the page's credentials for a token refresh across every worker node: a PostgreSQL session advisory lock
    /// keyed by the page, taken on its own connection and released (or dropped with the connection) when the lease is
    /// disposed. The lease carries the secret stored at that moment, decrypted, so a node that waited for another's
    /// refresh uses the rotated tokens instead of spending the old refresh token again.
    /// </summary>
    public async Task<Platforms.CredentialsLease> HoldPageCredentialsAsync(Guid pageId, Security.SecretProtector secrets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var key = CredentialsLockKey(pageId);
            await connection.ExecuteAsync(Db.Cmd("SELECT pg_advisory_lock(@key)", new { key }, null, cancellationToken));
            var ciphertext = await connection.ExecuteScalarAsync<string?>(Db.Cmd(
                "SELECT credentials_ciphertext FROM pages WHERE id = @pageId", new { pageId }, null, cancellationToken));
            return new Platforms.CredentialsLease(string.IsNullOrEmpty(ciphertext) ? null : secrets.Unprotect(ciphertext), async () =>
            {
                try
                {
                    await connection.ExecuteAsync(Db.Cmd("SELECT pg_advisory_unlock(@key)", new { key }, null, CancellationToken.None));
                }
                catch (NpgsqlException)
                {
                    // A broken connection took the session, and the lock with it: the refresh itself already succeeded.
                }
                finally
                {
                    await connection.DisposeAsync();
                }
            });
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The advisory-lock key of one page's credentials: the page id's two halves folded into an int64.</summary>
    internal static long CredentialsLockKey(Guid pageId)
    {
        Span<byte> bytes = stackalloc byte[16];
        pageId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]) ^ 0x6372656473L; // "creds"
    }

    /// <summary>Asks the worker to poll the page at its next schedule check (a webhook said something changed).</summary>
    public async Task RequestPollAsync(Guid pageId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        await c.ExecuteAsync(Db.Cmd("UPDATE pages SET poll_requested_at = @now WHERE id = @pageId", new { pageId, now = clock.GetUtcNow() }, null, cancellationToken));
    }

    /// <summary>Pages a webhook asked to poll, clearing the requests.</summary>
    public async Task<IReadOnlyList<Guid>> TakePollRequestsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await c.QueryAsync<Guid>(Db.Cmd(
            "UPDATE pages SET poll_requested_at = NULL WHERE poll_requested_at IS NOT NULL AND status = 'Active' RETURNING id", null, null, cancellationToken));
        return [.. ids];
    }

    /// <summary>Finds a page by its platform id (webhooks name pages that way).</summary>
    public async Task<Guid?> FindPageIdAsync(Platform platform, string externalId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await c.QueryFirstOrDefaultAsync<Guid?>(Db.Cmd(
            "SELECT id FROM pages WHERE platform = @platform AND external_id = @externalId", new { platform = platform.ToString(), externalId }, null, cancellationToken));
    }

    public async Task<IReadOnlyList<Alert>> ListOpenAlertsAsync(Guid? schoolId = null, CancellationToken cancellationToken = default)
    {
        Db.EnsureConfigured();
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<Alert>(Db.Cmd(
            """
            SELECT id AS Id, kind AS Kind, school_id AS SchoolId, page_id AS PageId, entity_type AS EntityType, entity_id AS EntityId,
                   message AS Message, created_at AS CreatedAt, resolved_at AS ResolvedAt
            FROM alerts WHERE resolved_at IS NULL AND (@schoolId::uuid IS NULL OR school_id = @schoolId OR school_id IS NULL)
            ORDER BY created_at, id
            """,
            new { schoolId },
            null,
            cancellationToken));
        return [.. rows];
    }

    public Task ResolveAlertAsync(Guid alertId, Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var updated = await c.ExecuteAsync(Db.Cmd(
                "UPDATE alerts SET resolved_at = @now, resolved_by = @staff WHERE id = @alertId AND resolved_at IS NULL",
                new { alertId, now, staff = actor.StaffId },
                tx,
                cancellationToken));
            if (updated == 0)
            {
                throw new WorkflowRuleException("The alert does not exist or is already resolved.");
            }

            await AuditLog.AppendAsync(c, tx, actor, now, "alert.resolved", "alert", alertId.ToString(), null, null, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Puts a platform action or notification that was set aside after its last attempt (an outbox dead letter) back in
    /// the queue with fresh attempts, once whoever fixed the cause (a reconnected token, a platform outage over) asks:
    /// the worker carries it out on its next dispatch. Resolves the alert and audits the request under the person.
    /// </summary>
    public Task RetrySetAsideActionAsync(Guid alertId, Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var entityId = await c.ExecuteScalarAsync<string?>(Db.Cmd(
                "SELECT entity_id FROM alerts WHERE id = @alertId AND kind = @kind AND entity_type = 'outbox' AND resolved_at IS NULL FOR UPDATE",
                new { alertId, kind = AlertKinds.OutboxDeadLettered },
                tx,
                cancellationToken));
            if (entityId is null || !long.TryParse(entityId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var outboxId))
            {
                throw new WorkflowRuleException("There is no open set-aside action for this alert.");
            }

            var requeued = await c.ExecuteAsync(Db.Cmd(
                """
                UPDATE outbox SET status = 'Pending', attempts = 0, next_attempt_at = @now, last_error = NULL, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = @outboxId AND status = 'DeadLettered'
                """,
                new { outboxId, now },
                tx,
                cancellationToken));
            if (requeued == 0)
            {
                throw new WorkflowRuleException("The action is no longer set aside (it was retried or completed already).");
            }

            await c.ExecuteAsync(Db.Cmd("UPDATE alerts SET resolved_at = @now, resolved_by = @staff WHERE id = @alertId", new { alertId, now, staff = actor.StaffId }, tx, cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "outbox.retry_requested", "outbox", entityId, null, new { alertId }, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Loads a page under a row lock, applies one move, saves it with its alerts and audits the change, in one
    /// transaction. <paramref name="expectedVersion"/> lets Admin refuse a change made on a stale form.
    /// </summary>
    public Task<Page> ChangePageAsync(Guid pageId, Actor actor, string action, Func<NpgsqlConnection, NpgsqlTransaction, Page, DateTimeOffset, Task> change, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var page = await Stores.LoadPageAsync(c, tx, pageId, forUpdate: true, cancellationToken) ?? throw new WorkflowNotFoundException("No such page.");
            if (expectedVersion is { } v && v != page.Version)
            {
                throw new WorkflowConcurrencyException("The page was changed by someone else; reload it and try again.");
            }

            await EnsureAdministratorAsync(c, tx, actor, page.SchoolId, cancellationToken);
            var before = page.Snapshot();
            var statusBefore = page.Status;
            await change(c, tx, page, now);
            await Stores.SavePageAsync(c, tx, page, before, isNew: false, actor, now, action, cancellationToken);
            if (page.Status != statusBefore)
            {
                LogPageStatusChanged(logger, page.Id, statusBefore, page.Status);
            }

            return page;
        }, cancellationToken);
    }

    private Task<Page> ChangePageAsync(Guid pageId, Actor actor, string action, Action<Page, DateTimeOffset> change, CancellationToken cancellationToken) =>
        ChangePageAsync(pageId, actor, action, (_, _, page, now) =>
        {
            change(page, now);
            return Task.CompletedTask;
        }, null, cancellationToken);

    /// <summary>Organisation changes need an active Administrator of the school (the system itself may always act).</summary>
    internal static async Task EnsureAdministratorAsync(NpgsqlConnection c, NpgsqlTransaction? tx, Actor actor, Guid schoolId, CancellationToken ct)
    {
        if (actor.StaffId is not { } staffId)
        {
            return;
        }

        var staff = await Stores.LoadStaffAsync(c, tx, staffId, ct);
        if (staff is null || !staff.Active || !staff.Has(StaffRole.Administrator) || !staff.BelongsTo(schoolId))
        {
            throw new WorkflowForbiddenException("Only an active administrator of the school can change its organisation.");
        }
    }

    private static void Validate(SchoolSettings settings)
    {
        _ = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        if ((settings.SchoolDayStart ?? DefaultSchoolDayStart) >= (settings.SchoolDayEnd ?? DefaultSchoolDayEnd))
        {
            throw new WorkflowRuleException("The school day must start before it ends.");
        }

        if (settings.AckDeadlineInSchoolHours <= TimeSpan.Zero || settings.AckDeadlineOutsideSchoolHours <= TimeSpan.Zero || settings.ReviewAgeTarget <= TimeSpan.Zero)
        {
            throw new WorkflowRuleException("Deadlines must be positive.");
        }
    }

    private static SchoolParameters Parameters(Guid id, SchoolSettings s) => new(
        id,
        s.TimeZone,
        (s.SchoolDayStart ?? DefaultSchoolDayStart).ToTimeSpan(),
        (s.SchoolDayEnd ?? DefaultSchoolDayEnd).ToTimeSpan(),
        s.AckDeadlineInSchoolHours ?? DefaultAckInSchoolHours,
        s.AckDeadlineOutsideSchoolHours ?? DefaultAckOutsideSchoolHours,
        s.ReviewAgeTarget ?? DefaultReviewAgeTarget,
        s.EscalationWebhookUrl);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Page {PageId} moved from {From} to {To}")]
    private static partial void LogPageStatusChanged(ILogger logger, Guid pageId, PageStatus from, PageStatus to);

#pragma warning disable IDE1006 // Dapper parameter names follow the SQL.
    private sealed record SchoolParameters(Guid id, string timeZone, TimeSpan start, TimeSpan end, TimeSpan ackIn, TimeSpan ackOut, TimeSpan reviewTarget, string? webhook);
#pragma warning restore IDE1006
}
