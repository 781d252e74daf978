using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Model;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>Filters for a moderator's queue; ages are measured from when the case opened.</summary>
public sealed record QueueFilter(
    Category? Category = null,
    Verdict? Verdict = null,
    Platform? Platform = null,
    TimeSpan? OlderThan = null,
    TimeSpan? NewerThan = null,
    int Limit = 50,
    int Offset = 0);

/// <summary>One case waiting for this moderator (no comment text: the item page shows it).</summary>
public sealed record QueueItem(
    Guid CaseId,
    Guid PageId,
    string PageName,
    Platform Platform,
    Guid CommentId,
    Verdict Verdict,
    string? TopCategory,
    bool AutoHidden,
    ReviewStatus Status,
    DateTimeOffset OpenedAt,
    int DecisionCount,
    bool ClaimedByOther,
    bool OverReviewTarget);

/// <summary>A page of the queue with counts over the whole filtered queue.</summary>
public sealed record QueueListing(
    IReadOnlyList<QueueItem> Items,
    int Total,
    IReadOnlyDictionary<Verdict, int> ByVerdict,
    IReadOnlyDictionary<string, int> ByCategory,
    IReadOnlyDictionary<Platform, int> ByPlatform);

/// <summary>What a moderator sees on a case: the case, the revision's text and the model's assessment.</summary>
public sealed record CaseDetails(
    ReviewCase Case,
    string PageName,
    Platform Platform,
    string CommentExternalId,
    string? Permalink,
    string? AuthorDisplayName,
    DateTimeOffset CommentCreatedAt,
    int RevisionNo,
    string? Text,
    string ModelVersion,
    string ScoresJson,
    string ReasonsJson,
    IReadOnlyList<string> Tags,
    bool FailedClosed);

/// <summary>
/// Review cases: claims, manual actions and decisions under a row lock, authorised for active staff of the page's
/// school who are assigned to the page (or the school's lead for a tie-break), and the moderator's queue.
/// </summary>
public sealed partial class Reviews(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<ReviewOptions> options, ILogger<Reviews> logger)
{
    public Task<ReviewCase> ClaimAsync(Guid caseId, Guid staffId, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, staffId, "review.claimed", (rc, asLead, now) =>
        {
            if (asLead && rc.Status != ReviewStatus.NeedsThirdReview)
            {
                throw new WorkflowForbiddenException("The school's lead joins a case only when two moderators disagree.");
            }

            rc.Claim(staffId, now, options.Value.ClaimDuration);
            return null;
        }, cancellationToken);

    public Task<ReviewCase> ReleaseClaimAsync(Guid caseId, Guid staffId, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, staffId, "review.claim_released", (rc, _, now) =>
        {
            rc.ReleaseClaim(staffId, now);
            return null;
        }, cancellationToken);

    /// <summary>Records that the moderator hid, unhid or deleted the comment on the platform by hand.</summary>
    public Task<ReviewCase> RecordManualActionAsync(Guid caseId, Guid staffId, PlatformActionKind action, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, staffId, "review.manual_action_recorded", (rc, _, now) =>
        {
            rc.RecordManualAction(staffId, action, now);
            return null;
        }, cancellationToken);

    /// <summary>Signs a decision; when it settles the case, the platform action and escalation are queued in the same transaction.</summary>
    public Task<ReviewCase> DecideAsync(Guid caseId, Guid staffId, Decision decision, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, staffId, "review.decided", (rc, asLead, now) => rc.RecordDecision(staffId, decision, now, asLead), cancellationToken);

