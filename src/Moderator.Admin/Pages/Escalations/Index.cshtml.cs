using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Escalations;

/// <summary>The DSL's desk: new (unacknowledged) escalations first, then those in hand, then (on request) closed ones.</summary>
public sealed class IndexModel(Core.Workflow.Escalations escalations, EscalationReader reader, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public bool Closed { get; set; }

    public IReadOnlyList<Escalation> New { get; private set; } = [];

    public IReadOnlyList<Escalation> InHand { get; private set; } = [];

    public IReadOnlyList<Escalation> Done { get; private set; } = [];

    public IReadOnlyDictionary<Guid, EscalationSummary> Summaries { get; private set; } = new Dictionary<Guid, EscalationSummary>();

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        var all = await escalations.ListForLeadAsync(User.StaffId(), Closed, cancellationToken);
        New = [.. all.Where(e => e.Status == EscalationStatus.Open).OrderBy(e => e.AckDueAt)];
        InHand = [.. all.Where(e => e.Status == EscalationStatus.Acknowledged).OrderBy(e => e.OpenedAt)];
        Done = [.. all.Where(e => e.Status == EscalationStatus.Closed).OrderByDescending(e => e.ClosedAt)];
        Summaries = await reader.SummariesAsync(all.Select(e => e.Id), cancellationToken);
        return Page();
    }
}
