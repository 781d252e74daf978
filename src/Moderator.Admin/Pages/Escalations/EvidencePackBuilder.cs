using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Moderator.Core.Workflow;
using Npgsql;

namespace Moderator.Admin.Pages.Escalations;

/// <summary>
/// The evidence pack a DSL hands to CEOP or the police: every revision's text with its SHA-256, timestamps, the
/// permalink, the model's scores, the moderators' decisions and the chronology, with the audit chain's position at
/// export, as JSON and a readable Markdown summary in one zip. The export itself is audited.
/// </summary>
public sealed class EvidencePackBuilder(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <param name="escalation">Already loaded through the workflow, which checked the person may see it.</param>
    public async Task<(byte[] Zip, string FileName)> BuildAsync(Escalation escalation, Actor exportedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var now = clock.GetUtcNow();
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var comment = await c.QuerySingleAsync(new CommandDefinition(
            """
            SELECT cm.platform, cm.external_id, cm.permalink, cm.author_external_id, cm.author_display_name, cm.post_id, cm.created_at, cm.first_seen_at,
                   cm.visibility, p.name AS page_name, sc.name AS school_name
            FROM comments cm JOIN pages p ON p.id = cm.page_id JOIN schools sc ON sc.id = p.school_id WHERE cm.id = @id
            """,
            new { id = escalation.CommentId },
            tx,
            cancellationToken: cancellationToken));
        var revisions = (await c.QueryAsync(new CommandDefinition(
            """
            SELECT r.revision_no, r.text, r.text_sha256, r.seen_at, a.model_version, a.verdict, a.scores::text AS scores, a.tags, a.assessed_at
            FROM comment_revisions r LEFT JOIN assessments a ON a.revision_id = r.id
            WHERE r.comment_id = @id ORDER BY r.revision_no
            """,
            new { id = escalation.CommentId },
            tx,
            cancellationToken: cancellationToken))).ToList();
        var decisions = (await c.QueryAsync(new CommandDefinition(
            """
            SELECT rc.id AS case_id, r.revision_no, d.decision, d.decided_at, d.as_lead, s.display_name AS moderator
            FROM review_cases rc JOIN comment_revisions r ON r.id = rc.revision_id
            JOIN review_decisions d ON d.case_id = rc.id JOIN staff_members s ON s.id = d.moderator_id
            WHERE rc.comment_id = @id ORDER BY d.decided_at, d.ordinal
            """,
            new { id = escalation.CommentId },
            tx,
            cancellationToken: cancellationToken))).ToList();
        var names = (await c.QueryAsync<(Guid Id, string Name)>(new CommandDefinition(
            "SELECT id, display_name FROM staff_members WHERE id = ANY(@ids)",
            new { ids = escalation.Chronology.Select(o => o.RecordedBy).Append(escalation.AcknowledgedBy ?? Guid.Empty).ToArray() },
            tx,
            cancellationToken: cancellationToken))).ToDictionary(x => x.Id, x => x.Name);
        var exportSeq = await AuditLog.AppendAsync(c, tx, exportedBy, now, "escalation.evidence_exported", "escalation", escalation.Id.ToString(), null, new { revisions = revisions.Count }, cancellationToken);
        var head = await c.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition("SELECT last_seq, last_hash FROM audit_chain_head", null, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);

        var items = revisions.Select(r => new
        {
            revision = (int)r.revision_no,
            text = (string?)r.text,
            textSha256 = (string)r.text_sha256,
            textSha256Verified = r.text is string t && Sha256(t) == (string)r.text_sha256,
            seenAt = Iso((DateTime)r.seen_at),
            modelVersion = (string?)r.model_version,
            verdict = (string?)r.verdict,
            scores = r.scores is string s ? JsonDocument.Parse(s).RootElement : (JsonElement?)null,
            tags = (string[]?)r.tags,
        }).ToList();
        var pack = new
        {
            kind = "moderator-evidence-pack",
            exportedAt = Iso(now.UtcDateTime),
            exportedBy = exportedBy.ToString(),
            auditChain = new { exportEntrySeq = exportSeq, headSeq = head.Seq, headHash = head.Hash },
            escalation = new
            {
                id = escalation.Id,
                trigger = escalation.Trigger.ToString(),
                categories = escalation.Categories,
                status = escalation.Status.ToString(),
                openedAt = Iso(escalation.OpenedAt.UtcDateTime),
                acknowledgedAt = escalation.AcknowledgedAt is { } a ? Iso(a.UtcDateTime) : null,
                acknowledgedBy = escalation.AcknowledgedBy is { } ab ? names.GetValueOrDefault(ab) : null,
                closedAt = escalation.ClosedAt is { } cl ? Iso(cl.UtcDateTime) : null,
            },
            comment = new
            {
                school = (string)comment.school_name,
                page = (string)comment.page_name,
                platform = (string)comment.platform,
                externalId = (string)comment.external_id,
                permalink = (string?)comment.permalink,
                authorExternalId = (string?)comment.author_external_id,
                authorDisplayName = (string?)comment.author_display_name,
                postId = (string?)comment.post_id,
                createdAt = Iso((DateTime)comment.created_at),
                firstSeenAt = Iso((DateTime)comment.first_seen_at),
                visibility = (string)comment.visibility,
            },
            revisions = items,
            decisions = decisions.Select(d => new { caseId = (Guid)d.case_id, revision = (int)d.revision_no, decision = (string)d.decision, decidedAt = Iso((DateTime)d.decided_at), asLead = (bool)d.as_lead, moderator = (string)d.moderator }),
            chronology = escalation.Chronology.Select(o => new { kind = o.Kind.ToString(), reference = o.Reference, notes = o.Notes, recordedAt = Iso(o.RecordedAt.UtcDateTime), recordedBy = names.GetValueOrDefault(o.RecordedBy) }),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(pack, Json);
        var summary = Encoding.UTF8.GetBytes(Summary(escalation, comment, items.Select(i => (i.revision, i.text, i.textSha256, i.seenAt, i.verdict)).ToList(), decisions, names, exportSeq, head, now));

        using var zipStream = new MemoryStream();
        using (var zip = new ZipArchive(zipStream, ZipArchiveMode.Create, leaveOpen: true))
        {
            await AddAsync(zip, "evidence.json", json, cancellationToken);
            await AddAsync(zip, "summary.md", summary, cancellationToken);
            await AddAsync(zip, "SHA256SUMS", Encoding.UTF8.GetBytes($"{Sha256(json)}  evidence.json\n{Sha256(summary)}  summary.md\n"), cancellationToken);
        }

        return (zipStream.ToArray(), $"evidence-{escalation.Id:N}-{now.UtcDateTime:yyyyMMddHHmmss}.zip");
    }

    private static string Summary(Escalation e, dynamic comment, IReadOnlyList<(int Revision, string? Text, string Sha, string SeenAt, string? Verdict)> revisions, IReadOnlyList<dynamic> decisions, IReadOnlyDictionary<Guid, string> names, long exportSeq, (long Seq, string Hash) head, DateTimeOffset now)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# Evidence pack").AppendLine();
        md.AppendLine(inv, $"- Escalation: {e.Id} ({e.Trigger}; {string.Join(", ", e.Categories)})");
        md.AppendLine(inv, $"- School and page: {comment.school_name} / {comment.page_name} ({comment.platform})");
        md.AppendLine(inv, $"- Comment: {comment.external_id}, written {Iso((DateTime)comment.created_at)}, permalink {comment.permalink ?? "none"}");
        md.AppendLine(inv, $"- Exported: {Iso(now.UtcDateTime)}; audit entry {exportSeq}; chain head {head.Seq} {head.Hash}").AppendLine();
        md.AppendLine("## Versions of the text").AppendLine();
        foreach (var r in revisions)
        {
            md.AppendLine(inv, $"### Version {r.Revision} (seen {r.SeenAt}, verdict {r.Verdict ?? "none"})").AppendLine();
            md.AppendLine(inv, $"SHA-256: `{r.Sha}`").AppendLine();
            md.AppendLine("```text").AppendLine(r.Text ?? "(text no longer held)").AppendLine("```").AppendLine();
        }

        md.AppendLine("## Moderators' decisions").AppendLine();
        foreach (var d in decisions)
        {
            md.AppendLine(inv, $"- {Iso((DateTime)d.decided_at)}: {d.moderator} decided {d.decision} (version {d.revision_no})");
        }

        md.AppendLine().AppendLine("## Chronology").AppendLine();
        foreach (var o in e.Chronology)
        {
            md.AppendLine(inv, $"- {Iso(o.RecordedAt.UtcDateTime)}: {o.Kind}{(o.Reference is null ? string.Empty : $" (reference {o.Reference})")} by {names.GetValueOrDefault(o.RecordedBy)}{(o.Notes is null ? string.Empty : $": {o.Notes}")}");
        }

        return md.ToString();
    }

    private static async Task AddAsync(ZipArchive zip, string name, byte[] content, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(content, cancellationToken);
    }

    private static string Sha256(string text) => Sha256(Encoding.UTF8.GetBytes(text));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
