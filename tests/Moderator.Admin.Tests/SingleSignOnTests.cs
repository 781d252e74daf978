using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Admin.Security;
using Moderator.Admin.Tests.Support;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Tests;

public sealed class SingleSignOnTests(SingleSignOnTests.SsoFixture fixture) : IClassFixture<SingleSignOnTests.SsoFixture>
{
    private const string Tenant = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    private async Task<Uri> ChallengeAsync(string provider)
    {
        using var client = AdminClient.Anonymous(fixture.Admin);
        var response = await AdminClient.PostFormAsync(client, "/Account/External?handler=Challenge", new Dictionary<string, string> { ["provider"] = provider }, "/Account/SignIn");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    [Fact]
    public async Task Microsoft_sign_in_goes_to_the_schools_own_tenant_with_pkce()
    {
        var location = await ChallengeAsync(SingleSignOn.MicrosoftScheme);

        Assert.StartsWith($"https://login.microsoftonline.com/{Tenant}/oauth2/v2.0/authorize?", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("client_id=admin-app", location.Query, StringComparison.Ordinal);
        Assert.Contains("code_challenge=", location.Query, StringComparison.Ordinal);
        Assert.Contains("signin-microsoft", Uri.UnescapeDataString(location.Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Google_sign_in_asks_for_the_schools_workspace_domain()
    {
        var location = await ChallengeAsync(SingleSignOn.GoogleScheme);

        Assert.StartsWith("https://accounts.google.com/o/oauth2/v2/auth?", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("hd=example.school", location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_offers_the_configured_providers_and_an_unknown_one_is_not_found()
    {
        using var client = AdminClient.Anonymous(fixture.Admin);
        var html = await client.GetStringAsync(new Uri("/Account/SignIn", UriKind.Relative));
        Assert.Contains("Sign in with Microsoft 365", html, StringComparison.Ordinal);
        Assert.Contains("Sign in with Google Workspace", html, StringComparison.Ordinal);

        var unknown = await AdminClient.PostFormAsync(client, "/Account/External?handler=Challenge", new Dictionary<string, string> { ["provider"] = "facebook" }, "/Account/SignIn");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Single_sign_on_maps_only_onto_an_existing_account_with_a_verified_address()
    {
        await using var scope = fixture.Admin.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<StaffSignIn>();
        var email = $"{fixture.World.A.Usernames["moderator2"]}@example.school";
        var subject = "sub-" + Guid.NewGuid().ToString("N");

        Assert.Equal(SignInOutcome.Failed, (await signIn.ExternalSignInAsync("google", subject, "stranger@example.school", true, default)).Outcome);
        Assert.Equal(SignInOutcome.Failed, (await signIn.ExternalSignInAsync("google", subject, email, false, default)).Outcome);

        var first = await signIn.ExternalSignInAsync("google", subject, email, true, default);
        Assert.Equal(SignInOutcome.SignedIn, first.Outcome);
        Assert.Equal(fixture.World.A.Moderator2Id, first.Principal!.StaffId());

        var again = await signIn.ExternalSignInAsync("google", subject, "renamed@example.school", true, default);
        Assert.Equal(fixture.World.A.Moderator2Id, again.Principal!.StaffId());
        Assert.Equal(SignInOutcome.Failed, (await signIn.ExternalSignInAsync("google", "someone-else", email, true, default)).Outcome);
    }

    [Fact]
    public async Task With_single_sign_on_on_the_session_cookie_is_same_site_lax()
    {
        using var client = AdminClient.Anonymous(fixture.Admin);
        var response = await AdminClient.PostFormAsync(client, "/Account/SignIn", new Dictionary<string, string>
        {
            ["Username"] = fixture.World.A.Usernames["moderator1"],
            ["Password"] = World.Password,
        });
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("moderator.session=", StringComparison.Ordinal));
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_half_configured_provider_stops_the_app_at_start()
    {
        await using var broken = new AdminFactory(fixture.ConnectionString, settings: new Dictionary<string, string>
        {
            ["Admin:SingleSignOn:Microsoft:ClientId"] = "admin-app",
            ["Admin:SingleSignOn:Microsoft:TenantId"] = "common",
        });

        var error = Assert.ThrowsAny<InvalidOperationException>(() => broken.Server);
        Assert.Contains("ClientSecret is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("TenantId must name the school's own tenant", error.Message, StringComparison.Ordinal);
    }

    public sealed class SsoFixture : AdminFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Admin:SingleSignOn:Microsoft:ClientId"] = "admin-app",
            ["Admin:SingleSignOn:Microsoft:ClientSecret"] = "not-a-real-secret",
            ["Admin:SingleSignOn:Microsoft:TenantId"] = Tenant,
            ["Admin:SingleSignOn:Google:ClientId"] = "admin-app.apps.googleusercontent.com",
            ["Admin:SingleSignOn:Google:ClientSecret"] = "not-a-real-secret",
            ["Admin:SingleSignOn:Google:HostedDomain"] = "example.school",
        };
    }
}