    public async Task<CaseDetails> GetDetailsAsync(Guid caseId, Guid viewerStaffId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rc = await LoadAsync(c, null, caseId, forUpdate: false, cancellationToken) ?? throw new WorkflowNotFoundException("No such case.");
        _ = await AuthoriseAsync(c, null, viewerStaffId, rc, cancellationToken);
        var row = await c.QuerySingleAsync<DetailsRow>(Db.Cmd(
            """
            SELECT p.name AS PageName, p.platform AS Platform, c.external_id AS CommentExternalId, c.permalink AS Permalink,
                   c.author_display_name AS AuthorDisplayName, c.created_at AS CommentCreatedAt, r.revision_no AS RevisionNo, r.text AS Text,
                   a.model_version AS ModelVersion, a.scores::text AS ScoresJson, a.reasons::text AS ReasonsJson, a.tags AS Tags, a.failed_closed AS FailedClosed
            FROM review_cases rc
            JOIN pages p ON p.id = rc.page_id
            JOIN comments c ON c.id = rc.comment_id
            JOIN comment_revisions r ON r.id = rc.revision_id
            JOIN assessments a ON a.revision_id = r.id
            WHERE rc.id = @caseId
            """,
            new { caseId },
            null,
            cancellationToken));
        return new CaseDetails(rc, row.PageName, Enum.Parse<Platform>(row.Platform), row.CommentExternalId, row.Permalink, row.AuthorDisplayName, row.CommentCreatedAt, row.RevisionNo, row.Text, row.ModelVersion, row.ScoresJson, row.ReasonsJson, row.Tags, row.FailedClosed);
    }

    /// <summary>
    /// Cases waiting for this person: open cases on pages they moderate that they have not signed yet (and, for a
    /// school's lead, disagreements in their schools), oldest first, with counts.
    /// </summary>
    public async Task<QueueListing> ListQueueAsync(Guid staffId, QueueFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= new QueueFilter();
        Db.EnsureConfigured();
        var now = clock.GetUtcNow();
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var parameters = new
        {
            staffId,
            now,
            category = filter.Category?.CodeName(),
            verdict = filter.Verdict?.ToString(),
            platform = filter.Platform?.ToString(),
            openedBefore = filter.OlderThan is { } older ? now - older : (DateTimeOffset?)null,
            openedAfter = filter.NewerThan is { } newer ? now - newer : (DateTimeOffset?)null,
            limit = Math.Clamp(filter.Limit, 1, 500),
            offset = Math.Max(0, filter.Offset),
        };
        const string Matching =
            """
            WITH me AS (
                SELECT s.id, s.roles FROM staff_members s WHERE s.id = @staffId AND s.active
            ), matching AS (
                SELECT rc.*, p.name AS page_name, p.platform, sc.review_age_target,
                       (SELECT count(*) FROM review_decisions d WHERE d.case_id = rc.id) AS decision_count
                FROM review_cases rc
                JOIN pages p ON p.id = rc.page_id
                JOIN schools sc ON sc.id = rc.school_id
                CROSS JOIN me
                WHERE rc.status <> 'Settled'
                  AND EXISTS (SELECT 1 FROM staff_schools ss WHERE ss.staff_id = me.id AND ss.school_id = rc.school_id)
                  AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.case_id = rc.id AND d.moderator_id = me.id)
                  AND (
                        (EXISTS (SELECT 1 FROM page_moderators m WHERE m.page_id = rc.page_id AND m.staff_id = me.id) AND 'Moderator' = ANY(me.roles))
                     OR (rc.status = 'NeedsThirdReview' AND 'SafeguardingLead' = ANY(me.roles)))
                  AND (@category::text IS NULL OR rc.top_category = @category)
                  AND (@verdict::text IS NULL OR rc.verdict = @verdict)
                  AND (@platform::text IS NULL OR p.platform = @platform)
                  AND (@openedBefore::timestamptz IS NULL OR rc.opened_at <= @openedBefore)
                  AND (@openedAfter::timestamptz IS NULL OR rc.opened_at >= @openedAfter)
            )
            """;
        var items = await c.QueryAsync<QueueRow>(Db.Cmd(
            Matching +
            """
            SELECT id AS CaseId, page_id AS PageId, page_name AS PageName, platform AS Platform, comment_id AS CommentId, verdict AS Verdict,
                   top_category AS TopCategory, auto_hidden AS AutoHidden, status AS Status, opened_at AS OpenedAt, decision_count AS DecisionCount,
                   (claimed_by IS NOT NULL AND claimed_by <> @staffId AND claim_expires_at > @now) AS ClaimedByOther,
                   (opened_at + review_age_target < @now) AS OverReviewTarget
            FROM matching ORDER BY opened_at, id LIMIT @limit OFFSET @offset
            """,
            parameters,
            null,
            cancellationToken));
        var counts = await c.QueryAsync<CountRow>(Db.Cmd(
            Matching +
            """
            SELECT 'verdict' AS Dimension, verdict AS Value, count(*)::int AS Count FROM matching GROUP BY verdict
            UNION ALL SELECT 'category', coalesce(top_category, 'none'), count(*)::int FROM matching GROUP BY top_category
            UNION ALL SELECT 'platform', platform, count(*)::int FROM matching GROUP BY platform
            """,
            parameters,
            null,
            cancellationToken));
        var countList = counts.ToList();
        return new QueueListing(
            [.. items.Select(r => new QueueItem(r.CaseId, r.PageId, r.PageName, Enum.Parse<Platform>(r.Platform), r.CommentId, Enum.Parse<Verdict>(r.Verdict), r.TopCategory, r.AutoHidden, Enum.Parse<ReviewStatus>(r.Status), r.OpenedAt, (int)r.DecisionCount, r.ClaimedByOther, r.OverReviewTarget))],
            countList.Where(x => x.Dimension == "verdict").Sum(x => x.Count),
            countList.Where(x => x.Dimension == "verdict").ToDictionary(x => Enum.Parse<Verdict>(x.Value), x => x.Count),
            countList.Where(x => x.Dimension == "category").ToDictionary(x => x.Value, x => x.Count),
            countList.Where(x => x.Dimension == "platform").ToDictionary(x => Enum.Parse<Platform>(x.Value), x => x.Count));
    }

