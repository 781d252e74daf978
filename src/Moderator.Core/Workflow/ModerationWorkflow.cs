using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Moderator.Model;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>A comment as a connector read it from the platform.</summary>
public sealed record IncomingComment(
    string ExternalId,
    string Text,
    DateTimeOffset CreatedAt,
    string? AuthorExternalId = null,
    string? AuthorDisplayName = null,
    string? PostId = null,
    string? ParentExternalId = null,
    string? Permalink = null);

/// <summary>What recording one polled comment did. <see cref="IsNewRevision"/> is false when the text was already known.</summary>
public sealed record RecordResult(
    Guid CommentId,
    Guid RevisionId,
    int RevisionNo,
    bool IsNewRevision,
    Guid? ReviewCaseId,
    Guid? EscalationId,
    IReadOnlyList<long> OutboxIds);

/// <summary>
/// The one entry point the worker calls after scoring a polled comment. In one transaction it upserts the comment,
/// adds a revision when the text is new, stores the assessment and turns the verdict into rows: a Hide outbox entry,
/// a review case, an escalation with its notifications. Seeing the same text again changes nothing.
/// </summary>
public sealed partial class ModerationWorkflow(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<ModerationWorkflow> logger)
{
    public Task<RecordResult> RecordAsync(Guid pageId, IncomingComment comment, ModelAssessment assessment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(comment);
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentException.ThrowIfNullOrWhiteSpace(comment.ExternalId);
        ArgumentNullException.ThrowIfNull(comment.Text);
        var now = clock.GetUtcNow();
        var textHash = Sha256(comment.Text);
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            var page = await c.QueryFirstOrDefaultAsync<PageRow>(Db.Cmd(
                "SELECT school_id AS SchoolId, platform AS Platform, status AS Status FROM pages WHERE id = @pageId",
                new { pageId },
                tx,
                cancellationToken)) ?? throw new WorkflowNotFoundException("No such page.");
            if (page.Status == nameof(PageStatus.Deactivated))
            {
                throw new WorkflowRuleException("The page is deactivated.");
            }

            // The upsert takes the comment's row lock: two pollers of one comment are serialised here.
            var commentRow = await c.QuerySingleAsync<CommentRow>(Db.Cmd(
                """
                INSERT INTO comments (id, page_id, platform, external_id, author_external_id, author_display_name, post_id, parent_external_id, permalink, created_at, first_seen_at)
                VALUES (@id, @pageId, @platform, @externalId, @authorId, @authorName, @postId, @parentId, @permalink, @createdAt, @now)
                ON CONFLICT (platform, external_id) DO UPDATE SET permalink = coalesce(excluded.permalink, comments.permalink)
                RETURNING id AS Id, page_id AS PageId, latest_revision_no AS LatestRevisionNo, visibility AS Visibility
                """,
                new
                {
                    id = Guid.CreateVersion7(now),
                    pageId,
                    platform = page.Platform,
                    externalId = comment.ExternalId,
                    authorId = comment.AuthorExternalId,
                    authorName = comment.AuthorDisplayName,
                    postId = comment.PostId,
                    parentId = comment.ParentExternalId,
                    permalink = comment.Permalink,
                    createdAt = comment.CreatedAt,
                    now,
                },
                tx,
                cancellationToken));
            if (commentRow.PageId != pageId)
            {
                throw new WorkflowRuleException("That comment belongs to another page.");
            }

            if (commentRow.LatestRevisionNo > 0)
            {
                var latest = await c.QuerySingleAsync<RevisionRow>(Db.Cmd(
                    "SELECT id AS Id, text_sha256 AS TextSha256 FROM comment_revisions WHERE comment_id = @commentId AND revision_no = @no",
                    new { commentId = commentRow.Id, no = commentRow.LatestRevisionNo },
                    tx,
                    cancellationToken));
                if (latest.TextSha256 == textHash)
                {
                    return new RecordResult(commentRow.Id, latest.Id, commentRow.LatestRevisionNo, false, null, null, []);
                }
            }

            var revisionNo = commentRow.LatestRevisionNo + 1;
            var revisionId = Guid.CreateVersion7(now);
            await c.ExecuteAsync(Db.Cmd(
                """
                INSERT INTO comment_revisions (id, comment_id, revision_no, text, text_sha256, seen_at) VALUES (@revisionId, @commentId, @revisionNo, @text, @textHash, @now);
                UPDATE comments SET latest_revision_no = @revisionNo WHERE id = @commentId;
                """,
                new { revisionId, commentId = commentRow.Id, revisionNo, text = comment.Text, textHash, now },
                tx,
                cancellationToken));

            var topCategory = TopCategory(assessment);
            await c.ExecuteAsync(Db.Cmd(
                """
                INSERT INTO assessments (id, revision_id, model_version, verdict, scores, reasons, tags, top_category, failed_closed, assessed_at)
                VALUES (@id, @revisionId, @modelVersion, @verdict, @scores::jsonb, @reasons::jsonb, @tags, @topCategory, @failedClosed, @now)
                """,
                new
                {
                    id = Guid.CreateVersion7(now),
                    revisionId,
                    modelVersion = assessment.ModelVersion,
                    verdict = assessment.Verdict.ToString(),
                    scores = ScoresJson(assessment),
                    reasons = ReasonsJson(assessment),
                    tags = assessment.Tags.ToArray(),
                    topCategory,
                    failedClosed = assessment.FailedClosed,
                    now,
                },
                tx,
                cancellationToken));

            // The audit entry carries the text's hash, never the text: the log is permanent, the text is purgeable.
            await AuditLog.AppendAsync(c, tx, Actor.System, now, "comment.revision_recorded", "comment", commentRow.Id.ToString(), null, new
            {
                revisionId,
                revisionNo,
                textSha256 = textHash,
                Verdict = assessment.Verdict.ToString(),
                assessment.ModelVersion,
                assessment.FailedClosed,
                topCategory,
                assessment.Tags,
            }, cancellationToken);

            var outbox = new List<long>();
            var hide = assessment.Verdict >= Verdict.Hide;
            var visibility = Enum.Parse<CommentVisibility>(commentRow.Visibility);
            if (hide && visibility == CommentVisibility.Visible)
            {
                var queued = await OutboxWriter.EnqueuePlatformActionAsync(c, tx, PlatformActionKind.Hide, pageId, commentRow.Id, $"auto-hide:{revisionId}", new { commentRow.Id, revisionId, Reason = "Verdict", Verdict = assessment.Verdict.ToString() }, now, cancellationToken);
                if (queued is { } q)
                {
                    outbox.Add(q);
                }
            }

            Guid? caseId = null;
            if (assessment.Verdict >= Verdict.Review)
            {
                caseId = Guid.CreateVersion7(now);
                await c.ExecuteAsync(Db.Cmd(
                    """
                    INSERT INTO review_cases (id, revision_id, comment_id, page_id, school_id, verdict, top_category, auto_hidden, status, opened_at)
                    VALUES (@caseId, @revisionId, @commentId, @pageId, @schoolId, @verdict, @topCategory, @autoHidden, 'Open', @now)
                    """,
                    new { caseId, revisionId, commentId = commentRow.Id, pageId, schoolId = page.SchoolId, verdict = assessment.Verdict.ToString(), topCategory, autoHidden = hide || visibility != CommentVisibility.Visible, now },
                    tx,
                    cancellationToken));
                await AuditLog.AppendAsync(c, tx, Actor.System, now, "review.opened", "review_case", caseId.Value.ToString(), null, new { revisionId, Verdict = assessment.Verdict.ToString(), topCategory }, cancellationToken);
            }

            Guid? escalationId = null;
            var allegation = assessment.Tags.Contains(ModelAssessment.StaffAllegationTag, StringComparer.Ordinal);
            if (assessment.Verdict == Verdict.HideAndEscalate || allegation)
            {
                var categories = assessment.Reasons.Select(r => r.Category.CodeName()).Distinct().ToList();
                escalationId = await Escalations.OpenAsync(
                    c,
                    tx,
                    page.SchoolId,
                    pageId,
                    commentRow.Id,
                    revisionId,
                    caseId,
                    assessment.Verdict == Verdict.HideAndEscalate ? EscalationTrigger.HideAndEscalateVerdict : EscalationTrigger.StaffAllegation,
                    categories,
                    Actor.System,
                    now,
                    cancellationToken);
            }

            LogRecorded(logger, commentRow.Id, revisionNo, assessment.Verdict, topCategory ?? "none");
            return new RecordResult(commentRow.Id, revisionId, revisionNo, true, caseId, escalationId, outbox);
        }, cancellationToken);
    }

    internal static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static string? TopCategory(ModelAssessment assessment) =>
        assessment.Verdict == Verdict.Allow || assessment.Scores.Count == 0
            ? null
            : assessment.Scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).First().Key.CodeName();

    private static string ScoresJson(ModelAssessment assessment) =>
        Db.ToJson(assessment.Scores.OrderBy(s => s.Key).ToDictionary(s => s.Key.CodeName(), s => s.Value));

    private static string ReasonsJson(ModelAssessment assessment) =>
        Db.ToJson(assessment.Reasons.Select(r => new
        {
            Category = r.Category.CodeName(),
            r.Score,
            r.Detector,
            r.HouseRule,
            r.Explanation,
            Spans = r.Spans.Select(s => new { s.Start, s.Length }),
        }));

    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "Comment {CommentId} revision {RevisionNo} recorded with verdict {Verdict} ({Category})")]
    private static partial void LogRecorded(ILogger logger, Guid commentId, int revisionNo, Verdict verdict, string category);

    private sealed class PageRow
    {
        public Guid SchoolId { get; init; }

        public string Platform { get; init; } = string.Empty;

        public string Status { get; init; } = string.Empty;
    }

    private sealed class CommentRow
    {
        public Guid Id { get; init; }

        public Guid PageId { get; init; }

        public int LatestRevisionNo { get; init; }

        public string Visibility { get; init; } = string.Empty;
    }

    private sealed class RevisionRow
    {
        public Guid Id { get; init; }

        public string TextSha256 { get; init; } = string.Empty;
    }
}
