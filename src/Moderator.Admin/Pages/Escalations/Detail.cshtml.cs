using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Infrastructure;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Escalations;

/// <summary>One escalation: the comment, its chronology, and the DSL's actions (acknowledge, record an outcome, close).</summary>
public sealed class DetailModel(Core.Workflow.Escalations escalations, EscalationReader reader, Queue.CaseReader names, TimeProvider clock) : PageModel
{
    public Escalation Escalation { get; private set; } = null!;

    public EscalationContext Context { get; private set; } = null!;

    public IReadOnlyList<TextPiece> Pieces { get; private set; } = [];

    public IReadOnlyList<StoredReason> Reasons { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public bool MayClose { get; private set; }

    public DateTimeOffset Now { get; private set; }

    [BindProperty]
    public OutcomeKind Kind { get; set; }

    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        Escalation = await escalations.GetAsync(id, User.StaffId(), cancellationToken);
        Context = await reader.ContextAsync(id, cancellationToken);
        Reasons = CommentText.Reasons(Context.ReasonsJson);
        Pieces = Context.Text is null ? [] : CommentText.Pieces(Context.Text, Reasons.SelectMany(r => r.Spans));
        var people = new[] { Escalation.AcknowledgedBy, Escalation.ClosedBy }.OfType<Guid>().Concat(Escalation.Chronology.Select(o => o.RecordedBy));
        Names = await names.NamesAsync(people, cancellationToken);
        MayClose = User.Has(StaffRole.SafeguardingLead) && Escalation.Status != EscalationStatus.Closed;
        return Page();
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken cancellationToken)
    {
        await escalations.AcknowledgeAsync(id, User.StaffId(), cancellationToken);
        TempData["Notice"] = "Acknowledged. The chase-up reminders have stopped.";
        return RedirectToPage("/Escalations/Detail", new { id });
    }

    public async Task<IActionResult> OnPostOutcomeAsync(Guid id, CancellationToken cancellationToken)
    {
        await escalations.RecordOutcomeAsync(id, User.StaffId(), Kind, Blank(Reference), Blank(Notes), cancellationToken);
        TempData["Notice"] = $"Recorded: {Outcome(Kind)}.";
        return RedirectToPage("/Escalations/Detail", new { id });
    }

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken cancellationToken)
    {
        await escalations.CloseAsync(id, User.StaffId(), cancellationToken);
        TempData["Notice"] = "The escalation is closed. Its evidence is kept for the retention period.";
        return RedirectToPage("/Escalations/Detail", new { id });
    }

    public static string Outcome(OutcomeKind kind) => kind switch
    {
        OutcomeKind.CeopReport => "Report to CEOP",
        OutcomeKind.Police => "Referred to the police",
        OutcomeKind.Lado => "Referred to the LADO",
        OutcomeKind.ChildrensSocialCare => "Referred to children's social care",
        OutcomeKind.InternetWatchFoundation => "Reported to the Internet Watch Foundation",
        OutcomeKind.NoFurtherAction => "No further action",
        _ => kind.ToString(),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
