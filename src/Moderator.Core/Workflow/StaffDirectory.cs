using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>A named account to create. The password hash is made by the caller (Admin uses ASP.NET Core's hasher).</summary>
public sealed record NewStaffMember(
    Guid TrustId,
    string DisplayName,
    string Username,
    string Email,
    IReadOnlyCollection<StaffRole> Roles,
    IReadOnlyCollection<Guid> SchoolIds,
    string? PasswordHash = null,
    bool MustChangePassword = true);

/// <summary>What happened to a failed sign-in.</summary>
public sealed record SignInFailure(int FailedCount, DateTimeOffset? LockedUntil);

/// <summary>
/// Named staff accounts: creation, roles and schools, deactivation (which re-checks every page they moderate), and the
/// sign-in bookkeeping Admin uses (lookup by username or e-mail, failures and lockout, password hash, external login).
/// </summary>
public sealed partial class StaffDirectory(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<SignInOptions> signInOptions, ILogger<StaffDirectory> logger)
{
    public Task<Guid> CreateAsync(NewStaffMember staff, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentException.ThrowIfNullOrWhiteSpace(staff.DisplayName);
        ArgumentException.ThrowIfNullOrWhiteSpace(staff.Username);
        ArgumentException.ThrowIfNullOrWhiteSpace(staff.Email);
        if (staff.Roles.Count == 0)
        {
            throw new WorkflowRuleException("A member of staff needs at least one role.");
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            foreach (var schoolId in staff.SchoolIds)
            {
                await Organisation.EnsureAdministratorAsync(c, tx, actor, schoolId, cancellationToken);
            }

            var schoolsInTrust = await c.ExecuteScalarAsync<long>(Db.Cmd(
                "SELECT count(*) FROM schools WHERE id = ANY(@ids) AND trust_id = @trustId",
                new { ids = staff.SchoolIds.ToArray(), trustId = staff.TrustId },
                tx,
                cancellationToken));
            if (schoolsInTrust != staff.SchoolIds.Distinct().Count())
            {
                throw new WorkflowRuleException("Every school of a member of staff must belong to their trust.");
            }

            try
            {
                await c.ExecuteAsync(Db.Cmd(
                    """
                    INSERT INTO staff_members (id, trust_id, display_name, username, email, roles, active, password_hash, must_change_password, created_at)
                    VALUES (@id, @trustId, @displayName, @username, @email, @roles, true, @passwordHash, @mustChange, @now)
                    """,
                    new
                    {
                        id,
                        trustId = staff.TrustId,
                        displayName = staff.DisplayName.Trim(),
                        username = staff.Username.Trim(),
                        email = staff.Email.Trim(),
                        roles = staff.Roles.Distinct().Select(r => r.ToString()).ToArray(),
                        passwordHash = staff.PasswordHash,
                        mustChange = staff.MustChangePassword,
                        now,
                    },
                    tx,
                    cancellationToken));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new WorkflowRuleException("That username or e-mail address is already in use.", e);
            }

            await c.ExecuteAsync(Db.Cmd(
                "INSERT INTO staff_schools (staff_id, school_id) SELECT @id, unnest(@schoolIds)",
                new { id, schoolIds = staff.SchoolIds.Distinct().ToArray() },
                tx,
                cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "staff.created", "staff", id.ToString(), null, new { staff.TrustId, Roles = staff.Roles.Select(r => r.ToString()), staff.SchoolIds }, cancellationToken);
            return id;
        }, cancellationToken);
    }

    public async Task<StaffMember> GetAsync(Guid staffId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Stores.LoadStaffAsync(c, null, staffId, cancellationToken) ?? throw new WorkflowNotFoundException("No such member of staff.");
    }

    /// <summary>Finds an account by username or e-mail address (case-insensitive), for sign-in.</summary>
    public async Task<StaffMember?> FindBySignInNameAsync(string usernameOrEmail, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(usernameOrEmail);
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await Stores.LoadStaffWhereAsync(c, null, "lower(s.username) = lower(@name) OR lower(s.email) = lower(@name)", new { name = usernameOrEmail.Trim() }, cancellationToken);
        return found.Count == 1 ? found[0] : null;
    }

    public async Task<StaffMember?> FindByExternalLoginAsync(string provider, string subject, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await Stores.LoadStaffWhereAsync(c, null, "s.external_provider = @provider AND s.external_subject = @subject", new { provider, subject }, cancellationToken);
        return found.Count == 1 ? found[0] : null;
    }

    public async Task<IReadOnlyList<StaffMember>> ListSchoolStaffAsync(Guid schoolId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Stores.LoadStaffWhereAsync(c, null, "s.id IN (SELECT staff_id FROM staff_schools WHERE school_id = @schoolId)", new { schoolId }, cancellationToken);
    }

    /// <summary>Counts a failed sign-in; after <see cref="SignInOptions.MaxFailedAttempts"/> the account is locked for a while.</summary>
    public Task<SignInFailure> RecordSignInFailureAsync(Guid staffId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var options = signInOptions.Value;
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<FailureRow>(Db.Cmd(
                """
                UPDATE staff_members
                SET failed_sign_in_count = failed_sign_in_count + 1,
                    locked_until = CASE WHEN failed_sign_in_count + 1 >= @max THEN @lockedUntil ELSE locked_until END
                WHERE id = @staffId
                RETURNING failed_sign_in_count AS FailedCount, locked_until AS LockedUntil
                """,
                new { staffId, max = options.MaxFailedAttempts, lockedUntil = now + options.LockoutDuration },
                tx,
                cancellationToken)) ?? throw new WorkflowNotFoundException("No such member of staff.");
            var lockedNow = row.LockedUntil is { } until && until > now && row.FailedCount >= options.MaxFailedAttempts;
            await AuditLog.AppendAsync(c, tx, Actor.Staff(staffId), now, lockedNow ? "staff.locked_out" : "staff.sign_in_failed", "staff", staffId.ToString(), null, new { row.FailedCount, row.LockedUntil }, cancellationToken);
            if (lockedNow)
            {
                LogLockedOut(logger, staffId, row.FailedCount);
            }

            return new SignInFailure(row.FailedCount, row.LockedUntil);
        }, cancellationToken);
    }

    public Task RecordSignInSuccessAsync(Guid staffId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var staff = await Stores.LoadStaffAsync(c, tx, staffId, cancellationToken) ?? throw new WorkflowNotFoundException("No such member of staff.");
            if (!staff.Active || staff.IsLockedOut(now))
            {
                throw new WorkflowForbiddenException("The account is inactive or locked.");
            }

            await c.ExecuteAsync(Db.Cmd(
                "UPDATE staff_members SET failed_sign_in_count = 0, locked_until = NULL, last_signed_in_at = @now WHERE id = @staffId",
                new { staffId, now },
                tx,
                cancellationToken));
            await AuditLog.AppendAsync(c, tx, Actor.Staff(staffId), now, "staff.signed_in", "staff", staffId.ToString(), null, null, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The member of staff ended their session (audited like signing in, so a session's end is attributable).</summary>
    public Task RecordSignOutAsync(Guid staffId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, (c, tx) =>
            AuditLog.AppendAsync(c, tx, Actor.Staff(staffId), now, "staff.signed_out", "staff", staffId.ToString(), null, null, cancellationToken), cancellationToken);
    }

    public Task SetPasswordHashAsync(Guid staffId, string passwordHash, bool mustChangePassword, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            await EnsureSelfOrAdministratorAsync(c, tx, actor, staffId, cancellationToken);
            await c.ExecuteAsync(Db.Cmd(
                "UPDATE staff_members SET password_hash = @passwordHash, must_change_password = @mustChangePassword, failed_sign_in_count = 0, locked_until = NULL, version = version + 1 WHERE id = @staffId",
                new { staffId, passwordHash, mustChangePassword },
                tx,
                cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "staff.password_set", "staff", staffId.ToString(), null, new { mustChangePassword }, cancellationToken);
        }, cancellationToken);
    }

    public Task LinkExternalLoginAsync(Guid staffId, string provider, string subject, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            await EnsureSelfOrAdministratorAsync(c, tx, actor, staffId, cancellationToken);
            await c.ExecuteAsync(Db.Cmd(
                "UPDATE staff_members SET external_provider = @provider, external_subject = @subject, version = version + 1 WHERE id = @staffId",
                new { staffId, provider, subject },
                tx,
                cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "staff.external_login_linked", "staff", staffId.ToString(), null, new { provider }, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Replaces a person's roles. Someone still assigned to a page keeps the Moderator role (unassign them first).</summary>
    public Task ChangeRolesAsync(Guid staffId, IReadOnlyCollection<StaffRole> roles, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Count == 0)
        {
            throw new WorkflowRuleException("A member of staff needs at least one role.");
        }

        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var staff = await Stores.LoadStaffAsync(c, tx, staffId, cancellationToken) ?? throw new WorkflowNotFoundException("No such member of staff.");
            foreach (var schoolId in staff.SchoolIds)
            {
                await Organisation.EnsureAdministratorAsync(c, tx, actor, schoolId, cancellationToken);
            }

            var assigned = await c.ExecuteScalarAsync<bool>(Db.Cmd("SELECT EXISTS (SELECT 1 FROM page_moderators WHERE staff_id = @staffId)", new { staffId }, tx, cancellationToken));
            if (assigned && !roles.Contains(StaffRole.Moderator))
            {
                throw new WorkflowRuleException("This person moderates pages; remove them from those pages before removing the Moderator role.");
            }

            var names = roles.Distinct().Select(r => r.ToString()).Order(StringComparer.Ordinal).ToArray();
            await c.ExecuteAsync(Db.Cmd("UPDATE staff_members SET roles = @names, version = version + 1 WHERE id = @staffId", new { staffId, names }, tx, cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "staff.roles_changed", "staff", staffId.ToString(), new { Roles = staff.Roles.Select(r => r.ToString()).Order(StringComparer.Ordinal) }, new { Roles = names }, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Deactivates an account (leave, departure). Every page they moderate is re-checked: a page left with fewer
    /// than two active moderators moves to NeedsModerators and raises an alert.
    /// </summary>
    public Task DeactivateAsync(Guid staffId, Actor actor, CancellationToken cancellationToken = default) => SetActiveAsync(staffId, false, actor, cancellationToken);

    public Task ReactivateAsync(Guid staffId, Actor actor, CancellationToken cancellationToken = default) => SetActiveAsync(staffId, true, actor, cancellationToken);

    private Task SetActiveAsync(Guid staffId, bool active, Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            // Lock the pages first (the order every page change uses), then the account.
            var pageIds = (await c.QueryAsync<Guid>(Db.Cmd(
                "SELECT p.id FROM pages p JOIN page_moderators m ON m.page_id = p.id WHERE m.staff_id = @staffId ORDER BY p.id FOR UPDATE OF p",
                new { staffId },
                tx,
                cancellationToken))).ToList();
            var staff = await Stores.LoadStaffAsync(c, tx, staffId, cancellationToken) ?? throw new WorkflowNotFoundException("No such member of staff.");
            foreach (var schoolId in staff.SchoolIds)
            {
                await Organisation.EnsureAdministratorAsync(c, tx, actor, schoolId, cancellationToken);
            }

            await c.ExecuteAsync(Db.Cmd("UPDATE staff_members SET active = @active, version = version + 1 WHERE id = @staffId", new { staffId, active }, tx, cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, active ? "staff.reactivated" : "staff.deactivated", "staff", staffId.ToString(), new { Active = staff.Active }, new { Active = active }, cancellationToken);
            foreach (var pageId in pageIds)
            {
                var page = (await Stores.LoadPageAsync(c, tx, pageId, forUpdate: false, cancellationToken))!;
                var before = page.Snapshot();
                var statusBefore = page.Status;
                if (!active)
                {
                    page.ModeratorDeactivated(staffId);
                }

                if (page.Status != statusBefore || page.RaisedAlerts.Count > 0)
                {
                    await Stores.SavePageAsync(c, tx, page, before, isNew: false, actor, now, "page.moderator_deactivated", cancellationToken);
                }
            }
        }, cancellationToken);
    }

    private static async Task EnsureSelfOrAdministratorAsync(NpgsqlConnection c, NpgsqlTransaction tx, Actor actor, Guid staffId, CancellationToken ct)
    {
        if (actor.StaffId == staffId)
        {
            return;
        }

        var staff = await Stores.LoadStaffAsync(c, tx, staffId, ct) ?? throw new WorkflowNotFoundException("No such member of staff.");
        foreach (var schoolId in staff.SchoolIds)
        {
            await Organisation.EnsureAdministratorAsync(c, tx, actor, schoolId, ct);
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Staff account {StaffId} locked after {FailedCount} failed sign-ins")]
    private static partial void LogLockedOut(ILogger logger, Guid staffId, int failedCount);

    private sealed class FailureRow
    {
        public int FailedCount { get; init; }

        public DateTimeOffset? LockedUntil { get; init; }
    }
}
