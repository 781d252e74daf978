using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class ModerationWorkflowTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    private static string NewId() => "c-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Allowed_comment_is_stored_with_its_assessment_and_nothing_else()
    {
        var school = await _s.SeedSchoolAsync();
        var id = NewId();

        var result = await _s.RecordAsync(school.PageId, id, "Lovely assembly today", Verdict.Allow);

        Assert.True(result.IsNewRevision);
        Assert.Null(result.ReviewCaseId);
        Assert.Null(result.EscalationId);
        Assert.Empty(result.OutboxIds);
        Assert.Equal("test-model-1", await _s.ScalarAsync<string>("SELECT model_version FROM assessments WHERE revision_id = @r", ("r", result.RevisionId)));
        Assert.Equal("Allow", await _s.ScalarAsync<string>("SELECT verdict FROM assessments WHERE revision_id = @r", ("r", result.RevisionId)));
        Assert.Equal(0, await _s.CountAsync("SELECT count(*) FROM review_cases WHERE comment_id = @c", ("c", result.CommentId)));
    }

    [Fact]
    public async Task Review_verdict_opens_a_case_without_hiding()
    {
        var school = await _s.SeedSchoolAsync();

        var result = await _s.RecordAsync(school.PageId, NewId(), "questionable", Verdict.Review);

        Assert.NotNull(result.ReviewCaseId);
        Assert.Empty(result.OutboxIds);
        Assert.Equal("Visible", await _s.ScalarAsync<string>("SELECT visibility FROM comments WHERE id = @c", ("c", result.CommentId)));
        Assert.False(await _s.ScalarAsync<bool>("SELECT auto_hidden FROM review_cases WHERE id = @c", ("c", result.ReviewCaseId!.Value)));
    }

    [Fact]
    public async Task Hide_verdict_queues_a_hide_and_opens_an_auto_hidden_case()
    {
        var school = await _s.SeedSchoolAsync();

        var result = await _s.RecordAsync(school.PageId, NewId(), "nasty", Verdict.Hide);

        var outboxId = Assert.Single(result.OutboxIds);
        Assert.Equal("Hide", await _s.ScalarAsync<string>("SELECT action FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Equal("Hidden", await _s.ScalarAsync<string>("SELECT visibility FROM comments WHERE id = @c", ("c", result.CommentId)));
        Assert.True(await _s.ScalarAsync<bool>("SELECT auto_hidden FROM review_cases WHERE id = @c", ("c", result.ReviewCaseId!.Value)));
        Assert.Null(result.EscalationId);
    }

    [Fact]
    public async Task Hide_and_escalate_verdict_hides_opens_a_case_and_an_escalation_with_notifications()
    {
        var school = await _s.SeedSchoolAsync();

        var result = await _s.RecordAsync(school.PageId, NewId(), "dm me how old are you", Verdict.HideAndEscalate, Category.Safeguarding);

        Assert.Single(result.OutboxIds);
        Assert.NotNull(result.ReviewCaseId);
        Assert.NotNull(result.EscalationId);
        var recipients = await _s.CountAsync(
            "SELECT count(*) FROM outbox WHERE kind = 'Notification' AND payload->>'escalationId' = @e AND recipient_staff_id IN (@dsl, @deputy)",
            ("e", result.EscalationId!.Value.ToString()),
            ("dsl", school.SafeguardingLeadId),
            ("deputy", school.DeputyId));
        Assert.Equal(2, recipients);
    }

    [Fact]
    public async Task Notifications_carry_ids_and_a_link_but_never_the_comment_text()
    {
        var school = await _s.SeedSchoolAsync();

        var result = await _s.RecordAsync(school.PageId, NewId(), "secret-words-of-the-comment", Verdict.HideAndEscalate, Category.Safeguarding);

        var payloads = await _s.ScalarAsync<string>("SELECT string_agg(payload::text, '|') FROM outbox WHERE kind = 'Notification' AND payload->>'escalationId' = @e", ("e", result.EscalationId!.Value.ToString()));
        Assert.Contains($"/escalations/{result.EscalationId}", payloads, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-words", payloads, StringComparison.Ordinal);
        var audit = await _s.ScalarAsync<string>("SELECT string_agg(coalesce(after::text, ''), '|') FROM audit_log");
        Assert.DoesNotContain("secret-words", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_allegation_opens_an_escalation_even_on_a_review_verdict()
    {
        var school = await _s.SeedSchoolAsync();

        var result = await _s.RecordAsync(school.PageId, NewId(), "that teacher hurt my child", Verdict.Review, Category.Abuse, ModelAssessment.StaffAllegationTag);

        Assert.NotNull(result.EscalationId);
        Assert.Equal("StaffAllegation", await _s.ScalarAsync<string>("SELECT trigger FROM escalations WHERE id = @e", ("e", result.EscalationId!.Value)));
        Assert.Empty(result.OutboxIds);
    }

    [Fact]
    public async Task Polling_the_same_text_twice_changes_nothing()
    {
        var school = await _s.SeedSchoolAsync();
        var id = NewId();
        var first = await _s.RecordAsync(school.PageId, id, "dm me sweetie", Verdict.HideAndEscalate, Category.Safeguarding);
        var audit = (await _s.Audit.PositionAsync()).Seq;
        var outbox = await _s.CountAsync("SELECT count(*) FROM outbox");

        var second = await _s.RecordAsync(school.PageId, id, "dm me sweetie", Verdict.HideAndEscalate, Category.Safeguarding);

        Assert.False(second.IsNewRevision);
        Assert.Equal(first.RevisionId, second.RevisionId);
        Assert.Equal(audit, (await _s.Audit.PositionAsync()).Seq);
        Assert.Equal(outbox, await _s.CountAsync("SELECT count(*) FROM outbox"));
        Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM escalations WHERE comment_id = @c", ("c", first.CommentId)));
        Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM review_cases WHERE comment_id = @c", ("c", first.CommentId)));
    }

    [Fact]
    public async Task Concurrent_polls_of_one_comment_store_one_revision()
    {
        var school = await _s.SeedSchoolAsync();
        var id = NewId();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _s.RecordAsync(school.PageId, id, "nasty words", Verdict.Hide)));

        Assert.Single(results, r => r.IsNewRevision);
        Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM comment_revisions r JOIN comments c ON c.id = r.comment_id WHERE c.external_id = @id", ("id", id)));
        Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM outbox o JOIN comments c ON c.id = o.comment_id WHERE c.external_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Edited_text_becomes_a_new_revision_assessed_again()
    {
        var school = await _s.SeedSchoolAsync();
        var id = NewId();
        var first = await _s.RecordAsync(school.PageId, id, "great match", Verdict.Allow);

        var edited = await _s.RecordAsync(school.PageId, id, "great match, now with insults", Verdict.Review);

        Assert.True(edited.IsNewRevision);
        Assert.Equal(first.CommentId, edited.CommentId);
        Assert.Equal(2, edited.RevisionNo);
        Assert.NotNull(edited.ReviewCaseId);
        Assert.Equal(2, await _s.CountAsync("SELECT count(*) FROM assessments a JOIN comment_revisions r ON r.id = a.revision_id WHERE r.comment_id = @c", ("c", first.CommentId)));
    }

    [Fact]
    public async Task Already_hidden_comment_is_not_hidden_twice_when_edited()
    {
        var school = await _s.SeedSchoolAsync();
        var id = NewId();
        await _s.RecordAsync(school.PageId, id, "bad", Verdict.Hide);

        var edited = await _s.RecordAsync(school.PageId, id, "still bad", Verdict.Hide);

        Assert.Empty(edited.OutboxIds);
        Assert.True(await _s.ScalarAsync<bool>("SELECT auto_hidden FROM review_cases WHERE id = @c", ("c", edited.ReviewCaseId!.Value)));
    }

    [Fact]
    public async Task Scores_and_reasons_with_spans_are_stored_as_json()
    {
        var school = await _s.SeedSchoolAsync();

        var result = await _s.RecordAsync(school.PageId, NewId(), "nasty", Verdict.Hide, Category.Hate);

        Assert.Equal(0.9, await _s.ScalarAsync<double>("SELECT (scores->>'hate')::float8 FROM assessments WHERE revision_id = @r", ("r", result.RevisionId)));
        Assert.Equal(4, await _s.ScalarAsync<int>("SELECT (reasons->0->'spans'->0->>'length')::int FROM assessments WHERE revision_id = @r", ("r", result.RevisionId)));
        Assert.Equal("hate", await _s.ScalarAsync<string>("SELECT top_category FROM review_cases WHERE id = @c", ("c", result.ReviewCaseId!.Value)));
    }

    [Fact]
    public async Task Comment_of_another_page_with_the_same_external_id_is_refused()
    {
        var school = await _s.SeedSchoolAsync();
        var other = await _s.SeedSchoolAsync();
        var id = NewId();
        await _s.RecordAsync(school.PageId, id, "hello", Verdict.Allow);

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.RecordAsync(other.PageId, id, "hello again", Verdict.Allow));
    }
}
