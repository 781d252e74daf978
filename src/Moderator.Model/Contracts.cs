namespace Moderator.Model;

// The model's public contract: what the workflow stores and Admin shows. Implementation lives beside it.

/// <summary>The house-rule categories (../shared/design/house-rules.md). Code names via <see cref="Categories.CodeName"/>.</summary>
public enum Category
{
    Safeguarding,
    Hate,
    PupilIdentification,
    Abuse,
    Offensive,
    Spam,
}

/// <summary>What the policy decides for one comment revision.</summary>
public enum Verdict
{
    Allow = 0,
    Review = 1,
    Hide = 2,
    HideAndEscalate = 3,
}

/// <summary>A stretch of the ORIGINAL comment text (UTF-16 offsets), so Admin can highlight it.</summary>
public readonly record struct TextSpan(int Start, int Length);

/// <summary>Why a category scored as it did: which detector, which house rule, which words.</summary>
public sealed record Reason(
    Category Category,
    double Score,
    string Detector,
    string HouseRule,
    string Explanation,
    IReadOnlyList<TextSpan> Spans);

/// <summary>The model's output for one revision: scores per category, reasons, verdict and model version.</summary>
public sealed record ModelAssessment(
    Verdict Verdict,
    IReadOnlyDictionary<Category, double> Scores,
    IReadOnlyList<Reason> Reasons,
    IReadOnlyList<string> Tags,
    string ModelVersion,
    bool FailedClosed)
{
    /// <summary>Tag set on legitimate criticism: never hidden, answered through the complaints procedure.</summary>
    public const string ComplaintTag = "complaint";

    /// <summary>Tag set when the text alleges that a member of staff harmed a child (goes to the DSL for LADO).</summary>
    public const string StaffAllegationTag = "staff_allegation";
}

/// <summary>Per-category thresholds; a page may override the defaults of house-rules.md.</summary>
public sealed record CategoryThresholds(double Review, double Hide, double Escalate);

public static class Categories
{
    public static IReadOnlyList<Category> All { get; } = Enum.GetValues<Category>();

    public static string CodeName(this Category category) => category switch
    {
        Category.Safeguarding => "safeguarding",
        Category.Hate => "hate",
        Category.PupilIdentification => "pupil_identification",
        Category.Abuse => "abuse",
        Category.Offensive => "offensive",
        Category.Spam => "spam",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    public static bool TryParse(string codeName, out Category category)
    {
        foreach (var c in All)
        {
            if (string.Equals(c.CodeName(), codeName, StringComparison.OrdinalIgnoreCase))
            {
                category = c;
                return true;
            }
        }

        category = default;
        return false;
    }
}

/// <summary>
/// Scores one comment against the house rules. Implementations never throw: a failure yields a
/// <see cref="Verdict.Review"/> assessment with <see cref="ModelAssessment.FailedClosed"/> set.
/// </summary>
public interface ICommentScorer
{
    string ModelVersion { get; }

    /// <param name="text">The comment text as the platform returned it.</param>
    /// <param name="context">Optional per-page context: thresholds, the school's hashed roster, the school's own domains.</param>
    ModelAssessment Score(string text, ScoringContext? context = null);
}

/// <summary>Per-page settings that change how a comment is judged.</summary>
public sealed record ScoringContext(
    IReadOnlyDictionary<Category, CategoryThresholds>? Thresholds = null,
    IPupilRoster? Roster = null,
    IReadOnlyList<string>? SchoolDomains = null,
    string? SchoolName = null);

/// <summary>A school's pupil roster held only as keyed hashes of normalised full names.</summary>
public interface IPupilRoster
{
    /// <summary>True when the normalised full name is on the roster (the implementation hashes it with the school's key).</summary>
    bool Contains(string normalisedFullName);
}
