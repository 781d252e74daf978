using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Moderator.Admin.Security;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Pages.Admin.Roster;

/// <summary>One school's roster as the page shows it: never names, only the count and the last upload.</summary>
public sealed record SchoolRoster(Guid SchoolId, string SchoolName, int Count, DateTimeOffset? UploadedAt, string? UploadedBy);

/// <summary>
/// Upload each school's pupil roster (a text or CSV file, or names pasted, one full name a line). The names are hashed
/// with the school's key by <see cref="PupilRosters"/> and never stored or shown back.
/// </summary>
[RequestSizeLimit(MaxUploadBytes + (64 * 1024))]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes + (64 * 1024), ValueLengthLimit = MaxUploadBytes)]
public sealed class IndexModel(Organisation organisation, PupilRosters rosters, StaffDirectory staff) : PageModel
{
    /// <summary>The largest roster file or pasted list accepted (1 MB).</summary>
    public const int MaxUploadBytes = 1024 * 1024;

    public IReadOnlyList<SchoolRoster> Schools { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var schools = new List<SchoolRoster>();
        foreach (var id in User.SchoolIds())
        {
            var school = await organisation.GetSchoolAsync(id, cancellationToken);
            var summary = await rosters.SummaryAsync(id, cancellationToken);
            string? by = null;
            if (summary?.UploadedBy is { } staffId)
            {
                by = (await staff.GetAsync(staffId, cancellationToken)).DisplayName;
            }
            else if (summary is not null)
            {
                by = "the system";
            }

            schools.Add(new SchoolRoster(id, school.Name, summary?.Count ?? 0, summary?.UploadedAt, by));
        }

        Schools = schools;
    }

    public async Task<IActionResult> OnPostUploadAsync(Guid schoolId, IFormFile? file, string? names, CancellationToken cancellationToken)
    {
        if (!User.BelongsTo(schoolId))
        {
            return Forbid();
        }

        var text = await ReadAsync(file, names, cancellationToken);
        var lines = text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(FirstField);
        var count = await rosters.ReplaceAsync(schoolId, lines, User.Actor(), cancellationToken);
        TempData["Notice"] = $"Roster replaced: {count} names stored as keyed hashes.";
        return RedirectToPage("/Admin/Roster/Index");
    }

    /// <summary>The file when one was chosen, otherwise the pasted text; either at most 1 MB.</summary>
    private static async Task<string> ReadAsync(IFormFile? file, string? names, CancellationToken cancellationToken)
    {
        if (file is { Length: > 0 })
        {
            if (file.Length > MaxUploadBytes)
            {
                throw new WorkflowRuleException("The roster file is larger than 1 MB.");
            }

            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return await reader.ReadToEndAsync(cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(names))
        {
            throw new WorkflowRuleException("Choose a file or paste the names, one full name a line.");
        }

        return Encoding.UTF8.GetByteCount(names) > MaxUploadBytes ? throw new WorkflowRuleException("The pasted roster is larger than 1 MB.") : names;
    }

    /// <summary>A CSV line's first field (a quoted field may hold a comma); a plain line is the name itself.</summary>
    private static string FirstField(string line)
    {
        if (line.StartsWith('"'))
        {
            var end = line.IndexOf('"', 1);
            return end < 0 ? line.Trim('"') : line[1..end];
        }

        var comma = line.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? line : line[..comma];
    }
}
