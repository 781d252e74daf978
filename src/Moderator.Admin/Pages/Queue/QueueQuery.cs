using Dapper;
using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Npgsql;

namespace Moderator.Admin.Pages.Queue;

/// <summary>The age filter of the queue.</summary>
public enum QueueAge
{
    Any,
    UnderAnHour,
    UnderADay,
    OverADay,
    OverTarget,
}

public sealed record QueueQuery(
    Guid StaffId,
    Guid? SchoolId,
    Guid? PageId,
    string? Category,
    Verdict? Verdict,
    Platform? Platform,
    QueueAge Age,
    bool CannotHideOnly = false,
    int Limit = 100);

public sealed record QueueRow(
    Guid CaseId,
    Guid SchoolId,
    string PageName,
    Platform Platform,
    Verdict Verdict,
    string? TopCategory,
    bool AutoHidden,
    ReviewStatus Status,
    DateTimeOffset OpenedAt,
    int DecisionCount,
    bool ClaimedByOther,
    bool ClaimedByMe,
    bool Overdue,
    bool CannotHide = false);

public sealed record QueueResult(
    IReadOnlyList<QueueRow> Items,
    int Total,
    int Overdue,
    int CannotHide,
    IReadOnlyDictionary<string, int> ByCategory,
    IReadOnlyDictionary<string, int> ByVerdict,
    IReadOnlyDictionary<string, int> ByPlatform,
    IReadOnlyList<QueueChoice> Schools,
    IReadOnlyList<QueueChoice> Pages);

public sealed record QueueChoice(Guid Id, string Name);

