using System.Net;
using Moderator.Admin.Tests.Support;

namespace Moderator.Admin.Tests;

public sealed class SecurityShellTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private readonly AdminFactory _admin = fixture.Admin;
    private readonly World _world = fixture.World;

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        using var client = AdminClient.Anonymous(_admin);
        var response = await client.GetAsync(new Uri("/Queue", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/SignIn", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_moderator_signs_in_with_the_right_password_and_sees_the_start_page()
    {
        using var client = await AdminClient.SignedInAsync(_admin, _world.A.Usernames["moderator1"]);
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("Alex Moderator", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/Queue\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_is_recorded_in_the_audit_log_under_the_person()
    {
        var username = _world.A.Usernames["moderator2"];
        using var client = await AdminClient.SignedInAsync(_admin, username);
        var staffId = _world.A.Moderator2Id;

        var response = await AdminClient.PostFormAsync(client, "/Account/SignOut", new Dictionary<string, string>());
        var after = await client.GetAsync(new Uri("/Queue", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/SignIn", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        await using var count = _world.DataSource.CreateCommand(
            "SELECT count(*) FROM audit_log WHERE action = 'staff.signed_out' AND actor_staff_id = @id AND entity_id = @id::text");
        count.Parameters.AddWithValue("id", staffId);
        Assert.True((long)(await count.ExecuteScalarAsync())! >= 1);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var client = AdminClient.Anonymous(_admin);
        foreach (var path in new[] { "/Account/SignIn", "/Queue", "/no-such-page", "/health/live" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_same_site_strict()
    {
        using var client = AdminClient.Anonymous(_admin);
        var response = await AdminClient.PostFormAsync(client, "/Account/SignIn", new Dictionary<string, string>
        {
            ["Username"] = _world.A.Usernames["moderator2"],
            ["Password"] = World.Password,
        });
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("moderator.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_refused_with_400()
    {
        using var client = AdminClient.Anonymous(_admin);
        var response = await client.PostAsync(new Uri("/Account/SignIn", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = _world.A.Usernames["moderator1"],
            ["Password"] = World.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("moderator.session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_configuration_single_sign_on_is_neither_offered_nor_reachable()
    {
        using var client = AdminClient.Anonymous(_admin);
        Assert.DoesNotContain("Sign in with Microsoft", await client.GetStringAsync(new Uri("/Account/SignIn", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/Account/External", UriKind.Relative))).StatusCode);
        var challenge = await AdminClient.PostFormAsync(client, "/Account/External?handler=Challenge", new Dictionary<string, string> { ["provider"] = "microsoft" }, "/Account/SignIn");
        Assert.Equal(HttpStatusCode.NotFound, challenge.StatusCode);
    }

    [Fact]
    public async Task The_stylesheet_is_served_from_the_assembly_with_long_caching()
    {
        using var client = AdminClient.Anonymous(_admin);
        var html = await client.GetStringAsync(new Uri("/Account/SignIn", UriKind.Relative));
        var href = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/assets/site.css\\?v=[0-9a-f]+)\"").Groups[1].Value;
        var css = await client.GetAsync(new Uri(href, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Contains(":focus-visible", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
