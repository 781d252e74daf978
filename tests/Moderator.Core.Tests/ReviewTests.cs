using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class ReviewTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    private async Task<(DemoSchoolIds School, RecordResult Comment)> CaseAsync(Verdict verdict = Verdict.Review, Category category = Category.Abuse)
    {
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "c-" + Guid.NewGuid().ToString("N"), "some words", verdict, category);
        return (school, comment);
    }

    private Task<long> PlatformActionsAsync(Guid caseId, string action) =>
        _s.CountAsync("SELECT count(*) FROM outbox WHERE idempotency_key = @key", ("key", $"case:{caseId}:{action}"));

    [Fact]
    public async Task Two_agreeing_moderators_settle_the_case()
    {
        var (school, comment) = await CaseAsync();
        var caseId = comment.ReviewCaseId!.Value;

        var afterFirst = await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.KeepVisible);
        Assert.Equal(ReviewStatus.Open, afterFirst.Status);

        var settled = await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.KeepVisible);
        Assert.Equal(ReviewStatus.Settled, settled.Status);
        Assert.Equal(Decision.KeepVisible, settled.Outcome);
        Assert.Equal(0, await PlatformActionsAsync(caseId, "Unhide"));
    }

    [Fact]
    public async Task Second_decision_by_the_same_moderator_is_refused()
    {
        var (school, comment) = await CaseAsync();
        var caseId = comment.ReviewCaseId!.Value;
        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Hide);

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Hide));
        Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM review_decisions WHERE case_id = @c", ("c", caseId)));
    }

    [Fact]
    public async Task Restoring_an_auto_hidden_comment_needs_two_agreeing_decisions_and_then_queues_an_unhide()
    {
        var (school, comment) = await CaseAsync(Verdict.Hide);
        var caseId = comment.ReviewCaseId!.Value;

        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.KeepVisible);
        Assert.Equal(0, await PlatformActionsAsync(caseId, "Unhide"));
        Assert.Equal("Hidden", await _s.ScalarAsync<string>("SELECT visibility FROM comments WHERE id = @c", ("c", comment.CommentId)));

        await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.KeepVisible);
        Assert.Equal(1, await PlatformActionsAsync(caseId, "Unhide"));
        Assert.Equal("Visible", await _s.ScalarAsync<string>("SELECT visibility FROM comments WHERE id = @c", ("c", comment.CommentId)));
    }

    [Fact]
    public async Task Settled_hide_of_a_visible_comment_queues_a_hide()
    {
        var (school, comment) = await CaseAsync(Verdict.Review);
        var caseId = comment.ReviewCaseId!.Value;

        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Hide);
        await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide);

        Assert.Equal(1, await PlatformActionsAsync(caseId, "Hide"));
    }

    [Fact]
    public async Task Settled_hide_of_an_auto_hidden_comment_queues_nothing_more()
    {
        var (school, comment) = await CaseAsync(Verdict.Hide);
        var caseId = comment.ReviewCaseId!.Value;

        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Hide);
        await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide);

        Assert.Equal(0, await PlatformActionsAsync(caseId, "Hide"));
    }

    [Fact]
    public async Task Settled_delete_queues_a_delete()
    {
        var (school, comment) = await CaseAsync(Verdict.Hide);
        var caseId = comment.ReviewCaseId!.Value;

        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Delete);
        await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Delete);

        Assert.Equal(1, await PlatformActionsAsync(caseId, "Delete"));
    }

    [Fact]
    public async Task Settled_escalate_opens_an_escalation_for_the_school()
    {
        var (school, comment) = await CaseAsync(Verdict.Review, Category.Safeguarding);
        var caseId = comment.ReviewCaseId!.Value;

        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Escalate);
        await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Escalate);

        Assert.Equal("ModeratorDecision", await _s.ScalarAsync<string>("SELECT trigger FROM escalations WHERE case_id = @c", ("c", caseId)));
        Assert.Equal(1, await PlatformActionsAsync(caseId, "Hide"));
    }

    [Fact]
    public async Task Disagreement_needs_a_third_moderator_who_agrees_with_one_side()
    {
        var (school, comment) = await CaseAsync();
        var caseId = comment.ReviewCaseId!.Value;
        var third = await _s.AddModeratorAsync(school, "third");

        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.KeepVisible);
        var split = await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide);
        Assert.Equal(ReviewStatus.NeedsThirdReview, split.Status);

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Reviews.DecideAsync(caseId, third, Decision.Delete));
        var settled = await _s.Reviews.DecideAsync(caseId, third, Decision.Hide);
        Assert.Equal(ReviewStatus.Settled, settled.Status);
        Assert.Equal(Decision.Hide, settled.Outcome);
        Assert.Equal(3, settled.Decisions.Count);
    }

    [Fact]
    public async Task School_lead_breaks_a_tie_but_does_not_sign_an_undisputed_case()
    {
        var (school, comment) = await CaseAsync(Verdict.Hide);
        var caseId = comment.ReviewCaseId!.Value;

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Reviews.DecideAsync(caseId, school.SafeguardingLeadId, Decision.Hide));

        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.KeepVisible);
        await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide);
        var settled = await _s.Reviews.DecideAsync(caseId, school.SafeguardingLeadId, Decision.Hide);

        Assert.Equal(ReviewStatus.Settled, settled.Status);
        Assert.True(settled.Decisions[2].AsLead);
    }

    [Fact]
    public async Task Moderator_who_acted_by_hand_cannot_be_the_second_signature()
    {
        var (school, comment) = await CaseAsync();
        var caseId = comment.ReviewCaseId!.Value;
        await _s.Reviews.RecordManualActionAsync(caseId, school.Moderator2Id, PlatformActionKind.Hide);
        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Hide);

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide));
        Assert.Equal(ReviewStatus.Open, (await _s.Reviews.GetDetailsAsync(caseId, school.Moderator1Id)).Case.Status);
    }

    [Fact]
    public async Task Moderator_of_another_school_cannot_act()
    {
        var (school, comment) = await CaseAsync();
        var other = await _s.SeedSchoolAsync();
        var caseId = comment.ReviewCaseId!.Value;

        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Reviews.DecideAsync(caseId, other.Moderator1Id, Decision.Hide));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Reviews.ClaimAsync(caseId, other.Moderator1Id));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Reviews.GetDetailsAsync(caseId, other.Moderator1Id));
        Assert.Equal(0, await _s.CountAsync("SELECT count(*) FROM review_decisions WHERE case_id = @c", ("c", caseId)));
    }

    [Fact]
    public async Task Moderator_of_the_school_not_assigned_to_the_page_cannot_act()
    {
        var (school, comment) = await CaseAsync();
        var unassigned = await _s.AddModeratorAsync(school, "unassigned", assign: false);

        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Reviews.DecideAsync(comment.ReviewCaseId!.Value, unassigned, Decision.Hide));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Reviews.DecideAsync(comment.ReviewCaseId!.Value, school.DeputyId, Decision.Hide));
    }

    [Fact]
    public async Task Deactivated_moderator_cannot_act()
    {
        var (school, comment) = await CaseAsync();
        await _s.Staff.DeactivateAsync(school.Moderator1Id, Actor.System);

        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Reviews.DecideAsync(comment.ReviewCaseId!.Value, school.Moderator1Id, Decision.Hide));
    }

    [Fact]
    public async Task Claimed_case_cannot_be_claimed_or_decided_by_another_until_the_claim_expires()
    {
        var (school, comment) = await CaseAsync();
        var caseId = comment.ReviewCaseId!.Value;
        var claimed = await _s.Reviews.ClaimAsync(caseId, school.Moderator1Id);
        Assert.Equal(_s.Clock.GetUtcNow() + TimeSpan.FromMinutes(10), claimed.ClaimExpiresAt);

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Reviews.ClaimAsync(caseId, school.Moderator2Id));
        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide));

        _s.Clock.Advance(TimeSpan.FromMinutes(11));
        var taken = await _s.Reviews.ClaimAsync(caseId, school.Moderator2Id);
        Assert.Equal(school.Moderator2Id, taken.ClaimedBy);
    }

    [Fact]
    public async Task Released_claim_frees_the_case_and_a_decision_releases_the_deciders_claim()
    {
        var (school, comment) = await CaseAsync();
        var caseId = comment.ReviewCaseId!.Value;
        await _s.Reviews.ClaimAsync(caseId, school.Moderator1Id);
        await _s.Reviews.ReleaseClaimAsync(caseId, school.Moderator1Id);
        await _s.Reviews.ClaimAsync(caseId, school.Moderator2Id);

        var decided = await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide);

        Assert.Null(decided.ClaimedBy);
        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Reviews.ReleaseClaimAsync(caseId, school.Moderator1Id));
    }

    [Fact]
    public async Task Settled_case_refuses_further_decisions()
    {
        var (school, comment) = await CaseAsync();
        var caseId = comment.ReviewCaseId!.Value;
        var third = await _s.AddModeratorAsync(school, "late");
        await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Hide);
        await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide);

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Reviews.DecideAsync(caseId, third, Decision.Hide));
    }

    [Fact]
    public async Task Case_details_show_the_text_and_assessment_to_an_assigned_moderator()
    {
        var (school, comment) = await CaseAsync(Verdict.Hide, Category.Hate);

        var details = await _s.Reviews.GetDetailsAsync(comment.ReviewCaseId!.Value, school.Moderator1Id);

        Assert.Equal("some words", details.Text);
        Assert.Equal("test-model-1", details.ModelVersion);
        Assert.Contains("\"hate\"", details.ScoresJson, StringComparison.Ordinal);
        Assert.True(details.Case.AutoHidden);
    }

    [Fact]
    public async Task Queue_lists_open_cases_of_assigned_pages_oldest_first_with_counts()
    {
        var school = await _s.SeedSchoolAsync();
        var first = await _s.RecordAsync(school.PageId, "q-" + Guid.NewGuid(), "one", Verdict.Review, Category.Spam);
        _s.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await _s.RecordAsync(school.PageId, "q-" + Guid.NewGuid(), "two", Verdict.Hide, Category.Hate);
        _s.Clock.Advance(TimeSpan.FromMinutes(5));
        await _s.RecordAsync(school.PageId, "q-" + Guid.NewGuid(), "three", Verdict.Allow);
        var other = await _s.SeedSchoolAsync();
        await _s.RecordAsync(other.PageId, "q-" + Guid.NewGuid(), "elsewhere", Verdict.Review);

        var queue = await _s.Reviews.ListQueueAsync(school.Moderator1Id);
        Assert.Equal([first.ReviewCaseId!.Value, second.ReviewCaseId!.Value], queue.Items.Select(i => i.CaseId));
        Assert.Equal(2, queue.Total);
        Assert.Equal(1, queue.ByVerdict[Verdict.Hide]);
        Assert.Equal(1, queue.ByCategory["spam"]);
        Assert.Equal(2, queue.ByPlatform[Platform.Facebook]);

        var hateOnly = await _s.Reviews.ListQueueAsync(school.Moderator1Id, new QueueFilter(Category: Category.Hate));
        Assert.Equal(second.ReviewCaseId, Assert.Single(hateOnly.Items).CaseId);
        var older = await _s.Reviews.ListQueueAsync(school.Moderator1Id, new QueueFilter(OlderThan: TimeSpan.FromMinutes(8)));
        Assert.Equal(first.ReviewCaseId, Assert.Single(older.Items).CaseId);

        await _s.Reviews.DecideAsync(first.ReviewCaseId!.Value, school.Moderator1Id, Decision.KeepVisible);
        Assert.Equal(second.ReviewCaseId, Assert.Single((await _s.Reviews.ListQueueAsync(school.Moderator1Id)).Items).CaseId);
        Assert.Equal(2, (await _s.Reviews.ListQueueAsync(school.Moderator2Id)).Total);
        Assert.Equal(0, (await _s.Reviews.ListQueueAsync(other.Moderator1Id, new QueueFilter(Verdict: Verdict.Hide))).Total);

        Assert.DoesNotContain((await _s.Reviews.ListQueueAsync(school.Moderator2Id)).Items, i => i.OverReviewTarget);
        _s.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(8));
        Assert.Equal([true, false], (await _s.Reviews.ListQueueAsync(school.Moderator2Id)).Items.Select(i => i.OverReviewTarget));
    }
}

