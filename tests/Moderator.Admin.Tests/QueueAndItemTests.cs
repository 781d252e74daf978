using System.Net;
using Moderator.Admin.Tests.Support;
using Moderator.Core.Workflow;
using Moderator.Model;

namespace Moderator.Admin.Tests;

public sealed class QueueAndItemTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private readonly World _world = fixture.World;

    [Fact]
    public async Task The_queue_lists_open_cases_of_the_moderators_school_oldest_first_with_counts()
    {
        var first = await _world.CommentAsync(_world.A, "first queued comment", Verdict.Review);
        var second = await _world.CommentAsync(_world.A, "second queued comment", Verdict.Hide, Category.Offensive);
        var otherSchool = await _world.CommentAsync(_world.B, "comment on the other school's page", Verdict.Review);
        using var client = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);

        var html = await client.GetStringAsync(new Uri("/Queue", UriKind.Relative));

        var firstAt = html.IndexOf(first.ReviewCaseId!.Value.ToString(), StringComparison.Ordinal);
        var secondAt = html.IndexOf(second.ReviewCaseId!.Value.ToString(), StringComparison.Ordinal);
        Assert.True(firstAt > 0 && secondAt > firstAt, "the older case comes first");
        Assert.DoesNotContain(otherSchool.ReviewCaseId!.Value.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain("first queued comment", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_category_filter_keeps_only_matching_cases()
    {
        var spam = await _world.CommentAsync(_world.A, "buy cheap watches at example dot com", Verdict.Review, Category.Spam);
        var hate = await _world.CommentAsync(_world.A, "a hateful remark", Verdict.Hide, Category.Hate);
        using var client = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator2"]);

        var html = await client.GetStringAsync(new Uri("/Queue?category=spam", UriKind.Relative));

        Assert.Contains(spam.ReviewCaseId!.Value.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(hate.ReviewCaseId!.Value.ToString(), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_the_platform_refused_to_hide_says_cannot_hide_act_on_the_platform_and_what_hidden_means_there()
    {
        var refused = await _world.CommentAsync(_world.A, "a reply the school cannot hide", Verdict.Hide, Category.Abuse);
        var ordinary = await _world.CommentAsync(_world.A, "an ordinary hidden reply", Verdict.Hide, Category.Abuse);
        // What the outbox records when the platform answers CannotHide (tested end to end in Core's PlatformCannotActTests).
        await using (var command = _world.DataSource.CreateCommand("UPDATE comments SET cannot_act_at = now(), cannot_act_action = 'Hide', visibility = 'Visible' WHERE id = $1"))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = refused.CommentId });
            await command.ExecuteNonQueryAsync();
        }

        using var client = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);
        var refusedHtml = await client.GetStringAsync(new Uri($"/Queue/Item/{refused.ReviewCaseId}", UriKind.Relative));
        var ordinaryHtml = await client.GetStringAsync(new Uri($"/Queue/Item/{ordinary.ReviewCaseId}", UriKind.Relative));

        Assert.Contains("id=\"cannot-hide\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("Cannot hide — act on the platform.", refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"cannot-hide\"", ordinaryHtml, StringComparison.Ordinal);
        Assert.Contains("Who can still see it", ordinaryHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cases_the_platform_would_not_hide_are_counted_badged_and_can_be_listed_alone()
    {
        var refused = await _world.CommentAsync(_world.A, "an X reply in someone else's thread", Verdict.Hide, Category.Abuse);
        var ordinary = await _world.CommentAsync(_world.A, "an ordinary hidden comment", Verdict.Hide, Category.Abuse);
        // What the outbox records when the platform answers CannotHide (end to end in Core's PlatformCannotActTests).
        await using (var command = _world.DataSource.CreateCommand(
            """
            WITH c AS (UPDATE comments SET cannot_act_at = now(), cannot_act_action = 'Hide', visibility = 'Visible' WHERE id = $1)
            UPDATE review_cases SET cannot_hide = true WHERE id = $2
            """))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = refused.CommentId });
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = refused.ReviewCaseId!.Value });
            await command.ExecuteNonQueryAsync();
        }

        using var client = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);
        var all = await client.GetStringAsync(new Uri("/Queue", UriKind.Relative));
        var only = await client.GetStringAsync(new Uri("/Queue?cannothide=true", UriKind.Relative));

        Assert.Contains("id=\"count-cannot-hide\"", all, StringComparison.Ordinal);
        var row = all[all.IndexOf($"data-case=\"{refused.ReviewCaseId}\"", StringComparison.Ordinal)..];
        Assert.Contains("Cannot hide — act on the platform", row[..row.IndexOf("</tr>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains(refused.ReviewCaseId!.Value.ToString(), only, StringComparison.Ordinal);
        Assert.DoesNotContain(ordinary.ReviewCaseId!.Value.ToString(), only, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_moderator_of_another_school_cannot_open_the_item_or_decide_it()
    {
        var result = await _world.CommentAsync(_world.A, "something to review", Verdict.Review);
        using var client = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["moderator1"]);
        var url = $"/Queue/Item/{result.ReviewCaseId}";

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri(url, UriKind.Relative))).StatusCode);
        var token = await AdminClient.TokenAsync(client, "/Queue");
        var post = await client.PostAsync(new Uri(url + "?handler=Decide", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["decision"] = "KeepVisible", ["__rvt"] = token }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    [Fact]
    public async Task The_other_moderators_decision_is_shown_only_after_deciding()
    {
        var result = await _world.CommentAsync(_world.A, "needs two looks", Verdict.Review);
        var url = $"/Queue/Item/{result.ReviewCaseId}";
        using var first = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);
        Assert.Equal(HttpStatusCode.Redirect, (await AdminClient.PostFormAsync(first, url + "?handler=Decide", new Dictionary<string, string> { ["decision"] = "Hide" }, url)).StatusCode);

        using var second = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator2"]);
        var before = await second.GetStringAsync(new Uri(url, UriKind.Relative));
        Assert.Contains("id=\"others-hidden\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain("Alex Moderator:", before, StringComparison.Ordinal);

        await AdminClient.PostFormAsync(second, url + "?handler=Decide", new Dictionary<string, string> { ["decision"] = "Hide" }, url);
        var after = await second.GetStringAsync(new Uri(url, UriKind.Relative));
        Assert.Contains("Alex Moderator:", after, StringComparison.Ordinal);
        Assert.Contains("Settled", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dsl_sees_a_link_to_the_escalation_and_a_moderator_does_not()
    {
        var result = await _world.CommentAsync(_world.A, "how old are you, message me", Verdict.HideAndEscalate, Category.Safeguarding);
        var url = $"/Queue/Item/{result.ReviewCaseId}";
        using var dsl = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["dsl"]);
        using var moderator = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);

        Assert.Contains($"href=\"/Escalations/Detail/{result.EscalationId}\"", await dsl.GetStringAsync(new Uri(url, UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain("/Escalations/Detail/", await moderator.GetStringAsync(new Uri(url, UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hostile_comment_is_rendered_as_inert_text()
    {
        const string hostile = "<script>alert('x')</script><img src=x onerror=alert(1)><b>bold</b> \u202Eevil txt.exe";
        var result = await _world.CommentAsync(_world.A, hostile, Verdict.Hide, Category.Offensive, matched: "<b>bold</b>");
        using var client = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);

        var html = await client.GetStringAsync(new Uri($"/Queue/Item/{result.ReviewCaseId}", UriKind.Relative));

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<mark>&lt;b&gt;bold&lt;/b&gt;</mark>", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', html);
        Assert.Contains("[U+202E]", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_item_page_shows_the_reason_the_house_rule_and_what_hidden_means()
    {
        var result = await _world.CommentAsync(_world.A, "you are all idiots", Verdict.Hide, Category.Abuse, matched: "idiots");
        using var client = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator2"]);

        var html = await client.GetStringAsync(new Uri($"/Queue/Item/{result.ReviewCaseId}", UriKind.Relative));

        Assert.Contains("<mark>idiots</mark>", html, StringComparison.Ordinal);
        Assert.Contains("Insults, bullying, harassment", html, StringComparison.Ordinal);
        Assert.Contains("everyone else no longer sees it", html, StringComparison.Ordinal);
        Assert.Contains("data-decision=\"KeepVisible\"", html, StringComparison.Ordinal);
    }
}
