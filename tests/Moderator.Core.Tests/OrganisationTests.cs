using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class OrganisationTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    [Fact]
    public async Task Seeded_demo_page_is_active_with_three_approvals_and_two_moderators()
    {
        var school = await _s.SeedSchoolAsync();
        var page = await _s.Organisation.GetPageAsync(school.PageId);

        Assert.Equal(PageStatus.Active, page.Status);
        Assert.True(page.IsFullyApproved);
        Assert.Equal(2, page.ActiveModeratorCount);
        Assert.Equal(3, page.Approvals.Count);
    }

    [Fact]
    public async Task Page_stays_pending_until_all_three_approvals_are_recorded()
    {
        var school = await _s.SeedSchoolAsync();
        var pageId = await _s.Organisation.RegisterPageAsync(school.SchoolId, Platform.Instagram, "ig-" + Guid.NewGuid(), "Second page", TimeSpan.FromMinutes(5), null, Actor.System);
        await _s.Organisation.AssignModeratorAsync(pageId, school.Moderator1Id, Actor.Staff(school.AdministratorId));
        await _s.Organisation.AssignModeratorAsync(pageId, school.Moderator2Id, Actor.Staff(school.AdministratorId));
        await _s.Organisation.RecordApprovalAsync(pageId, ApprovalRole.LineManager, "L M", null, Actor.System);
        var twoApprovals = await _s.Organisation.RecordApprovalAsync(pageId, ApprovalRole.CommunicationsManager, "C M", null, Actor.System);
        Assert.Equal(PageStatus.Pending, twoApprovals.Status);

        var approved = await _s.Organisation.RecordApprovalAsync(pageId, ApprovalRole.HeadTeacher, "H T", null, Actor.System);
        Assert.Equal(PageStatus.Active, approved.Status);
        var stored = await _s.Organisation.GetPageAsync(pageId);
        Assert.Equal(PageStatus.Active, stored.Status);
        Assert.Contains(stored.Approvals, a => a.Role == ApprovalRole.HeadTeacher && a.ApproverName == "H T" && a.ApprovedAt == Services.SchoolHours);
    }

    [Fact]
    public async Task Approved_page_with_one_moderator_is_not_active()
    {
        var school = await _s.SeedSchoolAsync();
        var pageId = await _s.Organisation.RegisterPageAsync(school.SchoolId, Platform.X, "x-" + Guid.NewGuid(), "X page", TimeSpan.FromMinutes(5), null, Actor.System);
        foreach (var role in Enum.GetValues<ApprovalRole>())
        {
            await _s.Organisation.RecordApprovalAsync(pageId, role, role.ToString(), null, Actor.System);
        }

        var page = await _s.Organisation.AssignModeratorAsync(pageId, school.Moderator1Id, Actor.System);
        Assert.Equal(PageStatus.Pending, page.Status);
    }

    [Fact]
    public async Task Page_dropping_to_one_moderator_needs_moderators_and_raises_an_alert()
    {
        var school = await _s.SeedSchoolAsync();

        var page = await _s.Organisation.RemoveModeratorAsync(school.PageId, school.Moderator2Id, Actor.Staff(school.AdministratorId));

        Assert.Equal(PageStatus.NeedsModerators, page.Status);
        Assert.Equal(PageStatus.NeedsModerators, (await _s.Organisation.GetPageAsync(school.PageId)).Status);
        var alerts = await _s.Organisation.ListOpenAlertsAsync(school.SchoolId);
        Assert.Contains(alerts, a => a.Kind == AlertKinds.PageNeedsModerators && a.PageId == school.PageId);
        Assert.Equal(1, await _s.CountAsync("SELECT count(*) FROM outbox WHERE recipient_staff_id = @a AND payload->>'kind' = 'PageNeedsModerators'", ("a", school.AdministratorId)));

        var restored = await _s.Organisation.AssignModeratorAsync(school.PageId, await _s.AddModeratorAsync(school, "cover", assign: false), Actor.System);
        Assert.Equal(PageStatus.Active, restored.Status);
    }

    [Fact]
    public async Task Deactivating_a_moderator_flags_the_page_they_leave_short()
    {
        var school = await _s.SeedSchoolAsync();

        await _s.Staff.DeactivateAsync(school.Moderator1Id, Actor.Staff(school.AdministratorId));

        var page = await _s.Organisation.GetPageAsync(school.PageId);
        Assert.Equal(PageStatus.NeedsModerators, page.Status);
        Assert.Equal(1, page.ActiveModeratorCount);
        Assert.Contains(await _s.Organisation.ListOpenAlertsAsync(school.SchoolId), a => a.Kind == AlertKinds.PageNeedsModerators && a.PageId == school.PageId);
    }

    [Fact]
    public async Task Moderator_of_another_school_cannot_be_assigned()
    {
        var school = await _s.SeedSchoolAsync();
        var other = await _s.SeedSchoolAsync();

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Organisation.AssignModeratorAsync(school.PageId, other.Moderator1Id, Actor.System));
    }

    [Fact]
    public async Task Only_an_administrator_of_the_school_can_change_its_pages()
    {
        var school = await _s.SeedSchoolAsync();
        var other = await _s.SeedSchoolAsync();

        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Organisation.RemoveModeratorAsync(school.PageId, school.Moderator1Id, Actor.Staff(school.Moderator2Id)));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Organisation.RemoveModeratorAsync(school.PageId, school.Moderator1Id, Actor.Staff(other.AdministratorId)));
        Assert.Equal(2, (await _s.Organisation.GetPageAsync(school.PageId)).ActiveModeratorCount);
    }

    [Fact]
    public async Task Needs_reconnect_page_returns_to_active_when_reconnected()
    {
        var school = await _s.SeedSchoolAsync();
        await _s.Organisation.ChangePageAsync(school.PageId, Actor.System, "page.needs_reconnect", (_, _, p, _) =>
        {
            p.MarkNeedsReconnect();
            return Task.CompletedTask;
        });
        Assert.Equal(PageStatus.NeedsReconnect, (await _s.Organisation.GetPageAsync(school.PageId)).Status);

        var page = await _s.Organisation.ReconnectAsync(school.PageId, "ciphertext-v2", Actor.Staff(school.AdministratorId));

        Assert.Equal(PageStatus.Active, page.Status);
        Assert.Equal("ciphertext-v2", (await _s.Organisation.GetPageAsync(school.PageId)).CredentialsCiphertext);
    }

    [Fact]
    public async Task Deactivated_page_refuses_further_moves()
    {
        var school = await _s.SeedSchoolAsync();
        await _s.Organisation.DeactivatePageAsync(school.PageId, Actor.System);

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Organisation.ReconnectAsync(school.PageId, "c", Actor.System));
        Assert.DoesNotContain(await _s.Organisation.ListActivePagesAsync(), p => p.Id == school.PageId);
    }

    [Fact]
    public async Task Stale_version_is_refused()
    {
        var school = await _s.SeedSchoolAsync();
        var page = await _s.Organisation.GetPageAsync(school.PageId);
        await _s.Organisation.ChangePollIntervalAsync(school.PageId, TimeSpan.FromMinutes(7), Actor.System);

        await Assert.ThrowsAsync<WorkflowConcurrencyException>(() => _s.Organisation.ChangePageAsync(school.PageId, Actor.System, "page.x", (_, _, p, _) =>
        {
            p.ChangePollInterval(TimeSpan.FromMinutes(9));
            return Task.CompletedTask;
        }, expectedVersion: page.Version));
    }

    [Fact]
    public async Task School_hours_decide_the_acknowledgement_deadline()
    {
        var school = await _s.SeedSchoolAsync();
        var s = await _s.Organisation.GetSchoolAsync(school.SchoolId);

        Assert.Equal(TimeSpan.FromMinutes(15), s.AcknowledgementDeadline(Services.SchoolHours));
        Assert.Equal(TimeSpan.FromMinutes(60), s.AcknowledgementDeadline(new DateTimeOffset(2025, 11, 19, 20, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromMinutes(60), s.AcknowledgementDeadline(new DateTimeOffset(2025, 11, 22, 10, 0, 0, TimeSpan.Zero)));
        // 07:30 UTC in June is 08:30 in London (BST): school hours.
        Assert.Equal(TimeSpan.FromMinutes(15), s.AcknowledgementDeadline(new DateTimeOffset(2025, 6, 18, 7, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task School_settings_are_configurable()
    {
        var school = await _s.SeedSchoolAsync();
        await _s.Organisation.ChangeSchoolSettingsAsync(school.SchoolId, new SchoolSettings(SchoolDayStart: new TimeOnly(7, 0), SchoolDayEnd: new TimeOnly(18, 0), AckDeadlineInSchoolHours: TimeSpan.FromMinutes(10)), Actor.Staff(school.AdministratorId));

        var s = await _s.Organisation.GetSchoolAsync(school.SchoolId);
        Assert.Equal(new TimeOnly(7, 0), s.SchoolDayStart);
        Assert.Equal(TimeSpan.FromMinutes(10), s.AckDeadlineInSchoolHours);
        Assert.Equal(TimeSpan.FromMinutes(60), s.AckDeadlineOutsideSchoolHours);
    }
}

public sealed class StaffDirectoryTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private readonly Services _s = new(db.DataSource);

    [Fact]
    public async Task Staff_are_found_by_username_or_email_ignoring_case()
    {
        var school = await _s.SeedSchoolAsync("find");

        var byName = await _s.Staff.FindBySignInNameAsync("MODERATOR1.find");
        var byEmail = await _s.Staff.FindBySignInNameAsync("moderator1.find@EXAMPLE.school");

        Assert.Equal(school.Moderator1Id, byName?.Id);
        Assert.Equal(school.Moderator1Id, byEmail?.Id);
        Assert.Equal("hash-not-a-real-password", byName?.PasswordHash);
        Assert.Contains(school.SchoolId, byName!.SchoolIds);
        Assert.Null(await _s.Staff.FindBySignInNameAsync("nobody"));
    }

    [Fact]
    public async Task Repeated_sign_in_failures_lock_the_account_until_the_lockout_ends()
    {
        var school = await _s.SeedSchoolAsync();
        await _s.Staff.RecordSignInFailureAsync(school.DeputyId);
        await _s.Staff.RecordSignInFailureAsync(school.DeputyId);
        var third = await _s.Staff.RecordSignInFailureAsync(school.DeputyId);

        Assert.Equal(3, third.FailedCount);
        Assert.Equal(_s.Clock.GetUtcNow() + TimeSpan.FromMinutes(15), third.LockedUntil);
        Assert.True((await _s.Staff.GetAsync(school.DeputyId)).IsLockedOut(_s.Clock.GetUtcNow()));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Staff.RecordSignInSuccessAsync(school.DeputyId));

        _s.Clock.Advance(TimeSpan.FromMinutes(16));
        await _s.Staff.RecordSignInSuccessAsync(school.DeputyId);
        var after = await _s.Staff.GetAsync(school.DeputyId);
        Assert.Equal(0, after.FailedSignInCount);
        Assert.Null(after.LockedUntil);
    }

    [Fact]
    public async Task External_login_finds_the_linked_account()
    {
        var school = await _s.SeedSchoolAsync();
        await _s.Staff.LinkExternalLoginAsync(school.DeputyId, "entra", "subject-123", Actor.Staff(school.AdministratorId));

        Assert.Equal(school.DeputyId, (await _s.Staff.FindByExternalLoginAsync("entra", "subject-123"))?.Id);
        Assert.Null(await _s.Staff.FindByExternalLoginAsync("entra", "other"));
    }

    [Fact]
    public async Task Roles_change_but_an_assigned_moderator_keeps_the_moderator_role()
    {
        var school = await _s.SeedSchoolAsync();

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Staff.ChangeRolesAsync(school.Moderator1Id, [StaffRole.Administrator], Actor.Staff(school.AdministratorId)));
        await _s.Staff.ChangeRolesAsync(school.Moderator1Id, [StaffRole.Moderator, StaffRole.DeputySafeguardingLead], Actor.Staff(school.AdministratorId));

        var roles = (await _s.Staff.GetAsync(school.Moderator1Id)).Roles;
        Assert.True(roles.SetEquals([StaffRole.Moderator, StaffRole.DeputySafeguardingLead]));
        await Assert.ThrowsAsync<WorkflowForbiddenException>(() => _s.Staff.ChangeRolesAsync(school.Moderator2Id, [StaffRole.Administrator], Actor.Staff(school.Moderator1Id)));
    }

    [Fact]
    public async Task Schools_of_a_trust_are_listed()
    {
        var school = await _s.SeedSchoolAsync();

        var schools = await _s.Organisation.ListSchoolsAsync(school.TrustId);

        Assert.Equal(school.SchoolId, Assert.Single(schools).Id);
    }

    [Fact]
    public async Task Duplicate_username_is_refused()
    {
        var school = await _s.SeedSchoolAsync("dup");

        await Assert.ThrowsAsync<WorkflowRuleException>(() => _s.Staff.CreateAsync(
            new NewStaffMember(school.TrustId, "Someone", "Moderator1.dup", "other@example.school", [StaffRole.Moderator], [school.SchoolId]), Actor.System));
    }
}
