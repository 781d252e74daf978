using Dapper;
using Microsoft.Playwright;
using Moderator.Admin.Tests.Support;
using Moderator.Core.Workflow;
using Moderator.Model;
using static Microsoft.Playwright.Assertions;

namespace Moderator.Admin.Tests;

/// <summary>The running app driven over HTTP by Debian's Chromium, as moderators, the DSL and an administrator use it.</summary>
public sealed class BrowserFlowTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private readonly World _world = fixture.World;

    private static async Task OpenCaseFromQueueAsync(IPage page, Guid caseId)
    {
        await page.GotoAsync("/Queue");
        await page.Locator($"tr[data-case='{caseId}']").GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/Queue/Item/{caseId}$"));
    }

    private static Task DecideAsync(IPage page, Decision decision) => page.Locator($"button[data-decision='{decision}']").ClickAsync();

    [Fact]
    public async Task Sign_in_works_and_repeated_failures_lock_the_account()
    {
        var staff = World.Staff(fixture.DataSource);
        var username = "locky" + Guid.NewGuid().ToString("N")[..6];
        await staff.CreateAsync(new NewStaffMember(_world.A.TrustId, "Lou Locked", username, username + "@example.school", [StaffRole.Moderator], [_world.A.SchoolId], World.PasswordHash, MustChangePassword: false), Actor.System);
        var page = await fixture.PageAsync();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await BrowserFixture.SignInAsync(page, username, "not the password " + attempt);
            await Expect(page.Locator("#signin-error")).ToContainTextAsync("not right");
        }

        await BrowserFixture.SignInAsync(page, username, "not the password 5");
        await Expect(page.Locator("#signin-error")).ToContainTextAsync("locked");
        await BrowserFixture.SignInAsync(page, username, World.Password);
        await Expect(page.Locator("#signin-error")).ToContainTextAsync("locked");

        var other = await fixture.PageAsync(_world.A.Usernames["moderator2"]);
        await Expect(other.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Hello, Sam Moderator");
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(other).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
        await other.GotoAsync("/Queue");
        await Expect(other).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
    }

    [Fact]
    public async Task Two_moderators_settle_a_case_and_the_second_sees_the_first_only_after_deciding()
    {
        var result = await _world.CommentAsync(_world.A, "your teachers are all useless idiots", Verdict.Review, Category.Abuse, matched: "useless idiots");
        var caseId = result.ReviewCaseId!.Value;

        var first = await fixture.PageAsync(_world.A.Usernames["moderator1"]);
        await OpenCaseFromQueueAsync(first, caseId);
        await Expect(first.Locator("#comment-text mark")).ToHaveTextAsync("useless idiots");
        await DecideAsync(first, Decision.Hide);
        await Expect(first.Locator("#flash-notice")).ToContainTextAsync("A second moderator must now look at it");

        var second = await fixture.PageAsync(_world.A.Usernames["moderator2"]);
        await OpenCaseFromQueueAsync(second, caseId);
        await Expect(second.Locator("#others-hidden")).ToBeVisibleAsync();
        await Expect(second.Locator("#decisions")).ToHaveCountAsync(0);
        await DecideAsync(second, Decision.Hide);
        await Expect(second.Locator("#flash-notice")).ToContainTextAsync("the case is settled");
        await Expect(second.Locator("#decisions")).ToContainTextAsync("Alex Moderator");
        await Expect(second.Locator("#case-status")).ToContainTextAsync("Settled");
    }

    [Fact]
    public async Task A_disagreement_goes_to_a_third_moderator_who_settles_it_by_agreeing_with_one_side()
    {
        var third = await ThirdModeratorAsync();
        var result = await _world.CommentAsync(_world.A, "the new head is clueless and should go", Verdict.Review, Category.Abuse, tags: ["complaint"]);
        var caseId = result.ReviewCaseId!.Value;

        var first = await fixture.PageAsync(_world.A.Usernames["moderator1"]);
        await OpenCaseFromQueueAsync(first, caseId);
        await DecideAsync(first, Decision.KeepVisible);
        var second = await fixture.PageAsync(_world.A.Usernames["moderator2"]);
        await OpenCaseFromQueueAsync(second, caseId);
        await DecideAsync(second, Decision.Hide);
        await Expect(second.Locator("#flash-notice")).ToContainTextAsync("a third moderator");

        var tie = await fixture.PageAsync(third);
        await tie.GotoAsync("/Queue");
        await Expect(tie.Locator($"tr[data-case='{caseId}']")).ToContainTextAsync("Disagreement");
        await OpenCaseFromQueueAsync(tie, caseId);
        await Expect(tie.Locator("button[data-decision]")).ToHaveCountAsync(2);
        await Expect(tie.Locator("button[data-decision='Delete']")).ToHaveCountAsync(0);
        await DecideAsync(tie, Decision.KeepVisible);
        await Expect(tie.Locator("#case-status")).ToContainTextAsync("Settled: Keep visible");
    }

    [Fact]
    public async Task Restoring_an_auto_hidden_comment_needs_two_moderators()
    {
        var result = await _world.CommentAsync(_world.A, "Mrs Patel's class did brilliantly at sports day", Verdict.Hide, Category.PupilIdentification, matched: "Mrs Patel's class");
        var caseId = result.ReviewCaseId!.Value;

        var first = await fixture.PageAsync(_world.A.Usernames["moderator1"]);
        await OpenCaseFromQueueAsync(first, caseId);
        await Expect(first.Locator("body")).ToContainTextAsync("Restoring it needs two moderators to agree");
        await Expect(first.Locator("button[data-decision='KeepVisible']")).ToHaveTextAsync("Restore (show it again)");
        await DecideAsync(first, Decision.KeepVisible);
        await Expect(first.Locator("#case-status")).ToContainTextAsync("1 of 2");
        Assert.Equal(0, await UnhideActionsAsync(result.CommentId));

        var second = await fixture.PageAsync(_world.A.Usernames["moderator2"]);
        await OpenCaseFromQueueAsync(second, caseId);
        await DecideAsync(second, Decision.KeepVisible);
        await Expect(second.Locator("#case-status")).ToContainTextAsync("Settled: Restore");
        Assert.Equal(1, await UnhideActionsAsync(result.CommentId));
    }

    [Fact]
    public async Task The_dsl_acknowledges_records_a_ceop_referral_and_closes_an_escalation()
    {
        var result = await _world.CommentAsync(_world.A, "hey sweetie dm me, how old are you?", Verdict.HideAndEscalate, Category.Safeguarding, matched: "how old are you");
        var dsl = await fixture.PageAsync(_world.A.Usernames["dsl"]);

        await dsl.GotoAsync("/Escalations");
        await dsl.Locator($"#new-escalations tr[data-escalation='{result.EscalationId}']").GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();
        await dsl.Locator("#acknowledge").ClickAsync();
        await Expect(dsl.Locator("#escalation-status")).ToContainTextAsync("Acknowledged");

        await dsl.GetByLabel("What happened").SelectOptionAsync(nameof(OutcomeKind.CeopReport));
        await dsl.GetByLabel("Reference number").FillAsync("CEOP-2026-0042");
        await dsl.GetByLabel("Notes").FillAsync("Reported online; screenshots attached to the report.");
        await dsl.Locator("#record-outcome").ClickAsync();
        await Expect(dsl.Locator("#chronology")).ToContainTextAsync("Report to CEOP (reference CEOP-2026-0042)");

        var download = await dsl.RunAndWaitForDownloadAsync(() => dsl.Locator("#evidence-pack").ClickAsync());
        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);

        await dsl.Locator("#close-escalation").ClickAsync();
        await Expect(dsl.Locator("#escalation-status")).ToContainTextAsync("Closed");
        await dsl.GotoAsync("/Escalations");
        await Expect(dsl.Locator($"tr[data-escalation='{result.EscalationId}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_administrator_registers_a_page_and_activates_it()
    {
        var admin = await fixture.PageAsync(_world.A.Usernames["admin"]);
        await admin.GotoAsync("/Admin/Pages/Register");
        await admin.GetByLabel("Platform", new() { Exact = true }).SelectOptionAsync("YouTube");
        await admin.GetByLabel("Name, as people know it").FillAsync("Music department channel");
        await admin.GetByLabel("The page's id on the platform").FillAsync("yt-" + Guid.NewGuid().ToString("N")[..10]);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Expect(admin.Locator("#page-status")).ToHaveTextAsync("Pending");

        foreach (var (role, name) in new[] { ("LineManager", "Dana Line"), ("CommunicationsManager", "Cam Comms"), ("HeadTeacher", "Hari Head") })
        {
            await admin.Locator($"#approver-{role}").FillAsync(name);
            await admin.Locator($"button[data-approve='{role}']").ClickAsync();
            await Expect(admin.Locator("#approvals")).ToContainTextAsync($"approved by {name}");
        }

        foreach (var moderator in new[] { "Alex Moderator", "Sam Moderator" })
        {
            await admin.GetByLabel("Assign a moderator").SelectOptionAsync(new SelectOptionValue { Label = moderator });
            await admin.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
            await Expect(admin.Locator("#moderators")).ToContainTextAsync(moderator);
        }

        await Expect(admin.Locator("#page-status")).ToHaveTextAsync("Active");
    }

    [Fact]
    public async Task A_hostile_comment_is_shown_as_inert_text_in_the_browser()
    {
        const string hostile = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"><a href=\"javascript:alert(1)\">click</a> \u202Egnp.exe";
        var result = await _world.CommentAsync(_world.A, hostile, Verdict.Hide, Category.Offensive, matched: "<img src=x");
        var page = await fixture.PageAsync(_world.A.Usernames["moderator1"]);
        var consoleErrors = new List<string>();
        page.Console += (_, m) => consoleErrors.Add(m.Text);

        await page.GotoAsync($"/Queue/Item/{result.ReviewCaseId}");

        var text = page.Locator("#comment-text");
        await Expect(text).ToContainTextAsync("<script>window.__pwned = 1</script>");
        await Expect(text).ToContainTextAsync("[U+202E]");
        Assert.Equal(0, await page.Locator("#comment-text script, #comment-text img, #comment-text a").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_form_control_has_a_label_and_the_skip_link_comes_first_on_every_main_page()
    {
        var result = await _world.CommentAsync(_world.A, "label check", Verdict.HideAndEscalate, Category.Safeguarding, matched: "label");
        var pages = new (string User, string Url)[]
        {
            ("moderator1", "/Queue"), ("moderator1", $"/Queue/Item/{result.ReviewCaseId}"), ("dsl", "/Escalations"), ("dsl", $"/Escalations/Detail/{result.EscalationId}"),
            ("admin", "/Admin/Pages"), ("admin", $"/Admin/Pages/Detail/{_world.A.PageId}"), ("admin", "/Admin/Pages/Register"), ("admin", "/Admin/Staff"),
            ("admin", "/Admin/Schools"), ("admin", "/Audit"), ("admin", "/Dashboard"), ("admin", "/Account/ChangePassword"),
        };
        var signedIn = new Dictionary<string, IPage>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (user, url) in pages)
        {
            if (!signedIn.TryGetValue(user, out var page))
            {
                page = signedIn[user] = await fixture.PageAsync(_world.A.Usernames[user]);
            }

            await page.GotoAsync(url);
            var unlabelled = await page.EvaluateAsync<string[]>(
                """
                () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                    .map(e => e.outerHTML.slice(0, 80))
                """);
            problems.AddRange(unlabelled.Select(u => $"{url}: {u}"));
            if (await page.EvaluateAsync<string>("() => document.documentElement.lang") != "en-GB" || await page.Locator("h1").CountAsync() != 1)
            {
                problems.Add($"{url}: needs lang=en-GB and exactly one h1");
            }

            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string>("() => document.activeElement.className") != "skip")
            {
                problems.Add($"{url}: the first Tab does not reach the skip link");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private async Task<string> ThirdModeratorAsync()
    {
        var username = "third" + Guid.NewGuid().ToString("N")[..6];
        var id = await World.Staff(fixture.DataSource).CreateAsync(new NewStaffMember(_world.A.TrustId, "Tia Third", username, username + "@example.school", [StaffRole.Moderator], [_world.A.SchoolId], World.PasswordHash, MustChangePassword: false), Actor.System);
        await World.Organisation(fixture.DataSource).AssignModeratorAsync(_world.A.PageId, id, Actor.System);
        return username;
    }

    private async Task<int> UnhideActionsAsync(Guid commentId)
    {
        await using var c = await fixture.DataSource.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>("SELECT count(*)::int FROM outbox WHERE comment_id = @commentId AND action = 'Unhide'", new { commentId });
    }
}
