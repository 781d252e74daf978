using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>
/// Opens escalations (from verdicts, staff allegations and moderators' Escalate decisions), queues the notifications,
/// chases unacknowledged ones, and lets the DSL and deputies acknowledge, record outcomes and close.
/// </summary>
public sealed partial class Escalations(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<RetentionOptions> retention, ILogger<Escalations> logger)
{
    public async Task<Escalation> GetAsync(Guid escalationId, Guid viewerStaffId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var escalation = await LoadAsync(c, null, escalationId, forUpdate: false, cancellationToken) ?? throw new WorkflowNotFoundException("No such escalation.");
        var viewer = await Stores.LoadStaffAsync(c, null, viewerStaffId, cancellationToken);
        if (viewer is null || !await MayActAsync(c, null, viewer, escalation, cancellationToken))
        {
            throw new WorkflowForbiddenException("Only the school's safeguarding leads can see an escalation.");
        }

        return escalation;
    }

    /// <summary>Escalations of the schools the person leads, open ones first, oldest first.</summary>
    public async Task<IReadOnlyList<Escalation>> ListForLeadAsync(Guid staffId, bool includeClosed, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await c.QueryAsync<Guid>(Db.Cmd(
            """
            SELECT e.id FROM escalations e
            JOIN staff_members s ON s.id = @staffId AND s.active
            WHERE ((e.school_id IN (SELECT school_id FROM staff_schools WHERE staff_id = s.id)
                    AND s.roles && ARRAY['SafeguardingLead','DeputySafeguardingLead'])
                   OR (e.reminder_stage >= 2 AND EXISTS (SELECT 1 FROM schools sc JOIN trusts t ON t.id = sc.trust_id WHERE sc.id = e.school_id AND t.safeguarding_lead_staff_id = s.id)))
              AND (@includeClosed OR e.status <> 'Closed')
            ORDER BY (e.status = 'Closed'), e.opened_at
            """,
            new { staffId, includeClosed },
            null,
            cancellationToken));
        var list = new List<Escalation>();
        foreach (var id in ids)
        {
            list.Add((await LoadAsync(c, null, id, forUpdate: false, cancellationToken))!);
        }

        return list;
    }

    public Task<Escalation> AcknowledgeAsync(Guid escalationId, Guid staffId, CancellationToken cancellationToken = default) =>
        ChangeAsync(escalationId, staffId, "escalation.acknowledged", (e, staff, trustLead, now) =>
        {
            e.Acknowledge(staff, now, trustLead);
            return null;
        }, cancellationToken);

    public Task<Escalation> RecordOutcomeAsync(Guid escalationId, Guid staffId, OutcomeKind kind, string? reference, string? notes, CancellationToken cancellationToken = default) =>
        ChangeAsync(escalationId, staffId, "escalation.outcome_recorded", (e, staff, trustLead, now) => e.RecordOutcome(staff, kind, reference, notes, now, trustLead), cancellationToken);

    public Task<Escalation> CloseAsync(Guid escalationId, Guid staffId, CancellationToken cancellationToken = default) =>
        ChangeAsync(escalationId, staffId, "escalation.closed", (e, staff, _, now) =>
        {
            e.Close(staff, now, retention.Value.EscalationEvidence);
            return null;
        }, cancellationToken);

