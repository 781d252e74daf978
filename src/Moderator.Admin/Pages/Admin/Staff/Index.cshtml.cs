using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Admin.Staff;

/// <summary>
/// Named staff accounts of the administrator's schools: create (with a one-time initial password that must be
/// changed at first sign-in), deactivate and reactivate, and reset a forgotten password.
/// </summary>
public sealed class IndexModel(StaffDirectory directory, Organisation organisation, StaffPasswords passwords) : PageModel
{
    public IReadOnlyList<StaffMember> People { get; private set; } = [];

    public IReadOnlyList<School> Schools { get; private set; } = [];

    /// <summary>Shown once, in the response to the action that made it; never stored in plain text.</summary>
    public string? OneTimePassword { get; private set; }

    public string? OneTimePasswordFor { get; private set; }

    [BindProperty]
    public string DisplayName { get; set; } = string.Empty;

    [BindProperty]
    public string Username { get; set; } = string.Empty;

    [BindProperty]
    public string Email { get; set; } = string.Empty;

    [BindProperty]
    public List<StaffRole> Roles { get; set; } = [];

    [BindProperty]
    public List<Guid> SchoolIds { get; set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (SchoolIds.Any(s => !User.BelongsTo(s)))
        {
            return Forbid();
        }

        if (SchoolIds.Count == 0)
        {
            throw new WorkflowRuleException("Choose at least one of your schools.");
        }

        if (string.IsNullOrWhiteSpace(DisplayName) || string.IsNullOrWhiteSpace(Username) || string.IsNullOrWhiteSpace(Email) || !Email.Contains('@', StringComparison.Ordinal))
        {
            throw new WorkflowRuleException("Enter a name, a username and an e-mail address.");
        }

        var password = NewPassword();
        var trustId = Guid.Parse(User.FindFirstValue(AdminClaims.Trust)!);
        await directory.CreateAsync(new NewStaffMember(trustId, DisplayName, Username, Email, Roles, SchoolIds, passwords.Hash(password), MustChangePassword: true), User.Actor(), cancellationToken);
        OneTimePassword = password;
        OneTimePasswordFor = Username.Trim();
        DisplayName = Username = Email = string.Empty;
        Roles = [];
        SchoolIds = [];
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid staffId, CancellationToken cancellationToken)
    {
        if (staffId == User.StaffId())
        {
            throw new WorkflowRuleException("You cannot deactivate your own account.");
        }

        await directory.DeactivateAsync(staffId, User.Actor(), cancellationToken);
        TempData["Notice"] = "The account is deactivated and signed out. Pages it moderated were re-checked.";
        return RedirectToPage("/Admin/Staff/Index");
    }

    public async Task<IActionResult> OnPostReactivateAsync(Guid staffId, CancellationToken cancellationToken)
    {
        await directory.ReactivateAsync(staffId, User.Actor(), cancellationToken);
        TempData["Notice"] = "The account is active again.";
        return RedirectToPage("/Admin/Staff/Index");
    }

    public async Task<IActionResult> OnPostResetPasswordAsync(Guid staffId, CancellationToken cancellationToken)
    {
        var person = await directory.GetAsync(staffId, cancellationToken);
        var password = NewPassword();
        await directory.SetPasswordHashAsync(staffId, passwords.Hash(password), mustChangePassword: true, User.Actor(), cancellationToken);
        OneTimePassword = password;
        OneTimePasswordFor = person.Username;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private static string NewPassword()
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, 16);
        return string.Join('-', chars.Chunk(4).Select(c => new string(c)));
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var people = new Dictionary<Guid, StaffMember>();
        var schools = new List<School>();
        foreach (var schoolId in User.SchoolIds())
        {
            schools.Add(await organisation.GetSchoolAsync(schoolId, cancellationToken));
            foreach (var person in await directory.ListSchoolStaffAsync(schoolId, cancellationToken))
            {
                people[person.Id] = person;
            }
        }

        People = [.. people.Values.OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase)];
        Schools = schools;
    }
}
