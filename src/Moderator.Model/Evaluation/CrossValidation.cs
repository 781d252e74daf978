using Moderator.Model.Classifier;
using Moderator.Model.Detection;
using Moderator.Model.Policy;
using Moderator.Model.Text;
using Moderator.Model.Training;

namespace Moderator.Model.Evaluation;

/// <summary>One fold's result: the full model against the plain TF-IDF + logistic regression baseline.</summary>
public sealed record FoldResult(int Fold, int TestCount, double ModelMacroF1, double BaselineMacroF1, double ModelRocAuc, double BaselineRocAuc, double ModelFalsePositiveRate, double BaselineFalsePositiveRate);

/// <summary>
/// K-fold cross-validation of "flagged vs not" on one labelled set (e.g. OLID offensive vs not). Each fold trains the
/// full model (words + characters + detectors, calibrated) on the other folds plus optional extra data, and the
/// baseline (hashed word 1-2 gram TF-IDF, logistic regression, no detectors, probability ≥ 0.5) on the other folds only.
/// </summary>
public static class CrossValidation
{
    public static IReadOnlyList<FoldResult> Run(
        IReadOnlyList<LabelledComment> target,
        IReadOnlyList<LabelledComment> extra,
        LexiconSet lexicons,
        int folds,
        FeatureSettings features,
        TrainingSettings settings,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(extra);
        ArgumentNullException.ThrowIfNull(settings);
        var random = new Random(settings.Seed);
        var order = Enumerable.Range(0, target.Count).OrderBy(_ => random.Next()).ToArray();
        var foldOf = new int[target.Count];
        for (var i = 0; i < order.Length; i++)
        {
            foldOf[order[i]] = i % folds;
        }

        var results = new List<FoldResult>();
        for (var k = 0; k < folds; k++)
        {
            var train = target.Where((_, i) => foldOf[i] != k).ToList();
            var test = target.Where((_, i) => foldOf[i] == k).ToList();
            var truth = test.Select(t => t.IsFlagged).ToList();

            var (header, _, classifier) = ModelTrainer.Train([.. train, .. extra], lexicons, new TrainingOptions("cv", features, settings), log);
            var model = new ModerationModel(lexicons, classifier, header);
            var modelScores = test.Select(t => Evaluator.FlagScore(model.Score(t.Text), ModerationPolicy.Default)).ToList();
            var modelMetrics = BinaryMetrics.Compute(modelScores, truth, 0.5);

            var baselineSettings = settings with { CalibrationFolds = 2 };
            var (_, _, baseline) = ModelTrainer.Train(train, LexiconSet.Empty, new TrainingOptions("baseline", FeatureSettings.WordsOnly, baselineSettings, UseDetectors: false), log);
            var baselineScores = test.Select(t => BaselineProbability(baseline, t.Text)).ToList();
            var baselineMetrics = BinaryMetrics.Compute(baselineScores, truth, 0.5);

            var result = new FoldResult(k + 1, test.Count, MacroF1(modelScores, truth), MacroF1(baselineScores, truth),
                modelMetrics.RocAuc, baselineMetrics.RocAuc, modelMetrics.FalsePositiveRate, baselineMetrics.FalsePositiveRate);
            log?.Invoke($"fold {k + 1}/{folds}: model macro-F1 {result.ModelMacroF1:F3}, baseline {result.BaselineMacroF1:F3}");
            results.Add(result);
        }

        return results;
    }

    /// <summary>Uncalibrated sigmoid of the largest of the hate/abuse/offensive decision values (the baseline's "flagged" probability).</summary>
    private static double BaselineProbability(LinearClassifier classifier, string text)
    {
        Span<double> logits = stackalloc double[LinearClassifier.HeadCount];
        classifier.Logits(TextNormaliser.Normalise(text), new DetectionResult(), logits);
        var z = Math.Max(logits[(int)Category.Offensive], Math.Max(logits[(int)Category.Abuse], logits[(int)Category.Hate]));
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Mean of the F1 of the positive class and the F1 of the negative class, at 0.5.</summary>
    public static double MacroF1(IReadOnlyList<double> scores, IReadOnlyList<bool> truth)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(truth);
        return BinaryMetrics.Compute(scores, truth, 0.5).MacroF1;
    }
}
