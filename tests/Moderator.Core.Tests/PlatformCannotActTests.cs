using Moderator.Core.Platforms;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class PlatformCannotActTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    [Fact]
    public async Task Hide_the_platform_refuses_is_not_recorded_as_hidden_but_flagged_and_alerted()
    {
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "x-" + Guid.NewGuid(), "bad", Verdict.Hide);
        var outboxId = Assert.Single(comment.OutboxIds);
        Assert.Equal("Hidden", await VisibilityAsync(comment.CommentId));
        _s.Ports.FailAction = a => a.OutboxId == outboxId ? new PlatformCannotActException("conversation not started by the account") : null;

        var result = await _s.Dispatcher().DispatchAsync("node-a");

        Assert.Equal(1, result.CannotAct);
        Assert.Equal(0, result.Succeeded + result.Retrying + result.DeadLettered + result.Blocked);
        Assert.Equal("CannotAct", await _s.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Equal("Visible", await VisibilityAsync(comment.CommentId));
        Assert.Equal("Hide", await _s.ScalarAsync<string>("SELECT cannot_act_action FROM comments WHERE id = @id", ("id", comment.CommentId)));
        Assert.Equal(_s.Clock.GetUtcNow(), new DateTimeOffset(await _s.ScalarAsync<DateTime>("SELECT cannot_act_at FROM comments WHERE id = @id", ("id", comment.CommentId))));
        Assert.True(await _s.ScalarAsync<bool>("SELECT bool_and(cannot_hide) FROM review_cases WHERE comment_id = @id", ("id", comment.CommentId)));
        var alert = Assert.Single(await _s.Organisation.ListOpenAlertsAsync(school.SchoolId), a => a.Kind == AlertKinds.PlatformCannotAct);
        Assert.Equal(school.PageId, alert.PageId);
        Assert.Equal(comment.CommentId.ToString(), alert.EntityId);
        Assert.Contains("act on the platform", alert.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bad", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_row_is_finished_and_never_retried()
    {
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "x-" + Guid.NewGuid(), "bad", Verdict.Hide);
        var outboxId = Assert.Single(comment.OutboxIds);
        var calls = 0;
        _s.Ports.FailAction = a => a.OutboxId == outboxId && ++calls > 0 ? new PlatformCannotActException("refused") : null;

        await _s.Dispatcher().DispatchAsync("node-a");
        _s.Clock.Advance(TimeSpan.FromDays(1));
        var later = await _s.Dispatcher().DispatchAsync("node-b");

        Assert.Equal(1, calls);
        Assert.Equal(0, later.CannotAct);
        Assert.Equal(1, await _s.ScalarAsync<int>("SELECT attempts FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Equal(1L, await _s.CountAsync("SELECT count(*) FROM alerts WHERE kind = @kind AND entity_id = @id", ("kind", AlertKinds.PlatformCannotAct), ("id", comment.CommentId.ToString())));
        Assert.Contains(await _s.Dispatcher().ListAsync(OutboxStatus.CannotAct, 50), e => e.Id == outboxId);
        Assert.Equal(1L, await _s.CountAsync("SELECT count(*) FROM audit_log WHERE action = 'outbox.cannot_act' AND entity_id = @id", ("id", outboxId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task Administrators_are_emailed_about_a_comment_the_platform_would_not_hide()
    {
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "x-" + Guid.NewGuid(), "bad", Verdict.Hide);
        var outboxId = Assert.Single(comment.OutboxIds);
        _s.Ports.FailAction = a => a.OutboxId == outboxId ? new PlatformCannotActException("refused") : null;

        await _s.Dispatcher().DispatchAsync("node-a");
        await _s.Dispatcher().DispatchAsync("node-a");

        Assert.Contains(_s.Ports.Notifications, n => n.RecipientStaffId == school.AdministratorId && n.PayloadJson.Contains(AlertKinds.PlatformCannotAct, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Platform.Facebook, true)]
    [InlineData(Platform.Instagram, true)]
    [InlineData(Platform.X, false)]
    [InlineData(Platform.YouTube, false)]
    public void Every_platform_says_who_can_still_see_a_hidden_item(Platform platform, bool canDelete)
    {
        var semantics = PlatformSemantics.For(platform);

        Assert.Equal(platform, semantics.Platform);
        Assert.False(string.IsNullOrWhiteSpace(semantics.StillVisibleTo));
        Assert.False(string.IsNullOrWhiteSpace(semantics.Limits));
        Assert.Equal(canDelete, semantics.CanDeleteOthersComments);
    }

    private Task<string> VisibilityAsync(Guid commentId) =>
        _s.ScalarAsync<string>("SELECT visibility FROM comments WHERE id = @id", ("id", commentId));
}
