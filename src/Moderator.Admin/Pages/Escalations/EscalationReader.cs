using Dapper;
using Npgsql;

namespace Moderator.Admin.Pages.Escalations;

/// <summary>Where an escalation came from: the page and school names, the revision's text and the model's reasons.</summary>
public sealed record EscalationContext(string SchoolName, string PageName, string Platform, string? Text, string? ReasonsJson, string? Verdict, string? Permalink, string? AuthorDisplayName, DateTimeOffset CommentCreatedAt);

public sealed record EscalationSummary(Guid Id, string SchoolName, string PageName);

/// <summary>Read side of the escalation desk, beside the workflow's Escalations service (which authorises every view).</summary>
public sealed class EscalationReader(NpgsqlDataSource dataSource)
{
    public async Task<EscalationContext> ContextAsync(Guid escalationId, CancellationToken cancellationToken)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await c.QuerySingleAsync<EscalationContext>(new CommandDefinition(
            """
            SELECT sc.name AS SchoolName, p.name AS PageName, p.platform AS Platform, r.text AS Text, a.reasons::text AS ReasonsJson,
                   a.verdict AS Verdict, cm.permalink AS Permalink, cm.author_display_name AS AuthorDisplayName, cm.created_at AS CommentCreatedAt
            FROM escalations e
            JOIN schools sc ON sc.id = e.school_id
            JOIN pages p ON p.id = e.page_id
            JOIN comments cm ON cm.id = e.comment_id
            JOIN comment_revisions r ON r.id = e.revision_id
            LEFT JOIN assessments a ON a.revision_id = r.id
            WHERE e.id = @escalationId
            """,
            new { escalationId },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyDictionary<Guid, EscalationSummary>> SummariesAsync(IEnumerable<Guid> escalationIds, CancellationToken cancellationToken)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<EscalationSummary>(new CommandDefinition(
            "SELECT e.id AS Id, sc.name AS SchoolName, p.name AS PageName FROM escalations e JOIN schools sc ON sc.id = e.school_id JOIN pages p ON p.id = e.page_id WHERE e.id = ANY(@ids)",
            new { ids = escalationIds.ToArray() },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id);
    }
}

/// <summary>The model of one table on the desk.</summary>
public sealed record EscalationRows(IReadOnlyList<Core.Workflow.Escalation> Items, IReadOnlyDictionary<Guid, EscalationSummary> Summaries, DateTimeOffset Now, string Id);
