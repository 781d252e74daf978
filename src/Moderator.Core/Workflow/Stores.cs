using Dapper;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>Row-level reads and writes shared by the services, always inside the caller's transaction.</summary>
internal static class Stores
{
    public static async Task<StaffMember?> LoadStaffAsync(NpgsqlConnection c, NpgsqlTransaction? tx, Guid staffId, CancellationToken ct)
    {
        var rows = await LoadStaffWhereAsync(c, tx, "s.id = @staffId", new { staffId }, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    public static async Task<IReadOnlyList<StaffMember>> LoadStaffWhereAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string where, object parameters, CancellationToken ct)
    {
        Db.EnsureConfigured();
        var rows = await c.QueryAsync<StaffRow>(Db.Cmd(
            $"""
            SELECT s.id AS Id, s.trust_id AS TrustId, s.display_name AS DisplayName, s.username AS Username, s.email AS Email,
                   s.roles AS Roles, coalesce(array_agg(ss.school_id) FILTER (WHERE ss.school_id IS NOT NULL), '{"{}"}') AS SchoolIds,
                   s.active AS Active, s.password_hash AS PasswordHash, s.must_change_password AS MustChangePassword,
                   s.failed_sign_in_count AS FailedSignInCount, s.locked_until AS LockedUntil,
                   s.external_provider AS ExternalProvider, s.external_subject AS ExternalSubject
            FROM staff_members s LEFT JOIN staff_schools ss ON ss.staff_id = s.id
            WHERE {where}
            GROUP BY s.id
            ORDER BY s.display_name, s.id
            """,
            parameters,
            tx,
            ct));
        return [.. rows.Select(r => new StaffMember(
            r.Id,
            r.TrustId,
            r.DisplayName,
            r.Username,
            r.Email,
            r.Roles.Select(Enum.Parse<StaffRole>).ToHashSet(),
            r.SchoolIds.ToHashSet(),
            r.Active,
            r.PasswordHash,
            r.MustChangePassword,
            r.FailedSignInCount,
            r.LockedUntil,
            r.ExternalProvider,
            r.ExternalSubject))];
    }

    public static async Task<School?> LoadSchoolAsync(NpgsqlConnection c, NpgsqlTransaction? tx, Guid schoolId, CancellationToken ct)
    {
        Db.EnsureConfigured();
        var row = await c.QueryFirstOrDefaultAsync<SchoolRow>(Db.Cmd(
            """
            SELECT id AS Id, trust_id AS TrustId, name AS Name, time_zone AS TimeZone, school_day_start AS SchoolDayStart,
                   school_day_end AS SchoolDayEnd, ack_deadline_school_hours AS AckInHours, ack_deadline_outside_hours AS AckOutside,
                   review_age_target AS ReviewAgeTarget, escalation_webhook_url AS WebhookUrl
            FROM schools WHERE id = @schoolId
            """,
            new { schoolId },
            tx,
            ct));
        return row is null
            ? null
            : new School(row.Id, row.TrustId, row.Name, row.TimeZone, TimeOnly.FromTimeSpan(row.SchoolDayStart), TimeOnly.FromTimeSpan(row.SchoolDayEnd), row.AckInHours, row.AckOutside, row.ReviewAgeTarget, row.WebhookUrl);
    }

    public static async Task<Page?> LoadPageAsync(NpgsqlConnection c, NpgsqlTransaction? tx, Guid pageId, bool forUpdate, CancellationToken ct)
    {
        Db.EnsureConfigured();
        var row = await c.QueryFirstOrDefaultAsync<PageRow>(Db.Cmd(
            $"""
            SELECT id AS Id, school_id AS SchoolId, platform AS Platform, external_id AS ExternalId, name AS Name, status AS Status,
                   poll_interval AS PollInterval, credentials_ciphertext AS CredentialsCiphertext, cursor AS Cursor,
                   threshold_overrides::text AS ThresholdOverrides, version AS Version
            FROM pages WHERE id = @pageId {(forUpdate ? "FOR UPDATE" : string.Empty)}
            """,
            new { pageId },
            tx,
            ct));
        if (row is null)
        {
            return null;
        }

        var approvals = await c.QueryAsync<ApprovalRow>(Db.Cmd(
            "SELECT role AS Role, approver_name AS ApproverName, approver_staff_id AS ApproverStaffId, approved_at AS ApprovedAt FROM page_approvals WHERE page_id = @pageId",
            new { pageId },
            tx,
            ct));
        var moderators = await c.QueryAsync<ModeratorRow>(Db.Cmd(
            "SELECT m.staff_id AS StaffId, m.assigned_at AS AssignedAt, s.active AS Active FROM page_moderators m JOIN staff_members s ON s.id = m.staff_id WHERE m.page_id = @pageId",
            new { pageId },
            tx,
            ct));
        return new Page(
            row.Id,
            row.SchoolId,
            Enum.Parse<Platform>(row.Platform),
            row.ExternalId,
            row.Name,
            Enum.Parse<PageStatus>(row.Status),
            row.PollInterval,
            row.CredentialsCiphertext,
            row.Cursor,
            row.ThresholdOverrides,
            row.Version,
            approvals.Select(a => new PageApproval(Enum.Parse<ApprovalRole>(a.Role), a.ApproverName, a.ApproverStaffId, a.ApprovedAt)),
            moderators.Select(m => new PageModerator(m.StaffId, m.AssignedAt, m.Active)));
    }

    /// <summary>Writes a page loaded FOR UPDATE (or new), its approvals, moderators and raised alerts, and audits it.</summary>
    public static async Task SavePageAsync(NpgsqlConnection c, NpgsqlTransaction tx, Page page, object? before, bool isNew, Actor actor, DateTimeOffset now, string action, CancellationToken ct)
    {
        var parameters = new
        {
            page.Id,
            page.SchoolId,
            platform = page.Platform.ToString(),
            page.ExternalId,
            page.Name,
            status = page.Status.ToString(),
            page.PollInterval,
            page.CredentialsCiphertext,
            page.Cursor,
            page.ThresholdOverridesJson,
            page.Version,
            now,
        };
        if (isNew)
        {
            await c.ExecuteAsync(Db.Cmd(
                """
                INSERT INTO pages (id, school_id, platform, external_id, name, credentials_ciphertext, status, poll_interval, cursor, threshold_overrides, created_at, updated_at, version)
                VALUES (@Id, @SchoolId, @platform, @ExternalId, @Name, @CredentialsCiphertext, @status, @PollInterval, @Cursor, @ThresholdOverridesJson::jsonb, @now, @now, 1)
                """,
                parameters,
                tx,
                ct));
        }
        else
        {
            var updated = await c.ExecuteAsync(Db.Cmd(
                """
                UPDATE pages SET status = @status, poll_interval = @PollInterval, credentials_ciphertext = @CredentialsCiphertext, cursor = @Cursor,
                                 threshold_overrides = @ThresholdOverridesJson::jsonb, updated_at = @now, version = version + 1
                WHERE id = @Id AND version = @Version
                """,
                parameters,
                tx,
                ct));
            if (updated != 1)
            {
                throw new WorkflowConcurrencyException("The page was changed by someone else; reload it and try again.");
            }
        }

        await c.ExecuteAsync(Db.Cmd(
            """
            INSERT INTO page_approvals (page_id, role, approver_name, approver_staff_id, approved_at)
            SELECT @pageId, a.role, a.approver_name, a.approver_staff_id, a.approved_at
            FROM unnest(@roles, @names, @staffIds, @ats) AS a(role, approver_name, approver_staff_id, approved_at)
            ON CONFLICT (page_id, role) DO NOTHING
            """,
            new
            {
                pageId = page.Id,
                roles = page.Approvals.Select(a => a.Role.ToString()).ToArray(),
                names = page.Approvals.Select(a => a.ApproverName).ToArray(),
                staffIds = page.Approvals.Select(a => a.ApproverStaffId).ToArray(),
                ats = page.Approvals.Select(a => a.ApprovedAt.UtcDateTime).ToArray(),
            },
            tx,
            ct));
        var moderatorIds = page.Moderators.Select(m => m.StaffId).ToArray();
        await c.ExecuteAsync(Db.Cmd(
            "DELETE FROM page_moderators WHERE page_id = @pageId AND NOT (staff_id = ANY(@moderatorIds))",
            new { pageId = page.Id, moderatorIds },
            tx,
            ct));
        await c.ExecuteAsync(Db.Cmd(
            """
            INSERT INTO page_moderators (page_id, staff_id, assigned_at)
            SELECT @pageId, m.staff_id, m.assigned_at FROM unnest(@ids, @ats) AS m(staff_id, assigned_at)
            ON CONFLICT (page_id, staff_id) DO NOTHING
            """,
            new { pageId = page.Id, ids = moderatorIds, ats = page.Moderators.Select(m => m.AssignedAt.UtcDateTime).ToArray() },
            tx,
            ct));
        foreach (var alert in page.RaisedAlerts)
        {
            await RaiseAlertAsync(c, tx, alert.Kind, page.SchoolId, page.Id, "page", page.Id.ToString(), alert.Message, now, ct);
        }

        await AuditLog.AppendAsync(c, tx, actor, now, action, "page", page.Id.ToString(), before, page.Snapshot(), ct);
    }

    /// <summary>
    /// Raises an alert and queues an e-mail to each active administrator of the school (the school is taken from the
    /// page when not given). The notification carries the alert's id and a link only.
    /// </summary>
    public static async Task RaiseAlertAsync(NpgsqlConnection c, NpgsqlTransaction tx, string kind, Guid? schoolId, Guid? pageId, string? entityType, string? entityId, string message, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.CreateVersion7(now);
        var school = await c.ExecuteScalarAsync<Guid?>(Db.Cmd(
            """
            INSERT INTO alerts (id, kind, school_id, page_id, entity_type, entity_id, message, created_at)
            VALUES (@id, @kind, coalesce(@schoolId, (SELECT school_id FROM pages WHERE id = @pageId)), @pageId, @entityType, @entityId, @message, @now)
            RETURNING school_id
            """,
            new { id, kind, schoolId, pageId, entityType, entityId, message, now },
            tx,
            ct));
        await AuditLog.AppendAsync(c, tx, Actor.System, now, "alert.raised", "alert", id.ToString(), null, new { kind, schoolId = school, pageId, entityType, entityId }, ct);
        if (school is not { } alertSchool)
        {
            return;
        }

        var administrators = await c.QueryAsync<Guid>(Db.Cmd(
            "SELECT s.id FROM staff_members s JOIN staff_schools ss ON ss.staff_id = s.id WHERE ss.school_id = @alertSchool AND s.active AND 'Administrator' = ANY(s.roles) ORDER BY s.id",
            new { alertSchool },
            tx,
            ct));
        foreach (var administrator in administrators)
        {
            await OutboxWriter.EnqueueNotificationAsync(c, tx, NotificationChannel.Email, administrator, new { AlertId = id, Kind = kind, SchoolId = alertSchool, PageId = pageId, Link = $"/alerts/{id}" }, $"alert:{id}:email:{administrator}", now, ct);
        }
    }

    private sealed class StaffRow
    {
        public Guid Id { get; init; }

        public Guid TrustId { get; init; }

        public string DisplayName { get; init; } = string.Empty;

        public string Username { get; init; } = string.Empty;

        public string Email { get; init; } = string.Empty;

        public string[] Roles { get; init; } = [];

        public Guid[] SchoolIds { get; init; } = [];

        public bool Active { get; init; }

        public string? PasswordHash { get; init; }

        public bool MustChangePassword { get; init; }

        public int FailedSignInCount { get; init; }

        public DateTimeOffset? LockedUntil { get; init; }

        public string? ExternalProvider { get; init; }

        public string? ExternalSubject { get; init; }
    }

    private sealed class SchoolRow
    {
        public Guid Id { get; init; }

        public Guid TrustId { get; init; }

        public string Name { get; init; } = string.Empty;

        public string TimeZone { get; init; } = string.Empty;

        public TimeSpan SchoolDayStart { get; init; }

        public TimeSpan SchoolDayEnd { get; init; }

        public TimeSpan AckInHours { get; init; }

        public TimeSpan AckOutside { get; init; }

        public TimeSpan ReviewAgeTarget { get; init; }

        public string? WebhookUrl { get; init; }
    }

    private sealed class PageRow
    {
        public Guid Id { get; init; }

        public Guid SchoolId { get; init; }

        public string Platform { get; init; } = string.Empty;

        public string ExternalId { get; init; } = string.Empty;

        public string Name { get; init; } = string.Empty;

        public string Status { get; init; } = string.Empty;

        public TimeSpan PollInterval { get; init; }

        public string? CredentialsCiphertext { get; init; }

        public string? Cursor { get; init; }

        public string? ThresholdOverrides { get; init; }

        public int Version { get; init; }
    }

    private sealed class ApprovalRow
    {
        public string Role { get; init; } = string.Empty;

        public string ApproverName { get; init; } = string.Empty;

        public Guid? ApproverStaffId { get; init; }

        public DateTimeOffset ApprovedAt { get; init; }
    }

    private sealed class ModeratorRow
    {
        public Guid StaffId { get; init; }

        public DateTimeOffset AssignedAt { get; init; }

        public bool Active { get; init; }
    }
}
