using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Admin.Schools;

/// <summary>A school's review target, escalation deadlines, school hours and escalation webhook.</summary>
public sealed class IndexModel(Organisation organisation) : PageModel
{
    public IReadOnlyList<School> Schools { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var schools = new List<School>();
        foreach (var id in User.SchoolIds())
        {
            schools.Add(await organisation.GetSchoolAsync(id, cancellationToken));
        }

        Schools = schools;
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid schoolId, int reviewTargetHours, int ackInHoursMinutes, int ackOutsideMinutes, TimeOnly dayStart, TimeOnly dayEnd, string? webhookUrl, CancellationToken cancellationToken)
    {
        if (!User.BelongsTo(schoolId))
        {
            return Forbid();
        }

        if (reviewTargetHours is < 1 or > 24 * 14 || ackInHoursMinutes is < 1 or > 24 * 60 || ackOutsideMinutes is < 1 or > 24 * 60)
        {
            throw new WorkflowRuleException("The review target is 1 hour to 14 days; acknowledgement deadlines are 1 minute to 24 hours.");
        }

        if (!string.IsNullOrWhiteSpace(webhookUrl) && (!Uri.TryCreate(webhookUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new WorkflowRuleException("The escalation webhook must be an https address.");
        }

        var school = await organisation.GetSchoolAsync(schoolId, cancellationToken);
        await organisation.ChangeSchoolSettingsAsync(
            schoolId,
            new SchoolSettings(
                school.TimeZone,
                dayStart,
                dayEnd,
                TimeSpan.FromMinutes(ackInHoursMinutes),
                TimeSpan.FromMinutes(ackOutsideMinutes),
                TimeSpan.FromHours(reviewTargetHours),
                string.IsNullOrWhiteSpace(webhookUrl) ? null : webhookUrl.Trim()),
            User.Actor(),
            cancellationToken);
        TempData["Notice"] = $"Settings for {school.Name} saved.";
        return RedirectToPage("/Admin/Schools/Index");
    }
}