    /// <summary>
    /// The deadline check (a worker job calls it every minute or so): every open escalation past its acknowledgement
    /// deadline is re-sent to the deputies, and at the next deadline to the trust's safeguarding lead. Safe to run on
    /// several nodes at once (rows are claimed with SKIP LOCKED). Returns how many reminders were queued.
    /// </summary>
    public async Task<int> CheckDeadlinesAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var reminded = 0;
        while (true)
        {
            var done = await Db.InTransactionAsync(dataSource, async (c, tx) =>
            {
                var id = await c.ExecuteScalarAsync<Guid?>(Db.Cmd(
                    "SELECT id FROM escalations WHERE status = 'Open' AND ack_due_at <= @now AND reminder_stage < 2 ORDER BY ack_due_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                    new { now },
                    tx,
                    cancellationToken));
                if (id is not { } escalationId)
                {
                    return true;
                }

                var e = (await LoadAsync(c, tx, escalationId, forUpdate: false, cancellationToken))!;
                var school = (await Stores.LoadSchoolAsync(c, tx, e.SchoolId, cancellationToken))!;
                var before = e.Snapshot();
                var stage = e.Remind(now, school.AcknowledgementDeadline(now));
                await SaveAsync(c, tx, e, cancellationToken);
                await NotifyAsync(c, tx, e, school, stage, now, cancellationToken);
                if (stage == Escalation.FinalReminderStage)
                {
                    await Stores.RaiseAlertAsync(c, tx, AlertKinds.EscalationUnacknowledged, e.SchoolId, e.PageId, "escalation", e.Id.ToString(), "An escalation was not acknowledged by the school's safeguarding leads and went to the trust's safeguarding lead.", now, cancellationToken);
                }

                await AuditLog.AppendAsync(c, tx, Actor.System, now, "escalation.reminder_sent", "escalation", e.Id.ToString(), before, e.Snapshot(), cancellationToken);
                LogReminder(logger, e.Id, stage);
                return false;
            }, cancellationToken);
            if (done)
            {
                return reminded;
            }

            reminded++;
        }
    }

    /// <summary>Opens an escalation in the caller's transaction (idempotent per revision and trigger) and queues its notifications.</summary>
    internal static async Task<Guid> OpenAsync(
        NpgsqlConnection c,
        NpgsqlTransaction tx,
        Guid schoolId,
        Guid pageId,
        Guid commentId,
        Guid revisionId,
        Guid? caseId,
        EscalationTrigger trigger,
        IReadOnlyList<string> categories,
        Actor actor,
        DateTimeOffset now,
        CancellationToken ct)
    {
        var school = await Stores.LoadSchoolAsync(c, tx, schoolId, ct) ?? throw new WorkflowNotFoundException("No such school.");

        // One live escalation per comment: a moderator's Escalate on an already escalated comment joins it.
        var live = await c.ExecuteScalarAsync<Guid?>(Db.Cmd(
            "SELECT id FROM escalations WHERE comment_id = @commentId AND status <> 'Closed' ORDER BY opened_at LIMIT 1",
            new { commentId },
            tx,
            ct));
        if (live is { } existing)
        {
            return existing;
        }

        var id = Guid.CreateVersion7(now);
        var inserted = await c.ExecuteScalarAsync<Guid?>(Db.Cmd(
            """
            INSERT INTO escalations (id, school_id, page_id, comment_id, revision_id, case_id, trigger, categories, status, opened_at, ack_due_at)
            VALUES (@id, @schoolId, @pageId, @commentId, @revisionId, @caseId, @trigger, @categories, 'Open', @now, @due)
            ON CONFLICT (revision_id, trigger) DO NOTHING
            RETURNING id
            """,
            new { id, schoolId, pageId, commentId, revisionId, caseId, trigger = trigger.ToString(), categories = categories.ToArray(), now, due = now + school.AcknowledgementDeadline(now) },
            tx,
            ct));
        if (inserted is null)
        {
            return await c.ExecuteScalarAsync<Guid>(Db.Cmd("SELECT id FROM escalations WHERE revision_id = @revisionId AND trigger = @trigger", new { revisionId, trigger = trigger.ToString() }, tx, ct));
        }

        await AuditLog.AppendAsync(c, tx, actor, now, "escalation.opened", "escalation", id.ToString(), null, new { schoolId, pageId, commentId, revisionId, caseId, Trigger = trigger.ToString(), categories }, ct);
        var escalation = (await LoadAsync(c, tx, id, forUpdate: false, ct))!;
        await NotifyAsync(c, tx, escalation, school, 0, now, ct);
        return id;
    }

    /// <summary>Stage 0: the DSL(s) and deputies; stage 1: the deputies again; stage 2: the trust's safeguarding lead.</summary>
    private static async Task NotifyAsync(NpgsqlConnection c, NpgsqlTransaction tx, Escalation e, School school, int stage, DateTimeOffset now, CancellationToken ct)
    {
        var leads = await Stores.LoadStaffWhereAsync(
            c,
            tx,
            "s.active AND s.id IN (SELECT staff_id FROM staff_schools WHERE school_id = @schoolId) AND s.roles && ARRAY['SafeguardingLead','DeputySafeguardingLead']",
            new { schoolId = e.SchoolId },
            ct);
        var recipients = stage switch
        {
            0 => leads.Select(l => l.Id).ToList(),
            1 => leads.Where(l => l.Has(StaffRole.DeputySafeguardingLead)).Select(l => l.Id).ToList(),
            _ => [],
        };
        if (stage == 2 || recipients.Count == 0)
        {
            var trustLead = await c.ExecuteScalarAsync<Guid?>(Db.Cmd(
                "SELECT t.safeguarding_lead_staff_id FROM trusts t JOIN staff_members s ON s.id = t.safeguarding_lead_staff_id AND s.active WHERE t.id = @trustId",
                new { trustId = school.TrustId },
                tx,
                ct));
            if (trustLead is { } lead)
            {
                recipients.Add(lead);
            }
        }

        var payload = new { EscalationId = e.Id, e.SchoolId, e.PageId, Stage = stage, Link = $"/escalations/{e.Id}", e.AckDueAt };
        foreach (var recipient in recipients.Distinct())
        {
            await OutboxWriter.EnqueueNotificationAsync(c, tx, NotificationChannel.Email, recipient, payload, $"escalation:{e.Id}:stage{stage}:email:{recipient}", now, ct);
        }

        if (!string.IsNullOrWhiteSpace(school.EscalationWebhookUrl))
        {
            await OutboxWriter.EnqueueNotificationAsync(c, tx, NotificationChannel.Webhook, null, payload, $"escalation:{e.Id}:stage{stage}:webhook", now, ct);
        }
    }

    private async Task<Escalation> ChangeAsync(Guid escalationId, Guid staffId, string action, Func<Escalation, StaffMember, bool, DateTimeOffset, EscalationOutcome?> change, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var e = await LoadAsync(c, tx, escalationId, forUpdate: true, cancellationToken) ?? throw new WorkflowNotFoundException("No such escalation.");
            var staff = await Stores.LoadStaffAsync(c, tx, staffId, cancellationToken) ?? throw new WorkflowForbiddenException("Unknown member of staff.");
            var trustLead = await IsTrustLeadReachedAsync(c, tx, staff, e, cancellationToken);
            var before = e.Snapshot();
            var outcome = change(e, staff, trustLead, now);
            await SaveAsync(c, tx, e, cancellationToken);
            if (outcome is not null)
            {
                await c.ExecuteAsync(Db.Cmd(
                    """
                    INSERT INTO escalation_outcomes (id, escalation_id, kind, reference, notes, recorded_by, recorded_at)
                    VALUES (@Id, @escalationId, @kind, @Reference, @Notes, @RecordedBy, @RecordedAt)
                    """,
                    new { outcome.Id, escalationId, kind = outcome.Kind.ToString(), outcome.Reference, outcome.Notes, outcome.RecordedBy, outcome.RecordedAt },
                    tx,
                    cancellationToken));
            }

            await AuditLog.AppendAsync(c, tx, Actor.Staff(staffId), now, action, "escalation", e.Id.ToString(), before, outcome is null ? e.Snapshot() : new { State = e.Snapshot(), Outcome = new { Kind = outcome.Kind.ToString(), outcome.Reference, outcome.Notes } }, cancellationToken);
            return e;
        }, cancellationToken);
    }

    private static async Task<bool> MayActAsync(NpgsqlConnection c, NpgsqlTransaction? tx, StaffMember staff, Escalation e, CancellationToken ct) =>
        (staff.Active && staff.BelongsTo(e.SchoolId) && (staff.Has(StaffRole.SafeguardingLead) || staff.Has(StaffRole.DeputySafeguardingLead)))
        || await IsTrustLeadReachedAsync(c, tx, staff, e, ct);

    /// <summary>The trust's safeguarding lead may act once an escalation has reached them.</summary>
    private static async Task<bool> IsTrustLeadReachedAsync(NpgsqlConnection c, NpgsqlTransaction? tx, StaffMember staff, Escalation e, CancellationToken ct)
    {
        if (e.ReminderStage < Escalation.FinalReminderStage)
        {
            return false;
        }

        var lead = await c.ExecuteScalarAsync<Guid?>(Db.Cmd(
            "SELECT t.safeguarding_lead_staff_id FROM schools s JOIN trusts t ON t.id = s.trust_id WHERE s.id = @schoolId",
            new { schoolId = e.SchoolId },
            tx,
            ct));
        return lead == staff.Id;
    }

    internal static async Task<Escalation?> LoadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, Guid escalationId, bool forUpdate, CancellationToken ct)
    {
        Db.EnsureConfigured();
        var row = await c.QueryFirstOrDefaultAsync<EscalationRow>(Db.Cmd(
            $"""
            SELECT id AS Id, school_id AS SchoolId, page_id AS PageId, comment_id AS CommentId, revision_id AS RevisionId, case_id AS CaseId,
                   trigger AS Trigger, categories AS Categories, status AS Status, opened_at AS OpenedAt, ack_due_at AS AckDueAt,
                   reminder_stage AS ReminderStage, acknowledged_by AS AcknowledgedBy, acknowledged_at AS AcknowledgedAt,
                   closed_by AS ClosedBy, closed_at AS ClosedAt, evidence_retain_until AS EvidenceRetainUntil, version AS Version
            FROM escalations WHERE id = @escalationId {(forUpdate ? "FOR UPDATE" : string.Empty)}
            """,
            new { escalationId },
            tx,
            ct));
        if (row is null)
        {
            return null;
        }

        var outcomes = await c.QueryAsync<OutcomeRow>(Db.Cmd(
            "SELECT id AS Id, kind AS Kind, reference AS Reference, notes AS Notes, recorded_by AS RecordedBy, recorded_at AS RecordedAt FROM escalation_outcomes WHERE escalation_id = @escalationId ORDER BY recorded_at, id",
            new { escalationId },
            tx,
            ct));
        return new Escalation(
            row.Id,
            row.SchoolId,
            row.PageId,
            row.CommentId,
            row.RevisionId,
            row.CaseId,
            Enum.Parse<EscalationTrigger>(row.Trigger),
            row.Categories,
            Enum.Parse<EscalationStatus>(row.Status),
            row.OpenedAt,
            row.AckDueAt,
            row.ReminderStage,
            row.AcknowledgedBy,
            row.AcknowledgedAt,
            row.ClosedBy,
            row.ClosedAt,
            row.EvidenceRetainUntil,
            row.Version,
            outcomes.Select(o => new EscalationOutcome(o.Id, Enum.Parse<OutcomeKind>(o.Kind), o.Reference, o.Notes, o.RecordedBy, o.RecordedAt)));
    }

    private static async Task SaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, Escalation e, CancellationToken ct)
    {
        var updated = await c.ExecuteAsync(Db.Cmd(
            """
            UPDATE escalations SET status = @status, ack_due_at = @AckDueAt, reminder_stage = @ReminderStage, acknowledged_by = @AcknowledgedBy,
                                   acknowledged_at = @AcknowledgedAt, closed_by = @ClosedBy, closed_at = @ClosedAt,
                                   evidence_retain_until = @EvidenceRetainUntil, version = version + 1
            WHERE id = @Id AND version = @Version
            """,
            new { e.Id, status = e.Status.ToString(), e.AckDueAt, e.ReminderStage, e.AcknowledgedBy, e.AcknowledgedAt, e.ClosedBy, e.ClosedAt, e.EvidenceRetainUntil, e.Version },
            tx,
            ct));
        if (updated != 1)
        {
            throw new WorkflowConcurrencyException("The escalation was changed by someone else.");
        }
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning, Message = "Escalation {EscalationId} not acknowledged in time; reminder stage {Stage} queued")]
    private static partial void LogReminder(ILogger logger, Guid escalationId, int stage);

    private sealed class EscalationRow
    {
        public Guid Id { get; init; }

        public Guid SchoolId { get; init; }

        public Guid PageId { get; init; }

        public Guid CommentId { get; init; }

        public Guid RevisionId { get; init; }

        public Guid? CaseId { get; init; }

        public string Trigger { get; init; } = string.Empty;

        public string[] Categories { get; init; } = [];

        public string Status { get; init; } = string.Empty;

        public DateTimeOffset OpenedAt { get; init; }

        public DateTimeOffset AckDueAt { get; init; }

        public int ReminderStage { get; init; }

        public Guid? AcknowledgedBy { get; init; }

        public DateTimeOffset? AcknowledgedAt { get; init; }

        public Guid? ClosedBy { get; init; }

        public DateTimeOffset? ClosedAt { get; init; }

        public DateTimeOffset? EvidenceRetainUntil { get; init; }

        public int Version { get; init; }
    }

    private sealed class OutcomeRow
    {
        public Guid Id { get; init; }

        public string Kind { get; init; } = string.Empty;

        public string? Reference { get; init; }

        public string? Notes { get; init; }

        public Guid RecordedBy { get; init; }

        public DateTimeOffset RecordedAt { get; init; }
    }
}
