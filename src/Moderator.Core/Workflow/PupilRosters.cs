using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using Moderator.Core.Security;
using Moderator.Model;
using Moderator.Model.Detection;
using Npgsql;

namespace Moderator.Core.Workflow;

/// <summary>When a school's roster was last replaced, by whom, and how many distinct names it holds.</summary>
public sealed record RosterSummary(Guid SchoolId, int Count, DateTimeOffset UploadedAt, Guid? UploadedBy);

/// <summary>
/// Each school's pupil roster, held only as HMAC-SHA256 hashes of normalised full names under a random per-school key
/// (stored encrypted with Data Protection). Plain names exist only in memory while an upload is hashed; they are never
/// written to a table, the audit log or a log line.
/// </summary>
public sealed partial class PupilRosters(NpgsqlDataSource dataSource, SecretProtector secrets, TimeProvider clock, ILogger<PupilRosters> logger)
{
    /// <summary>The most names one upload may hold.</summary>
    public const int MaxNames = 5000;

    private const int KeyBytes = 32;

    /// <summary>
    /// Replaces the school's whole roster with the hashes of <paramref name="fullNames"/> (blank lines ignored,
    /// duplicates after normalisation counted once). Creates the school's key on first use. Returns the stored count.
    /// </summary>
    public Task<int> ReplaceAsync(Guid schoolId, IEnumerable<string> fullNames, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fullNames);
        var names = fullNames.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        if (names.Count > MaxNames)
        {
            throw new WorkflowRuleException($"A roster may hold at most {MaxNames} names.");
        }

        var now = clock.GetUtcNow();
        return Db.InTransactionAsync(dataSource, async (c, tx) =>
        {
            await Organisation.EnsureAdministratorAsync(c, tx, actor, schoolId, cancellationToken);
            var exists = await c.ExecuteScalarAsync<bool>(Db.Cmd("SELECT EXISTS (SELECT 1 FROM schools WHERE id = @schoolId)", new { schoolId }, tx, cancellationToken));
            if (!exists)
            {
                throw new WorkflowNotFoundException("No such school.");
            }

            var key = await KeyForUpdateAsync(c, tx, schoolId, now, cancellationToken);
            string[] hashes;
            try
            {
                hashes = [.. HashedPupilRoster.HashNames(key, names)];
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            var before = await c.QuerySingleOrDefaultAsync<int?>(Db.Cmd("SELECT name_count FROM pupil_roster_uploads WHERE school_id = @schoolId", new { schoolId }, tx, cancellationToken));
            await c.ExecuteAsync(Db.Cmd("DELETE FROM pupil_roster_hashes WHERE school_id = @schoolId", new { schoolId }, tx, cancellationToken));
            await c.ExecuteAsync(Db.Cmd(
                "INSERT INTO pupil_roster_hashes (school_id, hash, uploaded_at, uploaded_by) SELECT @schoolId, unnest(@hashes), @now, @by",
                new { schoolId, hashes, now, by = actor.StaffId },
                tx,
                cancellationToken));
            await c.ExecuteAsync(Db.Cmd(
                """
                INSERT INTO pupil_roster_uploads (school_id, name_count, uploaded_at, uploaded_by) VALUES (@schoolId, @count, @now, @by)
                ON CONFLICT (school_id) DO UPDATE SET name_count = excluded.name_count, uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by
                """,
                new { schoolId, count = hashes.Length, now, by = actor.StaffId },
                tx,
                cancellationToken));
            await AuditLog.AppendAsync(c, tx, actor, now, "roster.replaced", "school", schoolId.ToString(),
                before is { } b ? new { Count = b } : null, new { Count = hashes.Length }, cancellationToken);
            LogReplaced(logger, schoolId, hashes.Length);
            return hashes.Length;
        }, cancellationToken);
    }

    /// <summary>The school's roster for matching, or null when it has none.</summary>
    public async Task<IPupilRoster?> LoadAsync(Guid schoolId, CancellationToken cancellationToken = default)
    {
        Db.EnsureConfigured();
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        var ciphertext = await c.QuerySingleOrDefaultAsync<string>(Db.Cmd("SELECT key_ciphertext FROM pupil_roster_keys WHERE school_id = @schoolId", new { schoolId }, null, cancellationToken));
        if (ciphertext is null)
        {
            return null;
        }

        var hashes = (await c.QueryAsync<string>(Db.Cmd("SELECT hash FROM pupil_roster_hashes WHERE school_id = @schoolId", new { schoolId }, null, cancellationToken))).ToList();
        if (hashes.Count == 0)
        {
            return null;
        }

        var key = Convert.FromBase64String(secrets.Unprotect(ciphertext));
        try
        {
            return new HashedPupilRoster(key, hashes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>How many distinct names the school's roster holds (0 when none was uploaded).</summary>
    public async Task<int> CountAsync(Guid schoolId, CancellationToken cancellationToken = default)
    {
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await c.ExecuteScalarAsync<int>(Db.Cmd("SELECT count(*)::int FROM pupil_roster_hashes WHERE school_id = @schoolId", new { schoolId }, null, cancellationToken));
    }

    /// <summary>The last upload of the school's roster, or null when none was made.</summary>
    public async Task<RosterSummary?> SummaryAsync(Guid schoolId, CancellationToken cancellationToken = default)
    {
        Db.EnsureConfigured();
        await using var c = await dataSource.OpenConnectionAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<RosterSummary>(Db.Cmd(
            "SELECT school_id AS SchoolId, name_count AS Count, uploaded_at AS UploadedAt, uploaded_by AS UploadedBy FROM pupil_roster_uploads WHERE school_id = @schoolId",
            new { schoolId },
            null,
            cancellationToken));
    }

    /// <summary>The school's key, created (random, encrypted at rest) on first use; the key row is locked for the upload.</summary>
    private async Task<byte[]> KeyForUpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, Guid schoolId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
        var freshCiphertext = secrets.Protect(Convert.ToBase64String(fresh));
        CryptographicOperations.ZeroMemory(fresh);
        await c.ExecuteAsync(Db.Cmd(
            "INSERT INTO pupil_roster_keys (school_id, key_ciphertext, created_at) VALUES (@schoolId, @freshCiphertext, @now) ON CONFLICT (school_id) DO NOTHING",
            new { schoolId, freshCiphertext, now },
            tx,
            cancellationToken));
        var ciphertext = await c.QuerySingleAsync<string>(Db.Cmd(
            "SELECT key_ciphertext FROM pupil_roster_keys WHERE school_id = @schoolId FOR UPDATE", new { schoolId }, tx, cancellationToken));
        return Convert.FromBase64String(secrets.Unprotect(ciphertext));
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Pupil roster of school {SchoolId} replaced: {Count} hashed names")]
    private static partial void LogReplaced(ILogger logger, Guid schoolId, int count);
}
