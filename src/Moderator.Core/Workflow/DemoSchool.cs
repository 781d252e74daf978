namespace Moderator.Core.Workflow;

/// <summary>What to create: names are made distinct by <paramref name="Tag"/> so several demo schools can share a database.</summary>
public sealed record DemoSchoolRequest(string PasswordHash, string Tag = "demo", string EmailDomain = "example.school", Platform Platform = Platform.Facebook, bool MustChangePassword = false)
{
    /// <summary>The page's id on the platform (default "page-{tag}"); the demo uses the simulator's page id.</summary>
    public string? PageExternalId { get; init; }

    public string? PageName { get; init; }

    /// <summary>Encrypted page credentials (from SecretProtector), so the worker can poll the page.</summary>
    public string? CredentialsCiphertext { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>A page to register for a demo school: where it is, its encrypted credentials and how often to poll it.</summary>
public sealed record DemoPage(Platform Platform, string ExternalId, string Name, string? CredentialsCiphertext, TimeSpan PollInterval);

/// <summary>The ids of everything a demo school seed created; usernames are role@tag (e.g. "moderator1.demo").</summary>
public sealed record DemoSchoolIds(
    Guid TrustId,
    Guid SchoolId,
    Guid PageId,
    Guid Moderator1Id,
    Guid Moderator2Id,
    Guid SafeguardingLeadId,
    Guid DeputyId,
    Guid AdministratorId,
    Guid TrustSafeguardingLeadId,
    IReadOnlyDictionary<string, string> Usernames);

/// <summary>
/// Seeds a trust with one school: two moderators, a DSL, a deputy DSL, an administrator, a trust safeguarding lead,
/// and one approved Active page moderated by the two moderators. For demos and tests.
/// </summary>
public static class DemoSchool
{
    public static async Task<DemoSchoolIds> SeedAsync(Organisation organisation, StaffDirectory staff, DemoSchoolRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(staff);
        ArgumentNullException.ThrowIfNull(request);
        var tag = request.Tag;
        var trustId = await organisation.CreateTrustAsync($"Demo Learning Trust ({tag})", Actor.System, cancellationToken);
        var schoolId = await organisation.CreateSchoolAsync(trustId, $"Demo Primary School ({tag})", null, Actor.System, cancellationToken);
        var usernames = new Dictionary<string, string>();

        async Task<Guid> Person(string key, string displayName, StaffRole[] roles, Guid[] schools)
        {
            var username = $"{key}.{tag}";
            usernames[key] = username;
            return await staff.CreateAsync(
                new NewStaffMember(trustId, displayName, username, $"{username}@{request.EmailDomain}", roles, schools, request.PasswordHash, request.MustChangePassword),
                Actor.System,
                cancellationToken);
        }

        var moderator1 = await Person("moderator1", "Alex Moderator", [StaffRole.Moderator], [schoolId]);
        var moderator2 = await Person("moderator2", "Sam Moderator", [StaffRole.Moderator], [schoolId]);
        var dsl = await Person("dsl", "Jo Safeguarding", [StaffRole.SafeguardingLead, StaffRole.Moderator], [schoolId]);
        var deputy = await Person("deputy", "Chris Deputy", [StaffRole.DeputySafeguardingLead], [schoolId]);
        var admin = await Person("admin", "Pat Administrator", [StaffRole.Administrator], [schoolId]);
        var trustLead = await Person("trustlead", "Morgan Trust Lead", [StaffRole.SafeguardingLead], []);
        await organisation.SetTrustSafeguardingLeadAsync(trustId, trustLead, Actor.System, cancellationToken);

        var page = new DemoPage(request.Platform, request.PageExternalId ?? $"page-{tag}", request.PageName ?? $"Demo Primary ({tag})", request.CredentialsCiphertext, request.PollInterval);
        var pageId = await AddApprovedPageAsync(organisation, schoolId, page, [moderator1, moderator2], Actor.Staff(admin), cancellationToken);
        return new DemoSchoolIds(trustId, schoolId, pageId, moderator1, moderator2, dsl, deputy, admin, trustLead, usernames);
    }

    /// <summary>
    /// Registers one more page for a seeded school, records its three approvals and assigns <paramref name="moderators"/>
    /// (at least two, of the school), so it is Active at once. The demo adds a school's other platforms this way.
    /// </summary>
    public static async Task<Guid> AddApprovedPageAsync(Organisation organisation, Guid schoolId, DemoPage page, IReadOnlyList<Guid> moderators, Actor approvedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(moderators);
        var pageId = await organisation.RegisterPageAsync(schoolId, page.Platform, page.ExternalId, page.Name, page.PollInterval, page.CredentialsCiphertext, Actor.System, cancellationToken);
        await organisation.RecordApprovalAsync(pageId, ApprovalRole.LineManager, "Line Manager", null, approvedBy, cancellationToken);
        await organisation.RecordApprovalAsync(pageId, ApprovalRole.CommunicationsManager, "Communications Manager", null, approvedBy, cancellationToken);
        await organisation.RecordApprovalAsync(pageId, ApprovalRole.HeadTeacher, "Head Teacher", null, approvedBy, cancellationToken);
        foreach (var moderator in moderators)
        {
            await organisation.AssignModeratorAsync(pageId, moderator, approvedBy, cancellationToken);
        }

        return pageId;
    }
}
