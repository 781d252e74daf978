using System.Globalization;
using System.Text.Json;
using Moderator.Model;

namespace Moderator.Admin.Pages.Admin.Pages;

/// <summary>One category's override as an administrator types it; blank keeps the model's default.</summary>
public sealed class ThresholdRow
{
    public string Category { get; set; } = string.Empty;

    public double? Review { get; set; }

    public double? Hide { get; set; }

    public double? Escalate { get; set; }
}

/// <summary>
/// Per-page threshold overrides, stored on the page as JSON keyed by category code name:
/// {"spam": {"review": 0.5, "hide": 0.8, "escalate": null}}. Missing values fall back to the model's defaults.
/// </summary>
public static class Thresholds
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<ThresholdRow> Read(string? json)
    {
        Dictionary<string, ThresholdRow>? stored = null;
        if (!string.IsNullOrWhiteSpace(json))
        {
            try
            {
                stored = JsonSerializer.Deserialize<Dictionary<string, ThresholdRow>>(json, Json);
            }
            catch (JsonException)
            {
                stored = null;
            }
        }

        return [.. Categories.All.Select(c => c.CodeName()).Select(code => stored is not null && stored.TryGetValue(code, out var row)
            ? new ThresholdRow { Category = code, Review = row.Review, Hide = row.Hide, Escalate = row.Escalate }
            : new ThresholdRow { Category = code })];
    }

    /// <summary>The JSON to store (null when nothing is overridden), or the problems with what was typed.</summary>
    public static (string? Json, IReadOnlyList<string> Problems) Write(IEnumerable<ThresholdRow> rows)
    {
        var problems = new List<string>();
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!Categories.TryParse(row.Category, out _))
            {
                problems.Add("Unknown category.");
                continue;
            }

            foreach (var value in new[] { row.Review, row.Hide, row.Escalate })
            {
                if (value is { } v && (v < 0 || v > 1 || double.IsNaN(v)))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{row.Category}: thresholds are between 0 and 1."));
                }
            }

            if (row.Review is { } r && row.Hide is { } h && r > h)
            {
                problems.Add($"{row.Category}: the review threshold cannot be above the hide threshold.");
            }

            if (row.Review is not null || row.Hide is not null || row.Escalate is not null)
            {
                result[row.Category] = new { review = row.Review, hide = row.Hide, escalate = row.Escalate };
            }
        }

        return (result.Count == 0 ? null : JsonSerializer.Serialize(result, Json), problems);
    }
}
