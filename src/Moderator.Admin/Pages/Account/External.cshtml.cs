using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;

namespace Moderator.Admin.Pages.Account;

/// <summary>Starts single sign-on with a configured provider, and maps its answer onto an existing staff account.</summary>
public sealed class ExternalModel(StaffSignIn signIn, SingleSignOnOptions options) : PageModel
{
    private const string ProviderItem = "moderator:provider";

    public string Message { get; private set; } = "Single sign-on did not work. Sign in with your username and password, or ask your school's administrator.";

    /// <summary>POST (with antiforgery) so a third-party page cannot start a sign-in in the person's name.</summary>
    public IActionResult OnPostChallenge(string provider)
    {
        var enabled = provider switch
        {
            SingleSignOn.MicrosoftScheme => options.Microsoft.Enabled,
            SingleSignOn.GoogleScheme => options.Google.Enabled,
            _ => false,
        };
        return enabled
            ? Challenge(new AuthenticationProperties(new Dictionary<string, string?> { [ProviderItem] = provider }) { RedirectUri = Url.Page("/Account/External") }, provider)
            : NotFound();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!options.AnyEnabled)
        {
            return NotFound();
        }

        var external = await HttpContext.AuthenticateAsync(SingleSignOn.ExternalScheme);
        await HttpContext.SignOutAsync(SingleSignOn.ExternalScheme);
        if (!external.Succeeded || external.Principal is not { } principal || external.Properties?.Items.TryGetValue(ProviderItem, out var provider) != true || provider is null)
        {
            return Page();
        }

        if (provider == SingleSignOn.GoogleScheme && !string.Equals(principal.FindFirstValue(SingleSignOn.HostedDomainClaim), options.Google.HostedDomain, StringComparison.OrdinalIgnoreCase))
        {
            Message = "That Google account is not from the school's domain.";
            return Page();
        }

        var attempt = await signIn.ExternalSignInAsync(
            provider,
            principal.FindFirstValue(ClaimTypes.NameIdentifier),
            principal.FindFirstValue(ClaimTypes.Email),
            string.Equals(principal.FindFirstValue(SingleSignOn.EmailVerifiedClaim), "true", StringComparison.OrdinalIgnoreCase),
            cancellationToken);
        switch (attempt.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, attempt.Principal!);
                return LocalRedirect("/");
            case SignInOutcome.LockedOut:
                Message = "This account is locked for a while. Try again later, or ask your school's administrator.";
                return Page();
            default:
                Message = "There is no staff account for that address here. Accounts are made by your school's administrator; nobody can register themselves.";
                return Page();
        }
    }
}
