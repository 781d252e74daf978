using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;

namespace Moderator.Admin.Pages.Dashboard;

/// <summary>How the school's pages are doing, as server-drawn charts over the last days (14 by default).</summary>
public sealed class IndexModel(DashboardQuery query, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Days { get; set; } = 14;

    public DashboardData Data { get; private set; } = null!;

    public IReadOnlyList<string> Columns { get; private set; } = [];

    public IReadOnlyList<(string Series, IReadOnlyList<int> Values)> Series { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Days = Math.Clamp(Days, 1, 90);
        Data = await query.ReadAsync(User.SchoolIds(), Days, cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var days = Enumerable.Range(0, Days).Select(i => today.AddDays(i - Days + 1)).ToList();
        Columns = [.. days.Select(d => d.ToString("d MMM", CultureInfo.InvariantCulture))];
        Series = [.. Data.CommentsPerDay.Select(r => r.Category).Distinct().Order(StringComparer.Ordinal)
            .Select(category => (category == "allowed" ? "Allowed" : Infrastructure.HouseRuleText.Label(category),
                (IReadOnlyList<int>)[.. days.Select(d => Data.CommentsPerDay.Where(r => r.Day == d && r.Category == category).Sum(r => r.Count))]))];
    }
}
