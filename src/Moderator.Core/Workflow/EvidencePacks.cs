using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>
/// An export for the DSL to hand to CEOP or the police. <see cref="Json"/> is compact JSON in which every item is
/// <c>{"item": …, "sha256": …}</c>, the hash being over the item's JSON exactly as it appears in the file.
/// <see cref="Markdown"/> is the readable summary; <see cref="Sha256"/> is the hash of the whole JSON.
/// </summary>
public sealed record EvidencePack(Guid EscalationId, string Json, string Markdown, string Sha256, AuditChainPosition AuditPosition);

/// <summary>One item of the pack with the SHA-256 of its own JSON.</summary>
public sealed record HashedItem<T>(T Item, string Sha256);

/// <summary>Builds evidence packs for escalations; only the school's safeguarding leads may export one.</summary>
public sealed class EvidencePacks(NpgsqlDataSource dataSource, TimeProvider clock, Escalations escalations, AuditLog auditLog)
{
    public async Task<EvidencePack> BuildAsync(Guid escalationId, Guid requestedBy, CancellationToken cancellationToken = default)
    {
        // Authorises the person (DSL or deputy of the school, or the trust's lead once it reached them).
        var escalation = await escalations.GetAsync(escalationId, requestedBy, cancellationToken);
        var now = clock.GetUtcNow();
        Db.EnsureConfigured();
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

        var context = await c.QuerySingleAsync<ContextRow>(Db.Cmd(
            """
            SELECT sc.name AS SchoolName, p.name AS PageName, p.platform AS Platform, p.external_id AS PageExternalId,
                   cm.external_id AS CommentExternalId, cm.permalink AS Permalink, cm.author_external_id AS AuthorExternalId,
                   cm.author_display_name AS AuthorDisplayName, cm.post_id AS PostId, cm.parent_external_id AS ParentExternalId,
                   cm.created_at AS CreatedAt, cm.first_seen_at AS FirstSeenAt, cm.visibility AS Visibility
            FROM escalations e JOIN schools sc ON sc.id = e.school_id JOIN pages p ON p.id = e.page_id JOIN comments cm ON cm.id = e.comment_id
            WHERE e.id = @escalationId
            """,
            new { escalationId },
            tx,
            cancellationToken));
        var revisions = (await c.QueryAsync<RevisionRow>(Db.Cmd(
            """
            SELECT r.id AS RevisionId, r.revision_no AS RevisionNo, r.seen_at AS SeenAt, r.text AS Text, r.text_sha256 AS TextSha256,
                   r.text_purged_at AS TextPurgedAt, a.model_version AS ModelVersion, a.verdict AS Verdict, a.scores::text AS Scores,
                   a.reasons::text AS Reasons, a.tags AS Tags, a.failed_closed AS FailedClosed, a.assessed_at AS AssessedAt
            FROM comment_revisions r JOIN assessments a ON a.revision_id = r.id
            WHERE r.comment_id = @commentId ORDER BY r.revision_no
            """,
            new { commentId = escalation.CommentId },
            tx,
            cancellationToken))).ToList();
        var decisions = (await c.QueryAsync<DecisionRow>(Db.Cmd(
            """
            SELECT rc.id AS CaseId, r.revision_no AS RevisionNo, rc.status AS CaseStatus, rc.outcome AS CaseOutcome, d.ordinal AS Ordinal,
                   d.moderator_id AS ModeratorId, s.display_name AS ModeratorName, d.decision AS Decision, d.decided_at AS DecidedAt, d.as_lead AS AsLead
            FROM review_cases rc JOIN comment_revisions r ON r.id = rc.revision_id
            JOIN review_decisions d ON d.case_id = rc.id JOIN staff_members s ON s.id = d.moderator_id
            WHERE rc.comment_id = @commentId ORDER BY r.revision_no, d.ordinal
            """,
            new { commentId = escalation.CommentId },
            tx,
            cancellationToken))).ToList();
        var chronology = (await c.QueryAsync<OutcomeRow>(Db.Cmd(
            """
            SELECT o.kind AS Kind, o.reference AS Reference, o.notes AS Notes, o.recorded_by AS RecordedBy, s.display_name AS RecordedByName, o.recorded_at AS RecordedAt
            FROM escalation_outcomes o JOIN staff_members s ON s.id = o.recorded_by WHERE o.escalation_id = @escalationId ORDER BY o.recorded_at, o.id
            """,
            new { escalationId },
            tx,
            cancellationToken))).ToList();
        var actions = (await c.QueryAsync<ActionRow>(Db.Cmd(
            "SELECT action AS Action, status AS Status, created_at AS QueuedAt, completed_at AS CompletedAt FROM outbox WHERE comment_id = @commentId AND kind = 'PlatformAction' ORDER BY id",
            new { commentId = escalation.CommentId },
            tx,
            cancellationToken))).ToList();
        var caseIds = decisions.Select(d => d.CaseId.ToString()).Distinct().ToArray();
        var audit = (await c.QueryAsync<AuditRow>(Db.Cmd(
            """
            SELECT seq AS Seq, at AS At, actor AS Actor, action AS Action, entity_type AS EntityType, entity_id AS EntityId, hash AS Hash
            FROM audit_log
            WHERE (entity_type = 'escalation' AND entity_id = @escalationId) OR (entity_type = 'comment' AND entity_id = @commentId)
               OR (entity_type = 'review_case' AND entity_id = ANY(@caseIds))
            ORDER BY seq
            """,
            new { escalationId = escalationId.ToString(), commentId = escalation.CommentId.ToString(), caseIds },
            tx,
            cancellationToken))).ToList();
        await tx.CommitAsync(cancellationToken);
        var position = await auditLog.PositionAsync(cancellationToken);
        var chainBreak = await auditLog.VerifyAsync(cancellationToken);

        var pack = new
        {
            Format = "moderator-evidence-pack/1",
            GeneratedAt = now,
            GeneratedBy = requestedBy,
            Escalation = Hash(new
            {
                escalation.Id,
                context.SchoolName,
                Trigger = escalation.Trigger.ToString(),
                escalation.Categories,
                Status = escalation.Status.ToString(),
                escalation.OpenedAt,
                escalation.AcknowledgedBy,
                escalation.AcknowledgedAt,
                escalation.ClosedBy,
                escalation.ClosedAt,
            }),
            Comment = Hash(new
            {
                Platform = context.Platform,
                context.PageName,
                context.PageExternalId,
                context.CommentExternalId,
                context.Permalink,
                context.AuthorExternalId,
                context.AuthorDisplayName,
                context.PostId,
                context.ParentExternalId,
                context.CreatedAt,
                context.FirstSeenAt,
                context.Visibility,
            }),
            Revisions = revisions.Select(r => Hash(new
            {
                r.RevisionId,
                r.RevisionNo,
                r.SeenAt,
                r.Text,
                r.TextSha256,
                r.TextPurgedAt,
                Assessment = new
                {
                    r.ModelVersion,
                    r.Verdict,
                    Scores = JsonDocument.Parse(r.Scores).RootElement,
                    Reasons = JsonDocument.Parse(r.Reasons).RootElement,
                    r.Tags,
                    r.FailedClosed,
                    r.AssessedAt,
                },
            })).ToList(),
            Decisions = decisions.Select(d => Hash(new { d.CaseId, d.RevisionNo, d.CaseStatus, d.CaseOutcome, d.Ordinal, d.ModeratorId, d.ModeratorName, d.Decision, d.DecidedAt, d.AsLead })).ToList(),
            Chronology = chronology.Select(o => Hash(new { o.Kind, o.Reference, o.Notes, o.RecordedBy, o.RecordedByName, o.RecordedAt })).ToList(),
            PlatformActions = actions.Select(a => Hash(new { a.Action, a.Status, a.QueuedAt, a.CompletedAt })).ToList(),
            Audit = new
            {
                ChainHeadSeq = position.Seq,
                ChainHeadHash = position.Hash,
                ChainVerified = chainBreak is null,
                FirstBrokenSeq = chainBreak?.Seq,
                Entries = audit.Select(a => new { a.Seq, a.At, a.Actor, a.Action, a.EntityType, a.EntityId, a.Hash }).ToList(),
            },
        };
        var json = JsonSerializer.Serialize(pack, Db.Json);
        var sha = Sha256(json);
        var markdown = Markdown(escalation, context, revisions, decisions, chronology, actions, position, chainBreak, now, sha, pack.Revisions.Select(r => r.Sha256).ToList());

        await Db.InTransactionAsync(dataSource, (wc, wtx) => AuditLog.AppendAsync(wc, wtx, Actor.Staff(requestedBy), now, "evidence.exported", "escalation", escalationId.ToString(), null, new { Sha256 = sha, AuditSeq = position.Seq }, cancellationToken), cancellationToken);
        return new EvidencePack(escalationId, json, markdown, sha, position);
    }