    private Task<ReviewCase> ChangeAsync(Guid caseId, Guid staffId, string action, Func<ReviewCase, bool, DateTimeOffset, Settlement?> change, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            // The row lock serialises everything done to one case: two moderators deciding at once are taken in turn.
            var rc = await LoadAsync(c, tx, caseId, forUpdate: true, cancellationToken) ?? throw new WorkflowNotFoundException("No such case.");
            var asLead = await AuthoriseAsync(c, tx, staffId, rc, cancellationToken);
            var before = rc.Snapshot();
            var decisionsBefore = rc.Decisions.Count;
            var manualBefore = rc.ManualActions.Count;
            var settlement = change(rc, asLead, now);
            await SaveAsync(c, tx, rc, decisionsBefore, manualBefore, cancellationToken);
            await AuditLog.AppendAsync(c, tx, Actor.Staff(staffId), now, action, "review_case", rc.Id.ToString(), before, rc.Snapshot(), cancellationToken);
            if (settlement is not null)
            {
                await ApplySettlementAsync(c, tx, rc, settlement, Actor.Staff(staffId), now, cancellationToken);
                LogSettled(logger, rc.Id, settlement.Outcome, rc.Decisions.Count);
            }

            return rc;
        }, cancellationToken);
    }

    private static async Task ApplySettlementAsync(NpgsqlConnection c, NpgsqlTransaction tx, ReviewCase rc, Settlement settlement, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var action in settlement.PlatformActions)
        {
            await OutboxWriter.EnqueuePlatformActionAsync(c, tx, action, rc.PageId, rc.CommentId, $"case:{rc.Id}:{action}", new { CaseId = rc.Id, rc.CommentId, rc.RevisionId, Reason = "ReviewSettled" }, now, ct);
        }

        if (settlement.OpensEscalation)
        {
            await Escalations.OpenAsync(c, tx, rc.SchoolId, rc.PageId, rc.CommentId, rc.RevisionId, rc.Id, EscalationTrigger.ModeratorDecision, rc.TopCategory is { } cat ? [cat] : [], actor, now, ct);
        }
    }

    /// <summary>Returns whether the person acts as the school's lead (not assigned to the page); throws when they may not act.</summary>
    private static async Task<bool> AuthoriseAsync(NpgsqlConnection c, NpgsqlTransaction? tx, Guid staffId, ReviewCase rc, CancellationToken ct)
    {
        var staff = await Stores.LoadStaffAsync(c, tx, staffId, ct);
        if (staff is null || !staff.Active || !staff.BelongsTo(rc.SchoolId))
        {
            throw new WorkflowForbiddenException("Only active staff of the page's school can review its comments.");
        }

        var assigned = staff.Has(StaffRole.Moderator) && await c.ExecuteScalarAsync<bool>(Db.Cmd(
            "SELECT EXISTS (SELECT 1 FROM page_moderators WHERE page_id = @pageId AND staff_id = @staffId)",
            new { pageId = rc.PageId, staffId },
            tx,
            ct));
        if (assigned)
        {
            return false;
        }

        return staff.Has(StaffRole.SafeguardingLead)
            ? true
            : throw new WorkflowForbiddenException("Only moderators assigned to this page can review its comments.");
    }

    internal static async Task<ReviewCase?> LoadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, Guid caseId, bool forUpdate, CancellationToken ct)
    {
        Db.EnsureConfigured();
        var row = await c.QueryFirstOrDefaultAsync<CaseRow>(Db.Cmd(
            $"""
            SELECT rc.id AS Id, rc.revision_id AS RevisionId, rc.comment_id AS CommentId, rc.page_id AS PageId, rc.school_id AS SchoolId,
                   rc.verdict AS Verdict, rc.top_category AS TopCategory, rc.auto_hidden AS AutoHidden, rc.status AS Status, rc.outcome AS Outcome,
                   rc.opened_at AS OpenedAt, rc.settled_at AS SettledAt, rc.claimed_by AS ClaimedBy, rc.claim_expires_at AS ClaimExpiresAt,
                   rc.version AS Version, c.visibility AS Visibility
            FROM review_cases rc JOIN comments c ON c.id = rc.comment_id
            WHERE rc.id = @caseId {(forUpdate ? "FOR UPDATE OF rc" : string.Empty)}
            """,
            new { caseId },
            tx,
            ct));
        if (row is null)
        {
            return null;
        }

        var decisions = await c.QueryAsync<DecisionRow>(Db.Cmd(
            "SELECT moderator_id AS ModeratorId, decision AS Decision, decided_at AS DecidedAt, as_lead AS AsLead, ordinal AS Ordinal FROM review_decisions WHERE case_id = @caseId ORDER BY ordinal",
            new { caseId },
            tx,
            ct));
        var manual = await c.QueryAsync<ManualRow>(Db.Cmd(
            "SELECT staff_id AS StaffId, action AS Action, performed_at AS PerformedAt FROM review_manual_actions WHERE case_id = @caseId",
            new { caseId },
            tx,
            ct));
        return new ReviewCase(
            row.Id,
            row.RevisionId,
            row.CommentId,
            row.PageId,
            row.SchoolId,
            row.Verdict,
            row.TopCategory,
            row.AutoHidden,
            Enum.Parse<ReviewStatus>(row.Status),
            row.Outcome is null ? null : Enum.Parse<Decision>(row.Outcome),
            row.OpenedAt,
            row.SettledAt,
            row.ClaimedBy,
            row.ClaimExpiresAt,
            row.Version,
            Enum.Parse<CommentVisibility>(row.Visibility),
            decisions.Select(d => new SignedDecision(d.ModeratorId, Enum.Parse<Decision>(d.Decision), d.DecidedAt, d.AsLead, d.Ordinal)),
            manual.Select(m => new ManualAction(m.StaffId, Enum.Parse<PlatformActionKind>(m.Action), m.PerformedAt)));
    }

    private static async Task SaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, ReviewCase rc, int decisionsBefore, int manualBefore, CancellationToken ct)
    {
        var updated = await c.ExecuteAsync(Db.Cmd(
            """
            UPDATE review_cases SET status = @status, outcome = @outcome, settled_at = @SettledAt, claimed_by = @ClaimedBy,
                                    claim_expires_at = @ClaimExpiresAt, version = version + 1
            WHERE id = @Id AND version = @Version
            """,
            new { rc.Id, status = rc.Status.ToString(), outcome = rc.Outcome?.ToString(), rc.SettledAt, rc.ClaimedBy, rc.ClaimExpiresAt, rc.Version },
            tx,
            ct));
        if (updated != 1)
        {
            throw new WorkflowConcurrencyException("The case was changed by someone else.");
        }

        foreach (var d in rc.Decisions.Skip(decisionsBefore))
        {
            await c.ExecuteAsync(Db.Cmd(
                "INSERT INTO review_decisions (case_id, moderator_id, decision, decided_at, as_lead, ordinal) VALUES (@caseId, @ModeratorId, @decision, @At, @AsLead, @Ordinal)",
                new { caseId = rc.Id, d.ModeratorId, decision = d.Decision.ToString(), d.At, d.AsLead, d.Ordinal },
                tx,
                ct));
        }

        foreach (var m in rc.ManualActions.Skip(manualBefore))
        {
            await c.ExecuteAsync(Db.Cmd(
                "INSERT INTO review_manual_actions (case_id, staff_id, action, performed_at) VALUES (@caseId, @StaffId, @action, @At) ON CONFLICT DO NOTHING",
                new { caseId = rc.Id, m.StaffId, action = m.Action.ToString(), m.At },
                tx,
                ct));
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Review case {CaseId} settled as {Outcome} with {Signatures} signatures")]
    private static partial void LogSettled(ILogger logger, Guid caseId, Decision outcome, int signatures);

    private sealed class CaseRow
    {
        public Guid Id { get; init; }

        public Guid RevisionId { get; init; }

        public Guid CommentId { get; init; }

        public Guid PageId { get; init; }

        public Guid SchoolId { get; init; }

        public string Verdict { get; init; } = string.Empty;

        public string? TopCategory { get; init; }

        public bool AutoHidden { get; init; }

        public string Status { get; init; } = string.Empty;

        public string? Outcome { get; init; }

        public DateTimeOffset OpenedAt { get; init; }

        public DateTimeOffset? SettledAt { get; init; }

        public Guid? ClaimedBy { get; init; }

        public DateTimeOffset? ClaimExpiresAt { get; init; }

        public int Version { get; init; }

        public string Visibility { get; init; } = string.Empty;
    }

    private sealed class DecisionRow
    {
        public Guid ModeratorId { get; init; }

        public string Decision { get; init; } = string.Empty;

        public DateTimeOffset DecidedAt { get; init; }

        public bool AsLead { get; init; }

        public int Ordinal { get; init; }
    }

    private sealed class ManualRow
    {
        public Guid StaffId { get; init; }

        public string Action { get; init; } = string.Empty;

        public DateTimeOffset PerformedAt { get; init; }
    }

    private sealed class QueueRow
    {
        public Guid CaseId { get; init; }

        public Guid PageId { get; init; }

        public string PageName { get; init; } = string.Empty;

        public string Platform { get; init; } = string.Empty;

        public Guid CommentId { get; init; }

        public string Verdict { get; init; } = string.Empty;

        public string? TopCategory { get; init; }

        public bool AutoHidden { get; init; }

        public string Status { get; init; } = string.Empty;

        public DateTimeOffset OpenedAt { get; init; }

        public long DecisionCount { get; init; }

        public bool ClaimedByOther { get; init; }

        public bool OverReviewTarget { get; init; }
    }

    private sealed class CountRow
    {
        public string Dimension { get; init; } = string.Empty;

        public string Value { get; init; } = string.Empty;

        public int Count { get; init; }
    }

    private sealed class DetailsRow
    {
        public string PageName { get; init; } = string.Empty;

        public string Platform { get; init; } = string.Empty;

        public string CommentExternalId { get; init; } = string.Empty;

        public string? Permalink { get; init; }

        public string? AuthorDisplayName { get; init; }

        public DateTimeOffset CommentCreatedAt { get; init; }

        public int RevisionNo { get; init; }

        public string? Text { get; init; }

        public string ModelVersion { get; init; } = string.Empty;

        public string ScoresJson { get; init; } = string.Empty;

        public string ReasonsJson { get; init; } = string.Empty;

        public string[] Tags { get; init; } = [];

        public bool FailedClosed { get; init; }
    }
}
