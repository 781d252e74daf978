using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;

namespace Moderator.Admin.Pages.Queue;

/// <summary>
/// The moderator's queue: oldest first, filtered by school, page, category, verdict, platform, age, and the cases the
/// platform would not hide (still visible there until someone acts on the platform itself).
/// </summary>
public sealed class IndexModel(QueueReader reader, Reviews reviews, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? School { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public Guid? PageId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public Verdict? Verdict { get; set; }

    [BindProperty(SupportsGet = true)]
    public Platform? Platform { get; set; }

    [BindProperty(SupportsGet = true)]
    public QueueAge Age { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool CannotHide { get; set; }

    public QueueResult Result { get; private set; } = null!;

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (School is { } school && !User.BelongsTo(school))
        {
            return Forbid();
        }

        Now = clock.GetUtcNow();
        Result = await reader.ReadAsync(new QueueQuery(User.StaffId(), School, PageId, Category, Verdict, Platform, Age, CannotHide), cancellationToken);
        return Page();
    }

    /// <summary>Claims the case (a soft lock so nobody else reads it at the same time) and opens it.</summary>
    public async Task<IActionResult> OnPostClaimAsync(Guid caseId, CancellationToken cancellationToken)
    {
        await reviews.ClaimAsync(caseId, User.StaffId(), cancellationToken);
        return RedirectToPage("/Queue/Item", new { id = caseId });
    }
}
