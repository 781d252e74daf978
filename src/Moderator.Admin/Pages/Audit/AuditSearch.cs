using Dapper;
using Npgsql;

namespace Moderator.Admin.Pages.Audit;

public sealed record AuditRow(long Seq, DateTimeOffset At, string Actor, string? ActorName, string Action, string EntityType, string EntityId, string? Before, string? After, string Hash);

public sealed record AuditSearchQuery(IReadOnlyList<Guid> SchoolIds, Guid TrustId, string? Text, string? EntityType, DateTimeOffset? From, DateTimeOffset? To, int Limit = 200);

/// <summary>
/// Searches the audit log within the person's schools: an entry is in scope when the school, page, case,
/// escalation, comment, alert or member of staff it is about belongs to one of them (or it is about their trust).
/// </summary>
public sealed class AuditSearch(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<AuditRow>> SearchAsync(AuditSearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<AuditRow>(new CommandDefinition(
            """
            SELECT a.seq AS Seq, a.at AS At, a.actor AS Actor, s.display_name AS ActorName, a.action AS Action, a.entity_type AS EntityType,
                   a.entity_id AS EntityId, a.before::text AS Before, a.after::text AS After, a.hash AS Hash
            FROM audit_log a
            LEFT JOIN staff_members s ON s.id = a.actor_staff_id
            WHERE (
                   (a.entity_type = 'school' AND a.entity_id = ANY(@schoolTexts))
                OR (a.entity_type = 'trust' AND a.entity_id = @trustText)
                OR (a.entity_type = 'page' AND EXISTS (SELECT 1 FROM pages p WHERE p.id::text = a.entity_id AND p.school_id = ANY(@schools)))
                OR (a.entity_type = 'review_case' AND EXISTS (SELECT 1 FROM review_cases rc WHERE rc.id::text = a.entity_id AND rc.school_id = ANY(@schools)))
                OR (a.entity_type = 'escalation' AND EXISTS (SELECT 1 FROM escalations e WHERE e.id::text = a.entity_id AND e.school_id = ANY(@schools)))
                OR (a.entity_type = 'comment' AND EXISTS (SELECT 1 FROM comments cm JOIN pages p ON p.id = cm.page_id WHERE cm.id::text = a.entity_id AND p.school_id = ANY(@schools)))
                OR (a.entity_type = 'alert' AND EXISTS (SELECT 1 FROM alerts al WHERE al.id::text = a.entity_id AND al.school_id = ANY(@schools)))
                OR (a.entity_type = 'staff' AND EXISTS (SELECT 1 FROM staff_schools ss WHERE ss.staff_id::text = a.entity_id AND ss.school_id = ANY(@schools)))
              )
              AND (@entityType::text IS NULL OR a.entity_type = @entityType)
              AND (@from::timestamptz IS NULL OR a.at >= @from)
              AND (@to::timestamptz IS NULL OR a.at < @to)
              AND (@text::text IS NULL
                   OR a.action ILIKE '%' || @text || '%'
                   OR a.entity_id = @text
                   OR s.display_name ILIKE '%' || @text || '%'
                   OR a.after::text ILIKE '%' || @text || '%')
            ORDER BY a.seq DESC
            LIMIT @limit
            """,
            new
            {
                schools = query.SchoolIds.ToArray(),
                schoolTexts = query.SchoolIds.Select(s => s.ToString()).ToArray(),
                trustText = query.TrustId.ToString(),
                entityType = string.IsNullOrWhiteSpace(query.EntityType) ? null : query.EntityType,
                from = query.From,
                to = query.To,
                text = string.IsNullOrWhiteSpace(query.Text) ? null : EscapeLike(query.Text.Trim()),
                limit = Math.Clamp(query.Limit, 1, 1000),
            },
            cancellationToken: cancellationToken));
        return [.. rows];
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
