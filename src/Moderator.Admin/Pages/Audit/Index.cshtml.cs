using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Audit;

/// <summary>The audit log within the person's schools, searchable, with the whole chain's verification status.</summary>
public sealed class IndexModel(AuditSearch search, AuditLog auditLog) : PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Entity { get; set; }

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public IReadOnlyList<AuditRow> Rows { get; private set; } = [];

    public AuditBreak? Break { get; private set; }

    public AuditChainPosition Position { get; private set; } = null!;

    public TimeSpan VerificationTook { get; private set; }

    public static IReadOnlyList<string> EntityTypes { get; } = ["review_case", "escalation", "page", "staff", "comment", "school", "alert", "trust"];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Break = await auditLog.VerifyAsync(cancellationToken);
        VerificationTook = Stopwatch.GetElapsedTime(started);
        Position = await auditLog.PositionAsync(cancellationToken);
        Rows = await search.SearchAsync(
            new AuditSearchQuery(
                User.SchoolIds(),
                Guid.Parse(User.FindFirstValue(AdminClaims.Trust)!),
                Q,
                EntityTypes.Contains(Entity) ? Entity : null,
                From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
                To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null),
            cancellationToken);
    }
}
