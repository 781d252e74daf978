using Dapper;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>One link of the hash-chained audit log.</summary>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset At,
    string Actor,
    Guid? ActorStaffId,
    string Action,
    string EntityType,
    string EntityId,
    string? Before,
    string? After,
    string PrevHash,
    string Hash);

/// <summary>The first entry whose link does not hold, or null when the whole chain verifies.</summary>
public sealed record AuditBreak(long Seq, string Problem);

/// <summary>Where the chain stood at a moment: the last sequence number and its hash.</summary>
public sealed record AuditChainPosition(long Seq, string Hash);

/// <summary>
/// The append-only audit log. Entries are appended inside the caller's transaction, so a state change and its
/// audit entry commit together; appends are serialised by locking the single chain head row.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Appends one entry in the caller's transaction. Take this lock last in a transaction (after the entity rows)
    /// so every writer acquires locks in the same order.
    /// </summary>
    public static async Task<long> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        Actor actor,
        DateTimeOffset at,
        string action,
        string entityType,
        string entityId,
        object? before,
        object? after,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var head = await connection.QuerySingleAsync<ChainHead>(Db.Cmd(
            "SELECT last_seq AS LastSeq, last_hash AS LastHash FROM audit_chain_head WHERE id FOR UPDATE", null, tx, cancellationToken));
        var seq = head.LastSeq + 1;
        await connection.ExecuteAsync(Db.Cmd(
            """
            WITH entry AS (
                INSERT INTO audit_log (seq, at, actor, actor_staff_id, action, entity_type, entity_id, before, after, prev_hash, hash)
                VALUES (@seq, @at, @actor, @actorStaffId, @action, @entityType, @entityId, @before::jsonb, @after::jsonb, @prevHash,
                        audit_entry_hash(@prevHash, @seq, @at, @actor, @action, @entityType, @entityId, @before::jsonb, @after::jsonb))
                RETURNING seq, hash
            )
            UPDATE audit_chain_head SET last_seq = entry.seq, last_hash = entry.hash FROM entry WHERE audit_chain_head.id
            """,
            new
            {
                seq,
                at = at.ToUniversalTime(),
                actor = actor.ToString(),
                actorStaffId = actor.StaffId,
                action,
                entityType,
                entityId,
                before = before is null ? null : before as string ?? Db.ToJson(before),
                after = after is null ? null : after as string ?? Db.ToJson(after),
                prevHash = head.LastHash,
            },
            tx,
            cancellationToken));
        return seq;
    }

    /// <summary>Walks the chain from the start and returns the first broken link, or null when it is intact.</summary>
    public async Task<AuditBreak?> VerifyAsync(CancellationToken cancellationToken = default)
    {
        Db.EnsureConfigured();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var broken = await connection.QueryFirstOrDefaultAsync<AuditBreak>(Db.Cmd(
            """
            SELECT seq AS Seq, problem AS Problem FROM (
                SELECT seq,
                       CASE
                           WHEN seq <> coalesce(lag(seq) OVER w, 0) + 1 THEN 'missing entry before this one'
                           WHEN prev_hash <> coalesce(lag(hash) OVER w, repeat('0', 64)) THEN 'previous hash does not match the previous entry'
                           WHEN hash <> audit_entry_hash(prev_hash, seq, at, actor, action, entity_type, entity_id, before, after) THEN 'content does not match its hash'
                       END AS problem
                FROM audit_log
                WINDOW w AS (ORDER BY seq)
            ) checked
            WHERE problem IS NOT NULL
            ORDER BY seq
            LIMIT 1
            """,
            null,
            null,
            cancellationToken));
        if (broken is not null)
        {
            return broken;
        }

        // Entries removed from the end leave the head pointing past the last row.
        var head = await connection.QuerySingleAsync<ChainHead>(Db.Cmd("SELECT last_seq AS LastSeq, last_hash AS LastHash FROM audit_chain_head", null, null, cancellationToken));
        var last = await connection.QueryFirstOrDefaultAsync<ChainHead>(Db.Cmd("SELECT seq AS LastSeq, hash AS LastHash FROM audit_log ORDER BY seq DESC LIMIT 1", null, null, cancellationToken));
        var (lastSeq, lastHash) = last is not null ? (last.LastSeq, last.LastHash) : (0L, new string('0', 64));
        return head.LastSeq != lastSeq || head.LastHash != lastHash
            ? new AuditBreak(lastSeq + 1, "the chain head does not match the last entry")
            : null;
    }

    public async Task<AuditChainPosition> PositionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var head = await connection.QuerySingleAsync<ChainHead>(Db.Cmd("SELECT last_seq AS LastSeq, last_hash AS LastHash FROM audit_chain_head", null, null, cancellationToken));
        return new AuditChainPosition(head.LastSeq, head.LastHash);
    }

    /// <summary>Entries about one entity, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ForEntityAsync(string entityType, string entityId, CancellationToken cancellationToken = default)
    {
        Db.EnsureConfigured();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditEntry>(Db.Cmd(
            """
            SELECT seq, at, actor, actor_staff_id AS ActorStaffId, action, entity_type AS EntityType, entity_id AS EntityId,
                   before::text AS Before, after::text AS After, prev_hash AS PrevHash, hash
            FROM audit_log WHERE entity_type = @entityType AND entity_id = @entityId ORDER BY seq
            """,
            new { entityType, entityId },
            null,
            cancellationToken));
        return [.. rows];
    }

    /// <summary>The most recent entries, newest first (Admin's audit page).</summary>
    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        Db.EnsureConfigured();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditEntry>(Db.Cmd(
            """
            SELECT seq, at, actor, actor_staff_id AS ActorStaffId, action, entity_type AS EntityType, entity_id AS EntityId,
                   before::text AS Before, after::text AS After, prev_hash AS PrevHash, hash
            FROM audit_log ORDER BY seq DESC LIMIT @limit
            """,
            new { limit },
            null,
            cancellationToken));
        return [.. rows];
    }

    private sealed record ChainHead(long LastSeq, string LastHash);
}
