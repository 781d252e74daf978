using System.Net;
using System.Text.RegularExpressions;
using Moderator.Admin.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Moderator.Model;

namespace Moderator.Admin.Tests;

public sealed partial class AdministrationTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private readonly World _world = fixture.World;

    [Fact]
    public async Task A_hide_set_aside_after_its_last_attempt_can_be_queued_again_by_the_schools_administrator_and_is_audited()
    {
        var comment = await _world.CommentAsync(_world.A, "set-aside hide", Verdict.Hide);
        var (outboxId, alertId) = await SetAsideHideAsync(_world.A.PageId, comment.CommentId);
        var url = $"/Admin/Pages/Detail/{_world.A.PageId}";

        using (var other = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["admin"]))
        {
            var refused = await AdminClient.PostFormAsync(other, url + "?handler=Retry", new Dictionary<string, string> { ["alertId"] = alertId.ToString() }, "/Admin/Pages");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["admin"]);
        Assert.Contains("Try again now", await admin.GetStringAsync(new Uri(url, UriKind.Relative)), StringComparison.Ordinal);
        var retried = await AdminClient.PostFormAsync(admin, url + "?handler=Retry", new Dictionary<string, string> { ["alertId"] = alertId.ToString() }, url);
        var again = await AdminClient.PostFormAsync(admin, url + "?handler=Retry", new Dictionary<string, string> { ["alertId"] = alertId.ToString() }, url);

        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        await using var row = _world.DataSource.CreateCommand(
            """
            SELECT o.status || ':' || o.attempts || ':' || (a.resolved_by = @admin)::text || ':' ||
                   (SELECT count(*) FROM audit_log WHERE action = 'outbox.retry_requested' AND entity_id = o.id::text AND actor_staff_id = @admin)
            FROM outbox o, alerts a WHERE o.id = @outboxId AND a.id = @alertId
            """);
        row.Parameters.AddWithValue("admin", _world.A.AdministratorId);
        row.Parameters.AddWithValue("outboxId", outboxId);
        row.Parameters.AddWithValue("alertId", alertId);
        Assert.Equal("Pending:0:true:1", await row.ExecuteScalarAsync());
    }

    /// <summary>What the worker's dispatcher leaves after a hide's last failed attempt: a dead letter and its alert.</summary>
    private async Task<(long OutboxId, Guid AlertId)> SetAsideHideAsync(Guid pageId, Guid commentId)
    {
        await using var insert = _world.DataSource.CreateCommand(
            """
            INSERT INTO outbox (kind, action, page_id, comment_id, payload, idempotency_key, status, attempts, next_attempt_at, last_error, created_at)
            VALUES ('PlatformAction', 'Hide', @pageId, @commentId, '{}', @key, 'DeadLettered', 8, now(), 'Transient: HTTP 503', now())
            RETURNING id
            """);
        insert.Parameters.AddWithValue("pageId", pageId);
        insert.Parameters.AddWithValue("commentId", commentId);
        insert.Parameters.AddWithValue("key", "test-dead-" + Guid.NewGuid().ToString("N"));
        var outboxId = (long)(await insert.ExecuteScalarAsync())!;
        var alertId = Guid.NewGuid();
        await using var alert = _world.DataSource.CreateCommand(
            "INSERT INTO alerts (id, kind, page_id, entity_type, entity_id, message, created_at) VALUES (@id, 'OutboxDeadLettered', @pageId, 'outbox', @entity, 'A hide failed 8 times and was set aside.', now())");
        alert.Parameters.AddWithValue("id", alertId);
        alert.Parameters.AddWithValue("pageId", pageId);
        alert.Parameters.AddWithValue("entity", outboxId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await alert.ExecuteNonQueryAsync();
        return (outboxId, alertId);
    }

    [Fact]
    public async Task A_registered_page_becomes_active_after_three_approvals_and_two_moderators()
    {
        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["admin"]);
        var register = await AdminClient.PostFormAsync(admin, "/Admin/Pages/Register", new Dictionary<string, string>
        {
            ["SchoolId"] = _world.A.SchoolId.ToString(),
            ["Platform"] = "Instagram",
            ["Name"] = "Sports day photos",
            ["ExternalId"] = "ig-" + Guid.NewGuid().ToString("N")[..8],
            ["PollMinutes"] = "5",
        });
        Assert.Equal(HttpStatusCode.Redirect, register.StatusCode);
        var url = register.Headers.Location!.OriginalString;
        Assert.Contains("id=\"page-status\">Pending", await admin.GetStringAsync(new Uri(url, UriKind.Relative)), StringComparison.Ordinal);

        foreach (var role in new[] { "LineManager", "CommunicationsManager", "HeadTeacher" })
        {
            await AdminClient.PostFormAsync(admin, url + "?handler=Approve", new Dictionary<string, string> { ["role"] = role, ["approverName"] = "Approver " + role }, url);
        }

        await AdminClient.PostFormAsync(admin, url + "?handler=Assign", new Dictionary<string, string> { ["staffId"] = _world.A.Moderator1Id.ToString() }, url);
        Assert.Contains("id=\"page-status\">Pending", await admin.GetStringAsync(new Uri(url, UriKind.Relative)), StringComparison.Ordinal);
        await AdminClient.PostFormAsync(admin, url + "?handler=Assign", new Dictionary<string, string> { ["staffId"] = _world.A.Moderator2Id.ToString() }, url);

        var html = await admin.GetStringAsync(new Uri(url, UriKind.Relative));
        Assert.Contains("id=\"page-status\">Active", html, StringComparison.Ordinal);
        Assert.Contains("approved by Approver HeadTeacher", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_of_another_school_cannot_see_or_change_the_page()
    {
        using var other = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["admin"]);
        var url = $"/Admin/Pages/Detail/{_world.A.PageId}";

        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(new Uri(url, UriKind.Relative))).StatusCode);
        var post = await AdminClient.PostFormAsync(other, url + "?handler=Deactivate", new Dictionary<string, string>(), "/Admin/Pages");
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        var page = await World.Organisation(fixture.DataSource).GetPageAsync(_world.A.PageId);
        Assert.Equal(PageStatus.Active, page.Status);
    }

    [Fact]
    public async Task Thresholds_out_of_range_are_refused_and_valid_ones_are_stored()
    {
        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["admin"]);
        var url = $"/Admin/Pages/Detail/{_world.B.PageId}";

        var bad = await AdminClient.PostFormAsync(admin, url + "?handler=Thresholds", new Dictionary<string, string> { ["ThresholdRows[0].Category"] = "spam", ["ThresholdRows[0].Review"] = "0.9", ["ThresholdRows[0].Hide"] = "0.5" }, url);
        Assert.Contains("cannot be above the hide threshold", await admin.GetStringAsync(bad.Headers.Location!), StringComparison.Ordinal);
        Assert.Null((await World.Organisation(fixture.DataSource).GetPageAsync(_world.B.PageId)).ThresholdOverridesJson);

        await AdminClient.PostFormAsync(admin, url + "?handler=Thresholds", new Dictionary<string, string> { ["ThresholdRows[0].Category"] = "spam", ["ThresholdRows[0].Review"] = "0.4", ["ThresholdRows[0].Hide"] = "0.8" }, url);
        var stored = (await World.Organisation(fixture.DataSource).GetPageAsync(_world.B.PageId)).ThresholdOverridesJson;
        Assert.NotNull(stored);
        Assert.Contains("\"spam\"", stored, StringComparison.Ordinal);
        Assert.Contains("0.8", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_account_gets_a_one_time_password_and_must_change_it_before_anything_else()
    {
        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["admin"]);
        var username = "newmod" + Guid.NewGuid().ToString("N")[..6];
        var created = await AdminClient.PostFormAsync(admin, "/Admin/Staff?handler=Create", new Dictionary<string, string>
        {
            ["DisplayName"] = "Nia Newcomer",
            ["Username"] = username,
            ["Email"] = username + "@example.school",
            ["Roles"] = "Moderator",
            ["SchoolIds"] = _world.A.SchoolId.ToString(),
        }, "/Admin/Staff");
        var html = await created.Content.ReadAsStringAsync();
        var password = OneTimePassword().Match(html).Groups[1].Value;
        Assert.Matches("^[a-z0-9]{4}(-[a-z0-9]{4}){3}$", password);

        using var newcomer = await AdminClient.SignedInAsync(fixture.Admin, username, password);
        var queue = await newcomer.GetAsync(new Uri("/Queue", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
        Assert.Equal("/Account/ChangePassword", queue.Headers.Location!.OriginalString);
        var change = await AdminClient.PostFormAsync(newcomer, "/Account/ChangePassword", new Dictionary<string, string>
        {
            ["CurrentPassword"] = password,
            ["NewPassword"] = "a long sentence about the school trip",
            ["ConfirmPassword"] = "a long sentence about the school trip",
        });
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync(new Uri("/Queue", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Deactivating_an_account_ends_its_session_at_once()
    {
        var staff = World.Staff(fixture.DataSource);
        var username = "leaver" + Guid.NewGuid().ToString("N")[..6];
        var id = await staff.CreateAsync(new NewStaffMember(_world.A.TrustId, "Lee Leaver", username, username + "@example.school", [StaffRole.Moderator], [_world.A.SchoolId], World.PasswordHash, MustChangePassword: false), Actor.System);
        using var leaver = await AdminClient.SignedInAsync(fixture.Admin, username);
        Assert.Equal(HttpStatusCode.OK, (await leaver.GetAsync(new Uri("/Queue", UriKind.Relative))).StatusCode);

        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["admin"]);
        await AdminClient.PostFormAsync(admin, "/Admin/Staff?handler=Deactivate", new Dictionary<string, string> { ["staffId"] = id.ToString() }, "/Admin/Staff");

        var after = await leaver.GetAsync(new Uri("/Queue", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/SignIn", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_a_page_stores_its_token_encrypted_so_the_worker_can_read_it()
    {
        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["admin"]);
        var url = $"/Admin/Pages/Detail/{_world.B.PageId}";
        const string token = "EAAB-page-token-for-the-test-0123456789";

        await AdminClient.PostFormAsync(admin, url + "?handler=Connect", new Dictionary<string, string> { ["secret"] = token }, url);

        var stored = (await World.Organisation(fixture.DataSource).GetPageAsync(_world.B.PageId)).CredentialsCiphertext;
        Assert.NotNull(stored);
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.Equal(token, fixture.Admin.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
        Assert.DoesNotContain(token, await admin.GetStringAsync(new Uri(url, UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shorter_review_target_makes_waiting_items_stand_out_as_overdue()
    {
        var result = await _world.CommentAsync(_world.B, "waiting a while", Verdict.Review, at: DateTimeOffset.UtcNow.AddHours(-3));
        using var moderator = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["moderator1"]);
        var row = $"<tr class=\"overdue\" data-case=\"{result.ReviewCaseId}\">";
        Assert.DoesNotContain(row, await moderator.GetStringAsync(new Uri("/Queue", UriKind.Relative)), StringComparison.Ordinal);

        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["admin"]);
        var saved = await AdminClient.PostFormAsync(admin, "/Admin/Schools?handler=Save", new Dictionary<string, string>
        {
            ["schoolId"] = _world.B.SchoolId.ToString(),
            ["reviewTargetHours"] = "2",
            ["ackInHoursMinutes"] = "15",
            ["ackOutsideMinutes"] = "60",
            ["dayStart"] = "08:00",
            ["dayEnd"] = "16:00",
        }, "/Admin/Schools");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        Assert.Contains(row, await moderator.GetStringAsync(new Uri("/Queue", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(2), (await World.Organisation(fixture.DataSource).GetSchoolAsync(_world.B.SchoolId)).ReviewAgeTarget);
    }

    [GeneratedRegex("<code>([a-z0-9-]+)</code>")]
    private static partial Regex OneTimePassword();
}
