using Dapper;
using Npgsql;

namespace Moderator.Admin.Pages.Queue;

/// <summary>One comment around the case: in the same thread, or earlier by the same author on the school's pages.</summary>
public sealed record ContextComment(Guid CommentId, string? AuthorDisplayName, DateTimeOffset CreatedAt, string? Text, string? Verdict, string? TopCategory, string Visibility, bool IsThisComment);

/// <summary>Reads what the item page shows beside the case: the thread, the author's history and the names of the signatories.</summary>
public sealed class CaseReader(NpgsqlDataSource dataSource)
{
    private const string LatestRevision =
        """
        SELECT c.id AS CommentId, c.author_display_name AS AuthorDisplayName, c.created_at AS CreatedAt, r.text AS Text,
               a.verdict AS Verdict, a.top_category AS TopCategory, c.visibility AS Visibility, c.id = @commentId AS IsThisComment
        FROM comments c
        JOIN comment_revisions r ON r.comment_id = c.id AND r.revision_no = c.latest_revision_no
        LEFT JOIN assessments a ON a.revision_id = r.id
        """;

    /// <summary>The post's comments around this one (the thread), oldest first.</summary>
    public async Task<IReadOnlyList<ContextComment>> ThreadAsync(Guid commentId, CancellationToken cancellationToken)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<ContextComment>(new CommandDefinition(
            LatestRevision + "\n" +
            """
            JOIN comments me ON me.id = @commentId
            WHERE c.page_id = me.page_id
              AND ((me.post_id IS NOT NULL AND c.post_id = me.post_id) OR c.id = me.id
                   OR c.external_id = me.parent_external_id OR c.parent_external_id = me.external_id)
            ORDER BY abs(extract(epoch FROM c.created_at - me.created_at)), c.id
            LIMIT 15
            """,
            new { commentId },
            cancellationToken: cancellationToken));
        return [.. rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.CommentId)];
    }

    /// <summary>The same author's other comments on any page of the school, newest first.</summary>
    public async Task<IReadOnlyList<ContextComment>> AuthorHistoryAsync(Guid commentId, CancellationToken cancellationToken)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<ContextComment>(new CommandDefinition(
            LatestRevision + "\n" +
            """
            JOIN pages p ON p.id = c.page_id
            JOIN comments me ON me.id = @commentId
            JOIN pages mp ON mp.id = me.page_id
            WHERE p.school_id = mp.school_id AND me.author_external_id IS NOT NULL
              AND c.author_external_id = me.author_external_id AND c.platform = me.platform AND c.id <> me.id
            ORDER BY c.created_at DESC, c.id
            LIMIT 10
            """,
            new { commentId },
            cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>When the platform refused to act on this comment (e.g. an X reply outside the school's conversations), and what.</summary>
    public async Task<(DateTimeOffset At, string Action)?> CannotActAsync(Guid commentId, CancellationToken cancellationToken)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await c.QueryFirstOrDefaultAsync<(DateTimeOffset? At, string? Action)>(new CommandDefinition(
            "SELECT cannot_act_at, cannot_act_action FROM comments WHERE id = @commentId",
            new { commentId },
            cancellationToken: cancellationToken));
        return row.At is { } at ? (at, row.Action ?? "Hide") : null;
    }

    /// <summary>The comment's most recent escalation, if any (for the DSL's link from a case to the desk).</summary>
    public async Task<Guid?> EscalationIdAsync(Guid commentId, CancellationToken cancellationToken)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await c.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM escalations WHERE comment_id = @commentId ORDER BY opened_at DESC LIMIT 1",
            new { commentId },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IEnumerable<Guid> staffIds, CancellationToken cancellationToken)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<(Guid Id, string Name)>(new CommandDefinition(
            "SELECT id, display_name FROM staff_members WHERE id = ANY(@ids)",
            new { ids = staffIds.Distinct().ToArray() },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.Name);
    }
}
