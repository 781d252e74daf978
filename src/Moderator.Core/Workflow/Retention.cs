using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>How many revision texts one purge removed, by rule.</summary>
public sealed record PurgeResult(int BenignTextsPurged, int ExpiredEvidenceTextsPurged, int RemovedTextsPurged = 0);

/// <summary>
/// Data minimisation (UK GDPR): removes comment text that is no longer needed, keeping ids, hashes, scores and
/// decisions. Benign text (allowed, or a case settled KeepVisible) goes after <see cref="RetentionOptions.BenignCommentText"/>;
/// text under an open case or an open escalation is never touched; a closed escalation's evidence stays until its own
/// retention date. Text hidden or deleted by a settled decision without an escalation is kept for
/// <see cref="RetentionOptions.RemovedCommentText"/> (a pattern of abuse may still need evidencing), then goes too.
/// </summary>
public sealed partial class Retention(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<RetentionOptions> options, ILogger<Retention> logger)
{
    private const string NotUnderOpenCaseOrEvidence =
        """
          AND NOT EXISTS (SELECT 1 FROM review_cases o WHERE o.comment_id = r.comment_id AND o.status <> 'Settled')
          AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.comment_id = r.comment_id AND (e.status <> 'Closed' OR e.evidence_retain_until IS NULL OR e.evidence_retain_until > @now))
        """;

    private const string Benign =
        """
        SELECT r.id FROM comment_revisions r
        JOIN assessments a ON a.revision_id = r.id
        LEFT JOIN review_cases rc ON rc.revision_id = r.id
        WHERE r.text IS NOT NULL
          AND ((rc.id IS NULL AND a.verdict = 'Allow' AND r.seen_at < @cutoff)
            OR (rc.status = 'Settled' AND rc.outcome = 'KeepVisible' AND rc.settled_at < @cutoff))
        """ + NotUnderOpenCaseOrEvidence + "\nORDER BY r.id LIMIT @batch FOR UPDATE OF r SKIP LOCKED";

    private const string ExpiredEvidence =
        """
        SELECT r.id FROM comment_revisions r
        WHERE r.text IS NOT NULL
          AND EXISTS (SELECT 1 FROM escalations e WHERE e.comment_id = r.comment_id)
        """ + NotUnderOpenCaseOrEvidence + "\nORDER BY r.id LIMIT @batch FOR UPDATE OF r SKIP LOCKED";

    private const string Removed =
        """
        SELECT r.id FROM comment_revisions r
        JOIN review_cases rc ON rc.revision_id = r.id
        WHERE r.text IS NOT NULL
          AND rc.status = 'Settled' AND rc.outcome IN ('Hide','Delete') AND rc.settled_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.comment_id = r.comment_id)
        """ + NotUnderOpenCaseOrEvidence + "\nORDER BY r.id LIMIT @batch FOR UPDATE OF r SKIP LOCKED";

    /// <summary>Runs every rule in batches until nothing is left to purge (a worker job calls it daily).</summary>
    public async Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var benign = await PurgeRuleAsync("benign", Benign, o.BenignCommentText, cancellationToken);
        var evidence = await PurgeRuleAsync("expired_escalation_evidence", ExpiredEvidence, o.BenignCommentText, cancellationToken);
        var removed = await PurgeRuleAsync("removed_after_review", Removed, o.RemovedCommentText, cancellationToken);
        LogPurged(logger, benign, evidence, removed);
        return new PurgeResult(benign, evidence, removed);
    }

    private async Task<int> PurgeRuleAsync(string rule, string select, TimeSpan keepFor, CancellationToken ct)
    {
        var o = options.Value;
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var purged = await Db.InTransactionAsync(dataSource, async (c, tx) =>
            {
                var ids = (await c.QueryAsync<Guid>(Db.Cmd(select, new { now, cutoff = now - keepFor, batch = o.BatchSize }, tx, ct))).ToArray();
                if (ids.Length == 0)
                {
                    return 0;
                }

                await c.ExecuteAsync(Db.Cmd(
                    """
                    UPDATE comment_revisions SET text = NULL, text_purged_at = @now WHERE id = ANY(@ids);
                    UPDATE comments c SET author_display_name = NULL
                    WHERE c.id IN (SELECT comment_id FROM comment_revisions WHERE id = ANY(@ids))
                      AND NOT EXISTS (SELECT 1 FROM comment_revisions r WHERE r.comment_id = c.id AND r.text IS NOT NULL);
                    """,
                    new { ids, now },
                    tx,
                    ct));
                await AuditLog.AppendAsync(c, tx, Actor.System, now, "retention.text_purged", "retention", rule, null, new { Rule = rule, RevisionIds = ids }, ct);
                return ids.Length;
            }, ct);
            total += purged;
            if (purged < o.BatchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(EventId = 460, Level = LogLevel.Information, Message = "Retention purged {Benign} benign, {Evidence} expired-evidence and {Removed} removed-after-review revision texts")]
    private static partial void LogPurged(ILogger logger, int benign, int evidence, int removed);
}
