using Dapper;
using Npgsql;

namespace Moderator.Admin.Pages.Dashboard;

public sealed record DayCategoryCount(DateOnly Day, string Category, int Count);

public sealed record NamedCount(string Name, int Count);

public sealed record Percentiles(int Count, TimeSpan? Median, TimeSpan? P95);

public sealed record DashboardData(
    IReadOnlyList<DayCategoryCount> CommentsPerDay,
    int AutoHidden,
    int ReviewOnly,
    int Settled,
    Percentiles TimeToHide,
    IReadOnlyList<NamedCount> QueueAge,
    IReadOnlyList<NamedCount> Workload,
    Percentiles Acknowledgement,
    IReadOnlyList<NamedCount> AcknowledgementBuckets);

/// <summary>The numbers behind the dashboard, over the person's schools and a recent window. No comment text.</summary>
public sealed class DashboardQuery(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<DashboardData> ReadAsync(IReadOnlyList<Guid> schoolIds, int days, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1 - days), TimeSpan.Zero);
        var p = new { schools = schoolIds.ToArray(), since, now };
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);

        var perDay = await c.QueryAsync<(DateTime Day, string Category, int Count)>(new CommandDefinition(
            """
            SELECT date_trunc('day', cm.first_seen_at AT TIME ZONE 'UTC') AS day, coalesce(a.top_category, 'allowed') AS category, count(*)::int AS count
            FROM comments cm
            JOIN pages pg ON pg.id = cm.page_id
            JOIN comment_revisions r ON r.comment_id = cm.id AND r.revision_no = 1
            LEFT JOIN assessments a ON a.revision_id = r.id
            WHERE pg.school_id = ANY(@schools) AND cm.first_seen_at >= @since
            GROUP BY 1, 2 ORDER BY 1, 2
            """,
            p,
            cancellationToken: cancellationToken));

        var cases = await c.QuerySingleAsync<(int AutoHidden, int ReviewOnly, int Settled)>(new CommandDefinition(
            """
            SELECT count(*) FILTER (WHERE auto_hidden)::int, count(*) FILTER (WHERE NOT auto_hidden)::int, count(*) FILTER (WHERE status = 'Settled')::int
            FROM review_cases WHERE school_id = ANY(@schools) AND opened_at >= @since
            """,
            p,
            cancellationToken: cancellationToken));

        // From first seeing the comment to the platform confirming the hide (the outbox row completed).
        var hide = await c.QuerySingleAsync<(int Count, double? Median, double? P95)>(new CommandDefinition(
            """
            SELECT count(*)::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.completed_at - cm.first_seen_at)),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM o.completed_at - cm.first_seen_at))
            FROM outbox o JOIN comments cm ON cm.id = o.comment_id JOIN pages pg ON pg.id = cm.page_id
            WHERE o.kind = 'PlatformAction' AND o.action = 'Hide' AND o.status = 'Done' AND o.completed_at IS NOT NULL
              AND pg.school_id = ANY(@schools) AND cm.first_seen_at >= @since
            """,
            p,
            cancellationToken: cancellationToken));

        var queueAge = await c.QueryAsync<(string Name, int Count)>(new CommandDefinition(
            """
            SELECT bucket, count(*)::int FROM (
                SELECT CASE WHEN @now - opened_at < interval '1 hour' THEN '1 under 1 h'
                            WHEN @now - opened_at < interval '4 hours' THEN '2 1–4 h'
                            WHEN @now - opened_at < interval '24 hours' THEN '3 4–24 h'
                            ELSE '4 over 24 h' END AS bucket
                FROM review_cases WHERE school_id = ANY(@schools) AND status <> 'Settled') b
            GROUP BY bucket ORDER BY bucket
            """,
            p,
            cancellationToken: cancellationToken));

        var workload = await c.QueryAsync<(string Name, int Count)>(new CommandDefinition(
            """
            SELECT s.display_name, count(*)::int FROM review_decisions d
            JOIN review_cases rc ON rc.id = d.case_id JOIN staff_members s ON s.id = d.moderator_id
            WHERE rc.school_id = ANY(@schools) AND d.decided_at >= @since
            GROUP BY s.display_name ORDER BY 2 DESC, 1 LIMIT 12
            """,
            p,
            cancellationToken: cancellationToken));

        var ack = await c.QuerySingleAsync<(int Count, double? Median, double? P95)>(new CommandDefinition(
            """
            SELECT count(*)::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - opened_at)),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - opened_at))
            FROM escalations WHERE school_id = ANY(@schools) AND opened_at >= @since AND acknowledged_at IS NOT NULL
            """,
            p,
            cancellationToken: cancellationToken));

        var ackBuckets = await c.QueryAsync<(string Name, int Count)>(new CommandDefinition(
            """
            SELECT bucket, count(*)::int FROM (
                SELECT CASE WHEN acknowledged_at IS NULL THEN '5 not yet'
                            WHEN acknowledged_at - opened_at < interval '15 minutes' THEN '1 under 15 min'
                            WHEN acknowledged_at - opened_at < interval '60 minutes' THEN '2 15–60 min'
                            WHEN acknowledged_at - opened_at < interval '4 hours' THEN '3 1–4 h'
                            ELSE '4 over 4 h' END AS bucket
                FROM escalations WHERE school_id = ANY(@schools) AND opened_at >= @since) b
            GROUP BY bucket ORDER BY bucket
            """,
            p,
            cancellationToken: cancellationToken));

        static TimeSpan? Seconds(double? s) => s is { } v ? TimeSpan.FromSeconds(v) : null;
        static IReadOnlyList<NamedCount> Buckets(IEnumerable<(string Name, int Count)> rows) => [.. rows.Select(r => new NamedCount(r.Name[2..], r.Count))];
        return new DashboardData(
            [.. perDay.Select(r => new DayCategoryCount(DateOnly.FromDateTime(r.Day), r.Category, r.Count))],
            cases.AutoHidden,
            cases.ReviewOnly,
            cases.Settled,
            new Percentiles(hide.Count, Seconds(hide.Median), Seconds(hide.P95)),
            Buckets(queueAge),
            [.. workload.Select(r => new NamedCount(r.Name, r.Count))],
            new Percentiles(ack.Count, Seconds(ack.Median), Seconds(ack.P95)),
            Buckets(ackBuckets));
    }
}
