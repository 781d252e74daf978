using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Account;

/// <summary>Changing one's own password; forced after signing in with an initial password an administrator set.</summary>
public sealed class ChangePasswordModel(StaffDirectory directory, StaffPasswords passwords, StaffSignIn signIn) : PageModel
{
    [BindProperty]
    public string CurrentPassword { get; set; } = string.Empty;

    [BindProperty]
    public string NewPassword { get; set; } = string.Empty;

    [BindProperty]
    public string ConfirmPassword { get; set; } = string.Empty;

    public bool Forced => User.HasClaim(AdminClaims.MustChangePassword, "true");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var staff = await directory.GetAsync(User.StaffId(), cancellationToken);
        if (passwords.Verify(staff, CurrentPassword) == PasswordVerificationResult.Failed)
        {
            ModelState.AddModelError(nameof(CurrentPassword), "The current password is not right.");
        }
        else if (StaffPasswords.Problem(NewPassword, staff.Username) is { } problem)
        {
            ModelState.AddModelError(nameof(NewPassword), problem);
        }
        else if (NewPassword != ConfirmPassword)
        {
            ModelState.AddModelError(nameof(ConfirmPassword), "The two new passwords differ.");
        }
        else if (NewPassword == CurrentPassword)
        {
            ModelState.AddModelError(nameof(NewPassword), "Choose a password different from the current one.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        await directory.SetPasswordHashAsync(staff.Id, passwords.Hash(NewPassword), mustChangePassword: false, User.Actor(), cancellationToken);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, await signIn.PrincipalForAsync(staff.Id, cancellationToken));
        TempData["Notice"] = "Your password has been changed.";
        return Redirect("/");
    }
}
