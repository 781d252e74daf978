using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Moderator.Core.Workflow;
using Npgsql;

namespace Moderator.Admin.Pages.Escalations;

/// <summary>
/// Packages the workflow's evidence pack (JSON with hashed items, and a Markdown summary) as one zip with a
/// checksum file, and records in the audit log who exported it and when.
/// </summary>
public sealed class EvidencePackBuilder(EvidencePacks packs, NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<(byte[] Zip, string FileName)> BuildAsync(Guid escalationId, Guid staffId, CancellationToken cancellationToken)
    {
        // The workflow authorises the person (the school's DSL or deputy, or the trust's lead once it reached them).
        var pack = await packs.BuildAsync(escalationId, staffId, cancellationToken);
        var now = clock.GetUtcNow();
        await using (var c = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var tx = await c.BeginTransactionAsync(cancellationToken))
        {
            await AuditLog.AppendAsync(c, tx, Actor.Staff(staffId), now, "escalation.evidence_exported", "escalation", escalationId.ToString(), null, new { packSha256 = pack.Sha256, auditSeq = pack.AuditPosition.Seq }, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        var json = Encoding.UTF8.GetBytes(pack.Json);
        var summary = Encoding.UTF8.GetBytes(pack.Markdown);
        using var zipStream = new MemoryStream();
        using (var zip = new ZipArchive(zipStream, ZipArchiveMode.Create, leaveOpen: true))
        {
            await AddAsync(zip, "evidence.json", json, cancellationToken);
            await AddAsync(zip, "summary.md", summary, cancellationToken);
            await AddAsync(zip, "SHA256SUMS", Encoding.UTF8.GetBytes($"{Sha256(json)}  evidence.json\n{Sha256(summary)}  summary.md\n"), cancellationToken);
        }

        return (zipStream.ToArray(), $"evidence-{escalationId:N}-{now.UtcDateTime:yyyyMMddHHmmss}.zip");
    }

    private static async Task AddAsync(ZipArchive zip, string name, byte[] content, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(content, cancellationToken);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
