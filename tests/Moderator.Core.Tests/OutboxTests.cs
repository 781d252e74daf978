using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class OutboxTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    /// <summary>Leaves nothing due from earlier tests of this class: their rows are done or dead.</summary>
    private async Task DrainAsync()
    {
        _s.Ports.FailAction = _ => null;
        _s.Ports.FailNotification = _ => null;
        await _s.ScalarAsync<object>("UPDATE outbox SET status = 'Done' WHERE status IN ('Pending','InProgress','Blocked') RETURNING 1");
    }

    [Fact]
    public async Task Hide_is_executed_once_with_its_idempotency_key_and_marked_done()
    {
        await DrainAsync();
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "o-" + Guid.NewGuid(), "bad", Verdict.Hide);
        var outboxId = Assert.Single(comment.OutboxIds);

        var result = await _s.Dispatcher().DispatchAsync("node-a");
        var again = await _s.Dispatcher().DispatchAsync("node-a");

        Assert.Equal(1, result.Succeeded);
        Assert.Equal(0, again.Claimed);
        var call = Assert.Single(_s.Ports.Actions, a => a.OutboxId == outboxId);
        Assert.Equal(PlatformActionKind.Hide, call.Action);
        Assert.Equal($"auto-hide:{comment.RevisionId}", call.IdempotencyKey);
        Assert.Equal($"page-{school.Usernames["admin"].Split('.')[1]}", call.PageExternalId);
        Assert.Equal("Done", await _s.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", ("id", outboxId)));
    }

    [Fact]
    public async Task Escalation_notifications_are_sent_to_the_recipients_email()
    {
        await DrainAsync();
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "o-" + Guid.NewGuid(), "dm me", Verdict.HideAndEscalate, Category.Safeguarding);

        await _s.Dispatcher().DispatchAsync("node-a");

        var sent = _s.Ports.Notifications.Where(n => n.PayloadJson.Contains(comment.EscalationId!.Value.ToString(), StringComparison.Ordinal)).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Contains(sent, n => n.RecipientStaffId == school.SafeguardingLeadId && n.Address == $"{school.Usernames["dsl"]}@example.school");
    }

    [Fact]
    public async Task Two_consumers_in_parallel_never_execute_one_row_twice()
    {
        await DrainAsync();
        var school = await _s.SeedSchoolAsync();
        var rows = 0;
        for (var i = 0; i < 60; i++)
        {
            rows += (await _s.RecordAsync(school.PageId, $"p-{i}-{Guid.NewGuid():N}", "bad", Verdict.HideAndEscalate, Category.Safeguarding)).OutboxIds.Count;
        }

        var total = await _s.CountAsync("SELECT count(*) FROM outbox WHERE status = 'Pending'");
        var before = _s.Ports.Actions.Count + _s.Ports.Notifications.Count;

        async Task Consume(string node)
        {
            var dispatcher = _s.Dispatcher();
            while ((await dispatcher.DispatchAsync(node)).Claimed > 0)
            {
            }
        }

        await Task.WhenAll(Task.Run(() => Consume("node-a")), Task.Run(() => Consume("node-b")));

        var keys = _s.Ports.Actions.Select(a => a.IdempotencyKey).Concat(_s.Ports.Notifications.Select(n => n.IdempotencyKey)).ToList();
        Assert.Equal(total, keys.Count - before);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(0, await _s.CountAsync("SELECT count(*) FROM outbox WHERE status IN ('Pending','InProgress')"));
        Assert.True(total >= 180, $"expected at least 180 rows, got {total}");
    }

    [Fact]
    public async Task Failure_is_retried_after_an_exponentially_growing_delay()
    {
        await DrainAsync();
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "o-" + Guid.NewGuid(), "bad", Verdict.Hide);
        var outboxId = comment.OutboxIds[0];
        var failures = 0;
        _s.Ports.FailAction = a => a.OutboxId == outboxId && failures++ < 2 ? new HttpRequestException("platform 503") : null;
        var start = _s.Clock.GetUtcNow();

        Assert.Equal(1, (await _s.Dispatcher().DispatchAsync("n")).Retrying);
        Assert.Equal(start + TimeSpan.FromSeconds(5), await _s.ScalarAsync<DateTime>("SELECT next_attempt_at FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Equal(0, (await _s.Dispatcher().DispatchAsync("n")).Claimed);

        _s.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, (await _s.Dispatcher().DispatchAsync("n")).Retrying);
        Assert.Equal(start + TimeSpan.FromSeconds(15), await _s.ScalarAsync<DateTime>("SELECT next_attempt_at FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Equal("HttpRequestException", await _s.ScalarAsync<string>("SELECT last_error FROM outbox WHERE id = @id", ("id", outboxId)));

        _s.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await _s.Dispatcher().DispatchAsync("n")).Succeeded);
        Assert.Equal(3, await _s.ScalarAsync<int>("SELECT attempts FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.All(_s.Ports.Actions.Where(a => a.OutboxId == outboxId), a => Assert.Equal($"auto-hide:{comment.RevisionId}", a.IdempotencyKey));
    }

    [Fact]
    public async Task Row_failing_past_the_limit_is_dead_lettered_with_an_alert()
    {
        await DrainAsync();
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "o-" + Guid.NewGuid(), "bad", Verdict.Hide);
        var outboxId = comment.OutboxIds[0];
        _s.Ports.FailAction = a => a.OutboxId == outboxId ? new InvalidOperationException("always") : null;

        for (var i = 0; i < _s.Outbox.MaxAttempts; i++)
        {
            await _s.Dispatcher().DispatchAsync("n");
            _s.Clock.Advance(_s.Outbox.MaxBackoff);
        }

        Assert.Equal("DeadLettered", await _s.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Equal(_s.Outbox.MaxAttempts, await _s.ScalarAsync<int>("SELECT attempts FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Contains(await _s.Organisation.ListOpenAlertsAsync(), a => a.Kind == AlertKinds.OutboxDeadLettered && a.EntityId == outboxId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        _s.Clock.Advance(TimeSpan.FromDays(1));
        await _s.Dispatcher().DispatchAsync("n");
        Assert.Equal(_s.Outbox.MaxAttempts, await _s.ScalarAsync<int>("SELECT attempts FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Contains(_s.Ports.Notifications, n => n.RecipientStaffId == school.AdministratorId && n.PayloadJson.Contains(AlertKinds.OutboxDeadLettered, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Token_failure_moves_the_page_to_needs_reconnect_instead_of_retrying()
    {
        await DrainAsync();
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "o-" + Guid.NewGuid(), "bad", Verdict.Hide);
        var outboxId = comment.OutboxIds[0];
        _s.Ports.FailAction = a => a.PageId == school.PageId ? new PlatformAuthorizationException("token expired") : null;

        var result = await _s.Dispatcher().DispatchAsync("n");

        Assert.Equal(1, result.Blocked);
        Assert.Equal("Blocked", await _s.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", ("id", outboxId)));
        Assert.Equal(PageStatus.NeedsReconnect, (await _s.Organisation.GetPageAsync(school.PageId)).Status);
        Assert.Contains(await _s.Organisation.ListOpenAlertsAsync(school.SchoolId), a => a.Kind == AlertKinds.PageNeedsReconnect && a.PageId == school.PageId);

        // The administrator is e-mailed about it; another action for the page waits while it needs reconnecting.
        var second = await _s.RecordAsync(school.PageId, "o-" + Guid.NewGuid(), "bad", Verdict.Hide);
        _s.Clock.Advance(TimeSpan.FromHours(1));
        var waiting = await _s.Dispatcher().DispatchAsync("n");
        Assert.Equal(0, waiting.Blocked + waiting.Retrying);
        Assert.Contains(_s.Ports.Notifications, n => n.RecipientStaffId == school.AdministratorId && n.PayloadJson.Contains(AlertKinds.PageNeedsReconnect, StringComparison.Ordinal));
        Assert.DoesNotContain(_s.Ports.Actions, a => a.OutboxId == second.OutboxIds[0]);

        _s.Ports.FailAction = _ => null;
        await _s.Organisation.ReconnectAsync(school.PageId, "new-ciphertext", Actor.Staff(school.AdministratorId));
        var after = await _s.Dispatcher().DispatchAsync("n");

        Assert.Equal(2, after.Succeeded);
        Assert.Contains(_s.Ports.Actions, a => a.OutboxId == outboxId && a.CredentialsCiphertext == "new-ciphertext");
        Assert.Contains(_s.Ports.Actions, a => a.OutboxId == second.OutboxIds[0]);
    }

    [Fact]
    public async Task Row_of_a_consumer_that_died_mid_lease_is_taken_over_after_the_lease()
    {
        await DrainAsync();
        var school = await _s.SeedSchoolAsync();
        var comment = await _s.RecordAsync(school.PageId, "o-" + Guid.NewGuid(), "bad", Verdict.Hide);
        var outboxId = comment.OutboxIds[0];
        using var dying = new CancellationTokenSource();
        _s.Ports.FailAction = a =>
        {
            dying.Cancel();
            return new OperationCanceledException(dying.Token);
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _s.Dispatcher().DispatchAsync("node-dies", dying.Token));
        Assert.Equal("InProgress", await _s.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", ("id", outboxId)));
        _s.Ports.FailAction = _ => null;
        Assert.Equal(0, (await _s.Dispatcher().DispatchAsync("node-b")).Claimed);

        _s.Clock.Advance(_s.Outbox.Lease + TimeSpan.FromSeconds(1));
        var taken = await _s.Dispatcher().DispatchAsync("node-b");

        Assert.Equal(1, taken.Succeeded);
        Assert.Equal(2, Assert.Single(_s.Ports.Actions, a => a.OutboxId == outboxId).Attempt);
    }

    [Fact]
    public void Backoff_doubles_each_attempt_up_to_the_cap_with_bounded_jitter()
    {
        var o = new OutboxOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(60) };

        Assert.Equal(TimeSpan.FromSeconds(5), OutboxDispatcher.Backoff(1, o, 0));
        Assert.Equal(TimeSpan.FromSeconds(10), OutboxDispatcher.Backoff(1, o, 1));
        Assert.Equal(TimeSpan.FromSeconds(10), OutboxDispatcher.Backoff(2, o, 0));
        Assert.Equal(TimeSpan.FromSeconds(20), OutboxDispatcher.Backoff(3, o, 0));
        Assert.Equal(TimeSpan.FromSeconds(30), OutboxDispatcher.Backoff(9, o, 0));
        Assert.Equal(TimeSpan.FromSeconds(45), OutboxDispatcher.Backoff(9, o, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(60), OutboxDispatcher.Backoff(50, o, 1));
    }
}
