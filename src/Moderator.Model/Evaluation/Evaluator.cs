using Moderator.Model.Policy;
using Moderator.Model.Training;

namespace Moderator.Model.Evaluation;

/// <summary>The result of scoring a labelled file.</summary>
public sealed record EvaluationReport(
    int Comments,
    IReadOnlyDictionary<Category, BinaryMetrics> PerCategory,
    BinaryMetrics FlaggedVsClean,
    IReadOnlyList<ActionRates> Actions,
    int FailedClosed);

/// <summary>
/// Scores labelled comments and measures per-category quality, flagged-vs-clean quality and action rates. A policy, when
/// given, is applied as a page's threshold override would be, so its effect on verdicts is measured too.
/// </summary>
public static class Evaluator
{
    public static EvaluationReport Evaluate(ICommentScorer scorer, IReadOnlyList<LabelledComment> data, ModerationPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(data);
        var context = policy is null ? null : new ScoringContext(Thresholds: Categories.All.ToDictionary(c => c, policy.ThresholdsFor));
        policy ??= ModerationPolicy.Default;
        var assessments = data.Select(d => scorer.Score(d.Text, context)).ToList();
        var perCategory = new Dictionary<Category, BinaryMetrics>();
        foreach (var category in Categories.All)
        {
            var scores = assessments.Select(a => a.Scores[category]).ToList();
            var truth = data.Select(d => d.Has(category)).ToList();
            perCategory[category] = BinaryMetrics.Compute(scores, truth, policy.ThresholdsFor(category).Review);
        }

        // Flagged: any category at or above its review threshold; the score is the largest margin over a threshold.
        var flaggedScores = assessments.Select(a => FlagScore(a, policy)).ToList();
        var flaggedTruth = data.Select(d => d.IsFlagged).ToList();
        var flagged = BinaryMetrics.Compute(flaggedScores, flaggedTruth, 0.5);

        var actions = new List<ActionRates>();
        foreach (var category in Categories.All)
        {
            actions.Add(Rates(category.CodeName(), data, assessments, d => d.Has(category)));
        }

        actions.Add(Rates("clean", data, assessments, d => d.Labels == 0));
        actions.Add(Rates(ModelAssessment.ComplaintTag, data, assessments, d => d.IsComplaint && !d.IsFlagged));
        return new EvaluationReport(data.Count, perCategory, flagged, actions.Where(a => a.Count > 0).ToList(), assessments.Count(a => a.FailedClosed));
    }

    /// <summary>Maps "any category at or above review" onto one score in [0,1] where 0.5 is the boundary.</summary>
    public static double FlagScore(ModelAssessment assessment, ModerationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(policy);
        var best = 0.0;
        foreach (var category in Categories.All)
        {
            var score = assessment.Scores[category];
            var review = policy.ThresholdsFor(category).Review;
            var mapped = score >= review ? 0.5 + 0.5 * (score - review) / Math.Max(1e-9, 1 - review) : 0.5 * score / Math.Max(1e-9, review);
            best = Math.Max(best, mapped);
        }

        return best;
    }

    private static ActionRates Rates(string group, IReadOnlyList<LabelledComment> data, List<ModelAssessment> assessments, Func<LabelledComment, bool> member)
    {
        int count = 0, review = 0, hidden = 0, escalated = 0, reviewOnly = 0;
        for (var i = 0; i < data.Count; i++)
        {
            if (!member(data[i]))
            {
                continue;
            }

            count++;
            var verdict = assessments[i].Verdict;
            if (verdict >= Verdict.Review)
            {
                review++;
            }

            if (verdict >= Verdict.Hide)
            {
                hidden++;
            }

            if (verdict == Verdict.HideAndEscalate)
            {
                escalated++;
            }

            if (verdict == Verdict.Review)
            {
                reviewOnly++;
            }
        }

        double Rate(int n) => count == 0 ? 0 : (double)n / count;
        return new ActionRates(group, count, Rate(review), Rate(hidden), Rate(escalated), Rate(reviewOnly));
    }
}
