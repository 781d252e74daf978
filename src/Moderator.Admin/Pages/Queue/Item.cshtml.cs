using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Infrastructure;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Queue;

/// <summary>
/// One case: the comment with what the model matched, its reasons, the thread and the author's history, and the
/// decision buttons. Other moderators' decisions stay hidden until this moderator has signed (an independent look).
/// </summary>
public sealed class ItemModel(Reviews reviews, CaseReader reader, TimeProvider clock) : PageModel
{
    public CaseDetails Details { get; private set; } = null!;

    public IReadOnlyList<StoredReason> Reasons { get; private set; } = [];

    public IReadOnlyDictionary<string, double> Scores { get; private set; } = new Dictionary<string, double>();

    public IReadOnlyList<TextPiece> Pieces { get; private set; } = [];

    public IReadOnlyList<ContextComment> Thread { get; private set; } = [];

    public IReadOnlyList<ContextComment> AuthorHistory { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public IReadOnlyList<Decision> Choices { get; private set; } = [];

    public bool HaveDecided { get; private set; }

    public bool MaySeeOtherDecisions { get; private set; }

    public bool ClaimedByOther { get; private set; }

    public bool ClaimedByMe { get; private set; }

    public DateTimeOffset Now { get; private set; }

    /// <summary>Shown to the school's DSL and deputies only.</summary>
    public Guid? EscalationId { get; private set; }

    /// <summary>Set when the platform refused the hide: the comment is still public and a person must act on the platform.</summary>
    public (DateTimeOffset At, string Action)? CannotAct { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var me = User.StaffId();
        Now = clock.GetUtcNow();
        Details = await reviews.GetDetailsAsync(id, me, cancellationToken);
        var rc = Details.Case;
        Reasons = CommentText.Reasons(Details.ReasonsJson);
        Scores = CommentText.Scores(Details.ScoresJson);
        Pieces = Details.Text is null ? [] : CommentText.Pieces(Details.Text, Reasons.SelectMany(r => r.Spans));
        Thread = await reader.ThreadAsync(rc.CommentId, cancellationToken);
        AuthorHistory = await reader.AuthorHistoryAsync(rc.CommentId, cancellationToken);
        HaveDecided = rc.HasDecided(me);
        MaySeeOtherDecisions = HaveDecided || rc.Status == ReviewStatus.Settled;
        Names = MaySeeOtherDecisions ? await reader.NamesAsync(rc.Decisions.Select(d => d.ModeratorId), cancellationToken) : new Dictionary<Guid, string>();
        EscalationId = User.IsSafeguardingLeadOrDeputy() ? await reader.EscalationIdAsync(rc.CommentId, cancellationToken) : null;
        CannotAct = await reader.CannotActAsync(rc.CommentId, cancellationToken);
        ClaimedByOther = rc.IsClaimedByOther(me, Now);
        ClaimedByMe = rc.ClaimedBy == me && rc.ClaimExpiresAt > Now;
        Choices = HaveDecided ? [] : rc.Status switch
        {
            ReviewStatus.Open => Enum.GetValues<Decision>(),
            ReviewStatus.NeedsThirdReview => [.. rc.Decisions.Select(d => d.Decision).Distinct().Order()],
            _ => [],
        };
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(Guid id, Decision decision, CancellationToken cancellationToken)
    {
        var rc = await reviews.DecideAsync(id, User.StaffId(), decision, cancellationToken);
        TempData["Notice"] = rc.Status switch
        {
            ReviewStatus.Settled => $"Your decision is recorded and the case is settled: {HouseRuleText.Decision(rc.Outcome!.Value, rc.AutoHidden).ToLowerInvariant()}.",
            ReviewStatus.NeedsThirdReview => "Your decision is recorded. It differs from the first one, so a third moderator or the school's lead will decide.",
            _ => "Your decision is recorded. A second moderator must now look at it independently.",
        };
        return RedirectToPage("/Queue/Item", new { id });
    }

    public async Task<IActionResult> OnPostClaimAsync(Guid id, CancellationToken cancellationToken)
    {
        await reviews.ClaimAsync(id, User.StaffId(), cancellationToken);
        return RedirectToPage("/Queue/Item", new { id });
    }

    public async Task<IActionResult> OnPostReleaseAsync(Guid id, CancellationToken cancellationToken)
    {
        await reviews.ReleaseClaimAsync(id, User.StaffId(), cancellationToken);
        return RedirectToPage("/Queue/Index");
    }

    public async Task<IActionResult> OnPostManualAsync(Guid id, PlatformActionKind action, CancellationToken cancellationToken)
    {
        await reviews.RecordManualActionAsync(id, User.StaffId(), action, cancellationToken);
        TempData["Notice"] = "Recorded that you acted on the platform yourself. Two other moderators will now settle the case.";
        return RedirectToPage("/Queue/Item", new { id });
    }
}
