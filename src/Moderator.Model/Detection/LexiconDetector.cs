using Moderator.Model.Text;

namespace Moderator.Model.Detection;

/// <summary>Turns lexicon matches into category hits and tags ("complaint", "staff_allegation").</summary>
public static class LexiconDetector
{
    public const string Name = "lexicon";
    public const string ComplaintTarget = "complaint";
    public const string StaffAllegationTarget = "staff_allegation";
    public const string InnocentTarget = "innocent";

    [ThreadStatic]
    private static List<LexiconHit>? t_hits;

    /// <summary>
    /// Score for a severity: 3 severe (hides), 2 strong (reviews everywhere, hides where the threshold is low),
    /// 1 mild (a signal for the classifier; below every default review threshold on its own).
    /// </summary>
    public static double SeverityScore(int severity) => severity switch
    {
        >= 3 => 0.95,
        2 => 0.8,
        _ => 0.3,
    };

    public static void Detect(NormalisedText text, Lexicon lexicon, DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lexicon);
        ArgumentNullException.ThrowIfNull(result);
        var hits = t_hits ??= [];
        hits.Clear();
        lexicon.Match(text, hits);
        foreach (var hit in hits)
        {
            if (hit.Entry.Target == InnocentTarget)
            {
                result.InnocentRanges.Add((hit.FoldedStart, hit.FoldedStart + hit.FoldedLength));
            }
        }

        foreach (var hit in hits)
        {
            if (hit.Entry.Target == InnocentTarget || result.IsInnocent(hit.FoldedStart, hit.FoldedStart + hit.FoldedLength))
            {
                continue;
            }

            var entry = hit.Entry;
            var span = text.ToOriginal(hit.FoldedStart, hit.FoldedLength);
            var disguised = hit.Masked ? " (masked)" : string.Empty;
            switch (entry.Target)
            {
                case ComplaintTarget:
                    result.ComplaintSignals++;
                    break;
                case StaffAllegationTarget:
                    result.Tags.Add(ModelAssessment.StaffAllegationTag);
                    result.Add(new DetectorHit(Category.Safeguarding, SeverityScore(entry.Severity), Name, $"alleges that a member of staff harmed a child: \"{entry.Phrase}\"{disguised}", [span]));
                    break;
                default:
                    if (Categories.TryParse(entry.Target, out var category))
                    {
                        result.Add(new DetectorHit(category, SeverityScore(entry.Severity), Name, $"matches \"{entry.Phrase}\" (severity {entry.Severity}){disguised}", [span]));
                    }

                    break;
            }
        }
    }
}