    private static HashedItem<T> Hash<T>(T item) => new(item, Sha256(JsonSerializer.Serialize(item, Db.Json)));

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static string Markdown(
        Escalation e,
        ContextRow context,
        List<RevisionRow> revisions,
        List<DecisionRow> decisions,
        List<OutcomeRow> chronology,
        List<ActionRow> actions,
        AuditChainPosition position,
        AuditBreak? chainBreak,
        DateTimeOffset now,
        string sha,
        List<string> revisionHashes)
    {
        var ci = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(ci, $"# Evidence pack: escalation {e.Id}");
        md.AppendLine();
        md.AppendLine(ci, $"- School: {context.SchoolName}");
        md.AppendLine(ci, $"- Page: {context.PageName} ({context.Platform}, {context.PageExternalId})");
        md.AppendLine(ci, $"- Trigger: {e.Trigger}; categories: {string.Join(", ", e.Categories)}");
        md.AppendLine(ci, $"- Opened: {Utc(e.OpenedAt)}; status: {e.Status}{(e.ClosedAt is { } closed ? $"; closed {Utc(closed)}" : string.Empty)}");
        md.AppendLine(ci, $"- Generated: {Utc(now)}; SHA-256 of the JSON file: `{sha}`");
        md.AppendLine(ci, $"- Audit chain position: entry {position.Seq}, hash `{position.Hash}`; chain verified: {(chainBreak is null ? "yes" : $"NO (first broken entry {chainBreak.Seq})")}");
        md.AppendLine();
        md.AppendLine("## Comment");
        md.AppendLine();
        md.AppendLine(ci, $"- Platform id: {context.CommentExternalId}; post: {context.PostId ?? "-"}; reply to: {context.ParentExternalId ?? "-"}");
        md.AppendLine(ci, $"- Permalink: {context.Permalink ?? "-"}");
        md.AppendLine(ci, $"- Author: {context.AuthorDisplayName ?? "(not kept)"} (platform id {context.AuthorExternalId ?? "-"})");
        md.AppendLine(ci, $"- Posted: {Utc(context.CreatedAt)}; first seen: {Utc(context.FirstSeenAt)}; now: {context.Visibility}");
        md.AppendLine();
        md.AppendLine("## Revisions");
        for (var i = 0; i < revisions.Count; i++)
        {
            var r = revisions[i];
            md.AppendLine();
            md.AppendLine(ci, $"### Revision {r.RevisionNo} (seen {Utc(r.SeenAt)})");
            md.AppendLine();
            md.AppendLine(r.Text is null ? $"_Text purged {Utc(r.TextPurgedAt!.Value)}; its SHA-256 was `{r.TextSha256}`._" : "> " + r.Text.ReplaceLineEndings("\n> "));
            md.AppendLine();
            md.AppendLine(ci, $"- Verdict: {r.Verdict} (model {r.ModelVersion}{(r.FailedClosed ? ", failed closed" : string.Empty)}); scores: `{r.Scores}`");
            md.AppendLine(ci, $"- Text SHA-256: `{r.TextSha256}`; item SHA-256: `{revisionHashes[i]}`");
        }

        md.AppendLine();
        md.AppendLine("## Moderators' decisions");
        md.AppendLine();
        if (decisions.Count == 0)
        {
            md.AppendLine("None recorded.");
        }

        foreach (var d in decisions)
        {
            md.AppendLine(ci, $"- Revision {d.RevisionNo}, signature {d.Ordinal}: {d.ModeratorName} decided **{d.Decision}** at {Utc(d.DecidedAt)}{(d.AsLead ? " (as the school's lead)" : string.Empty)}");
        }

        md.AppendLine();
        md.AppendLine("## Platform actions");
        md.AppendLine();
        foreach (var a in actions)
        {
            md.AppendLine(ci, $"- {a.Action}: {a.Status}, queued {Utc(a.QueuedAt)}{(a.CompletedAt is { } done ? $", done {Utc(done)}" : string.Empty)}");
        }

        md.AppendLine();
        md.AppendLine("## Chronology");
        md.AppendLine();
        if (chronology.Count == 0)
        {
            md.AppendLine("No outcome recorded yet.");
        }

        foreach (var o in chronology)
        {
            md.AppendLine(ci, $"- {Utc(o.RecordedAt)}: **{o.Kind}**{(o.Reference is null ? string.Empty : $" (reference {o.Reference})")} by {o.RecordedByName}{(o.Notes is null ? string.Empty : $": {o.Notes}")}");
        }

        return md.ToString();
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private sealed class ContextRow
    {
        public string SchoolName { get; init; } = string.Empty;

        public string PageName { get; init; } = string.Empty;

        public string Platform { get; init; } = string.Empty;

        public string PageExternalId { get; init; } = string.Empty;

        public string CommentExternalId { get; init; } = string.Empty;

        public string? Permalink { get; init; }

        public string? AuthorExternalId { get; init; }

        public string? AuthorDisplayName { get; init; }

        public string? PostId { get; init; }

        public string? ParentExternalId { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset FirstSeenAt { get; init; }

        public string Visibility { get; init; } = string.Empty;
    }

    private sealed class RevisionRow
    {
        public Guid RevisionId { get; init; }

        public int RevisionNo { get; init; }

        public DateTimeOffset SeenAt { get; init; }

        public string? Text { get; init; }

        public string TextSha256 { get; init; } = string.Empty;

        public DateTimeOffset? TextPurgedAt { get; init; }

        public string ModelVersion { get; init; } = string.Empty;

        public string Verdict { get; init; } = string.Empty;

        public string Scores { get; init; } = "{}";

        public string Reasons { get; init; } = "[]";

        public string[] Tags { get; init; } = [];

        public bool FailedClosed { get; init; }

        public DateTimeOffset AssessedAt { get; init; }
    }

    private sealed class DecisionRow
    {
        public Guid CaseId { get; init; }

        public int RevisionNo { get; init; }

        public string CaseStatus { get; init; } = string.Empty;

        public string? CaseOutcome { get; init; }

        public int Ordinal { get; init; }

        public Guid ModeratorId { get; init; }

        public string ModeratorName { get; init; } = string.Empty;

        public string Decision { get; init; } = string.Empty;

        public DateTimeOffset DecidedAt { get; init; }

        public bool AsLead { get; init; }
    }

    private sealed class OutcomeRow
    {
        public string Kind { get; init; } = string.Empty;

        public string? Reference { get; init; }

        public string? Notes { get; init; }

        public Guid RecordedBy { get; init; }

        public string RecordedByName { get; init; } = string.Empty;

        public DateTimeOffset RecordedAt { get; init; }
    }

    private sealed class ActionRow
    {
        public string Action { get; init; } = string.Empty;

        public string Status { get; init; } = string.Empty;

        public DateTimeOffset QueuedAt { get; init; }

        public DateTimeOffset? CompletedAt { get; init; }
    }

    private sealed class AuditRow
    {
        public long Seq { get; init; }

        public DateTimeOffset At { get; init; }

        public string Actor { get; init; } = string.Empty;

        public string Action { get; init; } = string.Empty;

        public string EntityType { get; init; } = string.Empty;

        public string EntityId { get; init; } = string.Empty;

        public string Hash { get; init; } = string.Empty;
    }
}
