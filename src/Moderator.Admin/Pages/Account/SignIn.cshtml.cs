using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;

namespace Moderator.Admin.Pages.Account;

public sealed class SignInModel(StaffSignIn signIn) : PageModel
{
    [BindProperty]
    public string Username { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var attempt = await signIn.PasswordSignInAsync(Username, Password, cancellationToken);
        Password = string.Empty;
        switch (attempt.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, attempt.Principal!);
                if (attempt.MustChangePassword)
                {
                    return RedirectToPage("/Account/ChangePassword");
                }

                return LocalRedirect(ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
            case SignInOutcome.LockedOut:
                Message = "This account is locked for a while after repeated failed sign-ins. Try again later, or ask your school's administrator.";
                return Page();
            default:
                Message = "The username or password is not right.";
                return Page();
        }
    }
}
