using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class RetentionTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    private async Task<string?> TextAsync(Guid revisionId) => await _s.ScalarAsync<object>("SELECT text FROM comment_revisions WHERE id = @r", ("r", revisionId)) as string;

    [Fact]
    public async Task Allowed_text_is_purged_after_the_period_keeping_ids_hash_and_scores()
    {
        var school = await _s.SeedSchoolAsync();
        var old = await _s.RecordAsync(school.PageId, "r-" + Guid.NewGuid(), "lovely trip", Verdict.Allow);
        _s.Clock.Advance(TimeSpan.FromDays(20));
        var recent = await _s.RecordAsync(school.PageId, "r-" + Guid.NewGuid(), "see you friday", Verdict.Allow);
        _s.Clock.Advance(TimeSpan.FromDays(11));

        var result = await _s.RetentionService.PurgeAsync();

        Assert.True(result.BenignTextsPurged >= 1);
        Assert.Null(await TextAsync(old.RevisionId));
        Assert.Equal("see you friday", await TextAsync(recent.RevisionId));
        Assert.Equal(ModerationWorkflow.Sha256("lovely trip"), await _s.ScalarAsync<string>("SELECT text_sha256 FROM comment_revisions WHERE id = @r", ("r", old.RevisionId)));
        Assert.Equal(0.05, await _s.ScalarAsync<double>("SELECT (scores->>'abuse')::float8 FROM assessments WHERE revision_id = @r", ("r", old.RevisionId)));
        Assert.True(await _s.ScalarAsync<bool>("SELECT author_display_name IS NULL FROM comments WHERE id = @c", ("c", old.CommentId)));

        // The hash still recognises the text: polling it again changes nothing.
        var again = await _s.RecordAsync(school.PageId, await _s.ScalarAsync<string>("SELECT external_id FROM comments WHERE id = @c", ("c", old.CommentId)), "lovely trip", Verdict.Allow);
        Assert.False(again.IsNewRevision);
    }

    [Fact]
    public async Task Case_settled_keep_visible_is_purged_but_a_hidden_one_is_kept()
    {
        var school = await _s.SeedSchoolAsync();
        var benign = await _s.RecordAsync(school.PageId, "r-" + Guid.NewGuid(), "homework is too hard", Verdict.Review);
        var harmful = await _s.RecordAsync(school.PageId, "r-" + Guid.NewGuid(), "insult", Verdict.Hide);
        foreach (var (c, d) in new[] { (benign, Decision.KeepVisible), (harmful, Decision.Hide) })
        {
            await _s.Reviews.DecideAsync(c.ReviewCaseId!.Value, school.Moderator1Id, d);
            await _s.Reviews.DecideAsync(c.ReviewCaseId!.Value, school.Moderator2Id, d);
        }

        _s.Clock.Advance(TimeSpan.FromDays(31));
        await _s.RetentionService.PurgeAsync();

        Assert.Null(await TextAsync(benign.RevisionId));
        Assert.Equal("insult", await TextAsync(harmful.RevisionId));
        Assert.Equal(2, await _s.CountAsync("SELECT count(*) FROM review_decisions WHERE case_id = @c", ("c", benign.ReviewCaseId!.Value)));
    }

    [Fact]
    public async Task Text_hidden_after_review_is_kept_for_its_own_period_then_purged_unless_it_was_escalated()
    {
        var school = await _s.SeedSchoolAsync();
        var hidden = await _s.RecordAsync(school.PageId, "r-" + Guid.NewGuid(), "hidden insult", Verdict.Hide);
        await _s.Reviews.DecideAsync(hidden.ReviewCaseId!.Value, school.Moderator1Id, Decision.Hide);
        await _s.Reviews.DecideAsync(hidden.ReviewCaseId!.Value, school.Moderator2Id, Decision.Hide);
        var escalated = await _s.RecordAsync(school.PageId, "r-" + Guid.NewGuid(), "escalated text", Verdict.HideAndEscalate, Category.Safeguarding);

        _s.Clock.Advance(_s.Retention.RemovedCommentText - TimeSpan.FromDays(1));
        await _s.RetentionService.PurgeAsync();
        Assert.Equal("hidden insult", await TextAsync(hidden.RevisionId));

        _s.Clock.Advance(TimeSpan.FromDays(2));
        var result = await _s.RetentionService.PurgeAsync();

        Assert.True(result.RemovedTextsPurged >= 1);
        Assert.Null(await TextAsync(hidden.RevisionId));
        Assert.Equal("escalated text", await TextAsync(escalated.RevisionId));
        Assert.Contains(await _s.Audit.ForEntityAsync("retention", "removed_after_review"), e => e.After!.Contains(hidden.RevisionId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_under_an_open_case_is_never_purged_even_its_earlier_allowed_revision()
    {
        var school = await _s.SeedSchoolAsync();
        var id = "r-" + Guid.NewGuid();
        var first = await _s.RecordAsync(school.PageId, id, "nice", Verdict.Allow);
        var edited = await _s.RecordAsync(school.PageId, id, "nice... not", Verdict.Review);

        _s.Clock.Advance(TimeSpan.FromDays(400));
        await _s.RetentionService.PurgeAsync();

        Assert.Equal("nice", await TextAsync(first.RevisionId));
        Assert.Equal("nice... not", await TextAsync(edited.RevisionId));
    }

    [Fact]
    public async Task Open_escalation_text_is_never_purged_and_closed_evidence_is_kept_for_its_own_period()
    {
        var school = await _s.SeedSchoolAsync();
        // An allegation with an Allow verdict: without the escalation guard this text would be "benign".
        var comment = await _s.RecordAsync(school.PageId, "r-" + Guid.NewGuid(), "allegation text", Verdict.Allow, Category.Abuse, ModelAssessment.StaffAllegationTag);
        var escalationId = comment.EscalationId!.Value;

        _s.Clock.Advance(TimeSpan.FromDays(90));
        await _s.RetentionService.PurgeAsync();
        Assert.Equal("allegation text", await TextAsync(comment.RevisionId));

        await _s.Escalations.RecordOutcomeAsync(escalationId, school.SafeguardingLeadId, OutcomeKind.Lado, "LADO-7", null);
        await _s.Escalations.CloseAsync(escalationId, school.SafeguardingLeadId);
        _s.Clock.Advance(_s.Retention.EscalationEvidence - TimeSpan.FromDays(1));
        await _s.RetentionService.PurgeAsync();
        Assert.Equal("allegation text", await TextAsync(comment.RevisionId));

        _s.Clock.Advance(TimeSpan.FromDays(2));
        var result = await _s.RetentionService.PurgeAsync();
        Assert.True(result.BenignTextsPurged + result.ExpiredEvidenceTextsPurged >= 1);
        Assert.Null(await TextAsync(comment.RevisionId));
    }

    [Fact]
    public async Task Purge_is_audited_by_revision_id()
    {
        var school = await _s.SeedSchoolAsync();
        var old = await _s.RecordAsync(school.PageId, "r-" + Guid.NewGuid(), "bye", Verdict.Allow);
        _s.Clock.Advance(TimeSpan.FromDays(31));

        await _s.RetentionService.PurgeAsync();

        var entries = await _s.Audit.ForEntityAsync("retention", "benign");
        Assert.Contains(entries, e => e.After!.Contains(old.RevisionId.ToString(), StringComparison.Ordinal));
        Assert.Null(await _s.Audit.VerifyAsync());
    }
}
