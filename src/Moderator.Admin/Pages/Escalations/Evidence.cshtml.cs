using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;

namespace Moderator.Admin.Pages.Escalations;

/// <summary>Downloads the evidence pack of one escalation (the workflow checks the person leads its school).</summary>
public sealed class EvidenceModel(EvidencePackBuilder builder) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var (zip, fileName) = await builder.BuildAsync(id, User.StaffId(), cancellationToken);
        return File(zip, "application/zip", fileName);
    }
}
