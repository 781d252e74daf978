namespace Moderator.Model.Evaluation;

/// <summary>Binary classification quality at one threshold, plus threshold-free ROC AUC and PR AUC (average precision).</summary>
public sealed record BinaryMetrics(int Positives, int Negatives, int TruePositives, int FalsePositives, double Precision, double Recall, double F1, double RocAuc, double PrAuc)
{
    /// <summary>Share of the negatives predicted positive.</summary>
    public double FalsePositiveRate => Negatives == 0 ? 0 : (double)FalsePositives / Negatives;

    /// <summary>
    /// The mean of the positive class's F1 and the negative class's F1 at the threshold: OffensEval's measure, which
    /// a model cannot raise by flagging everything.
    /// </summary>
    public double MacroF1
    {
        get
        {
            var trueNegatives = Negatives - FalsePositives;
            var falseNegatives = Positives - TruePositives;
            var negativeF1 = trueNegatives == 0 ? 0 : 2.0 * trueNegatives / (2.0 * trueNegatives + falseNegatives + FalsePositives);
            return (F1 + negativeF1) / 2;
        }
    }

    public static BinaryMetrics Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> truth, double threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(truth);
        int tp = 0, fp = 0, positives = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var predicted = scores[i] >= threshold;
            if (truth[i])
            {
                positives++;
                if (predicted)
                {
                    tp++;
                }
            }
            else if (predicted)
            {
                fp++;
            }
        }

        var negatives = scores.Count - positives;
        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = positives == 0 ? 0 : (double)tp / positives;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new BinaryMetrics(positives, negatives, tp, fp, precision, recall, f1, AreaUnderRoc(scores, truth), AveragePrecision(scores, truth));
    }

    /// <summary>Probability that a random positive outscores a random negative (ties count half).</summary>
    public static double AreaUnderRoc(IReadOnlyList<double> scores, IReadOnlyList<bool> truth)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(truth);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositives = 0;
        long positives = 0;
        var i0 = 0;
        while (i0 < order.Length)
        {
            var i1 = i0;
            while (i1 + 1 < order.Length && scores[order[i1 + 1]] == scores[order[i0]])
            {
                i1++;
            }

            var averageRank = (i0 + i1) / 2.0 + 1;
            for (var k = i0; k <= i1; k++)
            {
                if (truth[order[k]])
                {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }

            i0 = i1 + 1;
        }

        var negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSumPositives - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>Average precision: the area under the precision-recall curve, stepwise, ties taken together.</summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> truth)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(truth);
        var positives = truth.Count(t => t);
        if (positives == 0)
        {
            return double.NaN;
        }

        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double ap = 0;
        int tp = 0, seen = 0;
        var i0 = 0;
        while (i0 < order.Length)
        {
            var i1 = i0;
            while (i1 + 1 < order.Length && scores[order[i1 + 1]] == scores[order[i0]])
            {
                i1++;
            }

            var newTp = 0;
            for (var k = i0; k <= i1; k++)
            {
                if (truth[order[k]])
                {
                    newTp++;
                }
            }

            tp += newTp;
            seen += i1 - i0 + 1;
            ap += newTp / (double)positives * (tp / (double)seen);
            i0 = i1 + 1;
        }

        return ap;
    }
}

/// <summary>How often a group of comments reached each action.</summary>
public sealed record ActionRates(string Group, int Count, double ReviewOrStronger, double Hidden, double Escalated, double ReviewOnly);
