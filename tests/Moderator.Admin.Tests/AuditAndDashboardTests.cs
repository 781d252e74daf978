using System.Net;
using Moderator.Admin.Tests.Support;
using Moderator.Model;
using Npgsql;

namespace Moderator.Admin.Tests;

public sealed class AuditAndDashboardTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private readonly World _world = fixture.World;

    [Fact]
    public async Task The_audit_page_shows_decisions_of_the_own_school_and_says_the_chain_verifies()
    {
        var mine = await _world.CommentAsync(_world.A, "audit me", Verdict.Review);
        var theirs = await _world.CommentAsync(_world.B, "not yours", Verdict.Review);
        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["admin"]);

        var html = await admin.GetStringAsync(new Uri("/Audit?entity=review_case", UriKind.Relative));

        Assert.Contains("The chain verifies", html, StringComparison.Ordinal);
        Assert.Contains(mine.ReviewCaseId!.Value.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.ReviewCaseId!.Value.ToString(), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_search_finds_entries_by_the_name_of_the_person_who_acted()
    {
        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["admin"]);
        var html = await admin.GetStringAsync(new Uri("/Audit?q=Pat+Administrator", UriKind.Relative));
        Assert.Contains("page.moderator_assigned", html, StringComparison.Ordinal);
        Assert.DoesNotContain("staff.created", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_draws_its_charts_as_svg_without_script()
    {
        await _world.CommentAsync(_world.A, "chart me", Verdict.Hide, Category.Hate);
        using var moderator = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);

        var response = await moderator.GetAsync(new Uri("/Dashboard", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var chart in new[] { "chart-per-day", "chart-hidden", "chart-queue-age", "chart-workload", "chart-ack" })
        {
            Assert.Contains($"<svg class=\"chart\" id=\"{chart}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains(">Hate</text>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }
}