/// <summary>
/// The moderator's queue scoped by school and page: the same eligibility as the workflow's own queue (open cases on
/// pages they moderate that they have not signed, and disagreements for a school's lead), oldest first.
/// </summary>
public sealed class QueueReader(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Matching =
        """
        WITH me AS (
            SELECT s.id, s.roles FROM staff_members s WHERE s.id = @staffId AND s.active
        ), matching AS (
            SELECT rc.id, rc.school_id, rc.verdict, rc.top_category, rc.auto_hidden, rc.cannot_hide, rc.status, rc.opened_at, rc.claimed_by, rc.claim_expires_at,
                   p.name AS page_name, p.platform,
                   (rc.opened_at + sc.review_age_target < @now) AS overdue,
                   (SELECT count(*) FROM review_decisions d WHERE d.case_id = rc.id)::int AS decision_count
            FROM review_cases rc
            JOIN pages p ON p.id = rc.page_id
            JOIN schools sc ON sc.id = rc.school_id
            CROSS JOIN me
            WHERE rc.status <> 'Settled'
              AND EXISTS (SELECT 1 FROM staff_schools ss WHERE ss.staff_id = me.id AND ss.school_id = rc.school_id)
              AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.case_id = rc.id AND d.moderator_id = me.id)
              AND ((EXISTS (SELECT 1 FROM page_moderators m WHERE m.page_id = rc.page_id AND m.staff_id = me.id) AND 'Moderator' = ANY(me.roles))
                   OR (rc.status = 'NeedsThirdReview' AND 'SafeguardingLead' = ANY(me.roles)))
              AND (@schoolId::uuid IS NULL OR rc.school_id = @schoolId)
              AND (@pageId::uuid IS NULL OR rc.page_id = @pageId)
              AND (@category::text IS NULL OR coalesce(rc.top_category, 'none') = @category)
              AND (@verdict::text IS NULL OR rc.verdict = @verdict)
              AND (@platform::text IS NULL OR p.platform = @platform)
              AND (@newerThan::timestamptz IS NULL OR rc.opened_at > @newerThan)
              AND (@olderThan::timestamptz IS NULL OR rc.opened_at <= @olderThan)
              AND (NOT @overTarget OR rc.opened_at + sc.review_age_target < @now)
              AND (NOT @cannotHideOnly OR rc.cannot_hide)
        )
        """;

    public async Task<QueueResult> ReadAsync(QueueQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = clock.GetUtcNow();
        var parameters = new
        {
            staffId = query.StaffId,
            now,
            schoolId = query.SchoolId,
            pageId = query.PageId,
            category = query.Category,
            verdict = query.Verdict?.ToString(),
            platform = query.Platform?.ToString(),
            newerThan = query.Age switch
            {
                QueueAge.UnderAnHour => now.AddHours(-1),
                QueueAge.UnderADay => now.AddDays(-1),
                _ => (DateTimeOffset?)null,
            },
            olderThan = query.Age == QueueAge.OverADay ? now.AddDays(-1) : (DateTimeOffset?)null,
            overTarget = query.Age == QueueAge.OverTarget,
            cannotHideOnly = query.CannotHideOnly,
            limit = Math.Clamp(query.Limit, 1, 500),
        };
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            Matching +
            """
            SELECT id AS CaseId, school_id AS SchoolId, page_name AS PageName, platform AS Platform, verdict AS Verdict, top_category AS TopCategory,
                   auto_hidden AS AutoHidden, status AS Status, opened_at AS OpenedAt, decision_count AS DecisionCount,
                   (claimed_by IS NOT NULL AND claimed_by <> @staffId AND claim_expires_at > @now) AS ClaimedByOther,
                   (claimed_by = @staffId AND claim_expires_at > @now) AS ClaimedByMe, overdue AS Overdue, cannot_hide AS CannotHide
            FROM matching ORDER BY opened_at, id LIMIT @limit
            """,
            parameters,
            cancellationToken: cancellationToken));
        var counts = (await c.QueryAsync<CountRow>(new CommandDefinition(
            Matching +
            """
            SELECT 'total' AS Dimension, '' AS Value, count(*)::int AS Count FROM matching
            UNION ALL SELECT 'overdue', '', count(*)::int FROM matching WHERE overdue
            UNION ALL SELECT 'cannot_hide', '', count(*)::int FROM matching WHERE cannot_hide
            UNION ALL SELECT 'verdict', verdict, count(*)::int FROM matching GROUP BY verdict
            UNION ALL SELECT 'category', coalesce(top_category, 'none'), count(*)::int FROM matching GROUP BY top_category
            UNION ALL SELECT 'platform', platform, count(*)::int FROM matching GROUP BY platform
            """,
            parameters,
            cancellationToken: cancellationToken))).ToList();
        var schools = await c.QueryAsync<QueueChoice>(new CommandDefinition(
            "SELECT sc.id AS Id, sc.name AS Name FROM schools sc JOIN staff_schools ss ON ss.school_id = sc.id WHERE ss.staff_id = @staffId ORDER BY sc.name",
            new { staffId = query.StaffId },
            cancellationToken: cancellationToken));
        var pages = await c.QueryAsync<QueueChoice>(new CommandDefinition(
            """
            SELECT p.id AS Id, p.name AS Name FROM pages p JOIN staff_schools ss ON ss.school_id = p.school_id
            WHERE ss.staff_id = @staffId AND (@schoolId::uuid IS NULL OR p.school_id = @schoolId) ORDER BY p.name
            """,
            new { staffId = query.StaffId, schoolId = query.SchoolId },
            cancellationToken: cancellationToken));

        Dictionary<string, int> Dimension(string name) => counts.Where(x => x.Dimension == name).ToDictionary(x => x.Value, x => x.Count, StringComparer.Ordinal);
        return new QueueResult(
            [.. rows.Select(r => new QueueRow(r.CaseId, r.SchoolId, r.PageName, Enum.Parse<Platform>(r.Platform), Enum.Parse<Verdict>(r.Verdict), r.TopCategory, r.AutoHidden, Enum.Parse<ReviewStatus>(r.Status), r.OpenedAt, r.DecisionCount, r.ClaimedByOther, r.ClaimedByMe, r.Overdue, r.CannotHide))],
            counts.Where(x => x.Dimension == "total").Sum(x => x.Count),
            counts.Where(x => x.Dimension == "overdue").Sum(x => x.Count),
            counts.Where(x => x.Dimension == "cannot_hide").Sum(x => x.Count),
            Dimension("category"),
            Dimension("verdict"),
            Dimension("platform"),
            [.. schools],
            [.. pages]);
    }

    private sealed class Row
    {
        public Guid CaseId { get; init; }

        public Guid SchoolId { get; init; }

        public string PageName { get; init; } = string.Empty;

        public string Platform { get; init; } = string.Empty;

        public string Verdict { get; init; } = string.Empty;

        public string? TopCategory { get; init; }

        public bool AutoHidden { get; init; }

        public string Status { get; init; } = string.Empty;

        public DateTimeOffset OpenedAt { get; init; }

        public int DecisionCount { get; init; }

        public bool ClaimedByOther { get; init; }

        public bool ClaimedByMe { get; init; }

        public bool Overdue { get; init; }

        public bool CannotHide { get; init; }
    }

    private sealed class CountRow
    {
        public string Dimension { get; init; } = string.Empty;

        public string Value { get; init; } = string.Empty;

        public int Count { get; init; }
    }
}
