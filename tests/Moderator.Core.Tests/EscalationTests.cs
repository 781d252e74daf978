using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class EscalationTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    private async Task<(DemoSchoolIds School, Guid EscalationId)> EscalateAsync()
    {
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "e-" + Guid.NewGuid(), "how old are you, dm me", Verdict.HideAndEscalate, Category.Safeguarding);
        return (school, comment.EscalationId!.Value);
    }

    private Task<long> NotificationsAsync(Guid escalationId, Guid recipient, int stage) =>
        _s.CountAsync(
            "SELECT count(*) FROM outbox WHERE kind = 'Notification' AND recipient_staff_id = @r AND idempotency_key LIKE @k",
            ("r", recipient),
            ("k", $"escalation:{escalationId}:stage{stage}:%"));

    [Fact]
    public async Task Escalation_in_school_hours_is_due_within_15_minutes_and_notifies_dsl_and_deputy_at_once()
    {
        var (school, id) = await EscalateAsync();

        var e = await _s.Escalations.GetAsync(id, school.SafeguardingLeadId);

        Assert.Equal(EscalationStatus.Open, e.Status);
        Assert.Equal(_s.Clock.GetUtcNow() + TimeSpan.FromMinutes(15), e.AckDueAt);
        Assert.Equal(["safeguarding"], e.Categories);
        Assert.Equal(1, await NotificationsAsync(id, school.SafeguardingLeadId, 0));
        Assert.Equal(1, await NotificationsAsync(id, school.DeputyId, 0));
        Assert.Equal(0, await NotificationsAsync(id, school.TrustSafeguardingLeadId, 0));
    }

    [Fact]
    public async Task Escalation_outside_school_hours_is_due_within_an_hour()
    {
        _s.Clock.Set(new DateTimeOffset(2025, 11, 22, 21, 30, 0, TimeSpan.Zero));
        var (school, id) = await EscalateAsync();

        var e = await _s.Escalations.GetAsync(id, school.DeputyId);

        Assert.Equal(_s.Clock.GetUtcNow() + TimeSpan.FromMinutes(60), e.AckDueAt);
    }

    [Fact]
    public async Task Unacknowledged_escalation_is_resent_to_deputies_then_to_the_trust_lead()
    {
        var (school, id) = await EscalateAsync();
        await _s.Escalations.CheckDeadlinesAsync();
        Assert.Equal(0, await NotificationsAsync(id, school.DeputyId, 1));

        _s.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.True(await _s.Escalations.CheckDeadlinesAsync() >= 1);
        Assert.Equal(1, await NotificationsAsync(id, school.DeputyId, 1));
        Assert.Equal(0, await NotificationsAsync(id, school.SafeguardingLeadId, 1));
        Assert.Equal(0, await NotificationsAsync(id, school.TrustSafeguardingLeadId, 2));

        _s.Clock.Advance(TimeSpan.FromMinutes(15));
        await _s.Escalations.CheckDeadlinesAsync();
        Assert.Equal(1, await NotificationsAsync(id, school.TrustSafeguardingLeadId, 2));
        Assert.Contains(await _s.Organisation.ListOpenAlertsAsync(school.SchoolId), a => a.Kind == AlertKinds.EscalationUnacknowledged && a.EntityId == id.ToString());

        _s.Clock.Advance(TimeSpan.FromHours(2));
        await _s.Escalations.CheckDeadlinesAsync();
        Assert.Equal(2, (await _s.Escalations.GetAsync(id, school.SafeguardingLeadId)).ReminderStage);

        // Once it reached them, the trust's lead may act on it.
        var acknowledged = await _s.Escalations.AcknowledgeAsync(id, school.TrustSafeguardingLeadId);
        Assert.Equal(school.TrustSafeguardingLeadId, acknowledged.AcknowledgedBy);
    }

    [Fact]
    public async Task Acknowledged_escalation_is_not_chased()
    {
        var (school, id) = await EscalateAsync();
        await _s.Escalations.AcknowledgeAsync(id, school.DeputyId);

        _s.Clock.Advance(TimeSpan.FromHours(3));
        await _s.Escalations.CheckDeadlinesAsync();

        Assert.Equal(0, await NotificationsAsync(id, school.DeputyId, 1));
        Assert.Equal(0, (await _s.Escalations.GetAsync(id, school.DeputyId)).ReminderStage);
    }

    [Fact]
    public async Task Deputy_records_outcomes_but_only_the_dsl_closes()
    {
        var (school, id) = await EscalateAsync();
        await _s.Escalations.AcknowledgeAsync(id, school.DeputyId);
        _s.Clock.Advance(TimeSpan.FromMinutes(20));
        await _s.Escalations.RecordOutcomeAsync(id, school.DeputyId, OutcomeKind.CeopReport, "CEOP-1", "reported online");
        _s.Clock.Advance(TimeSpan.FromMinutes(20));
        await _s.Escalations.RecordOutcomeAsync(id, school.SafeguardingLeadId, OutcomeKind.Police, "PR/2025/123", null);

        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Escalations.CloseAsync(id, school.DeputyId));
        var closed = await _s.Escalations.CloseAsync(id, school.SafeguardingLeadId);

        Assert.Equal(EscalationStatus.Closed, closed.Status);
        Assert.Equal([OutcomeKind.CeopReport, OutcomeKind.Police], closed.Chronology.Select(o => o.Kind));
        Assert.Equal(school.DeputyId, closed.Chronology[0].RecordedBy);
        Assert.Equal("PR/2025/123", closed.Chronology[1].Reference);
        Assert.Equal(_s.Clock.GetUtcNow() + _s.Retention.EscalationEvidence, closed.EvidenceRetainUntil);
        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Escalations.RecordOutcomeAsync(id, school.SafeguardingLeadId, OutcomeKind.Lado, null, null));
    }

    [Fact]
    public async Task Moderators_escalating_an_already_escalated_comment_join_the_live_escalation()
    {
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "e-" + Guid.NewGuid(), "dm me", Verdict.HideAndEscalate, Category.Safeguarding);

        await _s.Reviews.DecideAsync(comment.ReviewCaseId!.Value, school.Moderator1Id, Decision.Escalate);
        await _s.Reviews.DecideAsync(comment.ReviewCaseId!.Value, school.Moderator2Id, Decision.Escalate);

        Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM escalations WHERE comment_id = @c", ("c", comment.CommentId)));
        Assert.Equal(1, await NotificationsAsync(comment.EscalationId!.Value, school.SafeguardingLeadId, 0));
    }

    [Fact]
    public async Task School_webhook_is_notified_with_ids_only()
    {
        var school = await _s.SeedSchoolAsync();
        await _s.Organisation.ChangeSchoolSettingsAsync(school.SchoolId, new SchoolSettings(EscalationWebhookUrl: "https://hooks.example.school/dsl"), Actor.System);
        var comment = await _s.RecordAsync(school.PageId, "e-" + Guid.NewGuid(), "private words", Verdict.HideAndEscalate, Category.Safeguarding);

        await _s.Dispatcher().DispatchAsync("n");

        var hook = Assert.Single(_s.Ports.Notifications, n => n.Channel == NotificationChannel.Webhook);
        Assert.Equal("https://hooks.example.school/dsl", hook.Address);
        Assert.Contains(comment.EscalationId!.Value.ToString(), hook.PayloadJson, StringComparison.Ordinal);
        Assert.DoesNotContain("private words", hook.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task School_without_an_active_lead_notifies_the_trust_lead_at_once()
    {
        var school = await _s.SeedSchoolAsync();
        await _s.Staff.DeactivateAsync(school.SafeguardingLeadId, Actor.System);
        await _s.Staff.DeactivateAsync(school.DeputyId, Actor.System);

        var comment = await _s.RecordAsync(school.PageId, "e-" + Guid.NewGuid(), "dm me", Verdict.HideAndEscalate, Category.Safeguarding);

        Assert.Equal(1, await NotificationsAsync(comment.EscalationId!.Value, school.TrustSafeguardingLeadId, 0));
        Assert.Equal(0, await NotificationsAsync(comment.EscalationId!.Value, school.SafeguardingLeadId, 0));
    }

    [Fact]
    public async Task Police_outcome_needs_a_reference_number()
    {
        var (school, id) = await EscalateAsync();

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Escalations.RecordOutcomeAsync(id, school.SafeguardingLeadId, OutcomeKind.Police, " ", "called 101"));
    }

    [Fact]
    public async Task Escalation_cannot_close_without_an_outcome()
    {
        var (school, id) = await EscalateAsync();

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Escalations.CloseAsync(id, school.SafeguardingLeadId));
    }

    [Fact]
    public async Task Moderators_and_other_schools_leads_cannot_act_on_an_escalation()
    {
        var (school, id) = await EscalateAsync();
        var other = await _s.SeedSchoolAsync();

        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Escalations.AcknowledgeAsync(id, school.Moderator1Id));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Escalations.AcknowledgeAsync(id, other.SafeguardingLeadId));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Escalations.GetAsync(id, other.DeputyId));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Escalations.AcknowledgeAsync(id, school.TrustSafeguardingLeadId));
    }

    [Fact]
    public async Task Lead_sees_open_escalations_of_their_school()
    {
        var (school, id) = await EscalateAsync();

        var list = await _s.Escalations.ListForLeadAsync(school.DeputyId, includeClosed: false);

        Assert.Equal(id, Assert.Single(list).Id);
        Assert.Empty(await _s.Escalations.ListForLeadAsync(school.Moderator1Id, includeClosed: true));
    }

    [Fact]
    public async Task Escalation_actions_are_audited_with_the_person()
    {
        var (school, id) = await EscalateAsync();
        await _s.Escalations.RecordOutcomeAsync(id, school.SafeguardingLeadId, OutcomeKind.NoFurtherAction, null, "spoke to parent");
        await _s.Escalations.CloseAsync(id, school.SafeguardingLeadId);

        var entries = await _s.Audit.ForEntityAsync("escalation", id.ToString());

        Assert.Equal(["escalation.opened", "escalation.outcome_recorded", "escalation.closed"], entries.Select(e => e.Action));
        Assert.Equal("system", entries[0].Actor);
        Assert.Equal(school.SafeguardingLeadId, entries[2].ActorStaffId);
    }
}
