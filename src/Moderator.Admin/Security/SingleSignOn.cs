using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;

namespace Moderator.Admin.Security;

/// <summary>One identity provider's app registration. Blank <see cref="ClientId"/> leaves the provider off.</summary>
public sealed class SingleSignOnProvider
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Microsoft 365: the school's (or trust's) tenant id. Only that tenant's accounts can sign in.</summary>
    public string? TenantId { get; set; }

    /// <summary>Google Workspace: the school's domain; accounts outside it are refused.</summary>
    public string? HostedDomain { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>
/// Optional single sign-on with Microsoft 365 or Google Workspace through the OAuth handler of the shared framework
/// (configuration section Admin:SingleSignOn). It maps onto existing staff accounts only: nobody registers this way.
/// </summary>
public sealed class SingleSignOnOptions
{
    public const string SectionName = "Admin:SingleSignOn";

    public SingleSignOnProvider Microsoft { get; set; } = new();

    public SingleSignOnProvider Google { get; set; } = new();

    public bool AnyEnabled => Microsoft.Enabled || Google.Enabled;

    public IEnumerable<string> Problems()
    {
        foreach (var (name, p) in new[] { ("Microsoft", Microsoft), ("Google", Google) })
        {
            if (p.Enabled && string.IsNullOrWhiteSpace(p.ClientSecret))
            {
                yield return $"{SectionName}:{name}:ClientSecret is required when ClientId is set.";
            }
        }

        if (Microsoft.Enabled && (string.IsNullOrWhiteSpace(Microsoft.TenantId) || Microsoft.TenantId is "common" or "organizations" or "consumers"))
        {
            yield return $"{SectionName}:Microsoft:TenantId must name the school's own tenant (not common, organizations or consumers).";
        }

        if (Google.Enabled && string.IsNullOrWhiteSpace(Google.HostedDomain))
        {
            yield return $"{SectionName}:Google:HostedDomain must name the school's Workspace domain.";
        }
    }
}

public static class SingleSignOn
{
    public const string ExternalScheme = "External";
    public const string MicrosoftScheme = "microsoft";
    public const string GoogleScheme = "google";
    public const string EmailVerifiedClaim = "moderator:email_verified";
    public const string HostedDomainClaim = "moderator:hd";

    public static string DisplayName(string scheme) => scheme == MicrosoftScheme ? "Microsoft 365" : "Google Workspace";

    /// <summary>Adds the providers that are configured; with none configured nothing is registered.</summary>
    public static void AddSingleSignOn(this AuthenticationBuilder authentication, SingleSignOnOptions options)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        if (!options.AnyEnabled)
        {
            return;
        }

        authentication.AddCookie(ExternalScheme, o =>
        {
            o.Cookie.Name = "moderator.external";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
        });
        if (options.Microsoft.Enabled)
        {
            var tenant = Uri.EscapeDataString(options.Microsoft.TenantId!);
            authentication.AddOAuth(MicrosoftScheme, "Microsoft 365", o =>
            {
                Configure(o, options.Microsoft, "/signin-microsoft");
                o.AuthorizationEndpoint = $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize";
                o.TokenEndpoint = $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";
                o.UserInformationEndpoint = "https://graph.microsoft.com/oidc/userinfo";

                // A single-tenant endpoint only issues tokens to the tenant's own, organisation-managed accounts.
                o.ClaimActions.Add(new ConstantClaim(EmailVerifiedClaim, "true"));
            });
        }

        if (options.Google.Enabled)
        {
            var domain = options.Google.HostedDomain!;
            authentication.AddOAuth(GoogleScheme, "Google Workspace", o =>
            {
                Configure(o, options.Google, "/signin-google");
                o.AuthorizationEndpoint = "https://accounts.google.com/o/oauth2/v2/auth";
                o.TokenEndpoint = "https://oauth2.googleapis.com/token";
                o.UserInformationEndpoint = "https://openidconnect.googleapis.com/v1/userinfo";
                o.ClaimActions.MapJsonKey(EmailVerifiedClaim, "email_verified");
                o.ClaimActions.MapJsonKey(HostedDomainClaim, "hd");
                o.Events.OnRedirectToAuthorizationEndpoint = context =>
                {
                    context.Response.Redirect(context.RedirectUri + "&hd=" + Uri.EscapeDataString(domain));
                    return Task.CompletedTask;
                };
            });
        }
    }

    private static void Configure(OAuthOptions o, SingleSignOnProvider provider, string callbackPath)
    {
        o.SignInScheme = ExternalScheme;
        o.ClientId = provider.ClientId!;
        o.ClientSecret = provider.ClientSecret!;
        o.CallbackPath = callbackPath;
        o.UsePkce = true;
        o.SaveTokens = false;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("email");
        o.Scope.Add("profile");
        o.ClaimActions.MapJsonKey(ClaimTypes.NameIdentifier, "sub");
        o.ClaimActions.MapJsonKey(ClaimTypes.Email, "email");
        o.ClaimActions.MapJsonKey(ClaimTypes.Name, "name");
        o.Events.OnCreatingTicket = async context =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, context.Options.UserInformationEndpoint);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.AccessToken);
            using var response = await context.Backchannel.SendAsync(request, context.HttpContext.RequestAborted);
            response.EnsureSuccessStatusCode();
            using var user = JsonDocument.Parse(await response.Content.ReadAsStringAsync(context.HttpContext.RequestAborted));
            context.RunClaimActions(user.RootElement);
        };
    }

    private sealed class ConstantClaim(string claimType, string value) : Microsoft.AspNetCore.Authentication.OAuth.Claims.ClaimAction(claimType, ClaimValueTypes.String)
    {
        public override void Run(JsonElement userData, ClaimsIdentity identity, string issuer) => identity.AddClaim(new Claim(ClaimType, value, ValueType, issuer));
    }
}
