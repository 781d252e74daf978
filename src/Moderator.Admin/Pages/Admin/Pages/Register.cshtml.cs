using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Admin.Pages;

/// <summary>Registers a page; it stays Pending (not polled) until approved and given two moderators.</summary>
public sealed class RegisterModel(Organisation organisation) : PageModel
{
    [BindProperty]
    public Guid SchoolId { get; set; }

    [BindProperty]
    public Platform Platform { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter the page's id on the platform.")]
    [StringLength(200)]
    public string ExternalId { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Enter the page's name.")]
    [StringLength(200)]
    public string Name { get; set; } = string.Empty;

    [BindProperty]
    [Range(1, 1440, ErrorMessage = "Check for new comments every 1 to 1440 minutes.")]
    public int PollMinutes { get; set; } = 2;

    public IReadOnlyList<School> Schools { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!User.BelongsTo(SchoolId))
        {
            return Forbid();
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var id = await organisation.RegisterPageAsync(SchoolId, Platform, ExternalId.Trim(), Name.Trim(), TimeSpan.FromMinutes(PollMinutes), null, User.Actor(), cancellationToken);
        TempData["Notice"] = "The page is registered. Record its three approvals and assign at least two moderators to start monitoring it.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var schools = new List<School>();
        foreach (var id in User.SchoolIds())
        {
            schools.Add(await organisation.GetSchoolAsync(id, cancellationToken));
        }

        Schools = schools;
    }
}