public sealed class ReviewConcurrencyTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    public const int Repetitions = 40;

    private readonly Services _s = new(db.DataSource);

    [Fact]
    public async Task Two_moderators_deciding_at_the_same_instant_settle_the_case_once()
    {
        var school = await _s.SeedSchoolAsync();
        for (var i = 0; i < Repetitions; i++)
        {
            var comment = await _s.RecordAsync(school.PageId, $"race-{i}-{Guid.NewGuid():N}", "words", Verdict.Review);
            var caseId = comment.ReviewCaseId!.Value;
            using var start = new Barrier(2);

            await Task.WhenAll(
                Task.Run(async () => { start.SignalAndWait(); await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.Hide); }),
                Task.Run(async () => { start.SignalAndWait(); await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide); }));

            Assert.Equal("Settled", await _s.ScalarAsync<string>("SELECT status FROM review_cases WHERE id = @c", ("c", caseId)));
            Assert.Equal(2, await _s.CountAsync("SELECT count(*) FROM review_decisions WHERE case_id = @c", ("c", caseId)));
            Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM outbox WHERE idempotency_key = @k", ("k", $"case:{caseId}:Hide")));
        }

        Assert.Null(await _s.Audit.VerifyAsync());
    }

    [Fact]
    public async Task Two_moderators_disagreeing_at_the_same_instant_both_count()
    {
        var school = await _s.SeedSchoolAsync();
        for (var i = 0; i < Repetitions; i++)
        {
            var comment = await _s.RecordAsync(school.PageId, $"split-{i}-{Guid.NewGuid():N}", "words", Verdict.Hide);
            var caseId = comment.ReviewCaseId!.Value;
            using var start = new Barrier(2);

            await Task.WhenAll(
                Task.Run(async () => { start.SignalAndWait(); await _s.Reviews.DecideAsync(caseId, school.Moderator1Id, Decision.KeepVisible); }),
                Task.Run(async () => { start.SignalAndWait(); await _s.Reviews.DecideAsync(caseId, school.Moderator2Id, Decision.Hide); }));

            Assert.Equal("NeedsThirdReview", await _s.ScalarAsync<string>("SELECT status FROM review_cases WHERE id = @c", ("c", caseId)));
            Assert.Equal(2, await _s.CountAsync("SELECT count(*) FROM review_decisions WHERE case_id = @c", ("c", caseId)));
            Assert.Equal(0, await _s.CountAsync("SELECT count(*) FROM outbox WHERE idempotency_key LIKE @k", ("k", $"case:{caseId}:%")));
        }
    }

    [Fact]
    public async Task Three_moderators_racing_never_leave_a_third_signature_on_a_settled_case()
    {
        var school = await _s.SeedSchoolAsync();
        var third = await _s.AddModeratorAsync(school, "racer");
        var moderators = new[] { school.Moderator1Id, school.Moderator2Id, third };
        for (var i = 0; i < Repetitions; i++)
        {
            var comment = await _s.RecordAsync(school.PageId, $"three-{i}-{Guid.NewGuid():N}", "words", Verdict.Review);
            var caseId = comment.ReviewCaseId!.Value;
            using var start = new Barrier(3);

            var outcomes = await Task.WhenAll(moderators.Select(m => Task.Run(async () =>
            {
                start.SignalAndWait();
                try
                {
                    await _s.Reviews.DecideAsync(caseId, m, Decision.Delete);
                    return true;
                }
                catch (WorkflowRuleException)
                {
                    return false;
                }
            })));

            Assert.Equal(2, outcomes.Count(ok => ok));
            Assert.Equal(2, await _s.CountAsync("SELECT count(*) FROM review_decisions WHERE case_id = @c", ("c", caseId)));
            Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM outbox WHERE idempotency_key = @k", ("k", $"case:{caseId}:Delete")));
        }
    }
}
