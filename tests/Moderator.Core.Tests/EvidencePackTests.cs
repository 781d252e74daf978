using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class EvidencePackTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private async Task<(DemoSchoolIds School, RecordResult Escalated)> ScenarioAsync()
    {
        var school = await _s.SeedSchoolAsync();
        var id = "ev-" + Guid.NewGuid();
        await _s.RecordAsync(school.PageId, id, "are you in year 6", Verdict.Review, Category.Safeguarding);
        _s.Clock.Advance(TimeSpan.FromMinutes(3));
        var escalated = await _s.RecordAsync(school.PageId, id, "are you in year 6? message me, what's your snap", Verdict.HideAndEscalate, Category.Safeguarding);
        await _s.Reviews.DecideAsync(escalated.ReviewCaseId!.Value, school.Moderator1Id, Decision.Hide);
        await _s.Reviews.DecideAsync(escalated.ReviewCaseId!.Value, school.Moderator2Id, Decision.Hide);
        await _s.Escalations.RecordOutcomeAsync(escalated.EscalationId!.Value, school.SafeguardingLeadId, OutcomeKind.Police, "PR/2025/9981", "Reported to police via 101");
        return (school, escalated);
    }

    [Fact]
    public async Task Pack_holds_every_revision_decision_and_outcome_with_verifiable_hashes()
    {
        var (school, escalated) = await ScenarioAsync();

        var pack = await _s.EvidencePacks.BuildAsync(escalated.EscalationId!.Value, school.SafeguardingLeadId);

        Assert.Equal(Sha(pack.Json), pack.Sha256);
        using var doc = JsonDocument.Parse(pack.Json);
        var root = doc.RootElement;
        var revisions = root.GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal(2, revisions.Count);
        Assert.Equal("are you in year 6", revisions[0].GetProperty("item").GetProperty("text").GetString());
        Assert.Equal(0.9, revisions[1].GetProperty("item").GetProperty("assessment").GetProperty("scores").GetProperty("safeguarding").GetDouble());
        foreach (var section in new[] { "revisions", "decisions", "chronology", "platformActions" })
        {
            foreach (var entry in root.GetProperty(section).EnumerateArray())
            {
                Assert.Equal(Sha(entry.GetProperty("item").GetRawText()), entry.GetProperty("sha256").GetString());
            }
        }

        Assert.Equal(Sha(root.GetProperty("comment").GetProperty("item").GetRawText()), root.GetProperty("comment").GetProperty("sha256").GetString());
        Assert.Equal(2, root.GetProperty("decisions").GetArrayLength());
        Assert.Equal("PR/2025/9981", root.GetProperty("chronology")[0].GetProperty("item").GetProperty("reference").GetString());
        Assert.Contains("https://example.test/c/ev-", root.GetProperty("comment").GetProperty("item").GetProperty("permalink").GetString(), StringComparison.Ordinal);
        var audit = root.GetProperty("audit");
        Assert.True(audit.GetProperty("chainVerified").GetBoolean());
        Assert.Equal(pack.AuditPosition.Seq, audit.GetProperty("chainHeadSeq").GetInt64());
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "escalation.opened");
    }

    [Fact]
    public async Task Markdown_summary_is_readable_and_names_the_evidence()
    {
        var (school, escalated) = await ScenarioAsync();

        var pack = await _s.EvidencePacks.BuildAsync(escalated.EscalationId!.Value, school.DeputyId);

        Assert.Contains("> are you in year 6? message me, what's your snap", pack.Markdown, StringComparison.Ordinal);
        Assert.Contains("**Police** (reference PR/2025/9981)", pack.Markdown, StringComparison.Ordinal);
        Assert.Contains("Alex Moderator decided **Hide**", pack.Markdown, StringComparison.Ordinal);
        Assert.Contains(pack.Sha256, pack.Markdown, StringComparison.Ordinal);
        Assert.Contains($"entry {pack.AuditPosition.Seq}", pack.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_is_audited_and_refused_to_moderators()
    {
        var (school, escalated) = await ScenarioAsync();
        var escalationId = escalated.EscalationId!.Value;

        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.EvidencePacks.BuildAsync(escalationId, school.Moderator1Id));
        var pack = await _s.EvidencePacks.BuildAsync(escalationId, school.SafeguardingLeadId);

        var exported = Assert.Single(await _s.Audit.ForEntityAsync("escalation", escalationId.ToString()), e => e.Action == "evidence.exported");
        Assert.Contains(pack.Sha256, exported.After!, StringComparison.Ordinal);
        Assert.Equal(school.SafeguardingLeadId, exported.ActorStaffId);
    }
}
