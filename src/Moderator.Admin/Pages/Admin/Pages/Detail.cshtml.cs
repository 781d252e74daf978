using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Infrastructure;
using Moderator.Admin.Security;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Page = Moderator.Core.Workflow.Page;

namespace Moderator.Admin.Pages.Admin.Pages;

/// <summary>One page: its approval form, moderators, status, thresholds and alerts. Every change is audited by the workflow.</summary>
public sealed class DetailModel(Organisation organisation, StaffDirectory directory, SecretProtector secrets) : PageModel
{
    public Page Item { get; private set; } = null!;

    public School School { get; private set; } = null!;

    public IReadOnlyList<StaffMember> SchoolStaff { get; private set; } = [];

    public IReadOnlyList<Alert> Alerts { get; private set; } = [];

    [BindProperty]
    public List<ThresholdRow> ThresholdRows { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        Item = await organisation.GetPageAsync(id, cancellationToken);
        if (!User.BelongsTo(Item.SchoolId))
        {
            return Forbid();
        }

        School = await organisation.GetSchoolAsync(Item.SchoolId, cancellationToken);
        SchoolStaff = await directory.ListSchoolStaffAsync(Item.SchoolId, cancellationToken);
        Alerts = [.. (await organisation.ListOpenAlertsAsync(Item.SchoolId, cancellationToken)).Where(a => a.PageId == id)];
        ThresholdRows = [.. Thresholds.Read(Item.ThresholdOverridesJson)];
        return Page();
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid id, ApprovalRole role, string approverName, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(id, cancellationToken))
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(approverName))
        {
            throw new WorkflowRuleException("Enter the name of the person who approved.");
        }

        var page = await organisation.RecordApprovalAsync(id, role, approverName, null, User.Actor(), cancellationToken);
        TempData["Notice"] = $"Approval recorded. The page is now {page.Status}.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    public async Task<IActionResult> OnPostAssignAsync(Guid id, Guid staffId, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(id, cancellationToken))
        {
            return Forbid();
        }

        var page = await organisation.AssignModeratorAsync(id, staffId, User.Actor(), cancellationToken);
        TempData["Notice"] = $"Moderator assigned. The page is now {page.Status}.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, Guid staffId, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(id, cancellationToken))
        {
            return Forbid();
        }

        var page = await organisation.RemoveModeratorAsync(id, staffId, User.Actor(), cancellationToken);
        TempData["Notice"] = $"Moderator removed. The page is now {page.Status}.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    public async Task<IActionResult> OnPostThresholdsAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(id, cancellationToken))
        {
            return Forbid();
        }

        var (json, problems) = Thresholds.Write(ThresholdRows);
        if (problems.Count > 0)
        {
            throw new WorkflowRuleException(string.Join(" ", problems.Distinct()));
        }

        await organisation.SetThresholdOverridesAsync(id, json, User.Actor(), cancellationToken);
        TempData["Notice"] = json is null ? "The page uses the default thresholds." : "Thresholds saved. New comments are judged with them.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    public async Task<IActionResult> OnPostPollAsync(Guid id, int minutes, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(id, cancellationToken))
        {
            return Forbid();
        }

        if (minutes is < 1 or > 1440)
        {
            throw new WorkflowRuleException("Check for new comments every 1 to 1440 minutes.");
        }

        await organisation.ChangePollIntervalAsync(id, TimeSpan.FromMinutes(minutes), User.Actor(), cancellationToken);
        TempData["Notice"] = "Polling interval changed.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    /// <summary>
    /// Stores the page's credentials (the page token, or the platform's JSON for refreshable ones) encrypted with the
    /// shared key ring; the plain secret is never stored, logged or shown again. A page waiting for reconnection resumes.
    /// </summary>
    public async Task<IActionResult> OnPostConnectAsync(Guid id, string? secret, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(id, cancellationToken))
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new WorkflowRuleException("Paste the page's access token from the platform.");
        }

        var page = await organisation.ReconnectAsync(id, secrets.Protect(secret.Trim()), User.Actor(), cancellationToken);
        TempData["Notice"] = $"Credentials stored (encrypted). The page is {page.Status}.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(id, cancellationToken))
        {
            return Forbid();
        }

        await organisation.DeactivatePageAsync(id, User.Actor(), cancellationToken);
        TempData["Notice"] = "The page is retired and will not be polled again. Its comments and decisions are kept.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    public async Task<IActionResult> OnPostResolveAsync(Guid id, Guid alertId, CancellationToken cancellationToken)
    {
        var page = await organisation.GetPageAsync(id, cancellationToken);
        var alert = (await organisation.ListOpenAlertsAsync(page.SchoolId, cancellationToken)).FirstOrDefault(a => a.Id == alertId && a.PageId == id);
        if (!User.BelongsTo(page.SchoolId) || alert is null)
        {
            return Forbid();
        }

        await organisation.ResolveAlertAsync(alertId, User.Actor(), cancellationToken);
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid id, Guid alertId, CancellationToken cancellationToken)
    {
        var page = await organisation.GetPageAsync(id, cancellationToken);
        var alert = (await organisation.ListOpenAlertsAsync(page.SchoolId, cancellationToken))
            .FirstOrDefault(a => a.Id == alertId && a.PageId == id && a.Kind == AlertKinds.OutboxDeadLettered);
        if (!User.BelongsTo(page.SchoolId) || alert is null)
        {
            return Forbid();
        }

        await organisation.RetrySetAsideActionAsync(alertId, User.Actor(), cancellationToken);
        TempData["Notice"] = "The action is queued again; the worker carries it out within a minute.";
        return RedirectToPage("/Admin/Pages/Detail", new { id });
    }

    /// <summary>School scope first, so a person from another school is refused before any validation message.</summary>
    private async Task<bool> IsMineAsync(Guid pageId, CancellationToken cancellationToken) =>
        User.BelongsTo((await organisation.GetPageAsync(pageId, cancellationToken)).SchoolId);

    public string NameOf(Guid staffId) => SchoolStaff.FirstOrDefault(s => s.Id == staffId)?.DisplayName ?? "Someone from another school";

    public static string ApprovalLabel(ApprovalRole role) => role switch
    {
        ApprovalRole.LineManager => "Line manager",
        ApprovalRole.CommunicationsManager => "Communications manager",
        ApprovalRole.HeadTeacher => "Head teacher",
        _ => role.ToString(),
    };

    public static string When(DateTimeOffset at) => Durations.At(at);
}
