using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core.Platforms;
using Moderator.Core.Workflow;
using Page = Moderator.Core.Workflow.Page;

namespace Moderator.Admin.Pages.Admin.Pages;

/// <summary>
/// The pages of the administrator's schools with their status, what each still needs, and for monitored pages how often
/// they are checked and the worst-case detection delay (planned over every active page, as budgets are shared).
/// </summary>
public sealed class IndexModel(Organisation organisation, PollingDelays delays) : PageModel
{
    public IReadOnlyList<(School School, IReadOnlyList<Page> Pages)> Schools { get; private set; } = [];

    /// <summary>The polling of each active page, by page id.</summary>
    public IReadOnlyDictionary<Guid, PollingSummary> Polling { get; private set; } = new Dictionary<Guid, PollingSummary>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var plans = await delays.ListActivePagesAsync(cancellationToken);
        var perPlatform = plans.GroupBy(p => p.Platform).ToDictionary(g => g.Key, g => g.Count());
        Polling = plans.ToDictionary(p => p.PageId, p => new PollingSummary(p, perPlatform[p.Platform]));

        var list = new List<(School, IReadOnlyList<Page>)>();
        foreach (var schoolId in User.SchoolIds())
        {
            list.Add((await organisation.GetSchoolAsync(schoolId, cancellationToken), await organisation.ListSchoolPagesAsync(schoolId, cancellationToken)));
        }

        Schools = list;
    }

    public static string Needs(Page page) => page.Status switch
    {
        PageStatus.Active => "Monitored",
        PageStatus.Pending when !page.IsFullyApproved => $"Needs {3 - page.Approvals.Count} more approval(s)",
        PageStatus.Pending or PageStatus.NeedsModerators => $"Needs {Math.Max(0, Moderator.Core.Workflow.Page.MinimumModerators - page.ActiveModeratorCount)} more active moderator(s)",
        PageStatus.NeedsReconnect => "The platform refused its credentials: reconnect it",
        PageStatus.Deactivated => "Retired",
        _ => page.Status.ToString(),
    };
}
